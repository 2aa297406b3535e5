// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The fitness every population solver minimises, and its one rule for models that cannot be scored.
//
// The fitness of a model is the problem's Σ r² (Problem::residuals), so the host counts the evaluation,
// enforces the budget (BudgetExhausted propagates through the algorithm to the host, which reports the
// best model evaluated) and tracks the best model. A model that cannot be scored is rejected, never
// repaired:
//
//   - one the forward model declares invalid (ForwardModel::is_valid: the inclined sheet's top above
//     ground) or whose prediction is not finite scores +inf. It was evaluated, so it is counted; and
//   - one outside the search box (search_box.hpp), which only an algorithm that samples past its bounds
//     proposes (CMA-ES without force_bounds), scores +inf without being evaluated or counted.
//
// +inf ranks below every scored model in each algorithm's selection (tournaments, greedy replacement,
// CMA-ES's ranking), so a rejected model never becomes a parent or the champion unless nothing else was
// scored; no penalty constant has to be chosen, and none can distort a misfit landscape it is added to.
#include <limits>

#include "geoinv/problem.hpp"
#include "geoinv_population/search_box.hpp"

namespace geoinv::population {

inline constexpr double kRejected = std::numeric_limits<double>::infinity();

// Scores points of the unit cube of a search box on a problem. Not thread-safe, as Problem is not.
class Fitness {
 public:
  Fitness(Problem& problem, SearchBox box)
      : problem_(&problem), box_(std::move(box)), model_(problem.num_parameters()), r_(problem.num_data()) {}

  const SearchBox& box() const { return box_; }

  // Φ = Σ r² + λ·R (Problem::objective; Σ r² without a regularisation) of the model that `u`
  // (num_parameters() values) stands for, or kRejected (above).
  double operator()(const double* u) {
    if (!box_.contains_unit(u)) return kRejected;
    double cost = kRejected;
    box_.to_model(u, model_);
    if (!problem_->residuals(model_, r_, &cost)) return kRejected;
    return problem_->objective(model_, cost);
  }

 private:
  Problem* problem_;
  SearchBox box_;
  Vector model_, r_;  // scratch: every call overwrites them
};

}  // namespace geoinv::population
