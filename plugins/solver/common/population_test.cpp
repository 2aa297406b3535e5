// SPDX-License-Identifier: BSD-3-Clause
// The population solvers' shared rules (geoinv_population): the search box around the start where a bound
// is infinite, and the +inf rejection of invalid models and of points outside the box.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>

#include "geoinv/forward_model.hpp"
#include "geoinv/problem.hpp"
#include "geoinv_population/fitness.hpp"
#include "geoinv_population/search_box.hpp"

namespace {

using geoinv::Vector;
constexpr double kInfinity = std::numeric_limits<double>::infinity();

// y = a + b·x over three stations: an offset a (scale 10) and a slope b declared as an angle with a lower
// bound, so that both rules of the search box show; valid only for a >= 0.
class Line final : public geoinv::ForwardModel {
 public:
  geoinv::ParameterSpecs parameters() const override {
    return {{"a", "mV", -kInfinity, kInfinity, false, 10.0, "offset"},
            {"b", "rad", 0.0, kInfinity, true, 1.0, "an angle, bounded below"}};
  }
  void configure(const geoinv::OptionValues&, const Vector& stations) override { stations_ = stations; }
  void predict(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const override {
    data = (model(0) + model(1) * stations_.array()).matrix();
  }
  bool is_valid(const Eigen::Ref<const Vector>& model, std::string*) const override { return model(0) >= 0.0; }
  std::string example_yaml() const override { return {}; }

 private:
  Vector stations_;
};

geoinv::Problem line_problem(double lower_a, double upper_a) {
  auto line = std::make_shared<Line>();
  const Vector stations = Vector::LinSpaced(3, 0.0, 2.0);
  line->configure({}, stations);
  Vector lower(2), upper(2);
  lower << lower_a, 0.0;
  upper << upper_a, kInfinity;
  return geoinv::Problem(line, stations, Vector::Constant(3, 1.0), Vector(), lower, upper);
}

TEST(SearchBox, KeepsFiniteBoundsAndReachesFromTheStartWhereABoundIsInfinite) {
  const geoinv::Problem problem = line_problem(-kInfinity, 50.0);
  Vector start(2);
  start << 3.0, 0.5;
  const geoinv::population::SearchBox box = geoinv::population::search_box(problem, start, 4.0);
  EXPECT_EQ(box.lower(0), 3.0 - 4.0 * 10.0);  // max(|3|, scale 10)
  EXPECT_EQ(box.upper(0), 50.0);              // finite: kept
  EXPECT_EQ(box.lower(1), 0.0);               // finite: kept
  EXPECT_DOUBLE_EQ(box.upper(1), 0.5 + geoinv::kPi);  // an angle: half a turn
  const double middle[] = {0.5, 0.5};
  EXPECT_DOUBLE_EQ(box.to_model(middle)(0), 0.5 * (box.lower(0) + box.upper(0)));
  EXPECT_TRUE(box.to_unit(start).isApprox(Vector(box.to_unit(box.to_model(box.to_unit(start).data())))));
}

TEST(PopulationFitness, ScoresThroughProblemAndRejectsInvalidModelsAndPointsOutsideTheBox) {
  geoinv::Problem problem = line_problem(-10.0, 10.0);
  Vector start(2);
  start << 1.0, 0.0;
  geoinv::population::Fitness fitness(problem, geoinv::population::search_box(problem, start, 4.0));
  const double valid[] = {0.5, 0.0};  // a = 0, b = 0: residuals -1 at each of three stations
  EXPECT_DOUBLE_EQ(fitness(valid), 3.0);
  EXPECT_EQ(problem.counts().forward, 1);
  const double invalid[] = {0.25, 0.0};  // a = -5: evaluated, counted, rejected
  EXPECT_EQ(fitness(invalid), geoinv::population::kRejected);
  EXPECT_EQ(problem.counts().forward, 2);
  const double outside[] = {1.5, 0.0};  // outside the unit cube: rejected unevaluated
  EXPECT_EQ(fitness(outside), geoinv::population::kRejected);
  EXPECT_EQ(problem.counts().forward, 2);
  EXPECT_DOUBLE_EQ(problem.best_cost(), 3.0);
}

}  // namespace
