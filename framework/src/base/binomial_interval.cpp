// SPDX-License-Identifier: BSD-3-Clause
#include "base/binomial_interval.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace geoinv {

ProportionInterval wilson_interval(std::int64_t successes, std::int64_t trials, double z) {
  if (trials <= 0) return {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN()};
  const double n = static_cast<double>(trials);
  const double p = static_cast<double>(successes) / n;
  const double z2 = z * z;
  const double scale = 1.0 + z2 / n;
  const double centre = (p + z2 / (2.0 * n)) / scale;
  const double half_width = z / scale * std::sqrt(p * (1.0 - p) / n + z2 / (4.0 * n * n));
  // At 0 and n successes the bound is exactly 0 or 1; rounding must not leave it a hair outside.
  const double low = successes == 0 ? 0.0 : std::max(0.0, centre - half_width);
  const double high = successes == trials ? 1.0 : std::min(1.0, centre + half_width);
  return {low, high};
}

}  // namespace geoinv
