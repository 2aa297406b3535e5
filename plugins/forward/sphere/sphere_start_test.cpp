// SPDX-License-Identifier: BSD-3-Clause
// The sphere's data-driven start (ForwardModel::estimate_start, sp/shape_factor_start.hpp), judged by what
// it is for: `dls` started from it, through a geoinv::Problem, must find the depth of noisy random spheres.
// The population is the seed study's prior (docs/seed-reproduction.md), drawn continuously.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <iostream>
#include <random>
#include <sstream>
#include <string>

#include "geoinv/parameter.hpp"
#include "geoinv/termination.hpp"
#include "sp/testing.hpp"

namespace {

using geoinv::Vector;
namespace sp_testing = geoinv::sp::testing;

constexpr int kDraws = 1000;
const double kNoiseSigma = std::sqrt(10.0);  // mV: variance 10 mV²

double relative_depth_error(const Vector& estimate, const Vector& truth) {
  return std::abs(estimate(2) - truth(2)) / truth(2);
}

// x0 U(50, 100) m, θ U(260°, 340°) minus form, h U(7, 75) m, K U(7e4, 1.1e5) mV·m²; 101 stations on
// 0..150 m; Gaussian noise σ = √10 mV. dls started from the data-driven estimate must recover h within
// 20 % on at least 99 % of the draws.
//
// That target sits at the noise limit of the problem itself: for the deepest, weakest spheres of this
// prior (h ≈ 70 m, a peak of ~15 mV under 3.2 mV noise) the least-squares minimum is sometimes more than
// 20 % off in depth, wherever a solver starts. On 20,000 further draws (seeds 11, 12) the rate was 99.1 %
// and every miss was the minimum's own: dls started from the true model landed on the same minimum. So
// the test also checks that the start is never the cause: every miss must be a miss from the truth too,
// and the start must never leave dls at a worse minimum than the one the truth leads to.
TEST(SphereDataDrivenStart, DlsRecoversTheDepthOfNoisyRandomSpheres) {
  const Vector stations = Vector::LinSpaced(101, 0.0, 150.0);
  const auto sphere = sp_testing::configured("sphere", stations, {{"convention", "minus"}});
  const Vector sigma = Vector::Constant(stations.size(), kNoiseSigma);

  std::mt19937_64 random(20240611);
  std::uniform_real_distribution<double> x0(50.0, 100.0), theta(260.0, 340.0), h(7.0, 75.0), K(7e4, 1.1e5);
  std::normal_distribution<double> noise(0.0, kNoiseSigma);

  int successes = 0, converged = 0, minimum_off = 0, start_caused = 0;
  std::ostringstream misses;
  for (int draw = 0; draw < kDraws; ++draw) {
    const Vector truth = sp_testing::model_of(*sphere, {x0(random), theta(random), h(random), K(random)});
    Vector observed = sp_testing::predict(*sphere, truth, stations.size());
    for (Eigen::Index i = 0; i < observed.size(); ++i) observed(i) += noise(random);

    Vector start(4);
    ASSERT_TRUE(sphere->estimate_start(observed, start)) << "draw " << draw;
    ASSERT_TRUE(start.allFinite()) << "draw " << draw;
    const auto inversion = sp_testing::invert_with_dls(sphere, stations, observed, start, sigma);
    if (geoinv::status_of(inversion.outcome.termination) == geoinv::RunStatus::converged) ++converged;

    // The minimum nearest the truth: what a solver that knew the answer would find.
    const auto from_truth = sp_testing::invert_with_dls(sphere, stations, observed, truth, sigma);
    const bool worse_minimum = inversion.sse > from_truth.sse * (1.0 + 1e-6);
    const bool success = relative_depth_error(inversion.estimate, truth) <= 0.2;
    const bool truth_success = relative_depth_error(from_truth.estimate, truth) <= 0.2;
    if (success) ++successes;
    if (!truth_success) ++minimum_off;
    if (worse_minimum || (!success && truth_success)) ++start_caused;
    if (!success || worse_minimum)
      misses << "draw " << draw << ": truth " << truth.transpose() << ", start " << start.transpose()
             << ", estimate " << inversion.estimate.transpose() << " (sse " << inversion.sse
             << "; from the truth " << from_truth.sse << ", h " << from_truth.estimate(2) << ")\n";
  }
  const double rate = static_cast<double>(successes) / kDraws;
  RecordProperty("draws", kDraws);
  RecordProperty("depth_within_20_percent", successes);
  RecordProperty("least_squares_minimum_more_than_20_percent_off", minimum_off);
  RecordProperty("misses_caused_by_the_start", start_caused);
  std::cout << "data-driven start + dls: depth within 20 % on " << successes << " / " << kDraws << " draws ("
            << 100.0 * rate << " %); the least-squares minimum itself is > 20 % off on " << minimum_off
            << "; misses caused by the start: " << start_caused << "; converged: " << converged << "\n"
            << misses.str();
  EXPECT_GE(rate, 0.99) << misses.str();
  EXPECT_EQ(start_caused, 0) << misses.str();
  EXPECT_EQ(converged, kDraws);
}

// Noise-free data: the start leads dls to the true sphere itself, in both conventions.
TEST(SphereDataDrivenStart, LeadsDlsToTheExactModelOnNoiseFreeData) {
  const Vector stations = Vector::LinSpaced(101, 0.0, 150.0);
  std::mt19937_64 random(5);
  std::uniform_real_distribution<double> x0(20.0, 130.0), theta(0.0, 360.0), h(5.0, 80.0), K(1e3, 2e5);
  for (const char* convention : {"plus", "minus"}) {
    const auto sphere = sp_testing::configured("sphere", stations, {{"convention", convention}});
    for (int draw = 0; draw < 50; ++draw) {
      Vector truth = sp_testing::model_of(*sphere, {x0(random), theta(random), h(random), K(random)});
      sphere->canonicalize(truth);
      const Vector observed = sp_testing::predict(*sphere, truth, stations.size());
      Vector start(4);
      ASSERT_TRUE(sphere->estimate_start(observed, start));
      const auto inversion = sp_testing::invert_with_dls(sphere, stations, observed, start);
      EXPECT_NEAR(inversion.estimate(0), truth(0), 1e-6 * 100.0) << convention << " draw " << draw;
      EXPECT_LT(sp_testing::angle_distance(inversion.estimate(1), truth(1)), 1e-7)
          << convention << " draw " << draw;
      EXPECT_NEAR(inversion.estimate(2), truth(2), 1e-6 * truth(2)) << convention << " draw " << draw;
      EXPECT_NEAR(inversion.estimate(3), truth(3), 1e-6 * truth(3)) << convention << " draw " << draw;
    }
  }
}

// And from a fixed start: the seed study's start model on the noise-free S2 sphere
// (docs/seed-reproduction.md).
TEST(SphereFixedStart, DlsRecoversTheNoiseFreeSeedSphereFromTheStudysStart) {
  const Vector stations = Vector::LinSpaced(101, 0.0, 150.0);
  const auto sphere = sp_testing::configured("sphere", stations, {{"convention", "minus"}});
  const Vector truth = sp_testing::model_of(*sphere, {77.07, 309.37, 41.81, 94686.0});
  const Vector start = sp_testing::model_of(*sphere, {20.0, 300.0, 40.0, 94500.0});
  const auto inversion = sp_testing::invert_with_dls(
      sphere, stations, sp_testing::predict(*sphere, truth, stations.size()), start);
  EXPECT_EQ(geoinv::status_of(inversion.outcome.termination), geoinv::RunStatus::converged);
  EXPECT_LT(sp_testing::model_distance(*sphere, inversion.estimate, truth), 1e-6)
      << inversion.estimate.transpose();
}

TEST(SphereDataDrivenStart, RefusesDataOfTheWrongSizeOrNotFinite) {
  const Vector stations = Vector::LinSpaced(101, 0.0, 150.0);
  const auto sphere = sp_testing::configured("sphere", stations);
  Vector start(4);
  EXPECT_FALSE(sphere->estimate_start(Vector::Zero(50), start));
  Vector observed = Vector::Ones(101);
  observed(7) = std::nan("");
  EXPECT_FALSE(sphere->estimate_start(observed, start));
  // Zero data: a neutral start (K = 0) rather than none.
  ASSERT_TRUE(sphere->estimate_start(Vector::Zero(101), start));
  EXPECT_TRUE(start.allFinite());
  EXPECT_EQ(start(3), 0.0);
  EXPECT_GT(start(2), 0.0);
}

}  // namespace
