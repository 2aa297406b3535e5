// SPDX-License-Identifier: BSD-3-Clause
// The random sparse reflectivity prior (configuration/sparse_reflectivity.hpp) and the resolution of an SNR
// (configuration/noise_level.hpp): the generators behind windowed training sets and synthetic traces. Their
// YAML readers are tested with the other section readers (experiment_sections_test.cpp).
#include "configuration/sparse_reflectivity.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "configuration/noise_level.hpp"

namespace geoinv {
namespace {

TEST(SparseReflectivity, ATraceHasTheChosenNumberOfSpikesWithinTheAmplitudes) {
  const SparseReflectivity prior;  // density 0.05, U(-0.3, 0.3): 13 spikes on 256 samples, as the peer
  NormalGenerator random(7);
  for (int trace = 0; trace < 50; ++trace) {
    const Vector r = draw_sparse_reflectivity(prior, 256, random);
    ASSERT_EQ(r.size(), 256);
    EXPECT_EQ((r.array() != 0.0).count(), 13);
    EXPECT_LT(r.cwiseAbs().maxCoeff(), 0.3);
  }
  EXPECT_EQ(prior.spikes(256), 13);
  EXPECT_EQ(prior.spikes(5), 1);  // never an empty trace
  const SparseReflectivity every_sample{1.0, -1.0, 1.0};
  EXPECT_EQ(every_sample.spikes(21), 21);
}

TEST(SparseReflectivity, TheSameSeedGivesTheSameTraceAndSpikesSpreadOverTheTrace) {
  NormalGenerator a(3), b(3);
  const SparseReflectivity prior;
  EXPECT_EQ(draw_sparse_reflectivity(prior, 256, a), draw_sparse_reflectivity(prior, 256, b));
  Vector hits = Vector::Zero(64);
  for (int trace = 0; trace < 2000; ++trace)
    hits += (draw_sparse_reflectivity(prior, 64, a).array() != 0.0).cast<double>().matrix();
  // 3 spikes of 64 per trace: each sample is hit 2000·3/64 ≈ 94 times; uniform positions stay near that.
  EXPECT_GT(hits.minCoeff(), 55.0);
  EXPECT_LT(hits.maxCoeff(), 135.0);
}

TEST(NoiseLevel, AnSnrIsTheRatioOfRmsAmplitudes) {
  const Vector clean = (Vector(4) << 3.0, -3.0, 3.0, -3.0).finished();  // RMS 3
  EXPECT_DOUBLE_EQ(noise_sigma_for(NoiseLevel{std::nullopt, 10.0}, clean), 0.3);
  EXPECT_DOUBLE_EQ(noise_sigma_for(NoiseLevel{2.0, std::nullopt}, clean), 2.0);
  EXPECT_EQ(noise_sigma_for(NoiseLevel{}, clean), 0.0);
}

}  // namespace
}  // namespace geoinv
