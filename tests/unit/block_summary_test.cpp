// SPDX-License-Identifier: BSD-3-Clause
// The block metrics of results.csv and result.json (running/block_summary.hpp): a correlation is a
// correlation, within [−1, 1] and unchanged by the scale of either vector, however small the estimate.
#include "running/block_summary.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace {

using geoinv::Vector;

// A wedge-like truth (+0.2 and −0.2 three samples apart in 256) and an estimate that is mostly the truth.
Vector wedge_truth() {
  Vector truth = Vector::Zero(256);
  truth[100] = 0.2;
  truth[103] = -0.2;
  return truth;
}

Vector smeared_estimate() {
  Vector estimate = wedge_truth();
  for (Eigen::Index i = 0; i < estimate.size(); ++i) estimate[i] += 0.01 * std::sin(0.7 * static_cast<double>(i));
  return estimate;
}

TEST(BlockCorrelation, CorrelationDoesNotDependOnTheEstimatesScale) {
  const Vector truth = wedge_truth(), estimate = smeared_estimate();
  const double reference = geoinv::pearson_correlation(estimate, truth);
  ASSERT_GT(reference, 0.5);
  ASSERT_LE(reference, 1.0);
  // A solver that shrinks the block to almost nothing (a strong penalty, a network's near-zero output)
  // still gives a correlation: the squares of these values underflow, their products with the truth not.
  for (const double scale : {1e-150, 1e-160, 1e-165, 1e-300, 1e150}) {
    const double r = geoinv::pearson_correlation(scale * estimate, truth);
    EXPECT_NEAR(r, reference, 1e-12) << "scale " << scale;
    EXPECT_NEAR(geoinv::pearson_correlation(truth, scale * estimate), reference, 1e-12) << "scale " << scale;
  }
}

TEST(BlockCorrelation, CorrelationOfAConstantBlockIsNaN) {
  const Vector truth = wedge_truth();
  // 0.1 repeated: its computed mean is not exactly 0.1, so the centred values are rounding noise, not 0.
  EXPECT_TRUE(std::isnan(geoinv::pearson_correlation(Vector::Constant(256, 0.1), truth)));
  EXPECT_TRUE(std::isnan(geoinv::pearson_correlation(Vector::Zero(256), truth)));
  EXPECT_TRUE(std::isnan(geoinv::pearson_correlation(truth, Vector::Constant(256, 0.3))));
}

TEST(BlockCorrelation, CorrelationStaysWithinMinusOneAndOne) {
  const Vector truth = wedge_truth();
  EXPECT_LE(geoinv::pearson_correlation(truth, truth), 1.0);
  EXPECT_GE(geoinv::pearson_correlation(-truth, truth), -1.0);
  EXPECT_NEAR(geoinv::pearson_correlation(1e-200 * truth, truth), 1.0, 1e-12);
}

}  // namespace
