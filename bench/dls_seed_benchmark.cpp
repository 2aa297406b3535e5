// SPDX-License-Identifier: BSD-3-Clause
// One inversion of the seed study's sphere profile (docs/seed-reproduction.md) by `dls` (default options:
// Nielsen damping) and by `gauss_newton`, with the plugins loaded through the plugin registry exactly as the
// host loads them. The parts are timed too, so a slow solve can be attributed: the forward model alone, the
// Problem wrapper around it, and the solve.
//
//   dls_seed_benchmark --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "geoinv/options.hpp"
#include "geoinv/parameter.hpp"
#include "geoinv/plugin_registry.hpp"
#include "geoinv/problem.hpp"
#include "geoinv/solver.hpp"

namespace {

using geoinv::Matrix;
using geoinv::Vector;

struct Profile {
  Vector stations, observed;
};

Profile read_profile(const std::string& path) {
  std::ifstream file(path);
  if (!file) throw std::runtime_error("cannot open " + path);
  std::string line;
  std::getline(file, line);  // x_m,sp_mV
  std::vector<double> stations, observed;
  while (std::getline(file, line)) {
    std::istringstream fields(line);
    double x = 0.0, value = 0.0;
    char comma = 0;
    if (fields >> x >> comma >> value) {
      stations.push_back(x);
      observed.push_back(value);
    }
  }
  const auto size = static_cast<Eigen::Index>(stations.size());
  return {Eigen::Map<Vector>(stations.data(), size), Eigen::Map<Vector>(observed.data(), size)};
}

// The registry, the plugins' objects and the problem, built once: what a campaign pays per inversion is
// the solve, not the loading.
struct SeedSetup {
  geoinv::PluginRegistry registry;
  std::shared_ptr<geoinv::ForwardModel> sphere;
  std::shared_ptr<geoinv::Solver> solver;
  std::unique_ptr<geoinv::Problem> problem;
  Vector start;

  explicit SeedSetup(const std::string& solver_name) {
    const Profile profile = read_profile(GEOINV_BENCH_SEED_DATA);
    sphere = registry.create_forward_model("sphere");
    auto sphere_options = geoinv::OptionValues::defaults(sphere->options());
    sphere_options.set("convention", std::string("minus"));
    sphere->configure(sphere_options, profile.stations);

    const auto parameters = sphere->parameters();
    Vector lower(static_cast<Eigen::Index>(parameters.size())), upper(lower.size());
    for (std::size_t j = 0; j < parameters.size(); ++j) {
      lower(static_cast<Eigen::Index>(j)) = parameters[j].lower;
      upper(static_cast<Eigen::Index>(j)) = parameters[j].upper;
    }
    // No σ: the study minimised the plain sum of squares.
    problem =
        std::make_unique<geoinv::Problem>(sphere, profile.stations, profile.observed, Vector(), lower, upper);

    solver = registry.create_solver(solver_name);
    solver->configure(geoinv::OptionValues::defaults(solver->options()));
    start = (Vector(4) << 20.0, geoinv::to_radians(300.0), 40.0, 94500.0).finished();
  }
};

SeedSetup& setup(const std::string& solver_name = "dls") {
  static std::map<std::string, std::unique_ptr<SeedSetup>> instances;
  auto& instance = instances[solver_name];
  if (!instance) instance = std::make_unique<SeedSetup>(solver_name);
  return *instance;
}

void seed_inversion(benchmark::State& state, const std::string& solver_name) {
  auto& seed = setup(solver_name);
  const geoinv::SolveContext context;
  geoinv::SolverOutcome outcome;
  for (auto _ : state) {
    seed.problem->reset();
    outcome = seed.solver->solve(*seed.problem, seed.start, context);
    benchmark::DoNotOptimize(outcome.estimate.data());
  }
  state.counters["iterations"] = outcome.iterations;
  state.counters["evaluations"] = static_cast<double>(seed.problem->counts().forward);
  state.counters["jacobians"] = static_cast<double>(seed.problem->counts().jacobian);
  state.counters["sse"] = seed.problem->best_cost();
  state.counters["K"] = outcome.estimate(3);
  state.SetLabel(geoinv::to_string(outcome.termination));
}

void BM_DlsSeedInversion(benchmark::State& state) { seed_inversion(state, "dls"); }
BENCHMARK(BM_DlsSeedInversion)->Unit(benchmark::kMicrosecond);

void BM_GaussNewtonSeedInversion(benchmark::State& state) { seed_inversion(state, "gauss_newton"); }
BENCHMARK(BM_GaussNewtonSeedInversion)->Unit(benchmark::kMicrosecond);

// The floor of one iteration: the sphere plugin's forward and Jacobian alone (a virtual call, no Problem).
void BM_SpherePredictWithJacobian(benchmark::State& state) {
  auto& seed = setup();
  Vector data(seed.problem->num_data());
  Matrix jacobian(seed.problem->num_data(), seed.problem->num_parameters());
  Vector model = seed.start;
  for (auto _ : state) {
    seed.sphere->predict_with_jacobian(model, data, jacobian);
    benchmark::DoNotOptimize(data.data());
    benchmark::DoNotOptimize(jacobian.data());
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_SpherePredictWithJacobian)->Unit(benchmark::kNanosecond);

// The same through the Problem wrapper: counting, budget, residual weighting, finiteness checks, best model.
void BM_ProblemResidualsAndJacobian(benchmark::State& state) {
  auto& seed = setup();
  Vector residuals(seed.problem->num_data());
  Matrix jacobian(seed.problem->num_data(), seed.problem->num_parameters());
  for (auto _ : state) {
    seed.problem->residuals_and_jacobian(seed.start, residuals, jacobian);
    benchmark::DoNotOptimize(residuals.data());
    benchmark::DoNotOptimize(jacobian.data());
    benchmark::ClobberMemory();
  }
  seed.problem->reset();
}
BENCHMARK(BM_ProblemResidualsAndJacobian)->Unit(benchmark::kNanosecond);

}  // namespace

BENCHMARK_MAIN();
