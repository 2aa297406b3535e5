// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// A start model for the SP shape-factor family estimated from the observed data alone
// (ForwardModel::estimate_start, `start: {strategy: data_driven}`).
//
// V = K·N/D^q is linear in the two amplitudes A = K·cosθ and B = ±K·sinθ once x0, h (and q) are fixed:
//
//   V(x) = A·u/D^q + B·h/D^q,    u = x − x0,  D = u² + h²
//
// so the estimate scans x0 and h (and q, when it is free) over a grid spanning the profile, solves the
// 2×2 linear least-squares problem for (A, B) at every node, and keeps the node with the smallest
// misfit (variable projection). A pattern search then refines that node. K and θ follow from (A, B):
// K = |(A, B)|, θ = atan2(±B, A), which is "K from the peak amplitude given the other parameters" with
// every station weighing in instead of one.
//
// The coarse grid (stations spanning x_min..x_max, L = x_max − x_min, Δ = L/(n − 1) the mean spacing):
//   x0: 61 nodes over [x_min − L/4, x_max + L/4];
//   h:  41 nodes, geometric, over [Δ/2, 2L] (ratio ≈ 1.16 per node for 101 stations);
//   q:  0.5, 0.75, 1, 1.25, 1.5, 2 (free q only).
// The pattern search scans a box of 7 nodes per parameter, ± one coarse step (x0: one x0 step, h: one
// h ratio, q: 0.25) around the best node; when the best node of the box is interior the steps shrink
// threefold, otherwise the box follows it (at most 40 boxes). It runs once per experiment, so a scan this
// thorough is affordable.
//
// Unlike rules read off the curve (x0 at the extremum, h from the half-width), the scan has no
// assumption on the shape of the anomaly: it works for every θ (a strongly inclined polarization moves
// the extremum well away from x0 and makes the half-width of either lobe meaningless), every q
// (the vertical cylinder's anomaly does not decay), irregular stations, and noisy data.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include "geoinv/forward_model.hpp"
#include "sp/shape_factor.hpp"

namespace geoinv::sp {

namespace start_detail {

// The best amplitudes at one node and how much they lower Σy² (the misfit is Σy² − reduction).
struct NodeFit {
  double x0 = 0.0, h = 0.0, q = 0.0;
  double reduction = -std::numeric_limits<double>::infinity();
  double a = 0.0, b = 0.0;  // amplitudes of u/D^q and h/D^q
};

// Fits y ≈ a·u/D^q + b·h/D^q at (x0, h, q) by linear least squares.
inline NodeFit fit_node(const double* x, const double* y, Eigen::Index n, double x0, double h, double q) {
  double g11 = 0.0, g12 = 0.0, g22 = 0.0, r1 = 0.0, r2 = 0.0;
  const double h_squared = h * h;
  const auto accumulate = [&](auto inverse_power) {
    for (Eigen::Index i = 0; i < n; ++i) {
      const double u = x[i] - x0;
      const double w = inverse_power(u * u + h_squared);
      const double f1 = u * w, f2 = h * w;
      g11 += f1 * f1;
      g12 += f1 * f2;
      g22 += f2 * f2;
      r1 += f1 * y[i];
      r2 += f2 * y[i];
    }
  };
  if (q == 0.5) {
    accumulate([](double d) { return 1.0 / std::sqrt(d); });
  } else if (q == 1.0) {
    accumulate([](double d) { return 1.0 / d; });
  } else if (q == 1.5) {
    accumulate([](double d) { return 1.0 / (d * std::sqrt(d)); });
  } else {
    accumulate([q](double d) { return std::exp(-q * std::log(d)); });
  }
  NodeFit fit;
  fit.x0 = x0;
  fit.h = h;
  fit.q = q;
  const double determinant = g11 * g22 - g12 * g12;
  // Collinear basis (e.g. a body so deep that both columns are flat): no information at this node.
  if (!(determinant > 1e-12 * g11 * g22)) return fit;
  fit.a = (g22 * r1 - g12 * r2) / determinant;
  fit.b = (g11 * r2 - g12 * r1) / determinant;
  fit.reduction = fit.a * r1 + fit.b * r2;
  if (!std::isfinite(fit.reduction)) fit.reduction = -std::numeric_limits<double>::infinity();
  return fit;
}

// Scans the box [x_low, x_high] × [h_low, h_high] (h geometric) × [q_low, q_high] with the given node
// counts (a count of 1 takes the lower end) and returns the best node, or `best` if none is better.
inline NodeFit scan(const double* x, const double* y, Eigen::Index n, double x_low, double x_high,
                    int x_nodes, double h_low, double h_high, int h_nodes, const double* qs, int q_nodes,
                    NodeFit best) {
  const double h_ratio = h_nodes > 1 ? std::pow(h_high / h_low, 1.0 / (h_nodes - 1)) : 1.0;
  for (int k = 0; k < q_nodes; ++k) {
    for (int j = 0; j < h_nodes; ++j) {
      const double h = h_low * std::pow(h_ratio, j);
      for (int i = 0; i < x_nodes; ++i) {
        const double x0 = x_nodes > 1 ? x_low + (x_high - x_low) * i / (x_nodes - 1) : x_low;
        const NodeFit fit = fit_node(x, y, n, x0, h, qs[k]);
        if (fit.reduction > best.reduction) best = fit;
      }
    }
  }
  return best;
}

}  // namespace start_detail

// Writes into `model` (x0, θ, h, K[, q]) the start estimated from `observed` at `stations`, in canonical
// form. Returns false when there is nothing to estimate from: sizes differ, fewer stations than
// parameters, stations all at one place, or data that are not finite. Data that are zero everywhere
// give K = 0 at the centre of the profile.
template <Exponent kExponent>
bool estimate_shape_factor_start(const Eigen::Ref<const Vector>& stations,
                                 const Eigen::Ref<const Vector>& observed, Convention convention,
                                 Eigen::Ref<Vector> model) {
  using start_detail::NodeFit;
  constexpr Eigen::Index kSize = num_parameters(kExponent);
  const Eigen::Index n = stations.size();
  if (observed.size() != n || model.size() != kSize || n < kSize) return false;
  if (!observed.allFinite() || !stations.allFinite()) return false;
  const double x_min = stations.minCoeff(), x_max = stations.maxCoeff();
  const double length = x_max - x_min;
  if (!(length > 0.0)) return false;
  const double spacing = length / static_cast<double>(n - 1);

  // Contiguous copies: `stations`/`observed` may be strided views.
  const Vector x = stations, y = observed;

  double q_fixed = 0.0;
  if constexpr (kExponent == Exponent::one_half) q_fixed = 0.5;
  if constexpr (kExponent == Exponent::one) q_fixed = 1.0;
  if constexpr (kExponent == Exponent::three_halves) q_fixed = 1.5;
  constexpr double kFreeQs[] = {0.5, 0.75, 1.0, 1.25, 1.5, 2.0};
  constexpr int kMaxRounds = 40;
  const bool free_q = kExponent == Exponent::free;
  const double* qs = free_q ? kFreeQs : &q_fixed;
  const int q_nodes = free_q ? static_cast<int>(std::size(kFreeQs)) : 1;

  // Coarse scan.
  constexpr int kCoarseX = 61, kCoarseH = 41;
  const double x_low = x_min - 0.25 * length, x_high = x_max + 0.25 * length;
  const double h_low = 0.5 * spacing, h_high = 2.0 * length;
  NodeFit best = start_detail::scan(x.data(), y.data(), n, x_low, x_high, kCoarseX, h_low, h_high, kCoarseH,
                                    qs, q_nodes, NodeFit{});

  if (!(best.reduction > 0.0)) {  // zero data: nothing to fit, a neutral body in the middle
    model.setZero();
    model(kX0) = 0.5 * (x_min + x_max);
    model(kH) = 0.25 * length;
    if constexpr (kExponent == Exponent::free) model(kQ) = 1.0;
    return true;
  }

  // Pattern search from the best node: a 7 × 7 (× 7) box of ± one step around it; when the best node of
  // the box is interior the steps shrink threefold, otherwise the box moves with it. It follows the long
  // valleys of the misfit (h against q, when q is free) that a fixed fine box would leave early.
  constexpr int kLocal = 7;
  double x_step = (x_high - x_low) / (kCoarseX - 1);
  double h_ratio = std::pow(h_high / h_low, 1.0 / (kCoarseH - 1));
  double q_step = 0.25;
  for (int round = 0; round < kMaxRounds && x_step > 1e-6 * spacing; ++round) {
    const NodeFit centre = best;
    if constexpr (kExponent == Exponent::free) {
      double local_qs[kLocal];
      for (int k = 0; k < kLocal; ++k)
        local_qs[k] = std::clamp(centre.q + q_step * (2.0 * k / (kLocal - 1) - 1.0), kMinimumShapeFactor,
                                 kMaximumShapeFactor);
      best = start_detail::scan(x.data(), y.data(), n, centre.x0 - x_step, centre.x0 + x_step, kLocal,
                                centre.h / h_ratio, centre.h * h_ratio, kLocal, local_qs, kLocal, best);
    } else {
      best = start_detail::scan(x.data(), y.data(), n, centre.x0 - x_step, centre.x0 + x_step, kLocal,
                                centre.h / h_ratio, centre.h * h_ratio, kLocal, qs, 1, best);
    }
    // Interior: within the box's inner nodes in every direction.
    const double x_margin = x_step * (1.0 - 1.5 / (kLocal - 1)),
                 q_margin = q_step * (1.0 - 1.5 / (kLocal - 1));
    const double h_margin = std::pow(h_ratio, 1.0 - 1.5 / (kLocal - 1));
    const bool interior = std::abs(best.x0 - centre.x0) <= x_margin && best.h <= centre.h * h_margin &&
                          best.h >= centre.h / h_margin && std::abs(best.q - centre.q) <= q_margin;
    if (interior) {
      x_step /= 3.0;
      h_ratio = std::cbrt(h_ratio);
      q_step /= 3.0;
    }
  }

  // A = K·cosθ, B = ±K·sinθ (the sign of the convention).
  const double sign = convention == Convention::plus ? 1.0 : -1.0;
  model(kX0) = best.x0;
  model(kH) = best.h;
  model(kK) = std::hypot(best.a, best.b);
  model(kTheta) = std::atan2(sign * best.b, best.a);
  if constexpr (kExponent == Exponent::free) model(kQ) = best.q;
  canonicalize_shape_factor(model);
  return true;
}

}  // namespace geoinv::sp
