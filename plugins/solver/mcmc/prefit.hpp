// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The least-squares pre-fit that prepares a sampling run: Levenberg-Marquardt (Marquardt's ×10 / ÷10
// damping) from the start, run by the shared least-squares loop (geoinv_lsq/minimizer.hpp), then the
// Jacobian at its estimate. Its estimate centres the initial ensemble; its residual RMS is σ when the data
// carry none; (JᵀJ)⁻¹ scales the `linearised` initial ball. Every evaluation goes through Problem.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include <Eigen/Cholesky>

#include "geoinv/problem.hpp"
#include "geoinv_lsq/message.hpp"
#include "geoinv_lsq/minimizer.hpp"

namespace geoinv::mcmc {

// Marquardt's damping as a strategy of the least-squares loop: the step solves (JᵀJ + λD)x = Jᵀr, an
// accepted trial divides λ by 10, a rejected one multiplies it by 10.
class MarquardtPrefit {
 public:
  static constexpr bool kCountsIterationsBegun = false;
  static constexpr double kInitialDamping = 1e-3, kFactor = 10.0, kMinimumDamping = 1e-12;

  double damping() const { return damping_; }
  template <typename Work>
  void start(const Work&) {}
  template <typename Work>
  bool compute_step(Work& work) {
    return work.system.solve(work.normal, work.scaling, damping_, work.gradient, work.step);
  }
  template <typename Work>
  void propose_trial(Work& work) const {
    work.trial_model = work.model - work.step;
  }
  template <typename Work>
  lsq::Verdict judge(const Work&, double sse, double trial_sse) {
    const bool accepted = trial_sse < sse;
    damping_ = accepted ? std::max(damping_ / kFactor, kMinimumDamping) : damping_ * kFactor;
    return accepted ? lsq::Verdict::accepted : lsq::Verdict::rejected;
  }
  std::string failure_message() const {
    return "the pre-fit's damped normal equations could not be solved (damping " + lsq::number(damping_) + ")";
  }
  const char* state_name() const { return "damping"; }
  double state() const { return damping_; }

 private:
  double damping_ = kInitialDamping;
};

struct Prefit {
  Vector estimate;             // internal units, within the bounds
  double sse = 0.0;            // Σ r² of the weighted residuals there
  Vector standard_error;       // √diag((JᵀJ)⁻¹) of the weighted residuals; empty when JᵀJ is singular
  std::string message;         // the least-squares loop's
};

inline Prefit run_prefit(Problem& problem, const Vector& start, std::int64_t iterations) {
  lsq::Tolerances tolerances;
  tolerances.max_iterations = iterations;
  lsq::Workspace<Eigen::Dynamic> work;
  const SolverOutcome fitted =
      lsq::minimise(problem, start, {tolerances, lsq::Scaling::running_max, "mcmc"}, MarquardtPrefit{}, work);
  Prefit prefit;
  prefit.estimate = fitted.estimate;
  prefit.message = fitted.message;
  Vector residuals(problem.num_data());
  Matrix jacobian(problem.num_data(), problem.num_parameters());
  if (!problem.residuals_and_jacobian(prefit.estimate, residuals, jacobian, &prefit.sse)) {
    prefit.sse = std::numeric_limits<double>::quiet_NaN();
    return prefit;
  }
  const Eigen::LDLT<Matrix> normal((jacobian.transpose() * jacobian).eval());
  if (normal.info() != Eigen::Success || !normal.isPositive()) return prefit;
  const Vector variances = normal.solve(Matrix::Identity(jacobian.cols(), jacobian.cols())).diagonal();
  if ((variances.array() > 0.0).all() && variances.allFinite()) prefit.standard_error = variances.cwiseSqrt();
  return prefit;
}

}  // namespace geoinv::mcmc
