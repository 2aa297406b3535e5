// SPDX-License-Identifier: BSD-3-Clause
// dls and gauss_newton minimise the host's regularised objective Φ(m) = ‖W_d(d − A m)‖² + λ·R(m)
// (geoinv/regularization.hpp) and not only the data misfit: on a small linear problem (the
// linear_deconvolution fixture: 21 reflection coefficients through the wavelet (−½, 1, −½), noisy data
// with σ known) they reach
//   - Tikhonov of order k: the closed-form minimiser (AᵀWA + λL_kᵀL_k)⁻¹AᵀWd, W = diag(1/σ²), within
//     kTikhonovTolerance (relative to its norm);
//   - L1 and TV, which these solvers see smoothed (|u| → √(u² + ε²), ε = Problem::kSmoothingEpsilon):
//     fista's exact minimiser within kSmoothedTolerance per coefficient, and its Φ within
//     kSmoothedObjectiveTolerance (relative). The smoothed rows are stiff near u = 0 (curvature 1/ε), so
//     both solvers end at their iteration limit about 3e-4 from fista's minimiser (Φ 2e-6 above it),
//     where the unregularised least squares lies more than 0.01 away.
// Each solver runs through the host's path (run_experiment), as in a real run.
#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <cmath>
#include <string>

#include "configuration/experiment.hpp"
#include "conformance/conformance_support.hpp"
#include "e2e/cli_runner.hpp"
#include "geoinv/linear_operator.hpp"
#include "geoinv/regularization.hpp"
#include "running/runner.hpp"

namespace {

constexpr double kTikhonovTolerance = 1e-6;  // ‖m − m*‖ / ‖m*‖
constexpr double kSmoothedTolerance = 1e-3;           // per coefficient (values about 0.1)
constexpr double kSmoothedObjectiveTolerance = 1e-5;  // relative, exact Φ of each estimate

// The problem with one regularisation and solvers dls, gauss_newton and fista (all from zero, with tight
// stopping rules so that the tolerances above measure where the minimum is, not when a solver stopped).
std::string experiment_yaml(const std::string& regularization) {
  std::string truth, start;
  for (int i = 0; i < 21; ++i) {
    truth += (i ? ", r" : "r") + std::to_string(i) + ": " + std::to_string(0.1 + 0.05 * std::sin(i));
    start += (i ? ", r" : "r") + std::to_string(i) + ": 0";
  }
  return "version: 1\n"
         "name: regularized_minimiser\n"
         "plugin_paths: [" GEOINV_FIXTURE_LINEAR_DECONVOLUTION_DIR "]\n"
         "forward: {plugin: linear_deconvolution, stations: {from: 0, to: 20, count: 21}}\n"
         "data:\n"
         "  synthetic: {true_model: {" + truth + "}, noise_sigma: 0.02, seed: 3}\n"
         "start: {model: {" + start + "}}\n"
         "regularization: " + regularization + "\n"
         "solvers:\n"
         "  - plugin: dls\n"
         "    options: {max_iterations: 500, function_tolerance: 1.0e-15, gradient_tolerance: 1.0e-15, "
         "parameter_tolerance: 1.0e-15}\n"
         "  - plugin: gauss_newton\n"
         "    options: {max_iterations: 500, function_tolerance: 1.0e-15, gradient_tolerance: 1.0e-15, "
         "parameter_tolerance: 1.0e-15}\n"
         "  - plugin: fista\n"
         "    options: {max_iterations: 100000}\n";
}

struct Solved {
  geoinv::Experiment experiment;
  std::vector<geoinv::SolverRunResult> results;  // dls, gauss_newton, fista
};

Solved solve(const std::string& regularization) {
  geoinv_test::TempDir dir;
  const auto file = dir.write("experiment.yaml", experiment_yaml(regularization));
  Solved solved{geoinv::load_experiment(file, {}, geoinv_test::build_registry()), {}};
  solved.results = geoinv::run_experiment(solved.experiment);
  return solved;
}

// (AᵀWA + λLᵀL)⁻¹AᵀWd for the experiment's A, σ, d and Tikhonov order (`lambda` 0: the unregularised
// least squares).
geoinv::Vector tikhonov_minimiser(const geoinv::Experiment& e, double lambda) {
  const Eigen::MatrixXd a = e.forward->linear_operator()->dense();
  const geoinv::Vector w = e.sigma.array().square().inverse();
  const Eigen::MatrixXd l = geoinv::difference_operator(e.regularization.order, a.cols());
  const Eigen::MatrixXd normal = a.transpose() * w.asDiagonal() * a + lambda * l.transpose() * l;
  return normal.llt().solve(a.transpose() * w.asDiagonal() * e.observed);
}

class RegularizedMinimiser : public ::testing::TestWithParam<int> {};

TEST_P(RegularizedMinimiser, DlsAndGaussNewtonReachTheTikhonovMinimiser) {
  const int order = GetParam();
  const Solved solved = solve("{type: tikhonov, order: " + std::to_string(order) + ", lambda: 30}");
  ASSERT_EQ(solved.results.size(), 3u);
  const geoinv::Vector expected = tikhonov_minimiser(solved.experiment, solved.experiment.regularization.lambda);
  // The regularisation matters here: the minimiser is far from the unregularised least squares.
  const geoinv::Vector plain = tikhonov_minimiser(solved.experiment, 0.0);
  ASSERT_GT((plain - expected).norm(), 0.05 * expected.norm()) << "order " << order;
  for (const auto& result : solved.results) {
    ASSERT_NE(result.status, geoinv::RunStatus::failed) << result.label << ": " << result.message;
    EXPECT_LT((result.estimate - expected).norm(), kTikhonovTolerance * expected.norm())
        << result.label << ", order " << order << ": " << result.message;
  }
}

INSTANTIATE_TEST_SUITE_P(Orders, RegularizedMinimiser, ::testing::Values(0, 1, 2));

// The smoothed L1 and TV of dls and gauss_newton against fista's exact proximal solution.
void expect_smoothed_minimiser(const std::string& regularization) {
  const Solved solved = solve(regularization);
  ASSERT_EQ(solved.results.size(), 3u);
  const geoinv::SolverRunResult& fista = solved.results[2];
  ASSERT_EQ(fista.label, "fista");
  ASSERT_NE(fista.status, geoinv::RunStatus::failed) << fista.message;
  const geoinv::Vector plain = tikhonov_minimiser(solved.experiment, 0.0);
  ASSERT_GT((plain - fista.estimate).cwiseAbs().maxCoeff(), 10 * kSmoothedTolerance) << regularization;
  for (int s = 0; s < 2; ++s) {
    const geoinv::SolverRunResult& result = solved.results[s];
    ASSERT_NE(result.status, geoinv::RunStatus::failed) << result.label << ": " << result.message;
    EXPECT_LT((result.estimate - fista.estimate).cwiseAbs().maxCoeff(), kSmoothedTolerance)
        << result.label << " (" << regularization << "): " << result.message;
    EXPECT_NEAR(result.objective, fista.objective, kSmoothedObjectiveTolerance * fista.objective)
        << result.label << " (" << regularization << ")";
  }
}

TEST(RegularizedMinimiserSmoothed, DlsAndGaussNewtonReachFistasL1Minimiser) { expect_smoothed_minimiser("{type: l1, lambda: 20}"); }

TEST(RegularizedMinimiserSmoothed, DlsAndGaussNewtonReachFistasTvMinimiser) { expect_smoothed_minimiser("{type: tv, lambda: 20}"); }

}  // namespace
