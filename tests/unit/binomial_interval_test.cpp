// SPDX-License-Identifier: BSD-3-Clause
// Wilson's score interval (base/binomial_interval.hpp) against published values: Newcombe, "Two-sided
// confidence intervals for the single proportion", Statistics in Medicine 17 (1998), method 3
// (score interval without continuity correction), given there to 4 decimals.
#include "base/binomial_interval.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace geoinv {
namespace {

void expect_interval(std::int64_t successes, std::int64_t trials, double low, double high, double tolerance) {
  const ProportionInterval interval = wilson_interval(successes, trials);
  EXPECT_NEAR(interval.low, low, tolerance) << successes << "/" << trials;
  EXPECT_NEAR(interval.high, high, tolerance) << successes << "/" << trials;
}

TEST(WilsonInterval, MatchesNewcombesPublishedValues) {
  expect_interval(81, 263, 0.2553, 0.3662, 0.5e-4);
  expect_interval(15, 148, 0.0624, 0.1605, 0.5e-4);
  expect_interval(0, 20, 0.0000, 0.1611, 0.5e-4);
  expect_interval(1, 29, 0.0061, 0.1718, 0.5e-4);
}

// The example: 93 and 89 of 100 runs, whose intervals overlap widely.
TEST(WilsonInterval, NinetyThreeOfAHundred) {
  expect_interval(93, 100, 0.863, 0.966, 0.5e-3);
  expect_interval(89, 100, 0.814, 0.937, 0.5e-3);
  EXPECT_LT(wilson_interval(93, 100).low, 0.89);
}

TEST(WilsonInterval, StaysInTheUnitIntervalAndIsExactAtTheEnds) {
  for (std::int64_t n : {1, 2, 7, 100, 1000000})
    for (std::int64_t k : {std::int64_t{0}, n / 3, n - 1, n}) {
      const ProportionInterval interval = wilson_interval(k, n);
      const double p = static_cast<double>(k) / static_cast<double>(n);
      EXPECT_GE(interval.low, 0.0);
      EXPECT_LE(interval.high, 1.0);
      EXPECT_LE(interval.low, p);
      EXPECT_GE(interval.high, p);
    }
  EXPECT_EQ(wilson_interval(0, 50).low, 0.0);
  EXPECT_EQ(wilson_interval(50, 50).high, 1.0);
  EXPECT_LT(wilson_interval(50, 50).low, 1.0);  // not empty at n of n
}

TEST(WilsonInterval, IsNotANumberWithoutTrials) {
  EXPECT_TRUE(std::isnan(wilson_interval(0, 0).low));
  EXPECT_TRUE(std::isnan(wilson_interval(0, 0).high));
}

TEST(WilsonInterval, NarrowsWithTheNumberOfRuns) {
  const ProportionInterval small = wilson_interval(9, 10), large = wilson_interval(900, 1000);
  EXPECT_LT(large.high - large.low, small.high - small.low);
}

}  // namespace
}  // namespace geoinv
