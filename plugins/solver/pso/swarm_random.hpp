// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The random draws of the generational swarm (generational_swarm.hpp): xoshiro256+ (Blackman and Vigna
// 2018), its 256-bit state filled from the solve's 64-bit seed by SplitMix64.
//
// Why this generator: a swarm generation draws 2·n numbers per particle (variants 1 and 5) and the
// profile of pagmo's pso_gen on the Surda benchmark spent 15 % of the solve in std::mt19937 and
// std::generate_canonical (two 32-bit outputs and a division per double). xoshiro256+ gives a double from
// one 64-bit output with a shift and a multiply, passes BigCrush in its upper 53 bits (the only bits used
// here), and its state is four words. The sequence is defined here, not by a standard library, so one seed
// gives the same draws on every platform.
//
// Every draw of a solve is made on the calling thread, in an order fixed by the algorithm alone, so the
// draws (and the results) do not depend on SolveContext::threads.
#include <cstddef>
#include <cstdint>

namespace geoinv::swarm {

class SwarmRandom {
 public:
  explicit SwarmRandom(std::uint64_t seed) {
    for (std::uint64_t& word : state_) word = split_mix(seed);
  }

  // A uniform draw in [0, 1): the upper 53 bits of one output.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

  // A draw in [0, count), 1 <= count < 2^53: uniform() scaled and truncated (its bias, below count / 2^53,
  // is immaterial for a swarm's particles).
  std::size_t below(std::size_t count) { return static_cast<std::size_t>(uniform() * static_cast<double>(count)); }

 private:
  static std::uint64_t rotate_left(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

  static std::uint64_t split_mix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
  }

  std::uint64_t next() {
    const std::uint64_t result = state_[0] + state_[3];
    const std::uint64_t shifted = state_[1] << 17;
    state_[2] ^= state_[0];
    state_[3] ^= state_[1];
    state_[1] ^= state_[2];
    state_[0] ^= state_[3];
    state_[2] ^= shifted;
    state_[3] = rotate_left(state_[3], 45);
    return result;
  }

  std::uint64_t state_[4];
};

}  // namespace geoinv::swarm
