// SPDX-License-Identifier: BSD-3-Clause
// The `mlp` solver against scikit-learn's MLPRegressor on the peer's problem (bench/peers/README.md,
// scipy_sklearn_peer.py mlp 64,64 150): 5000 noisy sphere profiles (x0 U(50,100), θ U(260°,340°) minus
// form, h U(7,75), K U(7e4,1.1e5), σ = √10 mV) on 101 stations, 4000 to train and 1000 to validate;
// 64-64 tanh, adam, batch 64, learning rate 1e-3, 150 epochs with no early stop (tol 0), as the peer.
// The profiles come from the `sphere` plugin loaded through the registry; training uses the mlp core
// (mlp_model.hpp) so that the same numbers as the peer's can be read off; inference is timed both on the
// core and through the `mlp` plugin's solve().
//
//   mlp_benchmark --benchmark_filter=BM_MlpTrain/sincos/avx2 --benchmark_format=json
//
// Counters of BM_MlpTrain (one training per run; the time is the training's wall time):
//   train_s, cpu_s         wall and CPU seconds of Model::train (its per-epoch validation pass included)
//   val_mse_scaled         the peer's metric: mean squared error of the 4 parameters, each standardised by
//                          its training mean and deviation (θ by its wrapped difference)
//   median_rel_err_depth, median_rel_err_K    median |estimate − truth| / truth on the 1000 validation
//   profiles validation_loss        mlp's own validation_loss (MSE on the standardised network targets)
//
// With GEOINV_MLP_EXPORT=DIR, BM_MlpTrain also writes the profiles it trained and validated on to
// DIR/train.csv and DIR/validation.csv (101 data, then x0, θ [rad], h, K per row), so that scikit-learn
// can be run on exactly the same split (tools/bench_mlp_peer.sh).
#include <benchmark/benchmark.h>
#include <time.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "geoinv/options.hpp"
#include "geoinv/parameter.hpp"
#include "geoinv/plugin_registry.hpp"
#include "geoinv/problem.hpp"
#include "geoinv/learning_solver.hpp"
#include "mlp_model.hpp"

namespace {

using geoinv::Vector;
namespace mlp = geoinv::mlp;

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

struct PeerProblem {
  geoinv::PluginRegistry registry;
  std::shared_ptr<geoinv::ForwardModel> sphere;
  geoinv::TrainingSet set;
  Vector stations = Vector::LinSpaced(101, 0.0, 150.0);

  PeerProblem() {
    sphere = registry.create_forward_model("sphere");
    auto options = geoinv::OptionValues::defaults(sphere->options());
    options.set("convention", std::string("minus"));
    sphere->configure(options, stations);
    const int n = 5000;
    set.parameters = sphere->parameters();
    set.stations = stations;
    set.inputs.resize(n, stations.size());
    set.targets.resize(n, 4);
    set.signature = "sphere(minus) 0..150 x101";
    set.description = "the scikit-learn peer's 5000 random sphere profiles";
    mlp::Random random(2);
    Vector model(4), data(stations.size());
    for (int i = 0; i < n; ++i) {
      model << random.uniform(50.0, 100.0), geoinv::to_radians(random.uniform(260.0, 340.0)),
          random.uniform(7.0, 75.0), random.uniform(7e4, 1.1e5);
      sphere->canonicalize(model);
      sphere->predict(model, data);
      for (Eigen::Index j = 0; j < data.size(); ++j) {  // Box-Muller
        const double u = 1.0 - random.uniform(), v = random.uniform();
        data(j) += std::sqrt(10.0) * std::sqrt(-2.0 * std::log(u)) * std::cos(2.0 * geoinv::kPi * v);
      }
      set.inputs.row(i) = data.transpose();
      set.targets.row(i) = model.transpose();
    }
  }
};

PeerProblem& peer() {
  static PeerProblem instance;
  return instance;
}

mlp::ModelSettings peer_settings(mlp::AngleEncoding encoding) {
  mlp::ModelSettings s;
  s.hidden_layer_sizes = {64, 64};
  s.activation = mlp::Activation::tanh;
  s.fit.optimizer = mlp::Optimizer::adam;
  s.fit.batch_size = 64;
  s.fit.learning_rate_init = 1e-3;
  s.fit.max_iter = 150;
  s.fit.tol = 0.0;  // as the peer: tol=0, n_iter_no_change=1e9
  s.fit.n_iter_no_change = 1000000000;
  s.validation_split = 0.2;
  s.random_state = 0;
  s.angle_encoding = encoding;
  return s;
}

// A model trained once per process for the inference benchmarks.
mlp::Model& trained_model() {
  static mlp::Model model = [] {
    mlp::Model m;
    m.train(peer().set, peer_settings(mlp::AngleEncoding::sincos), 0);
    return m;
  }();
  return model;
}

void export_split(const geoinv::TrainingSet& set, const std::vector<Eigen::Index>& validation_rows,
                  const std::filesystem::path& folder) {
  std::vector<bool> held(static_cast<std::size_t>(set.inputs.rows()), false);
  for (Eigen::Index row : validation_rows) held[static_cast<std::size_t>(row)] = true;
  std::ofstream train(folder / "train.csv"), validation(folder / "validation.csv");
  train.precision(17);
  validation.precision(17);
  for (Eigen::Index i = 0; i < set.inputs.rows(); ++i) {
    std::ofstream& out = held[static_cast<std::size_t>(i)] ? validation : train;
    for (Eigen::Index j = 0; j < set.inputs.cols(); ++j) out << set.inputs(i, j) << ',';
    for (Eigen::Index j = 0; j < set.targets.cols(); ++j)
      out << set.targets(i, j) << (j + 1 < set.targets.cols() ? ',' : '\n');
  }
}

// Arguments: angle encoding (0 sincos, 1 raw), instruction set (0 detected, 1 portable).
void BM_MlpTrain(benchmark::State& state) {
  auto& problem = peer();
  const auto encoding = state.range(0) == 0 ? mlp::AngleEncoding::sincos : mlp::AngleEncoding::raw;
  if (state.range(1) == 1) mlp::set_isa(mlp::Isa::portable);
  mlp::Model model;
  geoinv::TrainingReport report;
  double cpu = 0.0;
  for (auto _ : state) {
    const double started = cpu_seconds();
    report = model.train(problem.set, peer_settings(encoding), 0);
    cpu = cpu_seconds() - started;
    state.SetIterationTime(report.training_time_s);
  }
  mlp::set_isa(mlp::detected_isa());
  if (const char* folder = std::getenv("GEOINV_MLP_EXPORT");
      folder && state.range(0) == 0 && state.range(1) == 0)
    export_split(problem.set, model.details().validation_rows, folder);
  state.counters["train_s"] = report.training_time_s;
  state.counters["cpu_s"] = cpu;
  state.counters["epochs"] = static_cast<double>(report.epochs.num_rows());
  state.counters["val_mse_scaled"] = model.details().validation_parameter_mse;
  state.counters["validation_loss"] = model.details().validation_mse;
  state.counters["median_rel_err_x0"] = report.validation_relative_error(0);
  state.counters["median_rel_err_theta"] = report.validation_relative_error(1);
  state.counters["median_rel_err_depth"] = report.validation_relative_error(2);
  state.counters["median_rel_err_K"] = report.validation_relative_error(3);
  state.SetLabel(mlp::to_string(model.details().isa) + ", " + model.summary());
}
BENCHMARK(BM_MlpTrain)
    ->ArgNames({"raw_angles", "portable"})
    ->Args({0, 0})
    ->Args({1, 0})
    ->Args({0, 1})
    ->Iterations(1)
    ->UseManualTime()
    ->Unit(benchmark::kSecond);

// One profile through the trained network: standardise, three layers, unscale, decode.
void BM_MlpPredict(benchmark::State& state) {
  auto& model = trained_model();
  const Vector profile = peer().set.inputs.row(17).transpose();
  Vector estimate(4);
  for (auto _ : state) {
    model.predict(profile, estimate);
    benchmark::DoNotOptimize(estimate.data());
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_MlpPredict)->Unit(benchmark::kMicrosecond);

// The same through the plugin, as the host runs it: load the model file, solve() on a Problem.
void BM_MlpPluginSolve(benchmark::State& state) {
  auto& problem = peer();
  const auto file = std::filesystem::temp_directory_path() / "geoinv_mlp_benchmark_model.json";
  trained_model().save(file);
  auto solver = problem.registry.create_solver("mlp");
  solver->configure(geoinv::OptionValues::defaults(solver->options()));
  geoinv::as_learning_solver(*solver)->load_model(file);
  std::filesystem::remove(file);
  const Vector lower = Vector::Constant(4, -1e30), upper = Vector::Constant(4, 1e30);
  geoinv::Problem solve_problem(problem.sphere, problem.stations, problem.set.inputs.row(17).transpose(),
                                Vector(), lower, upper);
  const geoinv::SolveContext context;
  geoinv::SolverOutcome outcome;
  for (auto _ : state) {
    outcome = solver->solve(solve_problem, lower, context);
    benchmark::DoNotOptimize(outcome.estimate.data());
  }
  state.counters["h"] = outcome.estimate(2);
  state.counters["h_true"] = problem.set.targets(17, 2);
}
BENCHMARK(BM_MlpPluginSolve)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
