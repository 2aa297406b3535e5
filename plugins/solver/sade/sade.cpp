// SPDX-License-Identifier: BSD-3-Clause
// The `sade` solver plugin: pagmo's self-adaptive differential evolution (pagmo::sade: jDE or iDE), run through the generation loop the pagmo plugins share
// (geoinv_pagmo/evolution.hpp). See README.md.
#include <pagmo/algorithms/sade.hpp>

#include <cstdint>
#include <string>

#include "geoinv/option_binding.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_pagmo/evolution.hpp"
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

class Sade final : public geoinv::Solver {
 public:
  geoinv::OptionSpecs options() const override { return bindings_.specs(); }

  void configure(const geoinv::OptionValues& options) override {
    const Settings settings = bindings_.fill(options);
    glue::check_with_pagmo("sade", [&](unsigned seed) { return make_algorithm(settings, seed); });
    settings_ = settings;
  }

  geoinv::SolverOutcome solve(geoinv::Problem& problem, const geoinv::Vector& start,
                              const geoinv::SolveContext& context) override {
    const glue::Seeds seeds = glue::seeds_of(context.seed);
    auto algorithm = make_algorithm(settings_, seeds.algorithm);
    return glue::evolve(problem, start, settings_.evolution, settings_.evolution.population_size, algorithm, seeds.population);
  }

  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }

 private:
  geoinv::OptionBindings<Settings> bindings_ = declare_options();
  Settings settings_;
};

}  // namespace

GEOINV_SOLVER_PLUGIN(Sade, "sade", "1.0.0", "self-adaptive differential evolution (pagmo's sade) in the search box, through Problem")
