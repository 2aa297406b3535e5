// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// geoinv's Problem as a pagmo user-defined problem (UDP).
//
// pagmo's algorithms see the unit cube [0, 1]^n of the search box (geoinv_population/search_box.hpp) and
// call fitness() for each model they evaluate; fitness() scores it through population::Fitness, so every
// evaluation goes through Problem: counted, budgeted (BudgetExhausted passes through pagmo's evolve
// unchanged and reaches the host), best-model tracked, invalid models rejected by the one rule of
// geoinv_population/fitness.hpp.
//
// pagmo copies a UDP with every copy of its population; the copies share one Fitness, which the solve
// owns and outlives them. The UDP declares thread_safety::none: Problem is not thread-safe, and pagmo then
// never evaluates it from several threads (no thread islands, no thread_bfe). A seed's results are
// bit-identical.
#include <pagmo/problem.hpp>
#include <pagmo/threading.hpp>
#include <pagmo/types.hpp>
#include <string>
#include <utility>

#include "geoinv_population/fitness.hpp"

namespace geoinv::pagmo_glue {

class UserProblem {
 public:
  UserProblem() = default;  // pagmo requires it; never evaluated
  explicit UserProblem(population::Fitness& fitness)
      : fitness_(&fitness), dimension_(static_cast<std::size_t>(fitness.box().lower.size())) {}

  pagmo::vector_double fitness(const pagmo::vector_double& u) const { return {(*fitness_)(u.data())}; }

  std::pair<pagmo::vector_double, pagmo::vector_double> get_bounds() const {
    return {pagmo::vector_double(dimension_, 0.0), pagmo::vector_double(dimension_, 1.0)};
  }

  pagmo::thread_safety get_thread_safety() const { return pagmo::thread_safety::none; }
  std::string get_name() const { return "geoinv problem (unit cube of the search box)"; }

 private:
  population::Fitness* fitness_ = nullptr;
  std::size_t dimension_ = 1;
};

}  // namespace geoinv::pagmo_glue
