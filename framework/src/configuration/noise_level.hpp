// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Gaussian noise given either as its standard deviation or as a signal-to-noise ratio, wherever an
// experiment specifies noise (data.synthetic and a learning solver's prior; docs/experiment-schema.md):
//
//   noise_sigma: 3.16   # σ of the noise, data units, >= 0
//   snr: 10             # RMS(signal) / RMS(noise), an amplitude ratio (not power, not dB), > 0
//
// At most one of the two. An SNR is resolved per trace (per profile): the noise added to a trace has
// σ = RMS(that trace's noise-free data) / snr, so every trace of a training set, whatever its amplitude,
// carries the same SNR. noise_sigma_for() is the one place this happens.
#include <optional>

#include "configuration/config_node.hpp"
#include "geoinv/forward_model.hpp"

namespace geoinv {

struct NoiseLevel {
  std::optional<double> sigma;  // noise_sigma, data units
  std::optional<double> snr;    // snr, amplitude ratio

  bool given() const { return sigma.has_value() || snr.has_value(); }
};

// Reads the keys noise_sigma and snr of the map `node` (other keys are the caller's). A located config
// error when both are given, or when a value is out of range; with `required`, when neither is given.
NoiseLevel read_noise_level(const ConfigNode& node, bool required);

// σ of the noise for one trace whose noise-free data are `clean`: level.sigma, or RMS(clean) / level.snr;
// 0 when neither is given.
double noise_sigma_for(const NoiseLevel& level, const Eigen::Ref<const Vector>& clean);

}  // namespace geoinv
