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

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>
#include <utility>

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
    history_.emplace_back(population.champion_x(), population.champion_f()[0]);
    if (static_cast<std::int64_t>(history_.size()) <= window_) return false;
    const auto& [x_then, f_then] = history_.front();
    const double dx = detail::distance(population.champion_x(), x_then);
    const double df = f_then - population.champion_f()[0];
    history_.pop_front();
    return detail::tolerance_met("best model over the stall window", dx, xtol_, df, ftol_, termination, message);
  }

 private:
  double xtol_, ftol_;
  std::int64_t window_;
  std::deque<std::pair<pagmo::vector_double, double>> history_;  // the champion after each of the last generations
};

}  // namespace geoinv::pagmo_glue
