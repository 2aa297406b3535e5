// SPDX-License-Identifier: BSD-3-Clause
// Tests of the `horizontal_cylinder` plugin, loaded the way the host loads it: reference S1′ of
// docs/models/shape-factor.md in both conventions, its declarations, and exact recovery of noise-free models
// with `dls` from a fixed start and from the data-driven start. The formula, Jacobian and symmetries are
// sp_common's (shape_factor_test); the conformance suite checks the plugin's Jacobian and symmetries too.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <random>
#include <string>
#include <utility>

#include "geoinv/parameter.hpp"
#include "geoinv/termination.hpp"
#include "sp/testing.hpp"

namespace {

using geoinv::Vector;
namespace sp_testing = geoinv::sp::testing;

TEST(HorizontalCylinder, DeclaresTheFamilysParametersWithItsUnits) {
  auto model = sp_testing::registry().create_forward_model("horizontal_cylinder");
  const auto specs = model->parameters();
  ASSERT_EQ(specs.size(), 4u);
  EXPECT_EQ(specs[0].name, "x0");
  EXPECT_EQ(specs[1].name, "theta");
  EXPECT_TRUE(specs[1].is_angle);
  EXPECT_EQ(specs[2].name, "h");
  EXPECT_NE(specs[2].doc.find("axis"), std::string::npos);
  EXPECT_EQ(specs[3].name, "K");
  EXPECT_EQ(specs[3].unit, "mV*m");
  ASSERT_EQ(model->options().size(), 1u);
  EXPECT_EQ(model->options()[0].name, "convention");
}

// S1′: q = 1, K = −600, x0 = 0, h = 20, θ = 40° (plus form); the minus form gives it with θ = −40°.
TEST(HorizontalCylinder, ReproducesReferenceS1PrimeInBothConventions) {
  Vector stations(3);
  stations << -20.0, 0.0, 20.0;
  for (const auto& [convention, theta] : {std::pair{"plus", 40.0}, std::pair{"minus", -40.0}}) {
    auto model = sp_testing::configured("horizontal_cylinder", stations, {{"convention", convention}});
    const Vector data =
        sp_testing::predict(*model, sp_testing::model_of(*model, {0.0, theta, 20.0, -600.0}), 3);
    EXPECT_NEAR(data(0), 1.848853, 1e-6) << convention;
    EXPECT_NEAR(data(1), -19.283628, 1e-6) << convention;
    EXPECT_NEAR(data(2), -21.132481, 1e-6) << convention;
  }
}

TEST(HorizontalCylinder, DlsRecoversNoiseFreeModelsFromAFixedAndTheDataDrivenStart) {
  const Vector stations = Vector::LinSpaced(101, 0.0, 150.0);
  std::mt19937_64 random(3);
  std::uniform_real_distribution<double> x0(20.0, 130.0), theta(0.0, 360.0), h(4.0, 60.0), K(100.0, 1e4);
  for (const char* convention : {"plus", "minus"}) {
    auto model = sp_testing::configured("horizontal_cylinder", stations, {{"convention", convention}});
    // The example's body and start.
    Vector truth = sp_testing::model_of(*model, {62.0, 230.0, 14.0, 1500.0});
    Vector start = sp_testing::model_of(*model, {50.0, 200.0, 25.0, 1000.0});
    for (int draw = 0; draw < 41; ++draw) {
      if (draw > 0) {
        truth = sp_testing::model_of(*model, {x0(random), theta(random), h(random), K(random)});
        start.resize(4);
        ASSERT_TRUE(model->estimate_start(sp_testing::predict(*model, truth, stations.size()), start));
      }
      model->canonicalize(truth);
      const Vector observed = sp_testing::predict(*model, truth, stations.size());
      const auto inversion = sp_testing::invert_with_dls(model, stations, observed, start);
      EXPECT_EQ(geoinv::status_of(inversion.outcome.termination), geoinv::RunStatus::converged);
      EXPECT_LT(sp_testing::model_distance(*model, inversion.estimate, truth), 1e-6)
          << convention << " draw " << draw << "\ntruth " << truth.transpose() << "\nstart "
          << start.transpose() << "\nestimate " << inversion.estimate.transpose();
    }
  }
}

}  // namespace
