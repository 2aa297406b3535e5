// SPDX-License-Identifier: BSD-3-Clause
// The `cmaes` solver plugin: pagmo's covariance matrix adaptation evolution strategy (pagmo::cmaes), run through the generation loop the pagmo plugins share
// (geoinv_pagmo/evolution.hpp). See README.md.
#include <pagmo/algorithms/cmaes.hpp>

#include <cstdint>

#include "geoinv/option_binding.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_pagmo/evolution.hpp"
#include "geoinv_pagmo/solver.hpp"
#include "geoinv_plugin_example.hpp"

namespace {

namespace glue = geoinv::pagmo_glue;

struct Settings {
  glue::EvolutionSettings evolution{40};  // 40 individuals, not 20: README.md, "Defaults"
  double cc = -1.0;            // pagmo's backward time horizon of the evolution path; -1: automatic
  double cs = -1.0;            // pagmo's step-size control's time horizon; -1: automatic
  double c1 = -1.0;            // pagmo's rank-one update's learning rate; -1: automatic
  double cmu = -1.0;           // pagmo's rank-mu update's learning rate; -1: automatic
  double sigma0 = 0.5;         // pagmo's initial step size, a fraction of the search box (unit cube)
  bool force_bounds = false;   // pagmo's: clip samples into the box instead of rejecting them
};

geoinv::OptionBindings<Settings> declare_options() {
  geoinv::OptionBindings<Settings> options;
  glue::declare_population_size(options, &Settings::evolution, 5);
  options.add("cc", &Settings::cc, "backward time horizon of the evolution path, in [0, 1]; -1: pagmo's automatic")
      .at_least(-1.0)
      .at_most(1.0);
  options.add("cs", &Settings::cs, "step-size control's time horizon, in [0, 1]; -1: pagmo's automatic")
      .at_least(-1.0)
      .at_most(1.0);
  options.add("c1", &Settings::c1, "learning rate of the rank-one update, in [0, 1]; -1: pagmo's automatic")
      .at_least(-1.0)
      .at_most(1.0);
  options.add("cmu", &Settings::cmu, "learning rate of the rank-mu update, in [0, 1]; -1: pagmo's automatic")
      .at_least(-1.0)
      .at_most(1.0);
  options.add("sigma0", &Settings::sigma0, "initial step size, as a fraction of each side of the search box")
      .greater_than(0.0);
  options.add("force_bounds", &Settings::force_bounds,
              "clip samples into the search box; false: a sample outside scores +inf unevaluated");
  glue::declare_evolution(options, &Settings::evolution);
  return options;
}

// pagmo's cmaes for one generation per call, keeping its mean, covariance and step size between calls.
pagmo::cmaes make_algorithm(const Settings& s, unsigned seed) {
  return pagmo::cmaes(1u, s.cc, s.cs, s.c1, s.cmu, s.sigma0, s.evolution.ftol, s.evolution.xtol, true, s.force_bounds,
                      seed);
}

class Cmaes final : public glue::PagmoSolver<Settings, pagmo::cmaes> {
 public:
  Cmaes() : PagmoSolver("cmaes", declare_options(), make_algorithm, kGeoinvPluginExampleYaml) {}
};

}  // namespace

GEOINV_SOLVER_PLUGIN(Cmaes, "cmaes", "1.0.0", "CMA-ES (pagmo's cmaes) in the search box, through Problem")
