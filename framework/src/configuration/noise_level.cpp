// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/noise_level.hpp"

#include <fmt/format.h>

#include <cmath>

namespace geoinv {

NoiseLevel read_noise_level(const ConfigNode& node, bool required) {
  NoiseLevel level;
  const ConfigNode sigma = node["noise_sigma"], snr = node["snr"];
  if (sigma.defined() && snr.defined())
    snr.fail("give the noise as noise_sigma (σ, data units) or as snr (RMS signal / RMS noise), not both");
  if (required && !sigma.defined() && !snr.defined())
    node.fail(
        "the noise is missing: give noise_sigma (σ, data units, >= 0) or snr (RMS signal / RMS noise, > 0)");
  if (sigma.defined()) {
    level.sigma = sigma.as_real();
    if (*level.sigma < 0.0)
      sigma.fail(fmt::format("noise_sigma must be >= 0 (a standard deviation), got {}", *level.sigma));
  }
  if (snr.defined()) {
    level.snr = snr.as_real();
    if (!(*level.snr > 0.0))
      snr.fail(fmt::format("snr is RMS(signal) / RMS(noise), an amplitude ratio: must be > 0, got {}",
                           *level.snr));
  }
  return level;
}

double noise_sigma_for(const NoiseLevel& level, const Eigen::Ref<const Vector>& clean) {
  if (level.sigma) return *level.sigma;
  if (!level.snr || clean.size() == 0) return 0.0;
  return std::sqrt(clean.squaredNorm() / static_cast<double>(clean.size())) / *level.snr;
}

}  // namespace geoinv
