// SPDX-License-Identifier: BSD-3-Clause
// The `de` solver plugin: pagmo's differential evolution (pagmo::de), run through the generation loop
// the pagmo plugins share (geoinv_pagmo/evolution.hpp). See README.md.
#include <pagmo/algorithms/de.hpp>

#include <cstdint>

#include "geoinv/option_binding.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_pagmo/evolution.hpp"
#include "geoinv_pagmo/solver.hpp"
#include "geoinv_plugin_example.hpp"

namespace {

namespace glue = geoinv::pagmo_glue;

struct Settings {
  glue::EvolutionSettings evolution{20};
  double F = 0.8;              // pagmo's weight coefficient, in [0, 2], dimensionless
  double CR = 0.9;             // pagmo's crossover probability, in [0, 1]
  // pagmo's mutation variant, 1..10 (README.md). 7, rand/1/bin, not pagmo's 2 (rand/1/exp): README.md,
  // "Defaults".
  std::int64_t variant = 7;
};

geoinv::OptionBindings<Settings> declare_options() {
  geoinv::OptionBindings<Settings> options;
  glue::declare_population_size(options, &Settings::evolution, 5);
  options.add("F", &Settings::F, "weight coefficient of the difference vectors (pagmo's F); in [0, 2]")
      .at_least(0.0)
      .at_most(2.0);
  options.add("CR", &Settings::CR, "crossover probability (pagmo's CR); in [0, 1]").at_least(0.0).at_most(1.0);
  options
      .add("variant", &Settings::variant,
           "mutation variant (pagmo's variant): 1 best/1/exp, 2 rand/1/exp, ... 7 rand/1/bin, ... 10 rand/2/bin")
      .at_least(1)
      .at_most(10);
  glue::declare_evolution(options, &Settings::evolution);
  return options;
}

// pagmo's de for one generation per call (geoinv_pagmo/evolution.hpp).
pagmo::de make_algorithm(const Settings& s, unsigned seed) {
  return pagmo::de(1u, s.F, s.CR, static_cast<unsigned>(s.variant), s.evolution.ftol, s.evolution.xtol, seed);
}

class De final : public glue::PagmoSolver<Settings, pagmo::de> {
 public:
  De() : PagmoSolver("de", declare_options(), make_algorithm, kGeoinvPluginExampleYaml) {}
};

}  // namespace

GEOINV_SOLVER_PLUGIN(De, "de", "1.0.0", "differential evolution (pagmo's de) in the search box, through Problem")
