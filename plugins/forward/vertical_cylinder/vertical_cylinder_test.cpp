// SPDX-License-Identifier: BSD-3-Clause
// Tests of the `vertical_cylinder` plugin, loaded the way the host loads it: reference S4 of
// docs/models/shape-factor.md in both conventions, its declarations, the anomaly that does not decay, and
// exact recovery of noise-free models with `dls` from a fixed start and from the data-driven start. The
// formula, Jacobian and symmetries are sp_common's (shape_factor_test); the conformance suite checks the
// plugin's too.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <random>
#include <string>
#include <utility>

#include "geoinv/parameter.hpp"
#include "geoinv/termination.hpp"
#include "sp/testing.hpp"

namespace {

using geoinv::Vector;
namespace sp_testing = geoinv::sp::testing;

TEST(VerticalCylinder, DeclaresTheFamilysParametersWithItsUnits) {
  auto model = sp_testing::registry().create_forward_model("vertical_cylinder");
  const auto specs = model->parameters();
  ASSERT_EQ(specs.size(), 4u);
  EXPECT_EQ(specs[0].name, "x0");
  EXPECT_EQ(specs[1].name, "theta");
  EXPECT_EQ(specs[2].name, "h");
  EXPECT_NE(specs[2].doc.find("top"), std::string::npos);
  EXPECT_EQ(specs[3].name, "K");
  EXPECT_EQ(specs[3].unit, "mV");
}

// S4: q = 0.5, K = 50, x0 = 0, h = 15, θ = −90° (plus form); the minus form gives it with θ = 90°.
TEST(VerticalCylinder, ReproducesReferenceS4InBothConventions) {
  Vector stations(3);
  stations << 0.0, 15.0, 30.0;
  for (const auto& [convention, theta] : {std::pair{"plus", -90.0}, std::pair{"minus", 90.0}}) {
    auto model = sp_testing::configured("vertical_cylinder", stations, {{"convention", convention}});
    const Vector data =
        sp_testing::predict(*model, sp_testing::model_of(*model, {0.0, theta, 15.0, 50.0}), 3);
    EXPECT_NEAR(data(0), -50.0, 1e-6) << convention;
    EXPECT_NEAR(data(1), -35.355339, 1e-6) << convention;
    EXPECT_NEAR(data(2), -22.360680, 1e-6) << convention;
  }
}

// V → ∓K·cosθ far to either side (docs/models/shape-factor.md): the anomaly does not decay.
TEST(VerticalCylinder, TendsToPlusMinusKCosThetaFarAway) {
  Vector stations(2);
  stations << -1e7, 1e7;
  auto model = sp_testing::configured("vertical_cylinder", stations);
  const Vector data = sp_testing::predict(*model, sp_testing::model_of(*model, {0.0, 30.0, 10.0, 100.0}), 2);
  EXPECT_NEAR(data(0), -100.0 * std::cos(geoinv::to_radians(30.0)), 1e-3);
  EXPECT_NEAR(data(1), 100.0 * std::cos(geoinv::to_radians(30.0)), 1e-3);
}

TEST(VerticalCylinder, DlsRecoversNoiseFreeModelsFromAFixedAndTheDataDrivenStart) {
  const Vector stations = Vector::LinSpaced(101, 0.0, 150.0);
  std::mt19937_64 random(4);
  std::uniform_real_distribution<double> x0(20.0, 130.0), theta(0.0, 360.0), h(3.0, 50.0), K(10.0, 1e3);
  for (const char* convention : {"plus", "minus"}) {
    auto model = sp_testing::configured("vertical_cylinder", stations, {{"convention", convention}});
    // The example's body and start.
    Vector truth = sp_testing::model_of(*model, {70.0, 250.0, 8.0, 120.0});
    Vector start = sp_testing::model_of(*model, {60.0, 230.0, 15.0, 80.0});
    for (int draw = 0; draw < 41; ++draw) {
      if (draw > 0) {
        truth = sp_testing::model_of(*model, {x0(random), theta(random), h(random), K(random)});
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
