// SPDX-License-Identifier: BSD-3-Clause
// Problem: the host's counting, budget-enforcing view of a forward model, exercised with the test-only
// plugin no_jacobian (the line y = a + b*x without an analytic Jacobian, tests/fixtures).
#include "geoinv/problem.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "geoinv/error.hpp"
#include "geoinv/plugin_registry.hpp"
#include "geoinv/regularization.hpp"

namespace geoinv {
namespace {

using ::testing::HasSubstr;

std::shared_ptr<ForwardModel> load_fixture(const char* file, const std::string& name) {
  PluginRegistry registry;
  registry.add_path(file);
  return registry.create_forward_model(name);
}

// Counts the calls that really reach the plugin, to check what Problem charges against what it does.
class CountingModel final : public ForwardModel {
 public:
  explicit CountingModel(std::shared_ptr<ForwardModel> inner) : inner_(std::move(inner)) {}
  ParameterSpecs parameters() const override { return inner_->parameters(); }
  void configure(const OptionValues& options, const Vector& stations) override {
    inner_->configure(options, stations);
  }
  void predict(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const override {
    ++calls;
    inner_->predict(model, data);
  }
  std::string example_yaml() const override { return inner_->example_yaml(); }

  mutable int calls = 0;

 private:
  std::shared_ptr<ForwardModel> inner_;
};

class ProblemTest : public ::testing::Test {
 protected:
  void SetUp() override {
    line_ = load_fixture(GEOINV_FIXTURE_NO_JACOBIAN_FILE, "no_jacobian");
    ASSERT_FALSE(line_->has_jacobian()) << "the fixture must exercise the finite-difference fallback";
    ASSERT_EQ(line_->parameters().size(), 2u);
    counting_ = std::make_shared<CountingModel>(line_);
    counting_->configure(OptionValues::defaults(counting_->options()), stations_);
  }

  Problem make(Budget budget = {}, bool with_sigma = true) {
    return Problem(counting_, stations_, observed_, with_sigma ? sigma_ : Vector(), lower_, upper_, budget);
  }

  static Vector vec(std::initializer_list<double> values) {
    Vector v(static_cast<Eigen::Index>(values.size()));
    Eigen::Index i = 0;
    for (double value : values) v(i++) = value;
    return v;
  }

  Vector line(double a, double b) const { return (a + b * stations_.array()).matrix(); }

  std::shared_ptr<ForwardModel> line_;
  std::shared_ptr<CountingModel> counting_;
  Vector stations_ = vec({-2.0, -1.0, 0.0, 1.0, 2.0, 3.0});
  Vector observed_ = vec({2.4, 2.1, 1.45, 1.05, 0.5, 0.02});  // about 1.5 - 0.5 x
  Vector sigma_ = vec({0.1, 0.2, 0.05, 0.1, 0.5, 1.0});
  Vector lower_ = vec({-10.0, -5.0});
  Vector upper_ = vec({10.0, 5.0});
};

TEST_F(ProblemTest, ReportsItsShape) {
  Problem problem = make();
  EXPECT_EQ(problem.num_parameters(), 2);
  EXPECT_EQ(problem.num_data(), 6);
  EXPECT_EQ(problem.parameters()[0].name, "a");
  EXPECT_EQ(problem.parameters()[1].name, "b");
  EXPECT_TRUE(problem.has_sigma());
  EXPECT_FALSE(make({}, false).has_sigma());
  EXPECT_FALSE(problem.has_best());
  EXPECT_EQ(problem.counts().forward, 0);
  EXPECT_EQ(problem.counts().jacobian, 0);
}

TEST_F(ProblemTest, ResidualsArePredictedMinusObservedOverSigma) {
  Problem problem = make();
  const Vector m = vec({1.2, -0.7});
  Vector r(problem.num_data());
  ASSERT_TRUE(problem.residuals(m, r));
  const Vector expected = ((line(1.2, -0.7) - observed_).array() / sigma_.array()).matrix();
  EXPECT_LT((r - expected).cwiseAbs().maxCoeff(), 1e-12)
      << "r = " << r.transpose() << "\nexpected " << expected.transpose();
}

TEST_F(ProblemTest, WithoutSigmaResidualsAreUnweighted) {
  Problem problem = make({}, false);
  const Vector m = vec({1.2, -0.7});
  Vector r(problem.num_data());
  ASSERT_TRUE(problem.residuals(m, r));
  EXPECT_LT((r - (line(1.2, -0.7) - observed_)).cwiseAbs().maxCoeff(), 1e-12);
}

TEST_F(ProblemTest, CountsEachForwardEvaluation) {
  Problem problem = make();
  Vector r(problem.num_data());
  for (int i = 1; i <= 3; ++i) {
    ASSERT_TRUE(problem.residuals(vec({1.0, 0.1 * i}), r));
    EXPECT_EQ(problem.counts().forward, i);
    EXPECT_EQ(problem.counts().jacobian, 0);
  }
  EXPECT_EQ(counting_->calls, 3);
}

TEST_F(ProblemTest, FiniteDifferenceJacobianCostsOnePlusTwoNForwardEvaluations) {
  Problem problem = make();
  Vector r(problem.num_data());
  Matrix jacobian(problem.num_data(), problem.num_parameters());
  ASSERT_TRUE(problem.residuals_and_jacobian(vec({1.0, 0.5}), r, jacobian));
  EXPECT_EQ(problem.counts().forward, 1 + 2 * 2);
  EXPECT_EQ(problem.counts().jacobian, 1);
  EXPECT_EQ(counting_->calls, 1 + 2 * 2) << "what is charged must be what is done";
  ASSERT_TRUE(problem.residuals_and_jacobian(vec({0.0, 0.0}), r, jacobian));
  EXPECT_EQ(problem.counts().forward, 2 * (1 + 2 * 2));
  EXPECT_EQ(problem.counts().jacobian, 2);
  EXPECT_EQ(counting_->calls, 2 * (1 + 2 * 2));
}

TEST_F(ProblemTest, FiniteDifferenceJacobianMatchesTheLinesExactJacobian) {
  for (bool with_sigma : {true, false}) {
    Problem problem = make({}, with_sigma);
    const Vector weight = with_sigma ? Vector(sigma_.cwiseInverse()) : Vector(Vector::Ones(6));
    Matrix exact(6, 2);
    exact.col(0) = weight;                          // d r / d a = 1 / sigma
    exact.col(1) = stations_.cwiseProduct(weight);  // d r / d b = x / sigma
    // x = 0 included: the step must not vanish there.
    for (const Vector& m : {vec({1.5, -0.5}), vec({0.0, 0.0}), vec({-8.0, 4.5}), vec({1e-9, -3.0})}) {
      Vector r(6), r_alone(6);
      Matrix jacobian(6, 2);
      ASSERT_TRUE(problem.residuals_and_jacobian(m, r, jacobian));
      EXPECT_LT((jacobian - exact).cwiseAbs().maxCoeff(), 1e-6)
          << "sigma: " << with_sigma << ", m = " << m.transpose() << "\nfinite differences:\n"
          << jacobian << "\nexact:\n"
          << exact;
      ASSERT_TRUE(problem.residuals(m, r_alone));
      EXPECT_LT((r - r_alone).cwiseAbs().maxCoeff(), 1e-15) << "residuals differ with and without Jacobian";
    }
  }
}

TEST_F(ProblemTest, RemembersTheBestModelEvaluated) {
  Problem problem = make();
  Vector r(problem.num_data());
  const Vector bad = vec({5.0, 2.0}), good = vec({1.5, -0.5}), worse = vec({-3.0, 1.0});
  ASSERT_TRUE(problem.residuals(bad, r));
  EXPECT_TRUE(problem.has_best());
  EXPECT_EQ(problem.best_model(), bad);
  ASSERT_TRUE(problem.residuals(good, r));
  const double good_cost = r.squaredNorm();
  ASSERT_TRUE(problem.residuals(worse, r));
  EXPECT_EQ(problem.best_model(), good);
  EXPECT_DOUBLE_EQ(problem.best_cost(), good_cost);

  problem.reset();
  EXPECT_FALSE(problem.has_best());
  EXPECT_EQ(problem.counts().forward, 0);
  EXPECT_EQ(problem.counts().jacobian, 0);
}

// The anytime record every solver gets: a row at each improvement of the best model, with the forward
// evaluations counted so far (finite-difference ones included) and the new best Σ r²; reset() clears it.
TEST_F(ProblemTest, RecordsTheBestCostAgainstCumulativeEvaluations) {
  Problem problem = make();
  Vector r(problem.num_data());
  Matrix jacobian(problem.num_data(), problem.num_parameters());
  ASSERT_TRUE(problem.residuals(vec({5.0, 2.0}), r));
  const double first = r.squaredNorm();
  ASSERT_TRUE(problem.residuals(vec({-3.0, 1.0}), r));  // worse: no row
  ASSERT_TRUE(problem.residuals_and_jacobian(vec({1.5, -0.5}), r, jacobian));  // 1 + 2n evaluations
  const double best = r.squaredNorm();
  const Trace& anytime = problem.best_so_far();
  ASSERT_EQ(anytime.columns(), (std::vector<std::string>{"evaluations", "best_cost"}));
  ASSERT_EQ(anytime.num_rows(), 2u);
  EXPECT_EQ(anytime.value(0, 0), 1.0);
  EXPECT_DOUBLE_EQ(anytime.value(0, 1), first);
  EXPECT_EQ(anytime.value(1, 0), 2.0 + 1.0 + 2.0 * 2.0);
  EXPECT_DOUBLE_EQ(anytime.value(1, 1), best);
  problem.reset();
  EXPECT_EQ(problem.best_so_far().num_rows(), 0u);
}

TEST_F(ProblemTest, ANonFinitePredictionIsReportedAndNeverBest) {
  Problem problem = make();
  Vector r(problem.num_data());
  EXPECT_FALSE(problem.residuals(vec({std::numeric_limits<double>::quiet_NaN(), 0.0}), r));
  EXPECT_FALSE(problem.has_best());
  EXPECT_EQ(problem.counts().forward, 1) << "a failed evaluation still costs one";
  Matrix jacobian(6, 2);
  EXPECT_FALSE(
      problem.residuals_and_jacobian(vec({std::numeric_limits<double>::infinity(), 0.0}), r, jacobian));
  EXPECT_FALSE(problem.has_best());
}

TEST_F(ProblemTest, ForwardBudgetThrowsBudgetExhaustedAndKeepsTheBestModel) {
  Budget budget;
  budget.max_forward_evaluations = 3;
  Problem problem = make(budget);
  Vector r(problem.num_data());
  const Vector good = vec({1.5, -0.5});
  ASSERT_TRUE(problem.residuals(vec({3.0, 0.0}), r));
  ASSERT_TRUE(problem.residuals(good, r));
  const double good_cost = r.squaredNorm();
  ASSERT_TRUE(problem.residuals(vec({0.0, 1.0}), r));
  try {
    problem.residuals(vec({1.4, -0.4}), r);
    FAIL() << "the fourth evaluation of a budget of 3 did not throw";
  } catch (const BudgetExhausted& e) {
    EXPECT_THAT(e.what(), HasSubstr("budget of 3"));
  }
  EXPECT_EQ(problem.counts().forward, 3);
  EXPECT_EQ(counting_->calls, 3) << "the refused evaluation must not run";
  ASSERT_TRUE(problem.has_best());
  EXPECT_EQ(problem.best_model(), good);
  EXPECT_DOUBLE_EQ(problem.best_cost(), good_cost);
  // It stays exhausted.
  EXPECT_THROW(problem.residuals(good, r), BudgetExhausted);
}

TEST_F(ProblemTest, ForwardBudgetCountsFiniteDifferenceEvaluations) {
  Budget budget;
  budget.max_forward_evaluations = 6;
  Problem problem = make(budget);
  Vector r(problem.num_data());
  Matrix jacobian(6, 2);
  ASSERT_TRUE(problem.residuals(vec({1.0, 0.0}), r));
  ASSERT_TRUE(problem.residuals_and_jacobian(vec({1.0, 0.0}), r, jacobian));  // 1 + 5 = 6: exactly the budget
  EXPECT_EQ(problem.counts().forward, 6);
  EXPECT_THROW(problem.residuals(vec({1.0, 0.0}), r), BudgetExhausted);

  budget.max_forward_evaluations = 4;  // less than one finite-difference Jacobian
  Problem small = make(budget);
  EXPECT_THROW(small.residuals_and_jacobian(vec({1.0, 0.0}), r, jacobian), BudgetExhausted);
  EXPECT_EQ(small.counts().forward, 0);
  EXPECT_EQ(small.counts().jacobian, 0);
  EXPECT_FALSE(small.has_best());
}

TEST_F(ProblemTest, WallTimeBudgetThrowsBudgetExhausted) {
  Budget budget;
  budget.max_wall_time_s = 0.02;
  Problem problem = make(budget);
  Vector r(problem.num_data());
  ASSERT_TRUE(problem.residuals(vec({1.5, -0.5}), r));
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  EXPECT_GE(problem.elapsed_s(), 0.06);
  try {
    problem.residuals(vec({1.0, 0.0}), r);
    FAIL() << "an evaluation after the wall-time budget did not throw";
  } catch (const BudgetExhausted& e) {
    EXPECT_THAT(e.what(), HasSubstr("wall-time"));
  }
  Matrix jacobian(6, 2);
  EXPECT_THROW(problem.residuals_and_jacobian(vec({1.0, 0.0}), r, jacobian), BudgetExhausted);
  EXPECT_EQ(problem.counts().forward, 1);
  EXPECT_EQ(problem.best_model(), vec({1.5, -0.5}));

  problem.reset();  // restarts the clock
  EXPECT_LT(problem.elapsed_s(), 0.02);
  EXPECT_TRUE(problem.residuals(vec({1.0, 0.0}), r));
}

TEST_F(ProblemTest, ZeroBudgetMeansUnlimited) {
  Problem problem = make(Budget{});
  Vector r(problem.num_data());
  for (int i = 0; i < 1000; ++i) ASSERT_TRUE(problem.residuals(vec({1.0, 0.0}), r));
  EXPECT_EQ(problem.counts().forward, 1000);
}

TEST_F(ProblemTest, UncountedPredictionIsNeitherCountedNorBudgeted) {
  Budget budget;
  budget.max_forward_evaluations = 1;
  Problem problem = make(budget);
  Vector r(problem.num_data()), data(problem.num_data());
  ASSERT_TRUE(problem.residuals(vec({1.0, 0.0}), r));
  problem.predict_uncounted(vec({1.5, -0.5}), data);
  problem.predict_uncounted(vec({1.5, -0.5}), data);
  EXPECT_LT((data - line(1.5, -0.5)).cwiseAbs().maxCoeff(), 1e-12) << "unweighted prediction";
  EXPECT_EQ(problem.counts().forward, 1);
}

TEST_F(ProblemTest, MeasureGivesTheWeightedResidualsAndJacobianUncountedAndUntracked) {
  for (bool with_sigma : {true, false}) {
    Budget budget;
    budget.max_forward_evaluations = 1;
    Problem problem = make(budget, with_sigma);
    const Vector m = vec({1.2, -0.7});
    Vector predicted, r;
    Matrix jacobian;
    ASSERT_TRUE(problem.measure(m, predicted, r, &jacobian));
    ASSERT_TRUE(problem.measure(m, predicted, r, &jacobian));  // past the budget: not charged
    EXPECT_EQ(problem.counts().forward, 0);
    EXPECT_EQ(problem.counts().jacobian, 0);
    EXPECT_FALSE(problem.has_best()) << "a measurement is not a solver's evaluation";
    EXPECT_LT((predicted - line(1.2, -0.7)).cwiseAbs().maxCoeff(), 1e-12);
    // Divided by σ, not multiplied by 1/σ: the reported numbers are the exact quotients.
    const Vector expected = with_sigma ? Vector((line(1.2, -0.7) - observed_).array() / sigma_.array())
                                       : Vector(line(1.2, -0.7) - observed_);
    EXPECT_EQ(r, Vector((predicted - observed_).array() / (with_sigma ? sigma_ : Vector(Vector::Ones(6))).array()));
    EXPECT_LT((r - expected).cwiseAbs().maxCoeff(), 1e-12);
    const Vector weight = with_sigma ? Vector(sigma_.cwiseInverse()) : Vector(Vector::Ones(6));
    EXPECT_LT((jacobian.col(1) - stations_.cwiseProduct(weight)).cwiseAbs().maxCoeff(), 1e-6);
    EXPECT_EQ(problem.measured_cost(m), r.squaredNorm());
  }
}

TEST_F(ProblemTest, MeasureReportsANonFinitePredictionAndItsCostIsNaN) {
  Problem problem = make();
  const double inf = std::numeric_limits<double>::infinity();
  Vector predicted, r;
  EXPECT_FALSE(problem.measure(vec({inf, 0.0}), predicted, r, nullptr));
  EXPECT_EQ(predicted.size(), 6) << "the prediction is kept for fit.csv";
  EXPECT_TRUE(std::isnan(problem.measured_cost(vec({inf, 0.0}))));
}

TEST_F(ProblemTest, ProjectClampsIntoTheBounds) {
  Problem problem = make();
  Vector m = vec({25.0, -7.5});
  EXPECT_FALSE(problem.in_bounds(m));
  problem.project(m);
  EXPECT_EQ(m, vec({10.0, -5.0}));
  EXPECT_TRUE(problem.in_bounds(m)) << "bounds are inclusive";
  m = vec({-25.0, 1.25});
  problem.project(m);
  EXPECT_EQ(m, vec({-10.0, 1.25})) << "a parameter inside its bounds is untouched";
  m = vec({0.5, 0.25});
  problem.project(m);
  EXPECT_EQ(m, vec({0.5, 0.25}));
  EXPECT_TRUE(problem.in_bounds(m));
  EXPECT_FALSE(problem.in_bounds(vec({0.0, 5.0000001})));
}

void expect_rejected(const std::function<void()>& construct, Error::Category category,
                     const std::string& part) {
  try {
    construct();
    ADD_FAILURE() << "accepted; expected an error containing '" << part << "'";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), category) << e.what();
    EXPECT_THAT(e.what(), HasSubstr(part));
  }
}

TEST_F(ProblemTest, RejectsNonPositiveOrNonFiniteSigma) {
  for (double bad :
       {0.0, -0.1, std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity()}) {
    Vector sigma = sigma_;
    sigma(3) = bad;
    SCOPED_TRACE(bad);
    expect_rejected([&] { (void)Problem(counting_, stations_, observed_, sigma, lower_, upper_); },
                    Error::Category::data, "sigma must be positive");
  }
}

TEST_F(ProblemTest, RejectsSizeMismatches) {
  expect_rejected([&] { (void)Problem(counting_, stations_, observed_.head(5), sigma_, lower_, upper_); },
                  Error::Category::data, "6 stations but 5 observed");
  expect_rejected([&] { (void)Problem(counting_, stations_, observed_, sigma_.head(4), lower_, upper_); },
                  Error::Category::data, "4 sigma values for 6 data");
  expect_rejected(
      [&] {
        (void)Problem(counting_, stations_, observed_, sigma_, vec({0.0, 0.0, 0.0}), upper_);
      },
      Error::Category::config, "for 2 parameters");
  expect_rejected([&] { (void)Problem(counting_, stations_, observed_, sigma_, lower_, vec({1.0})); },
                  Error::Category::config, "for 2 parameters");
  expect_rejected([&] { (void)Problem(nullptr, stations_, observed_, sigma_, lower_, upper_); },
                  Error::Category::plugin, "forward model");
}

TEST_F(ProblemTest, RejectsInvertedOrNonFiniteBounds) {
  expect_rejected(
      [&] {
        (void)Problem(counting_, stations_, observed_, sigma_, vec({-10.0, 2.0}), vec({10.0, 1.0}));
      },
      Error::Category::config, "parameter 'b': lower bound 2 is not at or below upper bound 1");
  expect_rejected(
      [&] {
        (void)Problem(counting_, stations_, observed_, sigma_,
                      vec({std::numeric_limits<double>::quiet_NaN(), 0.0}), upper_);
      },
      Error::Category::config, "parameter 'a': lower bound nan");
  // Equal bounds fix a parameter; infinite ones leave it free.
  EXPECT_NO_THROW((void)Problem(counting_, stations_, observed_, sigma_, vec({1.0, -5.0}), vec({1.0, 5.0})));
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_NO_THROW((void)Problem(counting_, stations_, observed_, sigma_, vec({-inf, -inf}), vec({inf, inf})));
}

// The line again, with its analytic Jacobian: one evaluation per Jacobian, no finite differences.
class AnalyticLine final : public ForwardModel {
 public:
  ParameterSpecs parameters() const override { return {ParameterSpec{}, ParameterSpec{}}; }
  void configure(const OptionValues&, const Vector& stations) override { stations_ = stations; }
  void predict(const Eigen::Ref<const Vector>& m, Eigen::Ref<Vector> data) const override {
    ++predictions;
    data = (m(0) + m(1) * stations_.array()).matrix();
  }
  bool has_jacobian() const override { return true; }
  void predict_with_jacobian(const Eigen::Ref<const Vector>& m, Eigen::Ref<Vector> data,
                             Eigen::Ref<Matrix> jacobian) const override {
    ++jacobians;
    data = (m(0) + m(1) * stations_.array()).matrix();
    jacobian.col(0).setOnes();
    jacobian.col(1) = stations_;
  }
  std::string example_yaml() const override { return ""; }

  mutable int predictions = 0;
  mutable int jacobians = 0;

 private:
  Vector stations_;
};

TEST_F(ProblemTest, AnAnalyticJacobianCostsOneEvaluationAndIsWeighted) {
  auto analytic = std::make_shared<AnalyticLine>();
  analytic->configure({}, stations_);
  Problem problem(analytic, stations_, observed_, sigma_, lower_, upper_);
  Vector r(6);
  Matrix jacobian(6, 2);
  ASSERT_TRUE(problem.residuals_and_jacobian(vec({1.5, -0.5}), r, jacobian));
  EXPECT_EQ(problem.counts().forward, 1);
  EXPECT_EQ(problem.counts().jacobian, 1);
  EXPECT_EQ(analytic->jacobians, 1);
  EXPECT_EQ(analytic->predictions, 0);
  EXPECT_LT((jacobian.col(0) - sigma_.cwiseInverse()).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LT((jacobian.col(1) - stations_.cwiseQuotient(sigma_)).cwiseAbs().maxCoeff(), 1e-12);
  EXPECT_LT((r - ((line(1.5, -0.5) - observed_).array() / sigma_.array()).matrix()).cwiseAbs().maxCoeff(),
            1e-12);
  EXPECT_EQ(problem.best_model(), vec({1.5, -0.5}));
}

// weigh_prediction then residuals_from_weighed_prediction (API 4.2) give residuals_from_prediction's
// residuals, costs, counts, best model and anytime record bit for bit: with and without sigma, with a
// regularisation's rows, for a non-finite prediction, and up to the budget's end.
TEST_F(ProblemTest, WeighingAPredictionApartGivesResidualsFromPredictionsBits) {
  for (const bool with_sigma : {true, false}) {
    for (const bool regularized : {false, true}) {
      Problem whole = make(Budget{5, 0.0}, with_sigma), halves = make(Budget{5, 0.0}, with_sigma);
      if (regularized) {
        Regularization tikhonov;
        tikhonov.kind = RegularizationKind::tikhonov;
        tikhonov.lambda = 0.3;
        whole.set_regularization(tikhonov);
        halves.set_regularization(tikhonov);
      }
      const std::vector<Vector> models{vec({1.2, -0.7}), vec({1.5, -0.5}), vec({0.3, 0.2}), vec({1.49, -0.51}),
                                       vec({2.0, 1.0}), vec({1.5, -0.5})};
      for (std::size_t k = 0; k < models.size(); ++k) {
        Vector prediction = line(models[k](0), models[k](1));
        if (k == 2) prediction(3) = std::numeric_limits<double>::quiet_NaN();
        Vector r_whole(whole.num_residuals()), r_halves(halves.num_residuals());
        r_whole.head(6) = prediction;
        r_halves.head(6) = prediction;
        double cost_whole = -1.0, cost_halves = -1.0;
        if (k == 5) {  // the sixth evaluation: past the budget of five, in both
          EXPECT_THROW(whole.residuals_from_prediction(models[k], r_whole, &cost_whole), BudgetExhausted);
          const double weighed = halves.weigh_prediction(r_halves);
          EXPECT_THROW(halves.residuals_from_weighed_prediction(models[k], r_halves, weighed, &cost_halves),
                       BudgetExhausted);
          break;
        }
        const bool scored = whole.residuals_from_prediction(models[k], r_whole, &cost_whole);
        const double weighed = halves.weigh_prediction(r_halves);
        EXPECT_EQ(halves.residuals_from_weighed_prediction(models[k], r_halves, weighed, &cost_halves), scored);
        EXPECT_EQ(scored, k != 2);
        EXPECT_EQ(std::memcmp(r_whole.data(), r_halves.data(), sizeof(double) * r_whole.size()), 0) << k;
        EXPECT_EQ(std::memcmp(&cost_whole, &cost_halves, sizeof cost_whole), 0) << k;
      }
      EXPECT_EQ(whole.counts().forward, halves.counts().forward);
      EXPECT_EQ(whole.best_cost(), halves.best_cost());
      EXPECT_EQ(whole.best_model(), halves.best_model());
      EXPECT_EQ(whole.best_so_far().num_rows(), halves.best_so_far().num_rows());
    }
  }
  Problem problem = make();
  Vector wrong(4);
  EXPECT_THROW(problem.weigh_prediction(wrong), Error);
}

TEST(ProblemFaultTest, APluginsExceptionReachesTheCallerWithItsMessage) {
  auto model = load_fixture(GEOINV_FIXTURE_THROWING_FILE, "throwing");
  ASSERT_EQ(model->parameters().size(), 1u);
  EXPECT_FALSE(model->example_yaml().empty());
  const Vector stations = Vector::LinSpaced(4, 0.0, 3.0);
  model->configure({}, stations);
  Problem problem(model, stations, Vector::Zero(4), Vector(), Vector::Constant(1, -1.0),
                  Vector::Constant(1, 1.0));
  Vector r(4);
  try {
    problem.residuals(Vector::Zero(1), r);
    FAIL() << "the throwing fixture did not throw";
  } catch (const std::runtime_error& e) {
    EXPECT_STREQ(e.what(), "deliberate failure in predict");
  }
  EXPECT_FALSE(problem.has_best());
}

}  // namespace
}  // namespace geoinv
