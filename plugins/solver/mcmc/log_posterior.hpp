// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The log posterior the sampler draws from, up to a constant:
//
//   log p(m | d) = −½ Σ rᵢ² / σ² + log prior(m),   r = (predicted − observed) / σᵢ  (Problem's residuals)
//
// with the prior uniform within the bounds (log prior = 0 inside, −∞ outside) times exp(−½ λ·R(m)) when the
// experiment sets a regularisation (geoinv/regularization.hpp; R exact, l1 and tv included), and the
// forward model's is_valid a hard constraint (−∞). When the data carry σᵢ, Problem has already divided by them and σ = 1;
// otherwise σ is fixed before sampling (the pre-fit's residual RMS, prefit.hpp). A model outside the bounds
// is refused without a forward evaluation; every other one is evaluated through Problem, which counts it
// against the budget.
#include <limits>

#include "ensemble.hpp"
#include "geoinv/problem.hpp"

namespace geoinv::mcmc {

class LogPosterior {
 public:
  LogPosterior(Problem& problem, double sigma)
      : problem_(problem), residuals_(problem.num_data()), inverse_variance_(1.0 / (sigma * sigma)) {}

  Evaluation operator()(const Vector& model) {
    if (!problem_.in_bounds(model)) return {};
    double sse = 0.0;
    if (!problem_.residuals(model, residuals_, &sse)) return {};
    return {-0.5 * (sse * inverse_variance_ + problem_.regularization().penalty(model)), sse};
  }

 private:
  Problem& problem_;
  Vector residuals_;  // scratch
  double inverse_variance_;
};

}  // namespace geoinv::mcmc
