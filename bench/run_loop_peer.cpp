// SPDX-License-Identifier: BSD-3-Clause
// The C++ peer of bench/python/overhead.py: an experiment file read once with geoinv::load_experiment,
// then geoinv::run_experiment called RUNS times in a loop, exactly what a prepared geoinv.Experiment's
// run() calls. Prints the median time of one run over BATCHES batches, in µs, and nothing else.
//
//   run_loop_peer EXPERIMENT.yaml [RUNS=100] [BATCHES=11]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "configuration/experiment.hpp"
#include "geoinv/plugin_registry.hpp"
#include "running/runner.hpp"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: run_loop_peer EXPERIMENT.yaml [RUNS] [BATCHES]\n");
    return 2;
  }
  const int runs = argc > 2 ? std::stoi(argv[2]) : 100;
  const int batches = argc > 3 ? std::stoi(argv[3]) : 11;
  geoinv::PluginRegistry registry;
  geoinv::Experiment experiment = geoinv::load_experiment(argv[1], {}, registry);
  geoinv::run_experiment(experiment);  // warm-up: plugin code paged in, caches filled
  std::vector<double> per_run_us;
  for (int batch = 0; batch < batches; ++batch) {
    const auto started = std::chrono::steady_clock::now();
    for (int run = 0; run < runs; ++run) geoinv::run_experiment(experiment);
    const std::chrono::duration<double, std::micro> elapsed = std::chrono::steady_clock::now() - started;
    per_run_us.push_back(elapsed.count() / runs);
  }
  std::nth_element(per_run_us.begin(), per_run_us.begin() + per_run_us.size() / 2, per_run_us.end());
  std::printf("%.3f\n", per_run_us[per_run_us.size() / 2]);
  return 0;
}
