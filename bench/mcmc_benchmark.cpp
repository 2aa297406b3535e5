// SPDX-License-Identifier: BSD-3-Clause
// The mcmc sampler on the seed profile with emcee's settings in the peer benchmark (bench/peers/README.md,
// global_bayes_peer.py emcee): 32 walkers × 5000 updates, 1000 burn-in, σ the least-squares RMS, started
// from the least-squares minimum (configs/seed_sphere_mcmc.yaml: dls, then mcmc from its estimate). Loaded
// and run through the host (load_experiment, run_experiment); the sampler's own wall time is timed.
// Prints one JSON line per round, in the peer's terms: samples/s = walkers·steps/wall, τ per parameter,
// ESS = walkers·(steps − burn)/τ, ESS/s, and the posterior sd. tools/bench_mcmc_peer.sh runs it beside
// emcee.
//
//   mcmc_benchmark [ROUNDS] [SEED]
#include <cstdlib>
#include <iostream>
#include <string>

#include <fmt/format.h>

#include "configuration/experiment.hpp"
#include "geoinv/plugin_registry.hpp"
#include "running/runner.hpp"

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 1;
  const std::string seed = argc > 2 ? argv[2] : "0";
  geoinv::PluginRegistry registry;
  geoinv::Experiment experiment =
      geoinv::load_experiment(GEOINV_BENCH_MCMC_EXPERIMENT, {"seed=" + seed}, registry);
  for (int round = 0; round < rounds; ++round) {
    const std::vector<geoinv::SolverRunResult> results = geoinv::run_experiment(experiment, {false});
    const geoinv::SolverRunResult& mcmc = results.back();
    const geoinv::PosteriorSummary& summary = *mcmc.posterior_summary;
    const double samples = static_cast<double>(summary.chains) * 5000.0;
    const double kept = static_cast<double>(summary.chains) * 4000.0;
    std::string parameters;
    for (const geoinv::ParameterSummary& p : summary.parameters)
      parameters += fmt::format("{}\"{}\": {{\"tau\": {}, \"ess\": {}, \"ess_per_s\": {}, \"sd\": {}}}",
                                parameters.empty() ? "" : ", ", p.name, p.tau, kept / p.tau,
                                kept / p.tau / mcmc.wall_time_s, p.sd);
    std::cout << fmt::format("{{\"tool\": \"geoinv mcmc\", \"wall_s\": {}, \"samples_per_s\": {}, \"acceptance\": "
                             "{}, \"sigma\": {}, \"parameters\": {{{}}}}}\n",
                             mcmc.wall_time_s, samples / mcmc.wall_time_s, summary.acceptance, summary.sigma,
                             parameters);
  }
  return 0;
}
