// SPDX-License-Identifier: BSD-3-Clause
// The `pso` solver plugin: pagmo's particle swarm optimisation (pagmo::pso), run through the generation
// loop the pagmo plugins share (geoinv_pagmo/evolution.hpp), or with `generational: true` geoinv's
// generational swarm (generational_swarm.hpp, pagmo's pso_gen rules); both stopped by a stall of the
// swarm's best (geoinv_pagmo/stop_tests.hpp). See README.md.
#include <pagmo/algorithms/pso.hpp>

#include <cstddef>
#include <cstdint>

#include "geoinv/option_binding.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_pagmo/evolution.hpp"
#include "geoinv_pagmo/solver.hpp"
#include "geoinv_pagmo/stop_tests.hpp"
#include "geoinv_plugin_example.hpp"
#include "generational_swarm.hpp"

namespace {

namespace glue = geoinv::pagmo_glue;

struct Settings {
  glue::EvolutionSettings evolution{20};
  double omega = 0.7298;           // pagmo's inertia weight (variants 1-4) or constriction factor (5-6)
  double eta1 = 2.05;              // pagmo's eta1: pull towards the particle's own best (pagmo's docs: social); FIPS only
  double eta2 = 2.05;              // pagmo's eta2: pull towards the neighbours' best
  double max_vel = 0.5;            // pagmo's maximum velocity, a fraction of each side of the search box
  std::int64_t variant = 5;        // pagmo's velocity update, 1..6 (README.md)
  // pagmo's topology: 1 gbest, 2 lbest ring, 3 Von Neumann, 4 adaptive random. 4, not pagmo's 2: README.md,
  // "Defaults".
  std::int64_t neighb_type = 4;
  std::int64_t neighb_param = 4;   // pagmo's: lbest neighbours, or adaptive random's particles informed; else unused
  bool generational = false;       // geoinv's generational swarm: move all particles, then evaluate them as one batch
  std::int64_t stall_generations = 300;  // geoinv's: the window of the stall test (geoinv_pagmo/stop_tests.hpp)
};

geoinv::OptionBindings<Settings> declare_options() {
  geoinv::OptionBindings<Settings> options;
  glue::declare_population_size(options, &Settings::evolution, 2);
  options.add("omega", &Settings::omega, "inertia weight (variants 1-4) or constriction factor (5-6), in [0, 1]")
      .at_least(0.0)
      .at_most(1.0);
  options
      .add("eta1", &Settings::eta1,
           "pull towards the particle's own best position, in [0, 4]; acts in variant 6 only, as every generation "
           "starts at that position (README.md)")
      .at_least(0.0)
      .at_most(4.0);
  options.add("eta2", &Settings::eta2, "pull towards the best position of the particle's neighbours, in [0, 4]")
      .at_least(0.0)
      .at_most(4.0);
  options.add("max_vel", &Settings::max_vel, "maximum velocity, as a fraction of each side of the search box")
      .greater_than(0.0)
      .at_most(1.0);
  options
      .add("variant", &Settings::variant,
           "velocity update (pagmo's variant): 1-4 inertia weight, 5 canonical constriction, 6 FIPS")
      .at_least(1)
      .at_most(6);
  options
      .add("neighb_type", &Settings::neighb_type,
           "swarm topology: 1 gbest, 2 lbest ring, 3 Von Neumann, 4 adaptive random")
      .at_least(1)
      .at_most(4);
  options
      .add("neighb_param", &Settings::neighb_param,
           "lbest: neighbours of a particle; adaptive random: particles each informs, at most")
      .at_least(1);
  options.add("generational", &Settings::generational,
              "geoinv's generational swarm (pagmo's pso_gen rules): move every particle, then evaluate the "
              "swarm as one batch (on the run's threads, geoinv run --threads); false: pagmo's pso, particle by "
              "particle");
  glue::declare_stall_generations(options, &Settings::stall_generations);
  glue::declare_evolution<glue::ChampionStall>(options, &Settings::evolution);
  return options;
}

// pagmo's pso for one generation per call, keeping velocities and memories between calls; particle by
// particle, on the calling thread.
pagmo::pso make_algorithm(const Settings& s, unsigned seed) {
  return pagmo::pso(1u, s.omega, s.eta1, s.eta2, s.max_vel, static_cast<unsigned>(s.variant),
                    static_cast<unsigned>(s.neighb_type), static_cast<unsigned>(s.neighb_param), true, seed);
}

geoinv::swarm::SwarmSettings swarm_settings(const Settings& s) {
  geoinv::swarm::SwarmSettings swarm;
  swarm.evolution = s.evolution;
  swarm.rule = {static_cast<int>(s.variant), s.omega, s.eta1, s.eta2};
  swarm.max_vel = s.max_vel;
  swarm.topology = static_cast<geoinv::swarm::TopologyKind>(s.neighb_type);
  swarm.neighb_param = static_cast<std::size_t>(s.neighb_param);
  swarm.stall_generations = s.stall_generations;
  return swarm;
}

glue::ChampionStall make_stop_test(const Settings& s) {
  return glue::ChampionStall(s.evolution.xtol, s.evolution.ftol, s.stall_generations);
}

class Pso final : public glue::PagmoSolver<Settings, pagmo::pso, glue::ChampionStall> {
 public:
  Pso() : PagmoSolver("pso", declare_options(), make_algorithm, kGeoinvPluginExampleYaml, make_stop_test) {}

  geoinv::SolverOutcome solve(geoinv::Problem& problem, const geoinv::Vector& start,
                              const geoinv::SolveContext& context) override {
    if (!settings().generational) return PagmoSolver::solve(problem, start, context);
    return geoinv::swarm::solve_generational(swarm_settings(settings()), problem, start, context.seed,
                                             context.threads);
  }
};

}  // namespace

GEOINV_SOLVER_PLUGIN(Pso, "pso", "1.1.0", "particle swarm optimisation (pagmo's pso, or a generational swarm with pso_gen's rules) in the search box, through Problem")
