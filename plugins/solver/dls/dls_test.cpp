// Tests of the `dls` plugin, loaded through the plugin registry as the host loads it. The forward model is
// a sphere defined here, so these tests do not depend on the `sphere` plugin.
#include <gtest/gtest.h>

#include <Eigen/QR>
#include <cmath>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "geoinv/error.hpp"
#include "geoinv/forward_model.hpp"
#include "geoinv/options.hpp"
#include "geoinv/plugin_registry.hpp"
#include "geoinv/problem.hpp"
#include "geoinv/solver.hpp"
#include "geoinv/termination.hpp"

namespace {

using geoinv::Matrix;
using geoinv::Vector;

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// SP of a polarized sphere in the minus form (SP_MODELS.md §1): V = K (u cosθ − h sinθ) / (u² + h²)^1.5.
// `with_jacobian` false hides the analytic Jacobian, so the host's finite differences are used instead.
class MinusSphere final : public geoinv::ForwardModel {
 public:
  explicit MinusSphere(bool with_jacobian = true) : with_jacobian_(with_jacobian) {}

  geoinv::ParameterSpecs parameters() const override {
    return {{"x0", "m", -kInfinity, kInfinity, false, 10.0, "centre"},
            {"theta", "rad", -kInfinity, kInfinity, true, 1.0, "polarization angle"},
            {"h", "m", 1e-3, kInfinity, false, 10.0, "depth"},
            {"K", "mV*m^2", -kInfinity, kInfinity, false, 1e4, "dipole moment"}};
  }

  void configure(const geoinv::OptionValues&, const Vector& stations) override { stations_ = stations; }

  void predict(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const override {
    const double c = std::cos(model(1)), s = std::sin(model(1)), h = model(2), k = model(3);
    for (Eigen::Index i = 0; i < stations_.size(); ++i) {
      const double u = stations_(i) - model(0), d = u * u + h * h;
      data(i) = k * (u * c - h * s) / (d * std::sqrt(d));
    }
  }

  bool has_jacobian() const override { return with_jacobian_; }

  void predict_with_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data,
                             Eigen::Ref<Matrix> jacobian) const override {
    const double c = std::cos(model(1)), s = std::sin(model(1)), h = model(2), k = model(3);
    for (Eigen::Index i = 0; i < stations_.size(); ++i) {
      const double u = stations_(i) - model(0), d = u * u + h * h, inverse = 1.0 / (d * std::sqrt(d));
      const double numerator = u * c - h * s;
      data(i) = k * numerator * inverse;
      jacobian(i, 0) = k * (-c + 3.0 * u * numerator / d) * inverse;
      jacobian(i, 1) = -k * (u * s + h * c) * inverse;
      jacobian(i, 2) = k * (-s - 3.0 * h * numerator / d) * inverse;
      jacobian(i, 3) = numerator * inverse;
    }
  }

  std::string example_yaml() const override { return ""; }

 private:
  bool with_jacobian_;
  Vector stations_;
};

// y = G m with a fixed, well-conditioned G of many columns: exercises the general-product path that
// large models (hundreds of parameters) take, against the exact linear least-squares solution.
class LinearModel final : public geoinv::ForwardModel {
 public:
  explicit LinearModel(Matrix design) : design_(std::move(design)) {}

  geoinv::ParameterSpecs parameters() const override {
    geoinv::ParameterSpecs specs(static_cast<std::size_t>(design_.cols()));
    for (std::size_t j = 0; j < specs.size(); ++j) specs[j].name = "m" + std::to_string(j);
    return specs;
  }
  void configure(const geoinv::OptionValues&, const Vector&) override {}
  void predict(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const override {
    data.noalias() = design_ * model;
  }
  bool has_jacobian() const override { return true; }
  void predict_with_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data,
                             Eigen::Ref<Matrix> jacobian) const override {
    data.noalias() = design_ * model;
    jacobian = design_;
  }
  std::string example_yaml() const override { return ""; }

 private:
  Matrix design_;
};

// The seed study's numbers (SP_MODELS.md §2 S2 and §4).
const Vector kTruth = (Vector(4) << 77.07, 309.37 * M_PI / 180.0, 41.81, 94686.0).finished();
const Vector kSeedStart = (Vector(4) << 20.0, 300.0 * M_PI / 180.0, 40.0, 94500.0).finished();

Vector seed_stations() { return Vector::LinSpaced(101, 0.0, 150.0); }

Vector lower_bounds(const geoinv::ForwardModel& model) {
  const auto specs = model.parameters();
  Vector bounds(static_cast<Eigen::Index>(specs.size()));
  for (std::size_t j = 0; j < specs.size(); ++j) bounds(static_cast<Eigen::Index>(j)) = specs[j].lower;
  return bounds;
}

Vector upper_bounds(const geoinv::ForwardModel& model) {
  const auto specs = model.parameters();
  Vector bounds(static_cast<Eigen::Index>(specs.size()));
  for (std::size_t j = 0; j < specs.size(); ++j) bounds(static_cast<Eigen::Index>(j)) = specs[j].upper;
  return bounds;
}

std::shared_ptr<MinusSphere> sphere_at(const Vector& stations, bool with_jacobian = true) {
  auto sphere = std::make_shared<MinusSphere>(with_jacobian);
  sphere->configure({}, stations);
  return sphere;
}

geoinv::Problem sphere_problem(const Vector& observed, bool with_jacobian = true,
                               geoinv::Budget budget = {}) {
  auto sphere = sphere_at(seed_stations(), with_jacobian);
  return geoinv::Problem(sphere, seed_stations(), observed, Vector(), lower_bounds(*sphere),
                         upper_bounds(*sphere), budget);
}

Vector noise_free_data() {
  Vector data(101);
  sphere_at(seed_stations())->predict(kTruth, data);
  return data;
}

// The seed profile: x_m,sp_mV with a header line.
Vector seed_data() {
  std::ifstream file(GEOINV_TEST_SHARED_DIR "/data/sp_syn_data.csv");
  EXPECT_TRUE(file) << "cannot open " << GEOINV_TEST_SHARED_DIR "/data/sp_syn_data.csv";
  std::string line;
  std::getline(file, line);
  std::vector<double> stations, values;
  while (std::getline(file, line)) {
    std::istringstream fields(line);
    double x = 0.0, v = 0.0;
    char comma = 0;
    if (fields >> x >> comma >> v) {
      stations.push_back(x);
      values.push_back(v);
    }
  }
  EXPECT_EQ(values.size(), 101u);
  for (std::size_t i = 0; i < stations.size(); ++i)
    EXPECT_NEAR(stations[i], 1.5 * static_cast<double>(i), 1e-12);
  return Eigen::Map<Vector>(values.data(), static_cast<Eigen::Index>(values.size()));
}

class DlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    solver_ = registry_.create_solver("dls");
    solver_->configure(geoinv::OptionValues::defaults(solver_->options()));
  }

  geoinv::PluginRegistry registry_;
  std::shared_ptr<geoinv::Solver> solver_;
};

TEST_F(DlsTest, RecoversANoiseFreeModelFromTheSeedStart) {
  auto problem = sphere_problem(noise_free_data());
  const auto outcome = solver_->solve(problem, kSeedStart, {});
  EXPECT_EQ(geoinv::status_of(outcome.termination), geoinv::RunStatus::converged) << outcome.message;
  ASSERT_EQ(outcome.estimate.size(), 4);
  for (Eigen::Index j = 0; j < 4; ++j)
    EXPECT_NEAR(outcome.estimate(j), kTruth(j), 1e-6 * std::abs(kTruth(j))) << "parameter " << j;
}

// The seed study printed SciPy's MINPACK result, which stops short of the minimum (its default xtol);
// the least-squares minimum itself, polished by Gauss-Newton steps to a gradient of 2e-11, is
const Vector kSeedMinimum =
    (Vector(4) << 76.243475270, 5.415791971, 42.776563946, 99101.889902762).finished();
constexpr double kSeedMinimumSse = 1087.558728434;

class DlsScalingTest : public DlsTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(DlsScalingTest, ReachesTheSeedStudysLeastSquaresMinimum) {
  auto options = geoinv::OptionValues::defaults(solver_->options());
  options.set("scaling", std::string(GetParam()));
  solver_->configure(options);
  auto problem = sphere_problem(seed_data());
  const auto outcome = solver_->solve(problem, kSeedStart, {});
  EXPECT_EQ(geoinv::status_of(outcome.termination), geoinv::RunStatus::converged) << outcome.message;
  // The study's numbers (SP_MODELS.md §4) within what its own stopping point allows...
  EXPECT_NEAR(outcome.estimate(0), 76.243426, 1e-4);
  EXPECT_NEAR(outcome.estimate(1), 5.415794, 1e-5);
  EXPECT_NEAR(outcome.estimate(2), 42.776603, 1e-4);
  EXPECT_NEAR(outcome.estimate(3), 99102.106, 0.5);
  // ...and the minimum itself to about 1e-7 relative.
  EXPECT_NEAR(outcome.estimate(0), kSeedMinimum(0), 1e-5);
  EXPECT_NEAR(outcome.estimate(1), kSeedMinimum(1), 1e-6);
  EXPECT_NEAR(outcome.estimate(2), kSeedMinimum(2), 1e-5);
  EXPECT_NEAR(outcome.estimate(3), kSeedMinimum(3), 2e-2);
  Vector residuals(101);
  problem.predict_uncounted(outcome.estimate, residuals);
  residuals -= problem.observed();
  EXPECT_NEAR(residuals.squaredNorm(), 1087.559, 1e-2);
  EXPECT_NEAR(residuals.squaredNorm(), kSeedMinimumSse, 1e-8);
  // With an analytic Jacobian each trial costs one evaluation, plus one for the start.
  EXPECT_EQ(problem.counts().forward, outcome.iterations + 1);
}

INSTANTIATE_TEST_SUITE_P(BothScalings, DlsScalingTest, ::testing::Values("running_max", "current"));

TEST_F(DlsTest, FiniteDifferenceJacobianReachesTheSameMinimum) {
  auto problem = sphere_problem(seed_data(), /*with_jacobian=*/false);
  const auto outcome = solver_->solve(problem, kSeedStart, {});
  EXPECT_EQ(geoinv::status_of(outcome.termination), geoinv::RunStatus::converged) << outcome.message;
  EXPECT_NEAR(outcome.estimate(0), kSeedMinimum(0), 1e-4);
  EXPECT_NEAR(outcome.estimate(2), kSeedMinimum(2), 1e-4);
  EXPECT_NEAR(outcome.estimate(3), kSeedMinimum(3), 0.5);
  // Rejected trials cost one evaluation, not a Jacobian's 2n + 1.
  EXPECT_LT(problem.counts().jacobian, outcome.iterations + 1);
}

TEST_F(DlsTest, LetsBudgetExhaustionPropagate) {
  auto problem = sphere_problem(seed_data(), true, geoinv::Budget{3, 0.0});
  EXPECT_THROW(solver_->solve(problem, kSeedStart, {}), geoinv::BudgetExhausted);
  EXPECT_TRUE(problem.has_best());
}

TEST_F(DlsTest, TraceHasOneRowPerTrialAndAcceptedCostsNeverIncrease) {
  auto problem = sphere_problem(seed_data());
  const auto outcome = solver_->solve(problem, kSeedStart, {});
  const auto& trace = outcome.trace;
  EXPECT_EQ(trace.columns(),
            (std::vector<std::string>{"iteration", "sse", "damping", "step_norm", "accepted"}));
  ASSERT_EQ(trace.num_rows(), static_cast<std::size_t>(outcome.iterations) + 1);

  Vector residuals(101);
  problem.predict_uncounted(kSeedStart, residuals);
  residuals -= problem.observed();
  EXPECT_DOUBLE_EQ(trace.value(0, 1), residuals.squaredNorm());  // row 0 is the start
  EXPECT_EQ(trace.value(0, 0), 0.0);
  EXPECT_EQ(trace.value(0, 4), 1.0);

  double accepted_sse = trace.value(0, 1);
  int rejected = 0;
  for (std::size_t row = 1; row < trace.num_rows(); ++row) {
    EXPECT_EQ(trace.value(row, 0), static_cast<double>(row));
    EXPECT_GT(trace.value(row, 2), 0.0);
    EXPECT_GT(trace.value(row, 3), 0.0);
    const double accepted = trace.value(row, 4);
    ASSERT_TRUE(accepted == 0.0 || accepted == 1.0);
    if (accepted == 1.0) {
      EXPECT_LE(trace.value(row, 1), accepted_sse) << "row " << row;
      accepted_sse = trace.value(row, 1);
    } else {
      EXPECT_GE(trace.value(row, 1), accepted_sse) << "row " << row;
      ++rejected;
    }
  }
  // Marquardt's rule multiplies λ by 10 after a rejection and divides it after an acceptance.
  for (std::size_t row = 1; row + 1 < trace.num_rows(); ++row) {
    const double ratio = trace.value(row + 1, 2) / trace.value(row, 2);
    if (trace.value(row, 4) == 0.0) {
      EXPECT_NEAR(ratio, 10.0, 1e-12);
    } else if (trace.value(row + 1, 2) > 1e-12) {  // above the min_damping floor
      EXPECT_NEAR(ratio, 0.1, 1e-12);
    }
  }
  RecordProperty("iterations", outcome.iterations);
  RecordProperty("rejected", rejected);
}

TEST_F(DlsTest, NonFiniteStartIsANumericalFailure) {
  // Without bounds, h = 0 and x0 = 0 put the body on station 0, where the prediction is 0/0.
  auto sphere = sphere_at(seed_stations());
  geoinv::Problem problem(sphere, seed_stations(), seed_data(), Vector(), Vector::Constant(4, -kInfinity),
                          Vector::Constant(4, kInfinity));
  const Vector start = (Vector(4) << 0.0, 1.0, 0.0, 94500.0).finished();
  const auto outcome = solver_->solve(problem, start, {});
  EXPECT_EQ(outcome.termination, geoinv::Termination::numerical_failure);
  EXPECT_FALSE(outcome.message.empty());
  EXPECT_EQ(outcome.iterations, 0);
}

TEST_F(DlsTest, KeepsTheStartAndEveryIterateInsideTheBounds) {
  auto sphere = sphere_at(seed_stations());
  Vector lower = lower_bounds(*sphere), upper = upper_bounds(*sphere);
  upper(2) = 41.0;  // the unconstrained minimum has h = 42.78
  geoinv::Problem problem(sphere, seed_stations(), seed_data(), Vector(), lower, upper);
  Vector start = kSeedStart;
  start(2) = 60.0;  // outside: projected to 41
  const auto outcome = solver_->solve(problem, start, {});
  EXPECT_EQ(geoinv::status_of(outcome.termination), geoinv::RunStatus::converged) << outcome.message;
  EXPECT_TRUE(problem.in_bounds(outcome.estimate));
  EXPECT_DOUBLE_EQ(outcome.estimate(2), 41.0);
  EXPECT_TRUE(problem.in_bounds(problem.best_model()));
}

TEST_F(DlsTest, RepeatedSolvesGiveIdenticalResults) {
  auto problem = sphere_problem(seed_data());
  const auto first = solver_->solve(problem, kSeedStart, {});
  problem.reset();
  const auto second = solver_->solve(problem, kSeedStart, {});
  EXPECT_EQ(first.estimate, second.estimate);
  EXPECT_EQ(first.iterations, second.iterations);
  EXPECT_EQ(first.message, second.message);
}

TEST_F(DlsTest, StopsAtMaxIterations) {
  auto options = geoinv::OptionValues::defaults(solver_->options());
  options.set("max_iterations", std::int64_t{2});
  solver_->configure(options);
  auto problem = sphere_problem(seed_data());
  const auto outcome = solver_->solve(problem, kSeedStart, {});
  EXPECT_EQ(outcome.termination, geoinv::Termination::max_iterations);
  EXPECT_EQ(outcome.iterations, 2);
  EXPECT_NE(outcome.message.find("max_iterations 2"), std::string::npos) << outcome.message;
}

TEST_F(DlsTest, MessageNamesTheTestAndItsNumbers) {
  auto problem = sphere_problem(seed_data());
  const auto outcome = solver_->solve(problem, kSeedStart, {});
  const std::string name = geoinv::to_string(outcome.termination);
  EXPECT_NE(outcome.message.find(name), std::string::npos) << outcome.message;
  EXPECT_NE(outcome.message.find("1e-"), std::string::npos) << outcome.message;
}

// Linear least squares of every size class: the normal equations and the damped system take different
// code paths for few parameters (a fused pass, a hand-written Cholesky) and many (Eigen's rank update
// and LLT); each must give the exact least-squares solution.
class DlsSizeTest : public DlsTest, public ::testing::WithParamInterface<int> {};

TEST_P(DlsSizeTest, SolvesLinearLeastSquaresExactly) {
  const int parameters = GetParam(), data = 3 * GetParam() + 11;
  std::mt19937 generator(7);
  std::normal_distribution<double> normal(0.0, 1.0);
  Matrix design(data, parameters);
  for (int j = 0; j < parameters; ++j)
    for (int i = 0; i < data; ++i) design(i, j) = normal(generator) * (1.0 + j);  // columns of unequal scale
  Vector observed(data);
  for (int i = 0; i < data; ++i) observed(i) = normal(generator);
  const Vector exact = design.colPivHouseholderQr().solve(observed);

  auto linear = std::make_shared<LinearModel>(design);
  geoinv::Problem problem(linear, Vector::LinSpaced(data, 0.0, 1.0), observed, Vector(),
                          Vector::Constant(parameters, -kInfinity), Vector::Constant(parameters, kInfinity));
  const auto outcome = solver_->solve(problem, Vector::Zero(parameters), {});
  EXPECT_EQ(geoinv::status_of(outcome.termination), geoinv::RunStatus::converged) << outcome.message;
  EXPECT_LT((outcome.estimate - exact).norm(), 1e-8 * exact.norm());
}

INSTANTIATE_TEST_SUITE_P(FewToMany, DlsSizeTest, ::testing::Values(1, 2, 3, 5, 6, 7, 12, 16, 17, 40));

TEST_F(DlsTest, DeclaresEveryOptionWithAValidDefaultAndADoc) {
  const auto specs = solver_->options();
  const std::vector<std::string> expected{"max_iterations",     "initial_damping",     "damping_increase",
                                          "damping_decrease",   "min_damping",         "scaling",
                                          "function_tolerance", "parameter_tolerance", "gradient_tolerance"};
  ASSERT_EQ(specs.size(), expected.size());
  for (std::size_t k = 0; k < specs.size(); ++k) {
    EXPECT_EQ(specs[k].name, expected[k]);
    std::string why;
    EXPECT_TRUE(specs[k].accepts(specs[k].default_value, &why)) << specs[k].name << ": " << why;
    EXPECT_FALSE(specs[k].doc.empty()) << specs[k].name;
    if (specs[k].type != geoinv::OptionType::choice) {
      EXPECT_TRUE(specs[k].minimum.has_value()) << specs[k].name;
    }
  }
  // The exclusive bounds (> 0, > 1) are refused by the generic validation already.
  auto spec = [&](const std::string& name) {
    for (const auto& s : specs)
      if (s.name == name) return s;
    throw std::runtime_error("no option " + name);
  };
  EXPECT_FALSE(spec("initial_damping").accepts(0.0, nullptr));
  EXPECT_FALSE(spec("damping_increase").accepts(1.0, nullptr));
  EXPECT_FALSE(spec("damping_decrease").accepts(1.0, nullptr));
  EXPECT_TRUE(spec("damping_decrease").accepts(2.0, nullptr));
  EXPECT_FALSE(spec("max_iterations").accepts(std::int64_t{0}, nullptr));
  EXPECT_FALSE(spec("scaling").accepts(std::string("marquardt"), nullptr));

  auto options = geoinv::OptionValues::defaults(specs);
  options.set("damping_increase", 1.0);
  EXPECT_THROW(solver_->configure(options), geoinv::Error);
}

TEST_F(DlsTest, ExampleIsACompleteExperimentUsingDls) {
  const std::string yaml = solver_->example_yaml();
  EXPECT_NE(yaml.find("version: 1"), std::string::npos);
  EXPECT_NE(yaml.find("plugin: dls"), std::string::npos);
  for (const auto& spec : solver_->options())
    EXPECT_NE(yaml.find(spec.name + ":"), std::string::npos) << spec.name;
  // The README shows the example verbatim.
  std::ifstream readme(GEOINV_TEST_SOURCE_DIR "/plugins/solver/dls/README.md");
  ASSERT_TRUE(readme);
  const std::string text((std::istreambuf_iterator<char>(readme)), std::istreambuf_iterator<char>());
  EXPECT_NE(text.find("```yaml\n" + yaml + "```"), std::string::npos);
}

}  // namespace
