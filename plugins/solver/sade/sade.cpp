// SPDX-License-Identifier: BSD-3-Clause
// The `sade` solver plugin: pagmo's self-adaptive differential evolution (pagmo::sade: jDE or iDE), run through the generation loop the pagmo plugins share
// (geoinv_pagmo/evolution.hpp). See README.md.
#include <pagmo/algorithms/sade.hpp>

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
  std::int64_t variant = 2;        // pagmo's mutation variant, 1..18 (README.md)
  std::int64_t variant_adptv = 1;  // pagmo's adaptation: 1 jDE, 2 iDE
};

geoinv::OptionBindings<Settings> declare_options() {
  geoinv::OptionBindings<Settings> options;
  glue::declare_population_size(options, &Settings::evolution, 7);
  options
      .add("variant", &Settings::variant,
           "mutation variant (pagmo's variant): 1 best/1/exp, 2 rand/1/exp, ... 18 (README.md)")
      .at_least(1)
      .at_most(18);
  options.add("variant_adptv", &Settings::variant_adptv, "self-adaptation of F and CR: 1 jDE, 2 iDE")
      .at_least(1)
      .at_most(2);
  glue::declare_evolution(options, &Settings::evolution);
  return options;
}

// pagmo's sade for one generation per call, keeping its adapted F and CR between calls (memory).
pagmo::sade make_algorithm(const Settings& s, unsigned seed) {
  return pagmo::sade(1u, static_cast<unsigned>(s.variant), static_cast<unsigned>(s.variant_adptv), s.evolution.ftol,
                     s.evolution.xtol, true, seed);
}

class Sade final : public glue::PagmoSolver<Settings, pagmo::sade> {
 public:
  Sade() : PagmoSolver("sade", declare_options(), make_algorithm, kGeoinvPluginExampleYaml) {}
};

}  // namespace

GEOINV_SOLVER_PLUGIN(Sade, "sade", "1.0.0", "self-adaptive differential evolution (pagmo's sade) in the search box, through Problem")
