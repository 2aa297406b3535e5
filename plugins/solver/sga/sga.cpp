// SPDX-License-Identifier: BSD-3-Clause
// The `sga` solver plugin: pagmo's simple genetic algorithm (pagmo::sga), run through the generation loop the pagmo plugins share
// (geoinv_pagmo/evolution.hpp). See README.md.
#include <pagmo/algorithms/sga.hpp>

#include <cstdint>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "geoinv/option_binding.hpp"
#include "geoinv/option_choices.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_pagmo/evolution.hpp"
#include "geoinv_pagmo/solver.hpp"
#include "geoinv_plugin_example.hpp"

namespace {

namespace glue = geoinv::pagmo_glue;

struct Settings {
  glue::EvolutionSettings evolution{20};
  double cr = 0.9;                        // pagmo's crossover probability
  double eta_c = 1.0;                     // pagmo's distribution index of sbx crossover
  double m = 0.02;                        // pagmo's mutation probability
  double param_m = 1.0;                   // pagmo's mutation parameter (README.md)
  std::int64_t param_s = 2;               // pagmo's selection parameter: tournament size or truncation count
  std::string crossover = "exponential";  // pagmo's crossover: exponential, binomial, single, sbx
  std::string mutation = "polynomial";    // pagmo's mutation: gaussian, polynomial, uniform
  std::string selection = "tournament";   // pagmo's selection: tournament, truncated
};

// pagmo names its operators by words: each word stands for itself.
geoinv::OptionChoices<std::string> kWords(std::initializer_list<const char*> words) {
  std::vector<std::pair<std::string, std::string>> entries;
  for (const char* word : words) entries.emplace_back(word, word);
  return geoinv::OptionChoices<std::string>(std::move(entries));
}

geoinv::OptionBindings<Settings> declare_options() {
  geoinv::OptionBindings<Settings> options;
  glue::declare_population_size(options, &Settings::evolution, 2);
  options.add("cr", &Settings::cr, "crossover probability, in [0, 1]").at_least(0.0).at_most(1.0);
  options.add("eta_c", &Settings::eta_c, "distribution index of the sbx crossover, in [1, 100)").at_least(1.0).less_than(100.0);
  options.add("m", &Settings::m, "mutation probability, in [0, 1]").at_least(0.0).at_most(1.0);
  options
      .add("param_m", &Settings::param_m,
           "mutation parameter: gaussian sigma in [0, 1] of the box, polynomial distribution index in [1, 100]")
      .at_least(0.0)
      .at_most(100.0)
      .unit("1");
  options.add("param_s", &Settings::param_s, "tournament size, or the best individuals kept by truncation")
      .at_least(1)
      .unit("individuals");
  options.choice("crossover", &Settings::crossover, kWords({"exponential", "binomial", "single", "sbx"}),
                 "crossover operator");
  options.choice("mutation", &Settings::mutation, kWords({"gaussian", "polynomial", "uniform"}), "mutation operator");
  options.choice("selection", &Settings::selection, kWords({"tournament", "truncated"}), "selection operator");
  glue::declare_evolution(options, &Settings::evolution);
  return options;
}

// pagmo's sga for one generation per call.
pagmo::sga make_algorithm(const Settings& s, unsigned seed) {
  return pagmo::sga(1u, s.cr, s.eta_c, s.m, s.param_m, static_cast<unsigned>(s.param_s), s.crossover, s.mutation,
                    s.selection, seed);
}

class Sga final : public glue::PagmoSolver<Settings, pagmo::sga> {
 public:
  Sga() : PagmoSolver("sga", declare_options(), make_algorithm, kGeoinvPluginExampleYaml) {}
};

}  // namespace

GEOINV_SOLVER_PLUGIN(Sga, "sga", "1.0.0", "simple genetic algorithm (pagmo's sga) in the search box, through Problem")
