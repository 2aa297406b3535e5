// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/sparse_reflectivity.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "configuration/parameter_values.hpp"

namespace geoinv {

Eigen::Index SparseReflectivity::spikes(Eigen::Index samples) const {
  if (samples < 1) return 0;
  const auto rounded = static_cast<Eigen::Index>(std::llround(density * static_cast<double>(samples)));
  return std::clamp<Eigen::Index>(rounded, 1, samples);
}

std::string SparseReflectivity::to_string() const {
  return fmt::format("density {}, amplitude U({}, {})", density, amplitude_low, amplitude_high);
}

SparseReflectivity read_sparse_reflectivity(const ConfigNode& node) {
  if (!node.is_map()) node.fail("expected {density: 0.05, amplitude: [-0.3, 0.3]}");
  node.expect_map({"density", "amplitude"});
  SparseReflectivity prior;
  if (const ConfigNode density = node["density"]; density.defined()) {
    prior.density = density.as_real();
    if (!(prior.density > 0.0 && prior.density <= 1.0))
      density.fail(
          fmt::format("density is the fraction of samples with a spike: in (0, 1], got {}", prior.density));
  }
  if (const ConfigNode amplitude = node["amplitude"]; amplitude.defined()) {
    if (!amplitude.is_sequence() || amplitude.size() != 2)
      amplitude.fail("expected [low, high]: the range of the spikes' reflection coefficients");
    prior.amplitude_low = amplitude.at(0).as_real();
    prior.amplitude_high = amplitude.at(1).as_real();
    if (!(prior.amplitude_low < prior.amplitude_high) ||
        !std::isfinite(prior.amplitude_high - prior.amplitude_low))
      amplitude.fail(fmt::format("low must be less than high, both finite, got [{}, {}]", prior.amplitude_low,
                                 prior.amplitude_high));
  }
  return prior;
}

void emit_sparse_reflectivity(YAML::Emitter& out, const SparseReflectivity& prior) {
  out << YAML::Flow << YAML::BeginMap << YAML::Key << "density" << YAML::Value;
  emit_number(out, prior.density);
  out << YAML::Key << "amplitude" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  emit_number(out, prior.amplitude_low);
  emit_number(out, prior.amplitude_high);
  out << YAML::EndSeq << YAML::EndMap;
}

Vector draw_sparse_reflectivity(const SparseReflectivity& prior, Eigen::Index samples,
                                NormalGenerator& random) {
  Vector trace = Vector::Zero(samples);
  std::vector<Eigen::Index> positions(static_cast<std::size_t>(samples));
  std::iota(positions.begin(), positions.end(), Eigen::Index{0});
  const Eigen::Index spikes = prior.spikes(samples);
  for (Eigen::Index k = 0; k < spikes; ++k) {
    const auto remaining = static_cast<double>(samples - k);
    const Eigen::Index pick =
        k + std::min(samples - k - 1, static_cast<Eigen::Index>(random.uniform() * remaining));
    std::swap(positions[static_cast<std::size_t>(k)], positions[static_cast<std::size_t>(pick)]);
  }
  for (Eigen::Index k = 0; k < spikes; ++k)
    trace(positions[static_cast<std::size_t>(k)]) =
        prior.amplitude_low + random.uniform() * (prior.amplitude_high - prior.amplitude_low);
  return trace;
}

}  // namespace geoinv
