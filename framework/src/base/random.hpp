// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Random numbers whose sequence geoinv defines itself: std::mt19937_64 is specified by the standard, but
// std::normal_distribution is not (libstdc++ and libc++ give different draws). Owning the transform
// keeps "same seed, same numbers" true across standard libraries.
#include <cstdint>
#include <random>

namespace geoinv {

// SplitMix64 finaliser: derives independent seeds from one seed and a stream number, so every random
// draw in an experiment follows from the config's seed.
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t stream);

// A derived seed that geoinv writes down (config.resolved.yaml, results.csv, result.json) is masked to
// 53 bits: the YAML reader accepts seeds below 2^63 only, and spreadsheets and R read CSV and JSON
// numbers as doubles. Every default seed of a config and every campaign run's seed is derive_seed(...) &
// kSeedMask, so it reads back and stays exact.
constexpr std::uint64_t kSeedMask = (std::uint64_t{1} << 53) - 1;

class NormalGenerator {
 public:
  explicit NormalGenerator(std::uint64_t seed) : engine_(seed) {}
  // A standard normal draw (Marsaglia's polar method).
  double next();
  // A uniform draw in [0, 1) with 53 random bits.
  double uniform();

 private:
  std::mt19937_64 engine_;
  bool has_spare_ = false;
  double spare_ = 0.0;
};

}  // namespace geoinv
