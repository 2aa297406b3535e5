// SPDX-License-Identifier: BSD-3-Clause
// Tests of the `sphere` plugin, loaded the way the host loads it (PluginRegistry), against the reference
// values of docs/models/shape-factor.md, central differences, its symmetries and its declarations.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>

#include "geoinv/finite_difference.hpp"
#include "sp/allocation_counter.hpp"
#include "geoinv/forward_model.hpp"
#include "geoinv/options.hpp"
#include "geoinv/parameter.hpp"
#include "geoinv/plugin_registry.hpp"


namespace {

using geoinv::Matrix;
using geoinv::to_radians;
using geoinv::Vector;

constexpr double kTwoPi = 2.0 * geoinv::kPi;

// One registry for the whole test program: loading is done once, up front, as the host does.
geoinv::PluginRegistry& registry() {
  static geoinv::PluginRegistry instance;
  return instance;
}

std::shared_ptr<geoinv::ForwardModel> configured_sphere(const std::string& convention,
                                                        const Vector& stations) {
  auto model = registry().create_forward_model("sphere");
  auto options = geoinv::OptionValues::defaults(model->options());
  options.set("convention", std::string(convention));
  model->configure(options, stations);
  return model;
}

// The seed study's profile: 101 stations, 1.5 m apart.
Vector seed_stations() { return Vector::LinSpaced(101, 0.0, 150.0); }

Vector model_in_radians(double x0, double theta, double h, double K) {
  Vector model(4);
  model << x0, theta, h, K;
  return model;
}

Vector model_of(double x0, double theta_degrees, double h, double K) {
  return model_in_radians(x0, to_radians(theta_degrees), h, K);
}

// A random sphere from the ranges the brief names; K of either sign.
Vector random_model(std::mt19937_64& random) {
  std::uniform_real_distribution<double> x0(-50.0, 200.0), theta(0.0, kTwoPi), h(1.0, 100.0), K(1e3, 2e5);
  std::bernoulli_distribution negative(0.5);
  Vector model(4);
  model << x0(random), theta(random), h(random), K(random);
  if (negative(random)) model(3) = -model(3);
  return model;
}

double circular_distance(double a, double b) {
  const double difference = std::fmod(std::abs(a - b), kTwoPi);
  return std::min(difference, kTwoPi - difference);
}

TEST(Sphere, DeclaresItsParametersInOrder) {
  auto model = registry().create_forward_model("sphere");
  const auto specs = model->parameters();
  ASSERT_EQ(specs.size(), 4u);
  const double infinity = std::numeric_limits<double>::infinity();

  EXPECT_EQ(specs[0].name, "x0");
  EXPECT_EQ(specs[0].unit, "m");
  EXPECT_EQ(specs[0].lower, -infinity);
  EXPECT_EQ(specs[0].upper, infinity);
  EXPECT_EQ(specs[0].scale, 10.0);

  EXPECT_EQ(specs[1].name, "theta");
  EXPECT_TRUE(specs[1].is_angle);
  EXPECT_EQ(geoinv::display_unit(specs[1]), "deg");
  EXPECT_EQ(specs[1].lower, -infinity);
  EXPECT_EQ(specs[1].upper, infinity);
  EXPECT_EQ(specs[1].scale, 1.0);

  EXPECT_EQ(specs[2].name, "h");
  EXPECT_EQ(specs[2].unit, "m");
  EXPECT_EQ(specs[2].lower, 1e-3);
  EXPECT_EQ(specs[2].upper, infinity);
  EXPECT_EQ(specs[2].scale, 10.0);

  EXPECT_EQ(specs[3].name, "K");
  EXPECT_EQ(specs[3].unit, "mV*m^2");
  EXPECT_EQ(specs[3].lower, -infinity);
  EXPECT_EQ(specs[3].upper, infinity);
  EXPECT_EQ(specs[3].scale, 1e4);

  for (const auto& spec : specs) {
    EXPECT_FALSE(spec.doc.empty()) << spec.name;
    EXPECT_EQ(spec.doc.find('\n'), std::string::npos) << spec.name;
    if (spec.name != "theta") {
      EXPECT_FALSE(spec.is_angle) << spec.name;
    }
  }
  EXPECT_TRUE(model->has_jacobian());
}

TEST(Sphere, ConventionOptionDefaultsToPlusAndRejectsOtherWords) {
  auto model = registry().create_forward_model("sphere");
  const auto options = model->options();
  ASSERT_EQ(options.size(), 1u);
  const geoinv::OptionSpec& convention = options[0];
  EXPECT_EQ(convention.name, "convention");
  EXPECT_EQ(convention.type, geoinv::OptionType::choice);
  EXPECT_EQ(std::get<std::string>(convention.default_value), "plus");
  EXPECT_NE(convention.doc.find("plus"), std::string::npos);
  EXPECT_NE(convention.doc.find("minus"), std::string::npos);

  std::string why;
  EXPECT_TRUE(convention.accepts(std::string("plus"), &why));
  EXPECT_TRUE(convention.accepts(std::string("minus"), &why));
  for (const geoinv::OptionValue& bad :
       {geoinv::OptionValue(std::string("positive")), geoinv::OptionValue(std::string("Plus")),
        geoinv::OptionValue(1.0)}) {
    why.clear();
    EXPECT_FALSE(convention.accepts(bad, &why)) << geoinv::to_string(bad);
    EXPECT_NE(why.find("plus"), std::string::npos) << why;
    EXPECT_NE(why.find("minus"), std::string::npos) << why;
  }
}

// docs/models/shape-factor.md, S1: plus form, K = -600, x0 = 0, h = 20, θ = 40°.
TEST(Sphere, ReproducesReferenceS1InPlusForm) {
  Vector stations(3);
  stations << -20.0, 0.0, 20.0;
  auto model = configured_sphere("plus", stations);
  Vector data(3);
  model->predict(model_of(0.0, 40.0, 20.0, -600.0), data);
  EXPECT_NEAR(data(0), 0.065367, 1e-6);
  EXPECT_NEAR(data(1), -0.964181, 1e-6);
  EXPECT_NEAR(data(2), -0.747146, 1e-6);
}

// docs/models/shape-factor.md, S2: the seed study's sphere, minus form.
TEST(Sphere, ReproducesReferenceS2InMinusForm) {
  Vector stations(5);
  stations << 0.0, 50.0, 77.07, 100.0, 150.0;
  auto model = configured_sphere("minus", stations);
  Vector data(5);
  model->predict(model_of(77.07, 309.37, 41.81, 94686.0), data);
  EXPECT_NEAR(data(0), -2.326939, 1e-6);
  EXPECT_NEAR(data(1), 11.609521, 1e-6);
  EXPECT_NEAR(data(2), 41.873754, 1e-6);
  EXPECT_NEAR(data(3), 40.926707, 1e-6);
  EXPECT_NEAR(data(4), 12.524950, 1e-6);

  // predict_with_jacobian gives the same data as predict.
  Vector data_too(5);
  Matrix jacobian(5, 4);
  model->predict_with_jacobian(model_of(77.07, 309.37, 41.81, 94686.0), data_too, jacobian);
  EXPECT_EQ(data_too, data);
}

// The two conventions are one family with θ -> -θ: the study's 309.37° (minus) is 50.63° (plus).
TEST(Sphere, ConventionsDifferBySignOfTheta) {
  const Vector stations = seed_stations();
  auto plus = configured_sphere("plus", stations);
  auto minus = configured_sphere("minus", stations);
  Vector plus_data(stations.size()), minus_data(stations.size());
  minus->predict(model_of(77.07, 309.37, 41.81, 94686.0), minus_data);
  plus->predict(model_of(77.07, 50.63, 41.81, 94686.0), plus_data);
  EXPECT_LT((plus_data - minus_data).cwiseAbs().maxCoeff(), 1e-9 * minus_data.cwiseAbs().maxCoeff());
  // And they are not the same model: the sign of θ matters.
  minus->predict(model_of(77.07, 50.63, 41.81, 94686.0), minus_data);
  EXPECT_GT((plus_data - minus_data).cwiseAbs().maxCoeff(), 1.0);
}

// Analytic Jacobian against central differences (Ceres' GradientChecker habit), column by column.
TEST(Sphere, AnalyticJacobianMatchesCentralDifferences) {
  const Vector stations = seed_stations();
  std::mt19937_64 random(20240607);
  double worst = 0.0;
  for (const std::string convention : {"plus", "minus"}) {
    auto model = configured_sphere(convention, stations);
    for (int trial = 0; trial < 60; ++trial) {
      const Vector parameters = random_model(random);
      Vector data(stations.size());
      Matrix analytic(stations.size(), 4), numeric(stations.size(), 4);
      model->predict_with_jacobian(parameters, data, analytic);
      geoinv::central_difference_jacobian(*model, parameters, numeric);
      for (Eigen::Index j = 0; j < 4; ++j) {
        const double relative =
            (analytic.col(j) - numeric.col(j)).norm() / std::max(analytic.col(j).norm(), 1e-300);
        worst = std::max(worst, relative);
        EXPECT_LT(relative, 1e-6) << convention << " trial " << trial << " column " << j << "\nmodel "
                                  << parameters.transpose();
      }
    }
  }
  std::ostringstream worst_text;
  worst_text << worst;
  RecordProperty("worst_relative_column_error", worst_text.str());
}

// (K, θ) ≡ (-K, θ + 180°) and (h, θ) ≡ (-h, -θ), and θ is periodic: every member of a class predicts the
// same data, and canonicalize maps them all to one set of numbers with h > 0, K ≥ 0, θ in [0, 2π).
TEST(Sphere, SymmetricModelsPredictTheSameDataAndCanonicalizeToOneModel) {
  const Vector stations = seed_stations();
  std::mt19937_64 random(7);
  for (const std::string convention : {"plus", "minus"}) {
    auto model = configured_sphere(convention, stations);
    for (int trial = 0; trial < 50; ++trial) {
      const Vector original = random_model(random);
      const double x0 = original(0), theta = original(1), h = original(2), K = original(3);
      const Vector members[] = {
          original,
          model_in_radians(x0, theta + geoinv::kPi, h, -K),
          model_in_radians(x0, -theta, -h, K),
          model_in_radians(x0, geoinv::kPi - theta, -h, -K),
          model_in_radians(x0, theta + 3.0 * kTwoPi, h, K),
          model_in_radians(x0, theta - 2.0 * kTwoPi, h, K),
      };

      Vector expected_data(stations.size()), data(stations.size());
      model->predict(original, expected_data);
      const double tolerance = 1e-10 * expected_data.cwiseAbs().maxCoeff();

      Vector reference = original;
      model->canonicalize(reference);
      for (const Vector& member : members) {
        model->predict(member, data);
        EXPECT_LT((data - expected_data).cwiseAbs().maxCoeff(), tolerance) << member.transpose();

        Vector canonical = member;
        model->canonicalize(canonical);
        EXPECT_GT(canonical(2), 0.0);
        EXPECT_GE(canonical(3), 0.0);
        EXPECT_GE(canonical(1), 0.0);
        EXPECT_LT(canonical(1), kTwoPi);
        EXPECT_EQ(canonical(0), reference(0));
        EXPECT_EQ(canonical(2), reference(2));
        EXPECT_EQ(canonical(3), reference(3));
        EXPECT_LT(circular_distance(canonical(1), reference(1)), 1e-12) << member.transpose();

        model->predict(canonical, data);
        EXPECT_LT((data - expected_data).cwiseAbs().maxCoeff(), tolerance);
      }
    }
  }
}

TEST(Sphere, CanonicalizeMapsKnownMirrorsToTheSeedSphere) {
  auto model = configured_sphere("minus", seed_stations());
  const Vector seed = model_of(77.07, 309.37, 41.81, 94686.0);
  for (Vector mirror :
       {model_of(77.07, 129.37, 41.81, -94686.0), model_of(77.07, -309.37, -41.81, 94686.0),
        model_of(77.07, -129.37, -41.81, -94686.0), model_of(77.07, -50.63, 41.81, 94686.0)}) {
    model->canonicalize(mirror);
    EXPECT_NEAR(mirror(0), seed(0), 1e-12);
    EXPECT_NEAR(mirror(1), seed(1), 1e-12);
    EXPECT_NEAR(mirror(2), seed(2), 1e-12);
    EXPECT_NEAR(mirror(3), seed(3), 1e-12);
  }
}

// The hot path must not touch the heap: a dls inversion makes a dozen of these calls (docs/benchmarks.md).
TEST(Sphere, EvaluationAllocatesNothing) {
  if (!geoinv::sp::testing::heap_allocations_counted())
    GTEST_SKIP() << geoinv::sp::testing::kNotCountedUnderSanitizer;
  const Vector stations = seed_stations();
  auto model = configured_sphere("minus", stations);
  const Vector parameters = model_of(77.07, 309.37, 41.81, 94686.0);
  Vector data(stations.size());
  Matrix jacobian(stations.size(), 4);
  Vector canonical = model_of(77.07, -50.63, -41.81, -94686.0);

  const long before = geoinv::sp::testing::heap_allocations();
  model->predict(parameters, data);
  model->predict_with_jacobian(parameters, data, jacobian);
  model->canonicalize(canonical);
  EXPECT_EQ(geoinv::sp::testing::heap_allocations() - before, 0);

  // The counter does see allocations (otherwise the test above proves nothing).
  const long before_allocation = geoinv::sp::testing::heap_allocations();
  Vector allocated(stations.size());
  EXPECT_GT(geoinv::sp::testing::heap_allocations() - before_allocation, 0);
  EXPECT_EQ(allocated.size(), stations.size());
}

TEST(Sphere, ExampleIsTheReadmeExampleAndUsesTheSeedStudy) {
  auto model = registry().create_forward_model("sphere");
  const std::string example = model->example_yaml();
  EXPECT_NE(example.find("plugin: sphere"), std::string::npos);
  EXPECT_NE(example.find("convention: minus"), std::string::npos);
  EXPECT_NE(example.find("true_model: {x0: 77.07, theta: 309.37, h: 41.81, K: 94686}"), std::string::npos);
  EXPECT_NE(example.find("- plugin: dls"), std::string::npos);

  std::ifstream readme(std::string(GEOINV_TEST_SOURCE_DIR) + "/plugins/forward/sphere/README.md");
  ASSERT_TRUE(readme) << "README.md beside the plugin";
  std::stringstream text;
  text << readme.rdbuf();
  EXPECT_NE(text.str().find("```yaml\n" + example + "```"), std::string::npos)
      << "README.md must show example.yaml verbatim in a ```yaml block";
}

}  // namespace
