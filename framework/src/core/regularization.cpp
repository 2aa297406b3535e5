// SPDX-License-Identifier: BSD-3-Clause
#include "geoinv/regularization.hpp"

#include <fmt/format.h>

#include <Eigen/Cholesky>
#include <cmath>
#include <vector>

#include "geoinv/error.hpp"

namespace geoinv {

std::string to_string(RegularizationKind kind) {
  switch (kind) {
    case RegularizationKind::none: return "none";
    case RegularizationKind::tikhonov: return "tikhonov";
    case RegularizationKind::l1: return "l1";
    case RegularizationKind::tv: return "tv";
  }
  return "none";
}

Eigen::VectorXd Regularization::offset(const Eigen::Ref<const Eigen::VectorXd>& model) const {
  if (reference.size() == 0) return model;
  if (reference.size() != model.size())
    throw Error(Error::Category::config, fmt::format("regularization reference model has {} values for {} parameters",
                                                     reference.size(), model.size()));
  return model - reference;
}

double Regularization::value(const Eigen::Ref<const Eigen::VectorXd>& model) const {
  if (kind == RegularizationKind::none) return 0.0;
  const Eigen::VectorXd u = offset(model);
  const Eigen::Index n = u.size();
  switch (kind) {
    case RegularizationKind::tikhonov:
      if (order == 0) return u.squaredNorm();
      if (order == 1) return n < 2 ? 0.0 : (u.tail(n - 1) - u.head(n - 1)).squaredNorm();
      return n < 3 ? 0.0 : (u.tail(n - 2) - 2.0 * u.segment(1, n - 2) + u.head(n - 2)).squaredNorm();
    case RegularizationKind::l1: return u.lpNorm<1>();
    case RegularizationKind::tv: return n < 2 ? 0.0 : (u.tail(n - 1) - u.head(n - 1)).lpNorm<1>();
    case RegularizationKind::none: break;
  }
  return 0.0;
}

void Regularization::add_gradient(const Eigen::Ref<const Eigen::VectorXd>& model,
                                  Eigen::Ref<Eigen::VectorXd> gradient) const {
  if (!active()) return;
  if (!smooth())
    throw Error(Error::Category::plugin,
                fmt::format("the {} regularization has no gradient: use its prox (a proximal solver such as fista)",
                            to_string(kind)));
  const Eigen::MatrixXd l = difference_operator(order, model.size());
  gradient.noalias() += (2.0 * lambda) * (l.transpose() * (l * offset(model)));
}

void Regularization::prox(Eigen::Ref<Eigen::VectorXd> x, double step) const {
  if (!active()) return;
  const double weight = step * lambda;
  const Eigen::VectorXd ref = reference.size() == 0 ? Eigen::VectorXd::Zero(x.size()) : reference;
  Eigen::VectorXd u = x - ref;
  switch (kind) {
    case RegularizationKind::l1: soft_threshold(u, weight); break;
    case RegularizationKind::tv: total_variation_denoise(u, weight); break;
    case RegularizationKind::tikhonov: {
      // argmin ½‖z − u‖² + w‖Lz‖²: (I + 2w LᵀL) z = u.
      const Eigen::MatrixXd l = difference_operator(order, u.size());
      Eigen::MatrixXd system = 2.0 * weight * (l.transpose() * l);
      system.diagonal().array() += 1.0;
      u = system.llt().solve(u);
      break;
    }
    case RegularizationKind::none: break;
  }
  x = u + ref;
}

Eigen::MatrixXd difference_operator(int order, Eigen::Index n) {
  if (order < 0 || order > 2)
    throw Error(Error::Category::config, fmt::format("Tikhonov order {}: valid orders are 0, 1 and 2", order));
  const Eigen::Index rows = std::max<Eigen::Index>(0, n - order);
  Eigen::MatrixXd l = Eigen::MatrixXd::Zero(rows, n);
  static const double kStencils[3][3] = {{1.0, 0.0, 0.0}, {-1.0, 1.0, 0.0}, {1.0, -2.0, 1.0}};
  for (Eigen::Index i = 0; i < rows; ++i)
    for (int k = 0; k <= order; ++k) l(i, i + k) = kStencils[order][k];
  return l;
}

void soft_threshold(Eigen::Ref<Eigen::VectorXd> x, double threshold) {
  for (Eigen::Index i = 0; i < x.size(); ++i) {
    const double magnitude = std::abs(x(i)) - threshold;
    x(i) = magnitude > 0.0 ? std::copysign(magnitude, x(i)) : 0.0;
  }
}

// Condat's direct algorithm: one scan keeps the running segment's candidate values (vmin, vmax) and the
// dual residues (umin, umax); a segment is emitted when a residue leaves [−λ, λ], and the scan restarts
// after it.
void total_variation_denoise(Eigen::Ref<Eigen::VectorXd> x, double weight) {
  const Eigen::Index width = x.size();
  if (width == 0 || !(weight > 0.0)) return;
  const std::vector<double> input(x.data(), x.data() + width);
  double* output = x.data();
  const double lambda = weight, minus_lambda = -weight, two_lambda = 2.0 * weight;
  Eigen::Index k = 0, k0 = 0, kplus = 0, kminus = 0;
  double umin = lambda, umax = minus_lambda;
  double vmin = input[0] - lambda, vmax = input[0] + lambda;
  for (;;) {
    while (k == width - 1) {
      if (umin < 0.0) {
        do output[k0++] = vmin; while (k0 <= kminus);
        k = kminus = k0;
        vmin = input[k];
        umin = lambda;
        umax = vmin + umin - vmax;
      } else if (umax > 0.0) {
        do output[k0++] = vmax; while (k0 <= kplus);
        k = kplus = k0;
        vmax = input[k];
        umax = minus_lambda;
        umin = vmax + umax - vmin;
      } else {
        vmin += umin / static_cast<double>(k - k0 + 1);
        do output[k0++] = vmin; while (k0 <= k);
        return;
      }
    }
    umin += input[k + 1] - vmin;
    if (umin < minus_lambda) {
      do output[k0++] = vmin; while (k0 <= kminus);
      k = kplus = kminus = k0;
      vmin = input[k];
      vmax = vmin + two_lambda;
      umin = lambda;
      umax = minus_lambda;
      continue;
    }
    umax += input[k + 1] - vmax;
    if (umax > lambda) {
      do output[k0++] = vmax; while (k0 <= kplus);
      k = kplus = kminus = k0;
      vmax = input[k];
      vmin = vmax - two_lambda;
      umin = lambda;
      umax = minus_lambda;
      continue;
    }
    ++k;
    if (umin >= lambda) {
      kminus = k;
      vmin += (umin - lambda) / static_cast<double>(kminus - k0 + 1);
      umin = lambda;
    }
    if (umax <= minus_lambda) {
      kplus = k;
      vmax += (umax + lambda) / static_cast<double>(kplus - k0 + 1);
      umax = minus_lambda;
    }
  }
}

}  // namespace geoinv
