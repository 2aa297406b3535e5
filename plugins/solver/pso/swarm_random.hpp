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
// four independent states advanced together as one vector (refill), 256 draws per refill, make a draw
// a load from a buffer. A double takes the upper 52 bits of an output as its mantissa, [1, 2) − 1:
// uniform on a grid of 2^−52 in [0, 1). The sequence is defined here, not by a standard library, so one
// seed gives the same draws on every platform.
//
// take(count) hands out the next `count` draws as one array, the same numbers uniform() would give one by
// one: a loop over them reads a local pointer, where a loop of uniform() calls that stores doubles (a
// velocity) must reload the buffer's cursor after every store, which might have changed it. The buffer
// keeps kMaxTake draws of room before the block, where the last block's unused draws are moved when a
// take() needs more than remain, so the sequence does not depend on how it is taken.
//
// Every draw of a solve is made on the calling thread, in an order fixed by the algorithm alone, so the
// draws (and the results) do not depend on SolveContext::threads.
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "simd/simd.hpp"

namespace geoinv::swarm {

class SwarmRandom {
 public:
  explicit SwarmRandom(std::uint64_t seed) {
    for (auto& word : state_)
      for (std::uint64_t& lane : word) lane = split_mix(seed);
  }

  // At most this many draws per take().
  static constexpr std::size_t kMaxTake = 32;

  // A uniform draw in [0, 1).
  double uniform() {
    if (next_ == kEnd) refill();
    return buffer_[next_++];
  }

  // The next `count` (<= kMaxTake) uniform draws, in order; valid until the next draw.
  const double* take(std::size_t count) {
    if (kEnd - next_ < count) refill();
    const double* draws = buffer_ + next_;
    next_ += count;
    return draws;
  }

  // A draw in [0, count), 1 <= count < 2^52: uniform() scaled and truncated (its bias, below count / 2^52,
  // is immaterial for a swarm's particles).
  std::size_t below(std::size_t count) { return scaled(uniform(), count); }
  // The uniform draw `u` as a draw in [0, count), as below() makes it.
  static std::size_t scaled(double u, std::size_t count) {  // through int64: no branch for values >= 2^63
    return static_cast<std::size_t>(static_cast<std::int64_t>(u * static_cast<double>(count)));
  }

 private:
  static constexpr std::size_t kLanes = 4;
  static constexpr std::size_t kBlock = 256;
  static constexpr std::size_t kEnd = kMaxTake + kBlock;  // the block fills buffer_[kMaxTake, kEnd)

  static std::uint64_t split_mix(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
  }

  // Four lanes as one GCC vector: the shifts, xors and adds below are element-wise, so a block is drawn
  // four numbers per step in two SSE2 registers (the compiler did not vectorise the same loop written
  // per lane). The bits are those of four scalar generators.
  typedef std::uint64_t Lanes __attribute__((vector_size(8 * kLanes)));

  // A double takes the upper 52 bits of an output as its mantissa: 1.m − 1.
  GEOINV_ALWAYS_INLINE static void to_unit(const Lanes& x, double* out) {
    const Lanes bits = (x >> 12) | 0x3ff0000000000000u;
    double values[kLanes];
    std::memcpy(values, &bits, sizeof values);
    for (std::size_t lane = 0; lane < kLanes; ++lane) out[lane] = values[lane] - 1.0;
  }

  // Moves the draws not yet taken (fewer than kMaxTake) just before the block, then draws a new block:
  // with AVX2 where the CPU has it (one register per state word; 2.5x faster than SSE2's pairs), the same
  // integer operations and the same bits either way.
  void refill() {
#if GEOINV_SIMD_AVX2
    if (simd::avx2_fma()) return refill_avx2();
#endif
    refill_body();
  }
#if GEOINV_SIMD_AVX2
  GEOINV_TARGET_AVX2_FMA void refill_avx2() { refill_body(); }
#endif

  GEOINV_ALWAYS_INLINE void refill_body() {
    const std::size_t rest = kEnd - next_;
    for (std::size_t k = 0; k < rest; ++k) buffer_[kMaxTake - rest + k] = buffer_[next_ + k];
    Lanes s0, s1, s2, s3;
    std::memcpy(&s0, state_[0], sizeof s0);
    std::memcpy(&s1, state_[1], sizeof s1);
    std::memcpy(&s2, state_[2], sizeof s2);
    std::memcpy(&s3, state_[3], sizeof s3);
    for (std::size_t i = kMaxTake; i < kEnd; i += kLanes) {
      const Lanes result = s0 + s3, shifted = s1 << 17;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= shifted;
      s3 = (s3 << 45) | (s3 >> 19);
      to_unit(result, buffer_ + i);
    }
    std::memcpy(state_[0], &s0, sizeof s0);
    std::memcpy(state_[1], &s1, sizeof s1);
    std::memcpy(state_[2], &s2, sizeof s2);
    std::memcpy(state_[3], &s3, sizeof s3);
    next_ = kMaxTake - rest;
  }

  std::uint64_t state_[4][kLanes];  // word w of lane l's state at [w][l], so the lanes advance as a vector
  double buffer_[kEnd];             // the draws not yet taken are buffer_[next_, kEnd)
  std::size_t next_ = kEnd;         // kEnd: draw a block first
};

}  // namespace geoinv::swarm
