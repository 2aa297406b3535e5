// SPDX-License-Identifier: BSD-3-Clause
// The host's multistart path on the seed profile: `start: {strategy: multistart, count: N}` for N = 1 and
// 8, loaded with geoinv::load_experiment and timed around geoinv::run_experiment only (what `geoinv run`
// does between reading the file and writing the outputs: every start's solve, the choice of the best, and
// the host's measurements at the estimate, which are paid once). Target: 8 starts cost at most 8 × one.
//
//   multistart_benchmark --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "configuration/experiment.hpp"
#include "geoinv/plugin_registry.hpp"
#include "running/runner.hpp"

namespace {

namespace fs = std::filesystem;

const char* const kSolvers[] = {"dls", "gauss_newton"};

// Random starts in a box around the seed study's models: the peers' prior widened (any θ).
fs::path write_experiment() {
  const fs::path file = fs::temp_directory_path() / ("geoinv-multistart-" + std::to_string(::getpid()) + ".yaml");
  std::ofstream(file) << "version: 1\n"
                         "name: multistart_benchmark\n"
                         "forward: {plugin: sphere, options: {convention: minus}}\n"
                         "data: {file: " GEOINV_BENCH_SEED_DATA "}\n"
                         "start: {strategy: multistart, count: 8, seed: 3,\n"
                         "        ranges: {x0: [0, 150], theta: [0, 360], h: [5, 80], K: [50000, 150000]}}\n"
                         "solvers: [{plugin: dls}]\n";
  return file;
}

void BM_Multistart(benchmark::State& state) {
  static const fs::path file = write_experiment();
  const std::string solver = kSolvers[state.range(1)];
  geoinv::PluginRegistry registry;
  geoinv::Experiment experiment = geoinv::load_experiment(
      file, {"start.count=" + std::to_string(state.range(0)), "solvers.0.plugin=" + solver}, registry);
  std::vector<geoinv::SolverRunResult> results;
  for (auto _ : state) {
    results = geoinv::run_experiment(experiment);
    benchmark::DoNotOptimize(results.data());
  }
  const auto& result = results.front();
  state.counters["starts"] = static_cast<double>(result.starts.size());
  state.counters["evaluations"] = static_cast<double>(result.counts.forward);
  state.counters["rms"] = result.rms;
  state.SetLabel(solver + " " + geoinv::to_string(result.termination));
}
BENCHMARK(BM_Multistart)->ArgsProduct({{1, 8}, {0, 1}})->ArgNames({"count", "solver"})->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
