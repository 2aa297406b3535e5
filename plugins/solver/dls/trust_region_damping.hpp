// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The `trust_region` damping policy of dls (damped_step.hpp describes what a policy is).
#include <algorithm>
#include <cmath>
#include <limits>

#include "damped_step.hpp"
#include "dls_settings.hpp"

namespace geoinv::dls {

// A trust region of radius Δ on the scaled step ‖D^½ δ‖, after Moré (1978) as MINPACK's lmder/lmpar do
// it: λ = 0 (Gauss-Newton) when that step lies inside the region, otherwise λ > 0 found by Moré's
// safeguarded Newton iteration on ‖D^½ δ(λ)‖ = Δ to within 10 %. After each trial, with ρ the gain
// ratio: ρ ≤ 1/4 sets Δ = ½·min(Δ, 10‖D^½p‖) and doubles λ; ρ ≥ 3/4 (or λ = 0) sets Δ = 2‖D^½p‖ and
// halves λ (MINPACK's lmder, without its finer factor for very bad steps).
// Δ₀ = initial_radius_factor · ‖D^½ m₀‖ (MINPACK's `factor`), or the factor itself when that is 0.
class TrustRegionDamping {
 public:
  explicit TrustRegionDamping(const Settings& s) : factor_(s.initial_radius_factor) {}

  double damping() const { return damping_; }

  template <typename Work>
  void start(const Work& work) {
    const double scaled = (work.scaling.cwiseSqrt().cwiseProduct(work.model)).norm();
    radius_ = scaled > 0.0 ? factor_ * scaled : factor_;
  }

  template <typename Work>
  bool step(Work& work) {
    auto& system = work.system;
    auto& x = work.step;
    auto& w = work.scratch;
    const auto& d = work.scaling;
    auto scaled_norm = [&] { return std::sqrt(x.cwiseAbs2().dot(d)); };
    // dφ/dλ = −‖L⁻¹ D x‖² / ‖D^½ x‖ with L Lᵀ = JᵀJ + λ·D.
    auto slope = [&](double q) {
      w = d.cwiseProduct(x);
      system.solve_lower(w, work.scratch_lower);
      return -work.scratch_lower.squaredNorm() / q;
    };
    const double upper_start = std::sqrt(work.gradient.cwiseAbs2().cwiseQuotient(d).sum()) / radius_;
    double lower = 0.0;
    if (system.factorize(work.normal, d, 0.0)) {  // the Gauss-Newton step
      system.solve(work.gradient, x);
      const double q = scaled_norm();
      if (x.allFinite() && q <= 1.1 * radius_) {
        damping_ = 0.0;
        return true;
      }
      if (x.allFinite()) lower = (q - radius_) / -slope(q);
    }
    double upper = upper_start;
    if (!(upper > 0.0) || !std::isfinite(upper)) upper = std::numeric_limits<double>::max();
    double lambda = damping_;
    for (int k = 0; k < kMaxIterations; ++k) {
      if (!(lambda > lower && lambda < upper)) lambda = std::max(1e-3 * upper, std::sqrt(lower * upper));
      if (!(lambda > 0.0)) lambda = std::max(1e-3 * upper, std::numeric_limits<double>::min());
      if (!system.factorize(work.normal, d, lambda)) return false;
      system.solve(work.gradient, x);
      const double q = scaled_norm();
      const double phi = q - radius_;
      if (std::abs(phi) <= 0.1 * radius_ || !(q > 0.0)) break;
      const double derivative = slope(q);
      if (phi > 0.0) lower = std::max(lower, lambda); else upper = std::min(upper, lambda);
      lambda = std::max(lower, lambda - (phi / derivative) * (q / radius_));
    }
    damping_ = lambda;
    return true;
  }

  void update(const StepOutcome& step) {
    const double rho = step.predicted_decrease > 0.0
                           ? (step.sse_before - step.sse_after) / step.predicted_decrease
                           : (step.accepted ? 1.0 : -1.0);
    if (!(rho > 0.25)) {  // also NaN and −inf (a trial that was not finite)
      radius_ = 0.5 * std::min(radius_, 10.0 * step.scaled_step_norm);
      damping_ *= 2.0;
    } else if (damping_ == 0.0 || rho >= 0.75) {
      radius_ = 2.0 * step.scaled_step_norm;
      damping_ *= 0.5;
    }
  }

 private:
  static constexpr int kMaxIterations = 10;  // MINPACK's lmpar
  double factor_;
  double radius_ = 1.0;
  double damping_ = 0.0;
};

}  // namespace geoinv::dls
