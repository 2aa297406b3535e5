// SPDX-License-Identifier: BSD-3-Clause
// The `simulated_annealing` solver plugin: pagmo's Corana simulated annealing (pagmo::simulated_annealing) on
// one individual, one whole annealing per generation of the loop the pagmo plugins share
// (geoinv_pagmo/evolution.hpp), its temperatures relative to the sse each annealing starts from. See README.md.
#include <pagmo/algorithms/simulated_annealing.hpp>
#include <pagmo/population.hpp>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <utility>

#include "geoinv/option_binding.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_pagmo/evolution.hpp"
#include "geoinv_pagmo/solver.hpp"
#include "geoinv_pagmo/stop_tests.hpp"
#include "geoinv_plugin_example.hpp"

namespace {

namespace glue = geoinv::pagmo_glue;

struct Settings {
  glue::EvolutionSettings evolution{1};  // one individual
  // Temperatures are relative, not pagmo's absolute ones (its defaults 10 and 0.1 in sse): README.md,
  // "Temperatures".
  double Ts = 3.0;                   // starting temperature, a multiple of the sse the annealing starts from
  double Tf = 0.01;                  // final temperature, a multiple of the same sse
  std::int64_t n_T_adj = 10;         // pagmo's temperature adjustments per annealing
  std::int64_t n_range_adj = 1;      // pagmo's range adjustments per temperature
  std::int64_t bin_size = 20;        // pagmo's moves per range adjustment, per parameter
  double start_range = 1.0;          // pagmo's starting neighbourhood, a fraction of the search box
  std::int64_t stall_generations = 10;  // geoinv's: the window of the stall test, in annealings
};

geoinv::OptionBindings<Settings> declare_options() {
  geoinv::OptionBindings<Settings> options;
  options
      .add("Ts", &Settings::Ts,
           "starting temperature of each annealing, as a multiple of the sse it starts from (pagmo's Ts is this "
           "times that sse)")
      .greater_than(0.0);
  options
      .add("Tf", &Settings::Tf,
           "final temperature of each annealing, as a multiple of the sse it starts from; at most Ts")
      .greater_than(0.0);
  options.add("n_T_adj", &Settings::n_T_adj, "temperature adjustments in one annealing").at_least(1);
  options.add("n_range_adj", &Settings::n_range_adj, "neighbourhood adjustments at each temperature").at_least(1);
  options.add("bin_size", &Settings::bin_size, "moves per neighbourhood adjustment, per parameter").at_least(1);
  options
      .add("start_range", &Settings::start_range, "starting neighbourhood, a fraction of each side of the search box")
      .greater_than(0.0)
      .at_most(1.0);
  glue::declare_stall_generations(options, &Settings::stall_generations);
  glue::declare_evolution<glue::ChampionStall>(options, &Settings::evolution);
  return options;
}

// pagmo's annealing with absolute temperatures: the relative ones times `sse` (a start of sse 0 or +inf,
// which no temperature scales, anneals at the relative values themselves).
pagmo::simulated_annealing pagmo_annealing(const Settings& s, double sse, unsigned seed) {
  const double scale = (sse > 0.0 && std::isfinite(sse)) ? sse : 1.0;
  return pagmo::simulated_annealing(s.Ts * scale, s.Tf * scale, static_cast<unsigned>(s.n_T_adj),
                                    static_cast<unsigned>(s.n_range_adj), static_cast<unsigned>(s.bin_size),
                                    s.start_range, seed);
}

// One generation: one whole annealing from the current champion, made afresh for its starting sse, its
// seed drawn from a generator seeded once by the solve's seed.
struct Annealing {
  Settings settings;
  std::mt19937 seeds;
  pagmo::population evolve(pagmo::population population) {
    const double sse = population.champion_f()[0];
    return pagmo_annealing(settings, sse, static_cast<unsigned>(seeds())).evolve(std::move(population));
  }
};

Annealing make_algorithm(const Settings& s, unsigned seed) {
  pagmo_annealing(s, 1.0, seed);  // pagmo's own checks (Tf <= Ts), in configure()
  return {s, std::mt19937(seed)};
}

glue::ChampionStall make_stop_test(const Settings& s) {
  return glue::ChampionStall(s.evolution.xtol, s.evolution.ftol, s.stall_generations);
}

class SimulatedAnnealing final : public glue::PagmoSolver<Settings, Annealing, glue::ChampionStall> {
 public:
  SimulatedAnnealing()
      : PagmoSolver("simulated_annealing", declare_options(), make_algorithm, kGeoinvPluginExampleYaml,
                    make_stop_test) {}
};

}  // namespace

GEOINV_SOLVER_PLUGIN(SimulatedAnnealing, "simulated_annealing", "1.0.0",
                     "Corana simulated annealing (pagmo's simulated_annealing) in the search box, through Problem")
