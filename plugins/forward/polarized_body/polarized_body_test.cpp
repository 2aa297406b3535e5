// SPDX-License-Identifier: BSD-3-Clause
// Tests of the `polarized_body` plugin (shape factor q inverted), loaded the way the host loads it: q at
// 1.5, 1 and 0.5 reproduces S1, S1′ and S4 of docs/models/shape-factor.md, q is declared last and bounded,
// and dls recovers noise-free models, q included, from a fixed start and from the data-driven start.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <random>
#include <string>

#include "geoinv/parameter.hpp"
#include "geoinv/termination.hpp"
#include "sp/testing.hpp"

namespace {

using geoinv::Vector;
namespace sp_testing = geoinv::sp::testing;

TEST(PolarizedBody, DeclaresQLastAndBounded) {
  auto model = sp_testing::registry().create_forward_model("polarized_body");
  const auto specs = model->parameters();
  ASSERT_EQ(specs.size(), 5u);
  const char* names[] = {"x0", "theta", "h", "K", "q"};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(specs[i].name, names[i]);
  EXPECT_EQ(specs[3].unit, "mV*m^(2q-1)");
  EXPECT_GT(specs[4].lower, 0.0);
  EXPECT_LT(specs[4].upper, 10.0);
  EXPECT_LE(specs[4].lower, 0.5);
  EXPECT_GE(specs[4].upper, 1.5);
}

TEST(PolarizedBody, ReproducesS1S1PrimeAndS4AtTheirShapeFactors) {
  Vector stations(3);
  stations << -20.0, 0.0, 20.0;
  auto model = sp_testing::configured("polarized_body", stations);
  Vector data = sp_testing::predict(*model, sp_testing::model_of(*model, {0.0, 40.0, 20.0, -600.0, 1.5}), 3);
  EXPECT_NEAR(data(0), 0.065367, 1e-6);
  EXPECT_NEAR(data(1), -0.964181, 1e-6);
  EXPECT_NEAR(data(2), -0.747146, 1e-6);
  data = sp_testing::predict(*model, sp_testing::model_of(*model, {0.0, 40.0, 20.0, -600.0, 1.0}), 3);
  EXPECT_NEAR(data(0), 1.848853, 1e-6);
  EXPECT_NEAR(data(1), -19.283628, 1e-6);
  EXPECT_NEAR(data(2), -21.132481, 1e-6);

  stations << 0.0, 15.0, 30.0;
  auto cylinder = sp_testing::configured("polarized_body", stations);
  data = sp_testing::predict(*cylinder, sp_testing::model_of(*cylinder, {0.0, -90.0, 15.0, 50.0, 0.5}), 3);
  EXPECT_NEAR(data(0), -50.0, 1e-6);
  EXPECT_NEAR(data(1), -35.355339, 1e-6);
  EXPECT_NEAR(data(2), -22.360680, 1e-6);
}

TEST(PolarizedBody, DlsRecoversNoiseFreeModelsAndQFromAFixedAndTheDataDrivenStart) {
  const Vector stations = Vector::LinSpaced(101, 0.0, 150.0);
  std::mt19937_64 random(6);
  std::uniform_real_distribution<double> x0(30.0, 120.0), theta(0.0, 360.0), h(5.0, 40.0), q(0.6, 1.8),
      peak(20.0, 200.0);
  for (const char* convention : {"plus", "minus"}) {
    auto model = sp_testing::configured("polarized_body", stations, {{"convention", convention}});
    Vector truth = sp_testing::model_of(*model, {75.0, 300.0, 25.0, 30000.0, 1.4});
    Vector start = sp_testing::model_of(*model, {65.0, 280.0, 30.0, 20000.0, 1.2});
    for (int draw = 0; draw < 41; ++draw) {
      if (draw > 0) {
        // K from a peak of 20..200 mV: |K| ≈ peak·h^(2q−1).
        const double depth = h(random), shape = q(random);
        truth = sp_testing::model_of(*model, {x0(random), theta(random), depth,
                                              peak(random) * std::pow(depth, 2.0 * shape - 1.0), shape});
        ASSERT_TRUE(model->estimate_start(sp_testing::predict(*model, truth, stations.size()), start));
      }
      model->canonicalize(truth);
      const Vector observed = sp_testing::predict(*model, truth, stations.size());
      const auto inversion = sp_testing::invert_with_dls(model, stations, observed, start);
      EXPECT_EQ(geoinv::status_of(inversion.outcome.termination), geoinv::RunStatus::converged)
          << inversion.outcome.message;
      EXPECT_LT(sp_testing::model_distance(*model, inversion.estimate, truth), 1e-6)
          << convention << " draw " << draw << "\ntruth " << truth.transpose() << "\nstart "
          << start.transpose() << "\nestimate " << inversion.estimate.transpose();
    }
  }
}

}  // namespace
