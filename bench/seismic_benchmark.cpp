// SPDX-License-Identifier: BSD-3-Clause
// geoinv's linear solvers on the seismic peer's traces (bench/seismic_traces.py writes them from
// seismic_peer.py; bench/seismic_peers.sh runs this beside the peer and prints the ratios):
//   tikhonov  linear_lsq (banded Cholesky, factor cached across traces) on 200 traces of 256 samples,
//             Φ = ‖d − G r‖² + 0.05‖r‖², as the peer's scipy.linalg.solve and cho_solve paths;
//   lasso     fista (l1, support solve) on 50 traces, Φ = ‖d − G r‖² + λ‖r‖₁ with λ = 2n·α (the peer's
//             auto α), its objective compared with scikit-learn's Lasso on the same trace.
// The traces carry no σ (the peer's objectives are unweighted). Each solve is timed alone, through the
// plugin loaded by the registry, with the Problem built outside the timed region; medians are printed
// as one JSON line per arm.
//   usage: seismic_benchmark TRACES_DIR [tikhonov|lasso|all] [fista integer option=value ...]
#include <fmt/format.h>

#include <Eigen/Cholesky>
#include <algorithm>
#include <chrono>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "geoinv/linear_operator.hpp"
#include "geoinv/plugin_registry.hpp"
#include "geoinv/problem.hpp"
#include "geoinv/solver.hpp"

namespace {

using geoinv::Vector;

struct Traces {
  Eigen::Index n = 0;
  Vector wavelet;
  std::vector<Vector> data;
  std::vector<double> lambda, sklearn_objective;  // lasso only
};

Traces read_traces(const std::string& path, bool lasso) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path + " (run bench/seismic_traces.py first)");
  Traces traces;
  int count = 0;
  in >> traces.n >> count;
  const Eigen::Index length = static_cast<Eigen::Index>(std::round(6.0 / (30.0 * 0.002))) + 1;  // ±3/f at 2 ms
  traces.wavelet.resize(length);
  for (Eigen::Index k = 0; k < length; ++k) in >> traces.wavelet(k);
  for (int i = 0; i < count; ++i) {
    if (lasso) {
      double lambda = 0.0, objective = 0.0;
      in >> lambda >> objective;
      traces.lambda.push_back(lambda);
      traces.sklearn_objective.push_back(objective);
    }
    Vector d(traces.n);
    for (Eigen::Index k = 0; k < traces.n; ++k) in >> d(k);
    traces.data.push_back(d);
  }
  if (!in) throw std::runtime_error("short or malformed " + path);
  return traces;
}

// A trace of n samples: the "same" convolution of n reflection coefficients by the wavelet, linear.
class TraceModel final : public geoinv::ForwardModel {
 public:
  TraceModel(const Vector& wavelet, Eigen::Index n)
      : n_(n),
        operator_(std::make_shared<geoinv::BandedOperator>(
            geoinv::BandedOperator::toeplitz(wavelet, (wavelet.size() - 1) / 2, n))) {}
  geoinv::ParameterSpecs parameters() const override {
    geoinv::ParameterSpecs specs(static_cast<std::size_t>(n_));
    for (Eigen::Index i = 0; i < n_; ++i) specs[static_cast<std::size_t>(i)].name = "r" + std::to_string(i);
    return specs;
  }
  void configure(const geoinv::OptionValues&, const Vector&) override {}
  void predict(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const override {
    operator_->apply(model, data);
  }
  std::shared_ptr<const geoinv::LinearOperator> linear_operator() const override { return operator_; }
  std::string example_yaml() const override { return ""; }

 private:
  Eigen::Index n_;
  std::shared_ptr<geoinv::BandedOperator> operator_;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Arm {
  std::shared_ptr<TraceModel> model;
  std::shared_ptr<geoinv::Solver> solver;
  Vector lower, upper, start;
};

// Integer options given as name=value on the command line (fista's, for tuning runs).
std::vector<std::pair<std::string, std::int64_t>> g_overrides;

Arm make_arm(geoinv::PluginRegistry& registry, const Traces& traces, const std::string& solver) {
  Arm arm;
  arm.model = std::make_shared<TraceModel>(traces.wavelet, traces.n);
  arm.solver = registry.create_solver(solver);
  geoinv::OptionValues options = geoinv::OptionValues::defaults(arm.solver->options());
  if (solver == "fista")
    for (const auto& [name, value] : g_overrides) options.set(name, value);
  arm.solver->configure(options);
  const double inf = std::numeric_limits<double>::infinity();
  arm.lower = Vector::Constant(traces.n, -inf);
  arm.upper = Vector::Constant(traces.n, inf);
  arm.start = Vector::Zero(traces.n);
  return arm;
}

geoinv::Problem problem_for(const Arm& arm, const Vector& d, geoinv::Regularization regularization) {
  const Vector stations = Vector::LinSpaced(d.size(), 0.0, static_cast<double>(d.size() - 1));
  geoinv::Problem problem(arm.model, stations, d, Vector(), arm.lower, arm.upper);
  problem.set_regularization(std::move(regularization));
  return problem;
}

void tikhonov(geoinv::PluginRegistry& registry, const Traces& traces) {
  Arm arm = make_arm(registry, traces, "linear_lsq");
  geoinv::Regularization tikhonov;
  tikhonov.kind = geoinv::RegularizationKind::tikhonov;
  tikhonov.lambda = 0.05;
  const geoinv::Matrix g = arm.model->linear_operator()->dense();
  const Eigen::LLT<geoinv::Matrix> reference(g.transpose() * g + 0.05 * geoinv::Matrix::Identity(traces.n, traces.n));
  std::vector<double> seconds;
  double first = 0.0, worst = 0.0;
  for (std::size_t i = 0; i < traces.data.size(); ++i) {
    geoinv::Problem problem = problem_for(arm, traces.data[i], tikhonov);
    const auto start = std::chrono::steady_clock::now();
    const geoinv::SolverOutcome outcome = arm.solver->solve(problem, arm.start, geoinv::SolveContext{});
    (i == 0 ? first : seconds.emplace_back()) = seconds_since(start);
    const Vector expected = reference.solve(g.transpose() * traces.data[i]);
    worst = std::max(worst, (outcome.estimate - expected).norm() / expected.norm());
  }
  fmt::print("{{\"arm\": \"tikhonov\", \"solver\": \"linear_lsq\", \"n\": {}, \"traces\": {}, "
             "\"us_per_trace_median\": {:.3f}, \"first_trace_with_factor_us\": {:.3f}, "
             "\"max_rel_diff_to_dense_llt\": {:.3g}}}\n",
             traces.n, traces.data.size(), 1e6 * median(seconds), 1e6 * first, worst);
}

void lasso(geoinv::PluginRegistry& registry, const Traces& traces) {
  Arm arm = make_arm(registry, traces, "fista");
  std::vector<double> seconds, differences, iterations;
  int exact = 0;
  for (std::size_t i = 0; i < traces.data.size(); ++i) {
    geoinv::Regularization l1;
    l1.kind = geoinv::RegularizationKind::l1;
    l1.lambda = traces.lambda[i];
    geoinv::Problem problem = problem_for(arm, traces.data[i], l1);
    const auto start = std::chrono::steady_clock::now();
    const geoinv::SolverOutcome outcome = arm.solver->solve(problem, arm.start, geoinv::SolveContext{});
    seconds.push_back(seconds_since(start));
    Vector predicted(traces.n);
    arm.model->predict(outcome.estimate, predicted);
    const double objective = (traces.data[i] - predicted).squaredNorm() + l1.lambda * outcome.estimate.lpNorm<1>();
    differences.push_back((objective - traces.sklearn_objective[i]) / traces.sklearn_objective[i]);
    iterations.push_back(outcome.iterations);
    exact += outcome.termination == geoinv::Termination::gradient_tolerance ? 1 : 0;
  }
  fmt::print("{{\"arm\": \"lasso\", \"solver\": \"fista\", \"n\": {}, \"traces\": {}, \"ms_per_trace_median\": {:.4f}, "
             "\"iterations_median\": {}, \"support_solve_exact\": {}, "
             "\"objective_rel_diff_to_sklearn_max\": {:.3g}, \"objective_rel_diff_to_sklearn_min\": {:.3g}}}\n",
             traces.n, traces.data.size(), 1e3 * median(seconds), median(iterations), exact,
             *std::max_element(differences.begin(), differences.end()),
             *std::min_element(differences.begin(), differences.end()));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    fmt::print(stderr, "usage: seismic_benchmark TRACES_DIR [tikhonov|lasso|all]\n");
    return 2;
  }
  const std::string dir = argv[1], which = argc > 2 ? argv[2] : "all";
  for (int i = 3; i < argc; ++i) {
    const std::string assignment = argv[i];
    const auto equals = assignment.find('=');
    if (equals == std::string::npos) continue;
    g_overrides.emplace_back(assignment.substr(0, equals), std::stoll(assignment.substr(equals + 1)));
  }
  try {
    geoinv::PluginRegistry registry;  // the plugins beside libgeoinv: the build's own
    if (which == "tikhonov" || which == "all") tikhonov(registry, read_traces(dir + "/tikhonov.txt", false));
    if (which == "lasso" || which == "all") lasso(registry, read_traces(dir + "/lasso.txt", true));
  } catch (const std::exception& error) {
    fmt::print(stderr, "seismic_benchmark: {}\n", error.what());
    return 1;
  }
  return 0;
}
