// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The strategy `gauss_newton` gives the least-squares minimiser (geoinv_lsq/minimizer.hpp): the
// Gauss-Newton direction δ = −(JᵀJ)⁻¹ Jᵀr and a backtracking Armijo line search along the projected path
// m(α) = P(m + αδ). One iteration is one direction and its line search: each trial α that fails the
// sufficient-decrease test is multiplied by backtracking_factor and tried again in the same iteration;
// after max_backtracking_steps reductions the solve ends with numerical_failure. README.md describes the
// first α (max_relative_step) and the step memory (step_growth).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include "gauss_newton_settings.hpp"
#include "geoinv/problem.hpp"
#include "geoinv_lsq/message.hpp"
#include "geoinv_lsq/minimizer.hpp"

namespace geoinv::gauss_newton {

// When JᵀJ is singular (a parameter without influence, exactly collinear columns) the Gauss-Newton
// system has no unique solution: the fallback adds λ·diag(JᵀJ), λ from 1e-10 up by ×100 until the
// Cholesky factorisation succeeds. It is never used when JᵀJ is definite.
constexpr double kFirstRegularisation = 1e-10;
constexpr double kLastRegularisation = 1e10;

// The step memory applies after a line search that reduced α at most this many times. One that needed
// more found a direction it could barely use, and its tiny α says nothing about the next direction: carried
// over, it made the next iterations crawl (a sphere whose depth is bounded below its minimum, README.md).
constexpr std::int64_t kMemoryReductions = 2;

// min(1, the largest α for which every |α·δ_j| <= limit · max(|m_j|, s_j)); 1 when limit is 0.
template <typename VectorType>
double first_step_length(const Problem& problem, const VectorType& model, const VectorType& direction,
                         double limit) {
  if (limit <= 0.0) return 1.0;
  const ParameterSpecs& specs = problem.parameters();
  double alpha = 1.0;
  for (Eigen::Index j = 0; j < model.size(); ++j) {
    const auto& spec = specs[static_cast<std::size_t>(j)];
    const double size = spec.is_angle ? spec.scale : std::max(std::abs(model(j)), spec.scale);
    // Each parameter's own limit, then the smallest: independent divisions rather than a chain of them.
    alpha = std::min(alpha, limit * size / std::abs(direction(j)));  // +inf when the parameter stays put
  }
  return alpha;
}

class LineSearch {
 public:
  static constexpr bool kCountsIterationsBegun = true;  // max_iterations counts line searches

  LineSearch(const Settings& settings, const Problem& problem) : settings_(settings), problem_(problem) {}

  double damping() const { return regularisation_; }

  template <typename Work>
  void start(const Work&) {}

  // JᵀJ x = Jᵀr, regularised only when JᵀJ is singular; then δ = −x (kept in work.scratch) and the
  // line search's first α.
  template <typename Work>
  bool compute_step(Work& work) {
    regularisation_ = 0.0;
    bool solved = work.system.solve(work.normal, work.scaling, 0.0, work.gradient, work.step);
    if (!solved) {
      for (regularisation_ = kFirstRegularisation; !solved && regularisation_ <= kLastRegularisation;)
        if (!(solved = work.system.solve(work.normal, work.scaling, regularisation_, work.gradient, work.step)))
          regularisation_ *= 100.0;
    }
    if (!solved) return false;
    work.scratch = -work.step;
    const double previous_alpha = alpha_;
    alpha_ = first_step_length(problem_, work.model, work.scratch, settings_.max_relative_step);
    if (settings_.step_growth > 0.0 && searched_ && previous_reductions_ <= kMemoryReductions)
      alpha_ = std::min(alpha_, settings_.step_growth * previous_alpha);
    searched_ = true;
    backtracks_ = 0;
    return true;
  }

  template <typename Work>
  void propose_trial(Work& work) const {
    work.trial_model = work.model + alpha_ * work.scratch;
  }

  // Armijo's test on the projected step p: ∇sse = 2Jᵀr, so the sufficient decrease is c·2gᵀp
  // (c·α·∇sseᵀδ for an unprojected step).
  template <typename Work>
  lsq::Verdict judge(const Work& work, double sse, double trial_sse) {
    const double slope = 2.0 * work.gradient.dot(work.step);
    if (trial_sse < sse && trial_sse <= sse + settings_.armijo_c * slope) {
      previous_reductions_ = backtracks_;
      return lsq::Verdict::accepted;
    }
    alpha_ *= settings_.backtracking_factor;
    return ++backtracks_ > settings_.max_backtracking_steps ? lsq::Verdict::exhausted : lsq::Verdict::retry;
  }

  std::string failure_message() const {
    if (backtracks_ > settings_.max_backtracking_steps)
      return "the line search found no sufficient decrease in " +
             std::to_string(settings_.max_backtracking_steps + 1) + " trials (last α " +
             lsq::number(alpha_ / settings_.backtracking_factor) + ")";
    return "the Gauss-Newton system could not be solved, even with regularisation " +
           lsq::number(kLastRegularisation);
  }

  const char* state_name() const { return "last step length"; }
  double state() const { return alpha_; }

 private:
  const Settings& settings_;
  const Problem& problem_;
  double regularisation_ = 0.0;  // λ of the last solve: 0 unless JᵀJ was singular
  // The step memory (Settings::step_growth): the α the last line search accepted (or tried last), how
  // many times it reduced α, and whether there was one.
  double alpha_ = 1.0;
  std::int64_t backtracks_ = 0;
  std::int64_t previous_reductions_ = 0;
  bool searched_ = false;
};

}  // namespace geoinv::gauss_newton
