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
