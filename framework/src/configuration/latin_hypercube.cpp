// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/latin_hypercube.hpp"

#include <algorithm>
#include <utility>

#include "base/random.hpp"

namespace geoinv {

std::vector<Vector> latin_hypercube_samples(const Vector& lower, const Vector& upper, std::int64_t count,
                                            std::uint64_t seed) {
  NormalGenerator random(seed);
  const Eigen::Index n = lower.size();
  std::vector<Vector> samples(static_cast<std::size_t>(count), Vector(n));
  std::vector<std::int64_t> strata(static_cast<std::size_t>(count));
  for (Eigen::Index j = 0; j < n; ++j) {
    for (std::int64_t k = 0; k < count; ++k) strata[static_cast<std::size_t>(k)] = k;
    for (std::int64_t k = count - 1; k > 0; --k) {  // Fisher-Yates
      const auto other = static_cast<std::int64_t>(random.uniform() * static_cast<double>(k + 1));
      std::swap(strata[static_cast<std::size_t>(k)], strata[static_cast<std::size_t>(std::min(other, k))]);
    }
    for (std::int64_t k = 0; k < count; ++k) {
      const double position = (static_cast<double>(strata[static_cast<std::size_t>(k)]) + random.uniform()) /
                              static_cast<double>(count);
      samples[static_cast<std::size_t>(k)](j) = lower(j) + position * (upper(j) - lower(j));
    }
  }
  return samples;
}

}  // namespace geoinv
