// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The stopping tests of the pagmo generation loop (evolution.hpp), run after each generation. Each says
// whether the solve has converged and, when it has, sets the termination and a one-sentence message.
//
// PopulationSpread (de, sade, cmaes): the tests of pagmo's own de, sade and cmaes, on the population's
// best and worst individual,
//   dx = Σ_j |u_worst,j − u_best,j|  (in the unit cube of the search box) < xtol  -> parameter_tolerance
//   df = |f_worst − f_best|          (sse)                                < ftol  -> function_tolerance
//
// ChampionStall (pso, simulated_annealing, sga): pagmo's pso keeps each particle's best position in the population, and a particle
// whose memory lies far from the swarm's best can keep it for hundreds of generations after the swarm has
// settled (on the conformance sphere the worst memory stayed at sse 9,610 while the best went from 3·10⁻⁷
// to 3·10⁻⁸), so the population's spread says nothing about convergence. The test is instead on the
// swarm's best over a window of `window` generations: with u_then, f_then the champion `window`
// generations ago,
//   dx = Σ_j |u_now,j − u_then,j| < xtol  -> parameter_tolerance
//   df = f_then − f_now           < ftol  -> function_tolerance
// A champion that did not move at all in the window stops the solve by both; the first is reported.
// simulated_annealing evolves one individual, which has no spread at all; a generation is one annealing.
#include <pagmo/population.hpp>
#include <pagmo/types.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "geoinv/solver.hpp"
#include "geoinv_lsq/message.hpp"

namespace geoinv::pagmo_glue {

namespace detail {

inline double distance(const pagmo::vector_double& a, const pagmo::vector_double& b) {
  double sum = 0.0;
  for (std::size_t j = 0; j < a.size(); ++j) sum += std::abs(a[j] - b[j]);
  return sum;
}

// Sets *termination and *message for the first tolerance met by dx and df; true when one is.
inline bool tolerance_met(const char* what, double dx, double xtol, double df, double ftol, Termination* termination,
                          std::string* message) {
  if (dx < xtol) {
    *termination = Termination::parameter_tolerance;
    lsq::write_message(message, std::string(what) + " dx = ", dx, " < xtol ", xtol);
    return true;
  }
  if (df < ftol) {
    *termination = Termination::function_tolerance;
    lsq::write_message(message, std::string(what) + " df = ", df, " < ftol ", ftol);
    return true;
  }
  return false;
}

}  // namespace detail

class PopulationSpread {
 public:
  static constexpr const char* kXtolDoc =
      "stop when sum_j |u_worst,j - u_best,j| in the unit cube of the search box is below this; 0 disables";
  static constexpr const char* kFtolDoc =
      "stop when |f_worst - f_best| of the population (sse) is below this; 0 disables";

  PopulationSpread(double xtol, double ftol) : xtol_(xtol), ftol_(ftol) {}

  bool fire(const pagmo::population& population, Termination* termination, std::string* message) {
    const auto best = population.best_idx(), worst = population.worst_idx();
    const double dx = detail::distance(population.get_x()[worst], population.get_x()[best]);
    const double df = std::abs(population.get_f()[worst][0] - population.get_f()[best][0]);
    return detail::tolerance_met("population spread", dx, xtol_, df, ftol_, termination, message);
  }

 private:
  double xtol_, ftol_;
};

class ChampionStall {
 public:
  static constexpr const char* kXtolDoc =
      "stop when the best model moved by less than this (sum_j |du_j|, unit cube of the search box) in the stall "
      "window; 0 disables";
  static constexpr const char* kFtolDoc =
      "stop when the best model's sse improved by less than this in the stall window; 0 disables";

  ChampionStall(double xtol, double ftol, std::int64_t window) : xtol_(xtol), ftol_(ftol), window_(window) {}

  bool fire(const pagmo::population& population, Termination* termination, std::string* message) {
    return fire(population.champion_x().data(), population.champion_x().size(), population.champion_f()[0],
                termination, message);
  }

  // The same for a champion at `x` (n values, unit cube) with sse `f`: for a loop without a pagmo population
  // (pso's generational swarm).
  bool fire(const double* x, std::size_t n, double f, Termination* termination, std::string* message) {
    const std::size_t slot = remember(x, n, f);
    const std::size_t capacity = static_cast<std::size_t>(window_) + 1;
    next_ = (slot + 1) % capacity;
    if (f_.size() < capacity) return false;
    const std::size_t then = next_;  // the oldest champion kept: `window` generations ago
    double dx = 0.0;
    for (std::size_t j = 0; j < n; ++j) dx += std::abs(x[j] - x_[then * n + j]);
    const double df = f_[then] - f;
    return detail::tolerance_met("best model over the stall window", dx, xtol_, df, ftol_, termination, message);
  }

 private:
  // Keeps the champion in the ring of the last window + 1 champions, at its slot, which it returns.
  std::size_t remember(const double* x, std::size_t n, double f) {
    const std::size_t capacity = static_cast<std::size_t>(window_) + 1;
    if (f_.size() < capacity) {
      x_.insert(x_.end(), x, x + n);
      f_.push_back(f);
      return f_.size() - 1;
    }
    std::copy(x, x + n, x_.begin() + static_cast<std::ptrdiff_t>(next_ * n));
    f_[next_] = f;
    return next_;
  }

  double xtol_, ftol_;
  std::int64_t window_;
  std::vector<double> x_, f_;  // the champion after each of the last window + 1 generations, a ring
  std::size_t next_ = 0;       // the slot the next champion overwrites once the ring is full
};

}  // namespace geoinv::pagmo_glue
