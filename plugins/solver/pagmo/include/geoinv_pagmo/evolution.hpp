// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// One generation loop for every pagmo solver plugin (de, sade, cmaes, pso, simulated_annealing, sga).
//
// pagmo does the algorithms; this loop owns what geoinv adds around them, once:
//
//   - the population: the start (projected into the search box) is its first individual, the others are
//     drawn uniformly in the search box by pagmo's population from the population seed;
//   - the generations: the algorithm is made with gen = 1 (and, where pagmo has it, memory = true, so that
//     sade's adapted F and CR and CMA-ES's mean, covariance and step size carry over from one call to the
//     next as within one long call) and evolved once per generation, so the loop sees every generation;
//   - the trace: one row per generation (iteration 0 is the initial population) with the champion's sse
//     and the forward evaluations so far;
//   - the stopping tests, after each generation (stop_tests.hpp): for de, sade and cmaes those of pagmo's
//     de, sade and cmaes (`ftol` and `xtol` on the population's spread, which pagmo also applies inside its
//     one-generation call), for pso, simulated_annealing and sga a stall of the best model; `generations` run out ->
//     max_iterations.
//
// Seeds: the 64-bit seed of the SolveContext gives pagmo's two 32-bit seeds, its low half the
// population's and its high half (xor a constant, so a seed below 2^32 still gives two different seeds)
// the algorithm's. One seed gives one result, bit for bit: the algorithm and its evaluations run on the
// calling thread.
#include <pagmo/population.hpp>
#include <pagmo/problem.hpp>

#include <algorithm>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

#include "geoinv/error.hpp"
#include "geoinv/option_binding.hpp"
#include "geoinv/solver.hpp"
#include "geoinv_lsq/message.hpp"
#include "geoinv_pagmo/stop_tests.hpp"
#include "geoinv_pagmo/user_problem.hpp"
#include "geoinv_population/fitness.hpp"
#include "geoinv_population/search_box.hpp"

namespace geoinv::pagmo_glue {

// The options every pagmo plugin shares. The defaults here are the options' defaults; a plugin passes its
// own population size.
struct EvolutionSettings {
  std::int64_t population_size = 20;  // individuals, >= the algorithm's minimum
  std::int64_t generations = 1000;    // generations (calls of the algorithm's evolve), >= 1
  double ftol = 1e-6;                 // sse; 0 disables
  double xtol = 1e-6;                 // Σ_j |Δu_j| in the unit cube of the search box, dimensionless; 0 disables
  double search_radius = 4.0;         // multiples of max(|start_j|, scale_j), dimensionless, > 0
};

struct Seeds {
  unsigned population;
  unsigned algorithm;
};

inline Seeds seeds_of(std::uint64_t seed) {
  return {static_cast<unsigned>(seed), static_cast<unsigned>(seed >> 32) ^ 0x9e3779b9u};
}

// population_size, bound to the member `evolution` of a plugin's settings; `minimum` is pagmo's.
template <typename Settings>
void declare_population_size(OptionBindings<Settings>& options, EvolutionSettings Settings::*evolution,
                             std::int64_t minimum) {
  options
      .add("population_size", nested(evolution, &EvolutionSettings::population_size),
           "individuals in the population; the start is the first, the others are drawn uniformly in the "
           "search box")
      .at_least(static_cast<double>(minimum));
}

// generations, ftol, xtol and search_radius, bound to the member `evolution` of a plugin's settings; ftol
// and xtol are documented as StopTest (stop_tests.hpp) uses them.
template <typename StopTest = PopulationSpread, typename Settings>
void declare_evolution(OptionBindings<Settings>& options, EvolutionSettings Settings::*evolution) {
  options
      .add("generations", nested(evolution, &EvolutionSettings::generations),
           "generations at most (pagmo's gen); the host's budget.max_forward_evaluations may stop it sooner")
      .at_least(1);
  options.add("ftol", nested(evolution, &EvolutionSettings::ftol), StopTest::kFtolDoc).at_least(0.0);
  options.add("xtol", nested(evolution, &EvolutionSettings::xtol), StopTest::kXtolDoc).at_least(0.0);
  options
      .add("search_radius", nested(evolution, &EvolutionSettings::search_radius),
           "where a bound is infinite, the search box reaches this many times max(|start|, scale) from the "
           "start (angles: half a turn)")
      .greater_than(0.0);
}

// stall_generations, the window of ChampionStall (stop_tests.hpp), bound to `member` of a plugin's settings.
template <typename Settings>
void declare_stall_generations(OptionBindings<Settings>& options, std::int64_t Settings::*member) {
  options
      .add("stall_generations", member,
           "converged when the best model moved by less than xtol or improved by less than ftol in this many "
           "generations")
      .at_least(1)
      .unit("generations");
}

// Makes the algorithm once, through `make` (unsigned seed -> algorithm), from configured settings, so that
// pagmo's own checks of what one option's range cannot say (cmaes' cc: -1 or [0, 1]) fail in configure()
// as a config error naming the plugin, not in a solve.
template <typename Make>
void check_with_pagmo(const std::string& plugin, Make make) {
  try {
    make(0u);
  } catch (const std::invalid_argument& error) {
    throw Error(Error::Category::config, "solver '" + plugin + "': pagmo refuses the options: " + error.what());
  }
}

namespace detail {

inline pagmo::vector_double to_pagmo(const Vector& u) {
  pagmo::vector_double values(static_cast<std::size_t>(u.size()));
  for (Eigen::Index j = 0; j < u.size(); ++j) values[static_cast<std::size_t>(j)] = std::clamp(u(j), 0.0, 1.0);
  return values;
}

}  // namespace detail

// The generation loop itself, for pagmo's population below and for a swarm that is not pagmo's (pso's
// generational swarm): runs `step()` (one generation) until `stop(termination, message)` fires after one or
// `generations` have run, and records the trace, one row per generation (0: before the first) with
// `champion_sse()` and the forward evaluations so far. Returns the outcome without its estimate, which the
// caller maps from its champion.
template <typename Step, typename ChampionSse, typename Stop>
SolverOutcome run_generations(const Problem& problem, std::int64_t generations, Step step,
                              ChampionSse champion_sse, Stop stop) {
  SolverOutcome outcome;
  outcome.trace = Trace({"iteration", "sse", "evaluations"});
  const auto record = [&](std::int64_t generation) {
    outcome.trace.add_row({static_cast<double>(generation), champion_sse(),
                           static_cast<double>(problem.counts().forward)});
  };
  record(0);
  outcome.termination = Termination::max_iterations;
  bool stopped = false;
  for (std::int64_t generation = 1; generation <= generations && !stopped; ++generation) {
    step();
    record(generation);
    outcome.iterations = static_cast<int>(generation);
    stopped = stop(&outcome.termination, &outcome.message);
  }
  if (!stopped)
    lsq::write_message(&outcome.message, "ran ", static_cast<double>(generations),
                       " generations (generations); champion sse ", champion_sse());
  return outcome;
}

// Minimises `problem` from `start` with `algorithm` (a pagmo algorithm made with gen = 1, see above),
// generation by generation, until `stop` (stop_tests.hpp) fires or the generations run out.
template <typename Algorithm, typename StopTest>
SolverOutcome evolve(Problem& problem, const Vector& start, const EvolutionSettings& settings, Algorithm& algorithm,
                     StopTest stop, unsigned population_seed) {
  population::Fitness fitness(problem, population::search_box(problem, start, settings.search_radius));
  pagmo::population population(pagmo::problem(UserProblem(fitness)), 0u, population_seed);
  population.push_back(detail::to_pagmo(fitness.box().to_unit(start)));
  while (static_cast<std::int64_t>(population.size()) < settings.population_size)
    population.push_back(population.random_decision_vector());

  SolverOutcome outcome = run_generations(
      problem, settings.generations, [&] { population = algorithm.evolve(std::move(population)); },
      [&] { return population.champion_f()[0]; },
      [&](Termination* termination, std::string* message) { return stop.fire(population, termination, message); });
  outcome.estimate = fitness.box().to_model(population.champion_x().data());
  return outcome;
}

}  // namespace geoinv::pagmo_glue
