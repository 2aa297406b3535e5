// SPDX-License-Identifier: BSD-3-Clause
// The campaign progress bar's ETA (campaigns/results_file.hpp: seconds_left): none until the rate is known.
#include <gtest/gtest.h>

#include <chrono>

#include "campaigns/results_file.hpp"

namespace geoinv {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(SecondsLeft, NoneAfterTheFirstRunAlone) {
  // Eight workers' first runs finish together after 3 s of set-up: the old estimate from the start
  // promised 100 runs x 3 s / 8 = 37 s for what takes about 4 s at the steady rate.
  EXPECT_FALSE(seconds_left(8, 100, 8, seconds(0)).has_value());
  EXPECT_FALSE(seconds_left(1, 100, 1, seconds(5)).has_value());  // no second run yet
}

TEST(SecondsLeft, NoneWithinTheRateWindow) {
  EXPECT_FALSE(seconds_left(20, 100, 8, milliseconds(500)).has_value());
}

TEST(SecondsLeft, FromTheRateSinceTheFirstRun) {
  const auto left = seconds_left(28, 100, 8, seconds(2));  // 20 runs in 2 s: 10 runs/s, 72 to go
  ASSERT_TRUE(left.has_value());
  EXPECT_DOUBLE_EQ(*left, 7.2);
}

}  // namespace
}  // namespace geoinv
