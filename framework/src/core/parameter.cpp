// SPDX-License-Identifier: BSD-3-Clause
#include "geoinv/parameter.hpp"

#include <cmath>

namespace geoinv {

double wrap_angle(double radians) {
  double wrapped = std::fmod(radians, 2.0 * kPi);
  if (wrapped < 0.0) wrapped += 2.0 * kPi;
  // fmod of a value just below a multiple of 2π can round up to 2π itself.
  if (wrapped >= 2.0 * kPi) wrapped = 0.0;
  return wrapped;
}

}  // namespace geoinv
