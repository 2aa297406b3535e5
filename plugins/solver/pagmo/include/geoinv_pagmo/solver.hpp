// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The geoinv::Solver of a pagmo plugin, written once: a plugin gives its settings struct (with an
// EvolutionSettings member `evolution`), the bindings of its options, and the function that makes its
// pagmo algorithm from the settings and a seed:
//
//   struct Settings { glue::EvolutionSettings evolution{20}; double F = 0.8; ... };
//   pagmo::de make_algorithm(const Settings& s, unsigned seed) { return pagmo::de(1u, s.F, ...); }
//   class De final : public glue::PagmoSolver<Settings, pagmo::de> {
//    public:
//     De() : PagmoSolver("de", declare_options(), make_algorithm, kGeoinvPluginExampleYaml) {}
//   };
//
// The stopping test (stop_tests.hpp) is PopulationSpread on the settings' xtol and ftol unless a plugin
// names another and gives the function that makes it from the settings (pso: ChampionStall).
//
// configure() fills the settings and makes the algorithm once, so that pagmo's own checks fail there
// (check_with_pagmo); solve() makes it from the solve's seed and runs the generation loop (evolution.hpp).
#include <string>
#include <utility>

#include "geoinv/option_binding.hpp"
#include "geoinv/solver.hpp"
#include "geoinv_pagmo/evolution.hpp"
#include "geoinv_pagmo/stop_tests.hpp"

namespace geoinv::pagmo_glue {

template <typename Settings>
PopulationSpread population_spread(const Settings& settings) {
  return PopulationSpread(settings.evolution.xtol, settings.evolution.ftol);
}

template <typename Settings, typename Algorithm, typename StopTest = PopulationSpread>
class PagmoSolver : public Solver {
 public:
  using Make = Algorithm (*)(const Settings&, unsigned seed);
  using MakeStopTest = StopTest (*)(const Settings&);

  PagmoSolver(std::string name, OptionBindings<Settings> bindings, Make make, const char* example,
              MakeStopTest make_stop_test = population_spread<Settings>)
      : name_(std::move(name)),
        bindings_(std::move(bindings)),
        make_(make),
        make_stop_test_(make_stop_test),
        example_(example) {}

  OptionSpecs options() const override { return bindings_.specs(); }

  void configure(const OptionValues& options) override {
    const Settings settings = bindings_.fill(options);
    check_with_pagmo(name_, [&](unsigned seed) { return make_(settings, seed); });
    settings_ = settings;
  }

  SolverOutcome solve(Problem& problem, const Vector& start, const SolveContext& context) override {
    const Seeds seeds = seeds_of(context.seed);
    Algorithm algorithm = make_(settings_, seeds.algorithm);
    return evolve(problem, start, settings_.evolution, algorithm, make_stop_test_(settings_), seeds.population);
  }

  std::string example_yaml() const override { return example_; }

 protected:
  // The settings configure() filled: for a plugin whose solve() runs something else for some settings
  // (pso's generational swarm).
  const Settings& settings() const { return settings_; }

 private:
  std::string name_;
  OptionBindings<Settings> bindings_;
  Make make_;
  MakeStopTest make_stop_test_;
  std::string example_;
  Settings settings_;
};

}  // namespace geoinv::pagmo_glue
