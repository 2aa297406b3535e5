// SPDX-License-Identifier: BSD-3-Clause
// The inclined sheet's forward model on the Surda profile, read as bench/global_peers.sh reads it (sorted,
// duplicate positions averaged), with the plugin loaded through the plugin registry as the host loads it:
// predict() and predict_with_jacobian() per evaluation, over 64 random sheets in global_peers.sh's box.
// Beside them, the logarithm alone on the same P/Q ratios: glibc's std::log, one call per station (what
// the sheet took before sp/vector_log.hpp), and the vector logarithm, run interleaved in one process.
//
//   sheet_forward_benchmark --benchmark_repetitions=10 --benchmark_enable_random_interleaving=true
//
// Another build of the plugin (the one before a change, say) is timed by the same program run with
// LD_LIBRARY_PATH at a copy of the build's lib folder holding that plugin: libgeoinv loads the plugins
// beside itself (docs/benchmarks.md, "Global solvers").
#include <benchmark/benchmark.h>

#include <cmath>
#include <memory>
#include <random>
#include <vector>

#include "configuration/profile_csv.hpp"
#include "geoinv/options.hpp"
#include "geoinv/plugin_registry.hpp"
#include "sp/vector_log.hpp"

namespace {

using geoinv::Matrix;
using geoinv::Vector;

constexpr int kModels = 64;

struct SheetSetup {
  geoinv::PluginRegistry registry;
  std::shared_ptr<geoinv::ForwardModel> sheet;
  Vector stations;
  std::vector<Vector> models;   // x0, h, a, alpha, K
  std::vector<Vector> ratios;   // P/Q of each model at every station

  SheetSetup() {
    geoinv::CsvReadOptions read;
    read.sort = true;
    read.average_duplicates = true;
    stations = geoinv::read_profile_csv(GEOINV_BENCH_SURDA_DATA, read).x;
    sheet = registry.create_forward_model("inclined_sheet");
    sheet->configure(geoinv::OptionValues::defaults(sheet->options()), stations);

    // global_peers.sh's box, top end below ground.
    std::mt19937_64 random(1);
    std::uniform_real_distribution<double> x0(-141.0, 100.0), h(0.5, 150.0), a(0.5, 150.0),
        alpha(0.0, 2.0 * M_PI), K(-500.0, 500.0);
    while (static_cast<int>(models.size()) < kModels) {
      Vector model(5);
      model << x0(random), h(random), a(random), alpha(random), K(random);
      if (model(1) - model(2) * std::abs(std::sin(model(3))) <= 0.0) continue;
      models.push_back(model);
      // P/Q = exp(V/K).
      Vector data(stations.size());
      sheet->predict(model, data);
      ratios.push_back((data / model(4)).array().exp().matrix());
    }
  }
};

SheetSetup& setup() {
  static SheetSetup instance;
  return instance;
}

void BM_SheetPredict(benchmark::State& state) {
  auto& sheet = setup();
  Vector data(sheet.stations.size());
  int next = 0;
  for (auto _ : state) {
    sheet.sheet->predict(sheet.models[next], data);
    benchmark::DoNotOptimize(data.data());
    benchmark::ClobberMemory();
    next = (next + 1) % kModels;
  }
  state.counters["stations"] = static_cast<double>(sheet.stations.size());
}
BENCHMARK(BM_SheetPredict)->Unit(benchmark::kNanosecond);

void BM_SheetPredictWithJacobian(benchmark::State& state) {
  auto& sheet = setup();
  Vector data(sheet.stations.size());
  Matrix jacobian(sheet.stations.size(), 5);
  int next = 0;
  for (auto _ : state) {
    sheet.sheet->predict_with_jacobian(sheet.models[next], data, jacobian);
    benchmark::DoNotOptimize(data.data());
    benchmark::DoNotOptimize(jacobian.data());
    benchmark::ClobberMemory();
    next = (next + 1) % kModels;
  }
}
BENCHMARK(BM_SheetPredictWithJacobian)->Unit(benchmark::kNanosecond);

void BM_GlibcLogOfRatios(benchmark::State& state) {
  auto& sheet = setup();
  Vector logs(sheet.stations.size());
  int next = 0;
  for (auto _ : state) {
    const Vector& ratios = sheet.ratios[next];
    for (Eigen::Index i = 0; i < ratios.size(); ++i) logs(i) = std::log(ratios(i));
    benchmark::DoNotOptimize(logs.data());
    benchmark::ClobberMemory();
    next = (next + 1) % kModels;
  }
}
BENCHMARK(BM_GlibcLogOfRatios)->Unit(benchmark::kNanosecond);

void BM_VectorLogOfRatios(benchmark::State& state) {
  auto& sheet = setup();
  Vector logs(sheet.stations.size());
  int next = 0;
  for (auto _ : state) {
    logs = sheet.ratios[next];
    geoinv::sp::log_in_place(logs.data(), logs.size());
    benchmark::DoNotOptimize(logs.data());
    benchmark::ClobberMemory();
    next = (next + 1) % kModels;
  }
}
BENCHMARK(BM_VectorLogOfRatios)->Unit(benchmark::kNanosecond);

}  // namespace

BENCHMARK_MAIN();
