// SPDX-License-Identifier: BSD-3-Clause
// Tests of the `inclined_sheet` plugin, loaded the way the host loads it (PluginRegistry): reference S3 of
// docs/models/inclined-sheet.md under every option, the analytic Jacobian against central differences, the
// symmetries and the canonical form, the top-below-ground constraint, the hot path's heap use, and inversions
// with `dls` from a fixed start and from the data-driven start.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "geoinv/finite_difference.hpp"
#include "sp/allocation_counter.hpp"
#include "geoinv/forward_model.hpp"
#include "geoinv/options.hpp"
#include "geoinv/parameter.hpp"
#include "geoinv/termination.hpp"
#include "sp/testing.hpp"
#include "sp/vector_log.hpp"


namespace {

using geoinv::Matrix;
using geoinv::to_radians;
using geoinv::Vector;
namespace sp_testing = geoinv::sp::testing;

constexpr double kLn10 = 2.30258509299404568402;
constexpr double kTwoPi = 2.0 * geoinv::kPi;

using Options = std::map<std::string, std::string>;

// The four combinations of the two options.
const std::vector<Options>& every_option() {
  static const std::vector<Options> all{{{"log_base", "e"}, {"dip_from", "positive_x"}},
                                        {{"log_base", "10"}, {"dip_from", "positive_x"}},
                                        {{"log_base", "e"}, {"dip_from", "negative_x"}},
                                        {{"log_base", "10"}, {"dip_from", "negative_x"}}};
  return all;
}

std::string describe(const Options& options) { return options.at("log_base") + "/" + options.at("dip_from"); }

std::shared_ptr<geoinv::ForwardModel> sheet(const Vector& stations, const Options& options = {}) {
  return sp_testing::configured("inclined_sheet", stations, options);
}

// (x0, h, a, alpha in degrees, K), in the plugin's parameter order.
Vector model_of(double x0, double h, double a, double alpha_degrees, double K) {
  Vector model(5);
  model << x0, h, a, to_radians(alpha_degrees), K;
  return model;
}

// S3 written in the form `options` read: α → 180° − α for negative_x, K → K·ln 10 for log10.
Vector s3_in(const Options& options) {
  const double alpha = options.at("dip_from") == "negative_x" ? 180.0 - 40.0 : 40.0;
  const double K = options.at("log_base") == "10" ? 100.0 * kLn10 : 100.0;
  return model_of(5.0, 15.0, 10.0, alpha, K);
}

Vector stations_of(std::initializer_list<double> positions) {
  Vector stations(static_cast<Eigen::Index>(positions.size()));
  Eigen::Index i = 0;
  for (double x : positions) stations(i++) = x;
  return stations;
}

// A random sheet with its top below ground, K of either sign, α anywhere on the circle.
Vector random_valid_sheet(std::mt19937_64& random) {
  std::uniform_real_distribution<double> x0(-30.0, 40.0), h(2.0, 40.0), a(0.5, 30.0), alpha(-360.0, 360.0),
      K(10.0, 500.0);
  std::bernoulli_distribution negative(0.5);
  for (;;) {
    Vector model = model_of(x0(random), h(random), a(random), alpha(random), K(random));
    if (negative(random)) model(4) = -model(4);
    if (model(1) - model(2) * std::abs(std::sin(model(3))) > 0.5) return model;
  }
}

TEST(InclinedSheet, DeclaresItsParametersAndOptions) {
  auto model = sp_testing::registry().create_forward_model("inclined_sheet");
  const auto specs = model->parameters();
  ASSERT_EQ(specs.size(), 5u);
  const char* names[] = {"x0", "h", "a", "alpha", "K"};
  const char* units[] = {"m", "m", "m", "rad", "mV"};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(specs[i].name, names[i]);
    EXPECT_EQ(specs[i].unit, units[i]);
    EXPECT_EQ(specs[i].is_angle, i == 3) << names[i];
    EXPECT_FALSE(specs[i].doc.empty());
  }
  EXPECT_GT(specs[1].lower, 0.0);  // h
  EXPECT_GT(specs[2].lower, 0.0);  // a
  EXPECT_TRUE(model->has_jacobian());

  const auto options = model->options();
  ASSERT_EQ(options.size(), 2u);
  EXPECT_EQ(options[0].name, "log_base");
  EXPECT_EQ(std::get<std::string>(options[0].default_value), "e");
  EXPECT_EQ(options[1].name, "dip_from");
  EXPECT_EQ(std::get<std::string>(options[1].default_value), "positive_x");
  std::string why;
  EXPECT_TRUE(options[0].accepts(std::string("10"), &why));
  EXPECT_FALSE(options[0].accepts(std::string("2"), &why));
  EXPECT_TRUE(options[1].accepts(std::string("negative_x"), &why));
  EXPECT_FALSE(options[1].accepts(std::string("left"), &why));
}

// docs/models/inclined-sheet.md, S3: K = 100, x0 = 5, h = 15, α = 40°, a = 10 (ln, dip from +x); the same
// sheet in the other forms gives the same numbers.
TEST(InclinedSheet, ReproducesReferenceS3UnderEveryOption) {
  const Vector stations = stations_of({-20.0, 0.0, 5.0, 10.0, 30.0});
  const double expected[] = {40.587288, -69.035316, -136.561770, -203.982380, -140.567843};
  for (const Options& options : every_option()) {
    auto model = sheet(stations, options);
    Vector data(5), data_too(5);
    Matrix jacobian(5, 5);
    model->predict(s3_in(options), data);
    model->predict_with_jacobian(s3_in(options), data_too, jacobian);
    for (int i = 0; i < 5; ++i) {
      EXPECT_NEAR(data(i), expected[i], 1e-6) << describe(options) << " x = " << stations(i);
      EXPECT_NEAR(data_too(i), expected[i], 1e-6) << describe(options) << " x = " << stations(i);
    }
  }
  // With the defaults, K is the amplitude of ln(P/Q) in the docs/models/inclined-sheet.md form.
  auto defaults = sheet(stations);
  Vector data(5);
  defaults->predict(model_of(5.0, 15.0, 10.0, 40.0, 100.0), data);
  EXPECT_NEAR(data(2), -136.561770, 1e-6);
}

// Both paths form P/Q by the same division and take the same vector logarithm, so a solver that mixes
// predict and predict_with_jacobian sees one function. 101 stations: full packs and a remainder.
TEST(InclinedSheet, PredictAndPredictWithJacobianGiveTheSameBits) {
  const Vector stations = Vector::LinSpaced(101, -50.0, 100.0);
  std::mt19937_64 random(11);
  for (const Options& options : every_option()) {
    auto model = sheet(stations, options);
    for (int trial = 0; trial < 50; ++trial) {
      const Vector parameters = random_valid_sheet(random);
      Vector plain(101), data(101);
      Matrix jacobian(101, 5);
      model->predict(parameters, plain);
      model->predict_with_jacobian(parameters, data, jacobian);
      for (Eigen::Index i = 0; i < 101; ++i)
        ASSERT_EQ(data(i), plain(i)) << describe(options) << " x = " << stations(i) << " at "
                                     << parameters.transpose();
    }
  }
}

// The plugin takes the untested vector logarithm (sp::log_of_normals_in_place) when its bound shows every
// P/Q to be a normal number, and the tested one otherwise: either way predict gives K·log_in_place(P/Q)
// bit for bit. The sheet with h = 1e-160 at α = 0 has P = h² (subnormal) at the station x0 + a, so its
// bound fails; the untested logarithm would turn that station's subnormal P/Q into a wrong number.
TEST(InclinedSheet, PredictGivesTheTestedLogarithmsBitsOnBothSidesOfTheBound) {
  const Vector stations = Vector::LinSpaced(101, -50.0, 100.0);  // -20 is a station
  auto model = sheet(stations);
  std::mt19937_64 random(5);
  std::vector<Vector> models{model_of(-31.0, 1e-160, 11.0, 0.0, 100.0), model_of(-1e160, 1.0, 1e160, 0.0, 100.0),
                             model_of(0.0, 1e200, 1.0, 10.0, 100.0)};  // Q = +inf: P/Q = 0; P = Q = +inf: NaN
  for (int trial = 0; trial < 20; ++trial) models.push_back(random_valid_sheet(random));
  for (const Vector& parameters : models) {
    const double a_cos = parameters(2) * std::cos(parameters(3)), a_sin = parameters(2) * std::sin(parameters(3));
    const double p_h = parameters(1) - a_sin, q_h = parameters(1) + a_sin;
    Vector expected(101), data(101);
    for (Eigen::Index i = 0; i < 101; ++i) {
      const double u = stations(i) - parameters(0), p_u = u - a_cos, q_u = u + a_cos;
      expected(i) = (p_u * p_u + p_h * p_h) / (q_u * q_u + q_h * q_h);
    }
    geoinv::sp::log_in_place(expected.data(), expected.size());
    expected *= parameters(4);
    model->predict(parameters, data);
    for (Eigen::Index i = 0; i < 101; ++i)  // as bits: NaN too
      ASSERT_EQ(std::memcmp(&data(i), &expected(i), sizeof(double)), 0)
          << "x = " << stations(i) << ": " << data(i) << " for " << expected(i) << " at " << parameters.transpose();
  }
}

TEST(InclinedSheet, AnalyticJacobianMatchesCentralDifferencesUnderEveryOption) {
  const Vector stations = Vector::LinSpaced(101, -50.0, 100.0);
  std::mt19937_64 random(31);
  for (const Options& options : every_option()) {
    auto model = sheet(stations, options);
    for (int trial = 0; trial < 60; ++trial) {
      const Vector parameters = random_valid_sheet(random);
      Vector data(stations.size());
      Matrix analytic(stations.size(), 5), numeric(stations.size(), 5);
      model->predict_with_jacobian(parameters, data, analytic);
      geoinv::central_difference_jacobian(*model, parameters, numeric);
      for (Eigen::Index j = 0; j < 5; ++j) {
        const double relative = (analytic.col(j) - numeric.col(j)).norm() / analytic.col(j).norm();
        EXPECT_LT(relative, 1e-6) << describe(options) << " column " << j << ", model "
                                  << parameters.transpose();
      }
    }
  }
}

// (K, α) ≡ (−K, α + 180°), (h, α) ≡ (−h, −α), α periodic: identical data in every form, and canonicalize
// maps every member to one model with h > 0, K ≥ 0, α in [0, 2π) — a valid one when the original is.
TEST(InclinedSheet, SymmetricModelsPredictTheSameDataAndCanonicalizeToOneModel) {
  const Vector stations = Vector::LinSpaced(101, -50.0, 100.0);
  std::mt19937_64 random(8);
  for (const Options& options : every_option()) {
    auto model = sheet(stations, options);
    for (int trial = 0; trial < 40; ++trial) {
      const Vector original = random_valid_sheet(random);
      const double x0 = original(0), h = original(1), a = original(2), alpha = original(3), K = original(4);
      std::vector<Vector> members(5, Vector(5));
      members[0] = original;
      members[1] << x0, h, a, alpha + geoinv::kPi, -K;
      members[2] << x0, -h, a, -alpha, K;
      members[3] << x0, -h, a, geoinv::kPi - alpha, -K;
      members[4] << x0, h, a, alpha - 3.0 * kTwoPi, K;

      Vector expected(stations.size()), data(stations.size());
      model->predict(original, expected);
      const double tolerance = 1e-10 * expected.cwiseAbs().maxCoeff();
      Vector reference = original;
      model->canonicalize(reference);
      EXPECT_TRUE(model->is_valid(reference, nullptr));
      for (const Vector& member : members) {
        model->predict(member, data);
        EXPECT_LT((data - expected).cwiseAbs().maxCoeff(), tolerance)
            << describe(options) << member.transpose();
        Vector canonical = member;
        model->canonicalize(canonical);
        EXPECT_GT(canonical(1), 0.0);
        EXPECT_GE(canonical(4), 0.0);
        EXPECT_GE(canonical(3), 0.0);
        EXPECT_LT(canonical(3), kTwoPi);
        EXPECT_EQ(canonical(0), reference(0));
        EXPECT_EQ(canonical(1), reference(1));
        EXPECT_EQ(canonical(2), reference(2));
        EXPECT_EQ(canonical(4), reference(4));
        EXPECT_LT(sp_testing::angle_distance(canonical(3), reference(3)), 1e-12);
        Vector again = canonical;
        model->canonicalize(again);
        EXPECT_EQ(again, canonical);
      }
    }
  }
}

TEST(InclinedSheet, TopEndMustBeBelowGround) {
  auto model = sheet(Vector::LinSpaced(11, 0.0, 100.0));
  EXPECT_TRUE(model->is_valid(model_of(5.0, 15.0, 10.0, 40.0, 100.0), nullptr));   // top at 8.57 m
  EXPECT_TRUE(model->is_valid(model_of(5.0, 15.0, 10.0, -40.0, 100.0), nullptr));  // |sin α|
  EXPECT_TRUE(model->is_valid(model_of(5.0, 1.0, 100.0, 0.0, 100.0), nullptr));    // horizontal sheet

  std::string why;
  EXPECT_FALSE(model->is_valid(model_of(5.0, 5.0, 10.0, 40.0, 100.0), &why));  // top at -1.43 m
  EXPECT_NE(why.find("below ground"), std::string::npos) << why;
  EXPECT_NE(why.find("-1.42788"), std::string::npos) << why;
  EXPECT_FALSE(model->is_valid(model_of(5.0, 5.0, 10.0, 220.0, 100.0), nullptr));
  EXPECT_FALSE(model->is_valid(model_of(5.0, 10.0, 10.0, 90.0, 100.0), nullptr));  // top exactly at 0
  EXPECT_FALSE(model->is_valid(model_of(5.0, std::nan(""), 10.0, 40.0, 100.0), nullptr));
  // h > a decides without the sine only for a ≥ 0: a negative a (outside the box, but is_valid takes any
  // model) with h > a still has its top above ground, h − a·|sin α| = −1 at α = 0.
  EXPECT_FALSE(model->is_valid(model_of(5.0, -1.0, -2.0, 0.0, 100.0), nullptr));
  EXPECT_FALSE(model->is_valid(model_of(5.0, 10.0, std::nan(""), 40.0, 100.0), nullptr));

  // The mirror that swaps h and a·sin α predicts the same data with the top above ground: invalid.
  const Vector stations = Vector::LinSpaced(101, -50.0, 60.0);
  auto profile = sheet(stations);
  const Vector s3 = model_of(5.0, 15.0, 10.0, 40.0, 100.0);
  const double a_cos = 10.0 * std::cos(to_radians(40.0)), a_sin = 10.0 * std::sin(to_radians(40.0));
  Vector mirror(5);
  mirror << 5.0, a_sin, std::hypot(a_cos, 15.0), std::atan2(15.0, a_cos), 100.0;
  const Vector expected = sp_testing::predict(*profile, s3, stations.size());
  const Vector mirrored = sp_testing::predict(*profile, mirror, stations.size());
  EXPECT_LT((mirrored - expected).cwiseAbs().maxCoeff(), 1e-9 * expected.cwiseAbs().maxCoeff());
  EXPECT_FALSE(profile->is_valid(mirror, nullptr));
}

// The hot path must not touch the heap; is_valid runs on every evaluation, with `why` null.
TEST(InclinedSheet, EvaluationAllocatesNothing) {
  if (!geoinv::sp::testing::heap_allocations_counted())
    GTEST_SKIP() << geoinv::sp::testing::kNotCountedUnderSanitizer;
  const Vector stations = Vector::LinSpaced(101, -50.0, 100.0);
  for (const Options& options : every_option()) {
    auto model = sheet(stations, options);
    const Vector parameters = s3_in(options);
    Vector data(stations.size());
    Matrix jacobian(stations.size(), 5);
    Vector canonical = model_of(5.0, -15.0, 10.0, 220.0, -100.0);
    const Vector above_ground = model_of(5.0, 5.0, 10.0, 40.0, 100.0);
    const long before = geoinv::sp::testing::heap_allocations();
    model->predict(parameters, data);
    model->predict_with_jacobian(parameters, data, jacobian);
    const bool valid = model->is_valid(parameters, nullptr);
    const bool invalid = model->is_valid(above_ground, nullptr);
    model->canonicalize(canonical);
    EXPECT_EQ(geoinv::sp::testing::heap_allocations() - before, 0) << describe(options);
    EXPECT_TRUE(valid);
    EXPECT_FALSE(invalid);
  }
  const long before = geoinv::sp::testing::heap_allocations();
  Vector allocated(stations.size());
  EXPECT_GT(geoinv::sp::testing::heap_allocations() - before, 0);  // the counter does see allocations
  EXPECT_EQ(allocated.size(), stations.size());
}

void expect_recovered(const Vector& estimate, const Vector& truth, const std::string& what) {
  EXPECT_NEAR(estimate(0), truth(0), 1e-6) << what;
  EXPECT_NEAR(estimate(1), truth(1), 1e-6) << what;
  EXPECT_NEAR(estimate(2), truth(2), 1e-6) << what;
  EXPECT_LT(sp_testing::angle_distance(estimate(3), truth(3)), 1e-7) << what;
  EXPECT_NEAR(estimate(4), truth(4), 1e-6 * std::abs(truth(4))) << what;
}

// Noise-free S3 on a 1 m profile: dls from a reasonable start finds the sheet exactly, in every form.
TEST(InclinedSheet, DlsRecoversS3FromAReasonableStart) {
  const Vector stations = Vector::LinSpaced(111, -50.0, 60.0);
  for (const Options& options : every_option()) {
    auto model = sheet(stations, options);
    Vector truth = s3_in(options);
    model->canonicalize(truth);
    const Vector observed = sp_testing::predict(*model, truth, stations.size());
    const bool negative_x = options.at("dip_from") == "negative_x";
    const bool log10 = options.at("log_base") == "10";
    const Vector start = model_of(0.0, 20.0, 6.0, negative_x ? 120.0 : 60.0, log10 ? 150.0 : 60.0);
    ASSERT_TRUE(model->is_valid(start, nullptr));
    const auto inversion = sp_testing::invert_with_dls(model, stations, observed, start);
    EXPECT_EQ(geoinv::status_of(inversion.outcome.termination), geoinv::RunStatus::converged)
        << inversion.outcome.message;
    expect_recovered(inversion.estimate, truth, describe(options));
  }
}

// The data-driven start on S3-like noise-free data: valid, and dls converges from it to the sheet itself.
TEST(InclinedSheet, DataDrivenStartLeadsDlsToS3LikeSheets) {
  const Vector stations = Vector::LinSpaced(111, -50.0, 60.0);
  std::mt19937_64 random(12);
  // S3 has a/h = 0.67; far smaller sheets look like a dipole and leave a long, flat valley in (a, K).
  std::uniform_real_distribution<double> x0(-10.0, 20.0), h(8.0, 25.0), a_over_h(0.4, 1.0),
      alpha(15.0, 165.0), K(50.0, 300.0);
  int trials = 0;
  for (const Options& options : every_option()) {
    auto model = sheet(stations, options);
    for (int draw = 0; draw < 15; ++draw) {
      const double depth = h(random);
      Vector truth = draw == 0
                         ? s3_in(options)
                         : model_of(x0(random), depth, depth * a_over_h(random), alpha(random), K(random));
      if (!model->is_valid(truth, nullptr)) continue;
      if (draw % 3 == 2) truth(4) = -truth(4);  // a reversed polarity
      model->canonicalize(truth);
      ++trials;
      const Vector observed = sp_testing::predict(*model, truth, stations.size());
      Vector start(5);
      ASSERT_TRUE(model->estimate_start(observed, start));
      ASSERT_TRUE(start.allFinite());
      EXPECT_TRUE(model->is_valid(start, nullptr)) << start.transpose();
      const auto inversion = sp_testing::invert_with_dls(model, stations, observed, start);
      const std::string what = describe(options) + " truth " +
                               ::testing::PrintToString(truth.transpose().eval()) + " start " +
                               ::testing::PrintToString(start.transpose().eval());
      EXPECT_EQ(geoinv::status_of(inversion.outcome.termination), geoinv::RunStatus::converged) << what;
      expect_recovered(inversion.estimate, truth, what);
    }
  }
  EXPECT_GE(trials, 40);
}

TEST(InclinedSheet, DataDrivenStartRefusesWhatItCannotUse) {
  auto model = sheet(Vector::LinSpaced(51, 0.0, 100.0));
  Vector start(5);
  EXPECT_FALSE(model->estimate_start(Vector::Zero(10), start));
  Vector observed = Vector::Ones(51);
  observed(3) = std::numeric_limits<double>::infinity();
  EXPECT_FALSE(model->estimate_start(observed, start));
  ASSERT_TRUE(model->estimate_start(Vector::Zero(51), start));
  EXPECT_EQ(start(4), 0.0);
  EXPECT_TRUE(model->is_valid(start, nullptr));
}

}  // namespace
