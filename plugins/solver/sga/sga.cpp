// SPDX-License-Identifier: BSD-3-Clause
// The `sga` solver plugin: pagmo's simple genetic algorithm (pagmo::sga), run through the generation loop the
// pagmo plugins share (geoinv_pagmo/evolution.hpp) and stopped by a stall of the best model
// (geoinv_pagmo/stop_tests.hpp). See README.md, where each default that departs from pagmo's is argued.
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <pagmo/algorithms/sga.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "geoinv/option_binding.hpp"
#include "geoinv/option_choices.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_pagmo/evolution.hpp"
#include "geoinv_pagmo/solver.hpp"
#include "geoinv_pagmo/stop_tests.hpp"
#include "geoinv_plugin_example.hpp"

namespace {

namespace glue = geoinv::pagmo_glue;

struct Settings {
  // 20 individuals; 2000 generations, not the 1000 of the other pagmo plugins (README.md, "Defaults").
  glue::EvolutionSettings evolution{20, 2000};
  double cr = 0.9;     // pagmo's crossover probability
  double eta_c = 1.0;  // pagmo's distribution index of sbx
  // pagmo's mutation probability of each gene: 1, not pagmo's 0.02 (README.md, "Defaults").
  double m = 1.0;
  // pagmo's mutation width: gaussian sigma, a fraction of each side of the search box: 0.001, not pagmo's 1
  // (README.md, "Defaults").
  double param_m = 0.001;
  std::int64_t param_s = 2;                 // pagmo's tournament size or truncation count
  std::string crossover = "exponential";    // pagmo's
  std::string mutation = "gaussian";        // "gaussian", not pagmo's "polynomial" (README.md, "Defaults")
  std::string selection = "tournament";     // pagmo's
  std::int64_t narrowing_generations = 20;  // geoinv's: README.md, "Narrowing"
  std::int64_t stall_generations = 300;     // geoinv's: the stall test's window (geoinv_pagmo/stop_tests.hpp)
};

// pagmo names its operators by words: each word stands for itself.
geoinv::OptionChoices<std::string> words(std::initializer_list<const char*> names) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (const char* name : names) entries.emplace_back(name, name);
  return geoinv::OptionChoices<std::string>(std::move(entries));
}

geoinv::OptionBindings<Settings> declare_options() {
  geoinv::OptionBindings<Settings> options;
  glue::declare_population_size(options, &Settings::evolution, 2);
  options
      .add("cr", &Settings::cr,
           "crossover probability (exponential: of copying one more gene from the partner; binomial: of each "
           "gene; single, sbx: of crossing at all), in [0, 1]")
      .at_least(0.0)
      .at_most(1.0);
  options
      .add("eta_c", &Settings::eta_c,
           "distribution index of the sbx crossover (larger: children nearer their parents), in [1, 100]")
      .at_least(1.0)
      .at_most(100.0);
  options.add("m", &Settings::m, "mutation probability of each gene, in [0, 1]").at_least(0.0).at_most(1.0);
  options
      .add("param_m", &Settings::param_m,
           "polynomial: distribution index in [1, 100] (larger: smaller steps); gaussian: sigma as a "
           "fraction of the "
           "box, in [0, 1]; uniform: unused")
      .at_least(0.0)
      .at_most(100.0)
      .unit("1");  // dimensionless; named like a length, so the unit is said
  options.add("param_s", &Settings::param_s, "tournament size, or the best individuals kept by truncation")
      .at_least(1)
      .unit("individuals");
  options.choice("crossover", &Settings::crossover, words({"exponential", "binomial", "single", "sbx"}),
                 "crossover operator: exponential, binomial, single or sbx");
  options.choice("mutation", &Settings::mutation, words({"gaussian", "polynomial", "uniform"}),
                 "mutation operator: gaussian, polynomial or uniform");
  options.choice("selection", &Settings::selection, words({"tournament", "truncated"}),
                 "selection operator: tournament or truncated");
  options
      .add(
          "narrowing_generations", &Settings::narrowing_generations,
          "gaussian mutation: halve param_m after this many generations without a better best model; 0 keeps "
          "pagmo's fixed width")
      .at_least(0)
      .unit("generations");
  glue::declare_stall_generations(options, &Settings::stall_generations);
  glue::declare_evolution<glue::ChampionStall>(options, &Settings::evolution);
  return options;
}

// pagmo's sga for one generation per call (it keeps no state between calls: the population is its memory).
pagmo::sga make_algorithm(const Settings& s, unsigned seed) {
  return pagmo::sga(1u, s.cr, s.eta_c, s.m, s.param_m, static_cast<unsigned>(s.param_s), s.crossover,
                    s.mutation, s.selection, seed);
}

// pagmo's sga, one generation per call, with geoinv's narrowing of the gaussian width (README.md,
// "Narrowing"): after `narrowing_generations` generations without a better champion, param_m halves. pagmo's
// sga keeps no state between calls but its random engine, so the next generation is a fresh sga seeded from a
// generator that the solve's seed seeds once.
struct GeneticAlgorithm {
  Settings settings;
  std::mt19937 seeds;
  double champion = std::numeric_limits<double>::infinity();
  std::int64_t stalled = 0;

  pagmo::population evolve(pagmo::population population) {
    population = make_algorithm(settings, static_cast<unsigned>(seeds())).evolve(std::move(population));
    if (population.champion_f()[0] < champion) {
      champion = population.champion_f()[0];
      stalled = 0;
    } else if (settings.narrowing_generations > 0 && ++stalled >= settings.narrowing_generations &&
               settings.mutation == "gaussian") {
      settings.param_m *= 0.5;
      stalled = 0;
    }
    return population;
  }
};

GeneticAlgorithm make_genetic_algorithm(const Settings& s, unsigned seed) {
  make_algorithm(s, seed);  // pagmo's own checks, in configure()
  return {s, std::mt19937(seed)};
}

glue::ChampionStall make_stop_test(const Settings& s) {
  return glue::ChampionStall(s.evolution.xtol, s.evolution.ftol, s.stall_generations);
}

class Sga final : public glue::PagmoSolver<Settings, GeneticAlgorithm, glue::ChampionStall> {
 public:
  Sga()
      : PagmoSolver("sga", declare_options(), make_genetic_algorithm, kGeoinvPluginExampleYaml,
                    make_stop_test) {}
};

}  // namespace

GEOINV_SOLVER_PLUGIN(Sga, "sga", "1.0.0",
                     "simple genetic algorithm (pagmo's sga) in the search box, through Problem")
