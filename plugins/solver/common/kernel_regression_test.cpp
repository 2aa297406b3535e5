// SPDX-License-Identifier: BSD-3-Clause
// Tests of the kernel regressors `grnn` and `rbf_network` (geoinv_learning/kernel_regression.hpp), each
// loaded through the plugin registry: whole profiles (lines), windows of a trace
// (geoinv_learning/testing.hpp), the training report and the model file.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <ostream>
#include <string>

#include "geoinv/error.hpp"
#include "geoinv/learning_solver.hpp"
#include "geoinv/plugin_registry.hpp"
#include "geoinv/termination.hpp"
#include "geoinv_learning/testing.hpp"

namespace {

using geoinv::Vector;
namespace testing_sets = geoinv_learning_testing;

// A plugin and its options for the two tests: whole profiles, then windows.
struct Regressor {
  std::string plugin;
  std::string option;
  double for_lines, for_windows;
  friend void PrintTo(const Regressor& regressor, std::ostream* out) { *out << regressor.plugin; }
};

class KernelRegression : public ::testing::TestWithParam<Regressor> {
 protected:
  void SetUp() override {
    solver_ = registry_.create_solver(GetParam().plugin);
    learner_ = geoinv::as_learning_solver(*solver_);
    ASSERT_NE(learner_, nullptr);
  }
  void configure(double value) {
    auto options = geoinv::OptionValues::defaults(solver_->options());
    if (GetParam().option == "centers")
      options.set("centers", static_cast<std::int64_t>(value));
    else
      options.set(GetParam().option, value);
    solver_->configure(options);
  }

  geoinv::PluginRegistry registry_;
  std::shared_ptr<geoinv::Solver> solver_;
  geoinv::LearningSolver* learner_ = nullptr;
};

TEST_P(KernelRegression, MapsALineToItsInterceptAndSlope) {
  configure(GetParam().for_lines);
  const auto report = learner_->train(testing_sets::line_set(2000, 3), {});
  ASSERT_EQ(report.validation_relative_error.size(), 2);
  EXPECT_LT(report.validation_relative_error(0), 0.1) << report.message;
  ASSERT_EQ(report.epochs.num_rows(), 1u);
  const Vector truth = (Vector(2) << 0.4, -0.2).finished();
  geoinv::Problem problem = testing_sets::line_problem(truth);
  const auto outcome = solver_->solve(problem, Vector::Zero(2), {});
  EXPECT_EQ(outcome.termination, geoinv::Termination::no_iterations);
  EXPECT_EQ(problem.counts().forward, 0);
  EXPECT_NEAR(outcome.estimate(0), 0.4, 0.05) << outcome.message;
  EXPECT_NEAR(outcome.estimate(1), -0.2, 0.05) << outcome.message;
}

TEST_P(KernelRegression, WindowedModelMapsEveryWindowOfTheTraceAndSavesItsWindow) {
  configure(GetParam().for_windows);
  const auto report = learner_->train(testing_sets::windowed_set(120, 7, 5), {});
  ASSERT_EQ(report.validation_relative_error.size(), 1);
  EXPECT_LT(report.validation_relative_error(0), 0.8) << report.message;
  testing_sets::Draws draws(99);
  const Vector truth = testing_sets::sparse_trace(draws);
  const Vector observed = testing_sets::three_point_trace(truth);
  geoinv::Problem problem = testing_sets::trace_problem(observed);
  const auto outcome = solver_->solve(problem, Vector::Zero(48), {});
  ASSERT_EQ(outcome.estimate.size(), 48);
  const double nrmse = (outcome.estimate - truth).norm() / truth.norm();
  EXPECT_LT(nrmse, (observed - truth).norm() / truth.norm()) << outcome.message;

  const auto file = std::filesystem::path(::testing::TempDir()) / (GetParam().plugin + "_windowed.json");
  learner_->save_model(file);
  auto loaded = registry_.create_solver(GetParam().plugin);
  EXPECT_EQ(geoinv::as_learning_solver(*loaded)->load_model(file), "three-point trace x48");
  const auto again = loaded->solve(problem, Vector::Zero(48), {});
  EXPECT_TRUE((again.estimate.array() == outcome.estimate.array()).all());

  // A windowed model refuses a problem without one parameter per sample.
  geoinv::Problem line = testing_sets::line_problem(Vector::Zero(2));
  EXPECT_THROW(loaded->solve(line, Vector::Zero(2), {}), geoinv::Error);
  std::filesystem::remove(file);
}

TEST_P(KernelRegression, RefusesToSolveBeforeTrainingAndAForeignModelFile) {
  geoinv::Problem problem = testing_sets::line_problem(Vector::Zero(2));
  EXPECT_THROW(solver_->solve(problem, Vector::Zero(2), {}), geoinv::Error);
  const auto file = std::filesystem::path(::testing::TempDir()) / ("not_" + GetParam().plugin + ".json");
  std::ofstream(file) << R"({"format": "geoinv-mlp", "version": 1})";
  try {
    learner_->load_model(file);
    ADD_FAILURE() << "a foreign file loaded";
  } catch (const geoinv::Error& error) {
    EXPECT_EQ(error.category(), geoinv::Error::Category::plugin) << error.what();
  }
  std::filesystem::remove(file);
}

INSTANTIATE_TEST_SUITE_P(EachRegressor, KernelRegression,
                         ::testing::Values(Regressor{"grnn", "sigma", 0.2, 0.5},
                                           Regressor{"rbf_network", "centers", 100, 300}),
                         [](const auto& info) { return info.param.plugin; });

}  // namespace
