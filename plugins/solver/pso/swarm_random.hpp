// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The random draws of the generational swarm (generational_swarm.hpp): four xoshiro256+ generators
// (Blackman and Vigna 2018) side by side, their states filled from the solve's 64-bit seed by SplitMix64,
// drawn a block at a time.
//
// Why this generator: a generation draws 2·n numbers per particle for the velocities (variants 1 and 5)
// and neighb_param − 1 more for the adaptive random topology, and the profile of pagmo's pso_gen on the
// Surda benchmark spent 15 % of the solve in std::mt19937 and std::generate_canonical (two 32-bit outputs
// and a division per double). xoshiro256+ passes BigCrush in its upper bits, the only ones used here;
// four independent states advanced together in a loop the compiler vectorises, 256 draws per refill, make
// a draw a load from a buffer. A double takes the upper 52 bits of an output as its mantissa, [1, 2) − 1:
// uniform on a grid of 2^−52 in [0, 1). The sequence is defined here, not by a standard library, so one
// seed gives the same draws on every platform.
//
// Every draw of a solve is made on the calling thread, in an order fixed by the algorithm alone, so the
// draws (and the results) do not depend on SolveContext::threads.
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace geoinv::swarm {

class SwarmRandom {
 public:
  explicit SwarmRandom(std::uint64_t seed) {
    for (auto& word : state_)
      for (std::uint64_t& lane : word) lane = split_mix(seed);
  }

  // A uniform draw in [0, 1).
  double uniform() {
    if (next_ == kBlock) refill();
    return block_[next_++];
  }

  // A draw in [0, count), 1 <= count < 2^52: uniform() scaled and truncated (its bias, below count / 2^52,
  // is immaterial for a swarm's particles).
  std::size_t below(std::size_t count) { return static_cast<std::size_t>(uniform() * static_cast<double>(count)); }

 private:
  static constexpr std::size_t kLanes = 4;
  static constexpr std::size_t kBlock = 256;

  static std::uint64_t split_mix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
  }

  static double to_unit(std::uint64_t x) {
    const std::uint64_t bits = (x >> 12) | 0x3ff0000000000000u;  // 1.m, m the upper 52 bits
    double value;
    std::memcpy(&value, &bits, sizeof value);
    return value - 1.0;
  }

  void refill() {
    for (std::size_t i = 0; i < kBlock; i += kLanes)
      for (std::size_t lane = 0; lane < kLanes; ++lane) {
        std::uint64_t& s0 = state_[0][lane];
        std::uint64_t& s1 = state_[1][lane];
        std::uint64_t& s2 = state_[2][lane];
        std::uint64_t& s3 = state_[3][lane];
        const std::uint64_t result = s0 + s3, shifted = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= shifted;
        s3 = (s3 << 45) | (s3 >> 19);
        block_[i + lane] = to_unit(result);
      }
    next_ = 0;
  }

  std::uint64_t state_[4][kLanes];  // word w of lane l's state at [w][l], so the lanes advance as a vector
  double block_[kBlock];
  std::size_t next_ = kBlock;  // the next draw of block_; kBlock: refill first
};

}  // namespace geoinv::swarm
