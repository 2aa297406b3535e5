// SPDX-License-Identifier: BSD-3-Clause
// The `simulated_annealing` solver plugin: pagmo's Corana simulated annealing (pagmo::simulated_annealing), run through the generation loop the pagmo plugins share
// (geoinv_pagmo/evolution.hpp). See README.md.
#include <pagmo/algorithms/simulated_annealing.hpp>

#include <cstdint>

#include "geoinv/option_binding.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_pagmo/evolution.hpp"
#include "geoinv_pagmo/solver.hpp"
#include "geoinv_plugin_example.hpp"

namespace {

namespace glue = geoinv::pagmo_glue;

struct Settings {
  glue::EvolutionSettings evolution{1};
  double Ts = 10.0;                  // pagmo's starting temperature, in sse
  double Tf = 0.1;                   // pagmo's final temperature, in sse
  std::int64_t n_T_adj = 10;         // pagmo's temperature adjustments per annealing
  std::int64_t n_range_adj = 1;      // pagmo's range adjustments per temperature
  std::int64_t bin_size = 20;        // pagmo's moves per range adjustment, per parameter
  double start_range = 1.0;          // pagmo's starting neighbourhood, a fraction of the search box
};

geoinv::OptionBindings<Settings> declare_options() {
  geoinv::OptionBindings<Settings> options;
  options.add("Ts", &Settings::Ts, "starting temperature of each annealing, in units of sse").greater_than(0.0).unit("sse");
  options.add("Tf", &Settings::Tf, "final temperature of each annealing, in units of sse; below Ts").greater_than(0.0).unit("sse");
  options.add("n_T_adj", &Settings::n_T_adj, "temperature adjustments in one annealing").at_least(1);
  options.add("n_range_adj", &Settings::n_range_adj, "neighbourhood adjustments at each temperature").at_least(1);
  options.add("bin_size", &Settings::bin_size, "moves per neighbourhood adjustment, per parameter").at_least(1);
  options.add("start_range", &Settings::start_range, "starting neighbourhood, a fraction of each side of the search box")
      .greater_than(0.0)
      .at_most(1.0);
  glue::declare_evolution(options, &Settings::evolution);
  return options;
}

// pagmo's simulated_annealing: one whole annealing, from the current champion, per generation.
pagmo::simulated_annealing make_algorithm(const Settings& s, unsigned seed) {
  return pagmo::simulated_annealing(s.Ts, s.Tf, static_cast<unsigned>(s.n_T_adj), static_cast<unsigned>(s.n_range_adj),
                                    static_cast<unsigned>(s.bin_size), s.start_range, seed);
}

class SimulatedAnnealing final : public glue::PagmoSolver<Settings, pagmo::simulated_annealing> {
 public:
  SimulatedAnnealing() : PagmoSolver("simulated_annealing", declare_options(), make_algorithm, kGeoinvPluginExampleYaml) {}
};

}  // namespace

GEOINV_SOLVER_PLUGIN(SimulatedAnnealing, "simulated_annealing", "1.0.0", "Corana simulated annealing (pagmo's simulated_annealing) in the search box, through Problem")
