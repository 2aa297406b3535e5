// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The natural logarithm of a contiguous array, vectorised and deterministic: log_in_place(values, n).
//
// Why it exists: a forward model whose formula takes one logarithm per station (the inclined sheet's
// K·ln(P/Q)) spends most of an evaluation in glibc's scalar log, which no loop around it can vectorise.
// This one computes four (AVX2) or two (SSE2) logarithms at once.
//
// Contract
//   - Accuracy: within 1 ulp of the exact logarithm for every positive double, normal or subnormal
//     (vector_log_test.cpp measures it against long double's logl on a dense sample of [1e-300, 1e300],
//     around 1 and over the subnormals: 0.71 ulp at worst; 0.76 ulp on 5.9·10⁷ inputs within 3 % of
//     √½, 1, √2 and other points, largest near x = 0.70). It is not glibc's log, which is correctly
//     rounded nearly everywhere: the two differ in the last bit at a few per cent of inputs.
//   - Special values as glibc's std::log, bit for bit: +0 and −0 → −inf, +inf → +inf, a NaN → that NaN
//     quieted, any other negative number (−inf too) → the processor's default NaN (−nan on x86-64).
//   - Deterministic: the same bits on the AVX2 path, on the portable (SSE2) path and for the last n mod 4
//     elements, which go through the same lane code padded with ones. Every lane performs the same IEEE
//     operations in the same order: where a·b + c is meant to be fused it is simd::fma (one rounding, on
//     every path: on the portable path a call to libm's fma per lane, several times slower), and nothing
//     else is fused: the header must be compiled with -ffp-contract=off, which the CMake target
//     geoinv_vector_log carries for its users (under GEOINV_TARGET_AVX2_FMA GCC would otherwise contract
//     a·b + c into FMAs on one path only).
//   - Dispatch: simd::avx2_fma() (simd/simd.hpp), so GEOINV_SIMD=portable selects the SSE2 path.
//
// Method (Cephes' log, as in Eigen's plog): x = m·2^e with m in [√½, √2) split by integer operations on
// x's bits (no table, no gather: gathers measured slower than the division), f = m − 1 (exact), and
// ln(1 + f) = f − f²/2 + f³·P(f)/Q(f) with Cephes' degree-5 rational minimax evaluated by fused
// multiply-adds, ln 2 split as 0.693359375 − 2.121944400546905827679e-4 so that e·ln 2 adds without
// rounding error, and e·ln 2 + f − f²/2 summed exactly as head + tail (log_of_parts).
//
// Speed: the loop is bound by the number of instructions it issues (the divisions are not the limit:
// replacing them by multiplications saves 3 %). The fused multiply-adds cut them by about a tenth, and
// log_of_normals_in_place, for callers that can bound their values, drops the tests for special values
// and takes two packs a step (docs/benchmarks.md, "The inclined sheet's forward model").
//
// The lanes are GCC vector packs rather than a plain scalar loop: GCC keeps the per-element selects
// (subnormal scaling, special values) as branches under -ftrapping-math and then
// does not vectorise the loop at all.
#include <Eigen/Core>
#include <cstdint>
#include <cstring>
#include <limits>

#include "simd/simd.hpp"

namespace geoinv::sp {

// ln(values[i]) for 0 ≤ i < n, in place. See the contract above.
inline void log_in_place(double* values, Eigen::Index n);

// The same bits as log_in_place, faster, when the caller knows that every one of values[0, n) is a
// positive normal double (the caller's bound, not a test here: for any other value the result is
// unspecified, though never undefined behaviour).
inline void log_of_normals_in_place(double* values, Eigen::Index n);

namespace vector_log_detail {

// Unsigned 64-bit lanes of the same width as a pack of doubles: the pack's bits.
template <typename Pack>
struct BitsOf;
template <>
struct BitsOf<simd::Double2> {
  typedef std::uint64_t type __attribute__((vector_size(16)));
};
template <>
struct BitsOf<simd::Double4> {
  typedef std::uint64_t type __attribute__((vector_size(32)));
};

template <typename Pack>
GEOINV_ALWAYS_INLINE void splat(Pack& pack, double value) {
  for (Eigen::Index lane = 0; lane < simd::kLanes<Pack>; ++lane) pack[lane] = value;
}

// ln(m·2^e) from m in [√½, √2) and e, lane by lane.
template <typename Pack>
GEOINV_ALWAYS_INLINE void log_of_parts(const Pack& m, const Pack& e, Pack& out) {
  constexpr double kLn2High = 0.693359375;                // 9 significant bits: e·kLn2High is exact
  constexpr double kLn2Low = 2.121944400546905827679e-4;  // kLn2High − ln 2
  const Pack f = m - 1.0;  // exact
  // P and Q in two halves each (Estrin's scheme, as Eigen's plog): shorter chains of dependent operations
  // than Horner's, which the processor overlaps. Every a·b + c is one fused multiply-add (simd::fma).
  const Pack z = f * f;
  const Pack z_error = simd::fma(f, f, -z);  // f² − z, exactly
  const Pack f3 = z * f;
  const Pack p_high = simd::fma(simd::fma(f, 1.01875663804580931796e-4, 4.97494994976747001425e-1), f,
                                4.70579119878881725854e0);
  const Pack p_low = simd::fma(simd::fma(f, 1.44989225341610930846e1, 1.79368678507819816313e1), f,
                               7.70838733755885391666e0);
  const Pack p = simd::fma(p_high, f3, p_low);
  const Pack q_high = simd::fma(f + 1.12873587189167450590e1, f, 4.52279145837532221105e1);
  const Pack q_low = simd::fma(simd::fma(f, 8.29875266912776603211e1, 7.11544750618563894466e1), f,
                               2.31251620126765340583e1);
  const Pack q = simd::fma(q_high, f3, q_low);
  // ln x = e·ln 2 + f − f²/2 + f³·P/Q. The first three terms are summed as head + tail, exactly (Fast2Sum,
  // the larger term first; f²'s rounding error is z_error), so that f³·P/Q (at most 0.017) and the last
  // additions alone round. The small terms gather while the division runs.
  const Pack half_z = 0.5 * z;
  const Pack e_high = e * kLn2High;
  const Pack sum = e_high + f;  // |e·kLn2High| ≥ |f| unless e = 0
  const Pack sum_error = (e_high - sum) + f;
  const Pack head = sum - half_z;  // |sum| ≥ f²/2
  const Pack tail = simd::fma(e, -kLn2Low, simd::fma(z_error, -0.5, ((sum - head) - half_z) + sum_error));
  out = head + simd::fma(f3, p / q, tail);
}

// m in [√½, √2) and e with x = m·2^e, for x positive and normal, by integer operations on x's bits:
// u = bits(x) − bits(√½) + bits(1) holds e + 1023 in its exponent field, and the rest of u plus bits(√½)
// is m's bits (√½ is its double, 0x3fe6a09e667f3bcd, rounded up).
template <typename Pack>
GEOINV_ALWAYS_INLINE void split(const Pack& x, Pack& m, Pack& e) {
  using Bits = typename BitsOf<Pack>::type;
  constexpr std::uint64_t kSqrtHalfBits = 0x3fe6a09e667f3bcdULL, kOneBits = 0x3ff0000000000000ULL;
  Bits bits;
  std::memcpy(&bits, &x, sizeof bits);
  const Bits u = bits + (kOneBits - kSqrtHalfBits);
  const Bits mantissa_bits = (u & 0x000fffffffffffffULL) + kSqrtHalfBits;
  // The biased exponent as the low bits of 2^52's mantissa: that double minus 2^52 is the exponent.
  const Bits exponent_bits = (u >> 52) | 0x4330000000000000ULL;
  std::memcpy(&m, &mantissa_bits, sizeof m);
  std::memcpy(&e, &exponent_bits, sizeof e);
  e -= 0x1p52 + 1023.0;
}

// Whether every lane of x is a positive normal number (not zero, subnormal, infinite, negative or NaN).
template <typename Pack>
GEOINV_ALWAYS_INLINE bool all_normal(const Pack& x) {
  using Bits = typename BitsOf<Pack>::type;
  const auto normal = (x >= std::numeric_limits<double>::min()) & (x <= std::numeric_limits<double>::max());
  Bits normal_bits;
  std::memcpy(&normal_bits, &normal, sizeof normal_bits);
  std::uint64_t all = ~0ULL;
  for (Eigen::Index lane = 0; lane < simd::kLanes<Pack>; ++lane) all &= normal_bits[lane];
  return all != 0;
}

// out = ln(x) for positive normal lanes (split, then log_of_parts).
template <typename Pack>
GEOINV_ALWAYS_INLINE void log_of_normals(const Pack& x, Pack& out) {
  Pack m, e;
  split(x, m, e);
  log_of_parts(m, e, out);
}

// out = ln(x), lane by lane, for any lanes: subnormals are scaled by 2^54 first, and the special values
// replace the result where they occur. For positive normal lanes, the bits of log_of_normals.
template <typename Pack>
GEOINV_ALWAYS_INLINE void log_of_any(const Pack& x, Pack& out) {
  constexpr double kSmallestNormal = std::numeric_limits<double>::min();
  constexpr double kInfinity = std::numeric_limits<double>::infinity();
  Pack zero, one, subnormal_scale, subnormal_exponent, minus_infinity, m, e;
  splat(zero, 0.0);
  splat(one, 1.0);
  splat(subnormal_scale, 0x1p54);
  splat(subnormal_exponent, 54.0);
  splat(minus_infinity, -kInfinity);
  const auto subnormal = x < kSmallestNormal;
  split(x * (subnormal ? subnormal_scale : one), m, e);
  e -= subnormal ? subnormal_exponent : zero;
  Pack result;
  log_of_parts(m, e, result);
  result = x == kInfinity ? x : result;
  result = x == 0.0 ? minus_infinity : result;
  // glibc's NaN for a negative x or a NaN, bit for bit: the invalid operation's own NaN, or x quieted.
  const Pack invalid = (x - x) / (x - x);
  out = (x < 0.0) | (x != x) ? invalid : result;
}

// out = ln(x), lane by lane: packs of positive normal numbers, nearly all of them in practice, skip the
// subnormal scaling and the special values.
template <typename Pack>
GEOINV_ALWAYS_INLINE void log_pack(const Pack& x, Pack& out) {
  if (all_normal(x)) return log_of_normals(x, out);
  log_of_any(x, out);
}

// The last n mod kLanes values, through the lane code padded with ones.
template <typename Pack>
GEOINV_ALWAYS_INLINE void log_of_remainder(double* values, Eigen::Index i, Eigen::Index n) {
  constexpr Eigen::Index kLanes = simd::kLanes<Pack>;
  if (i == n) return;
  double tail[kLanes];
  for (Eigen::Index lane = 0; lane < kLanes; ++lane) tail[lane] = i + lane < n ? values[i + lane] : 1.0;
  Pack x, y;
  simd::load(x, tail);
  log_pack(x, y);
  simd::store(tail, y);
  for (Eigen::Index lane = 0; i + lane < n; ++lane) values[i + lane] = tail[lane];
}

template <typename Pack>
GEOINV_ALWAYS_INLINE void log_body(double* values, Eigen::Index n) {
  constexpr Eigen::Index kLanes = simd::kLanes<Pack>;
  Pack x, y;
  Eigen::Index i = 0;
  for (; i + kLanes <= n; i += kLanes) {
    simd::load(x, values + i);
    log_pack(x, y);
    simd::store(values + i, y);
  }
  log_of_remainder<Pack>(values, i, n);
}

// Two packs a step, with no test of the values: their two chains of dependent operations, side by side,
// let the processor overlap them, and the loop is bound by the number of instructions, so the tests
// log_pack makes cost as much as the overlap gains (docs/benchmarks.md). A third pack would not fit in
// AVX2's sixteen registers.
template <typename Pack>
GEOINV_ALWAYS_INLINE void log_of_normals_body(double* values, Eigen::Index n) {
  constexpr Eigen::Index kLanes = simd::kLanes<Pack>;
  Eigen::Index i = 0;
  for (; i + 2 * kLanes <= n; i += 2 * kLanes) {
    Pack x, x2, y, y2;
    simd::load(x, values + i);
    simd::load(x2, values + i + kLanes);
    Pack m, e, m2, e2;
    split(x, m, e);
    split(x2, m2, e2);
    log_of_parts(m, e, y);
    log_of_parts(m2, e2, y2);
    simd::store(values + i, y);
    simd::store(values + i + kLanes, y2);
  }
  for (; i + kLanes <= n; i += kLanes) {
    Pack x, y;
    simd::load(x, values + i);
    log_of_normals(x, y);
    simd::store(values + i, y);
  }
  log_of_remainder<Pack>(values, i, n);
}

#if GEOINV_SIMD_AVX2
GEOINV_TARGET_AVX2_FMA inline void log_in_place_avx2(double* values, Eigen::Index n) {
  log_body<simd::Double4>(values, n);
}
GEOINV_TARGET_AVX2_FMA inline void log_of_normals_in_place_avx2(double* values, Eigen::Index n) {
  log_of_normals_body<simd::Double4>(values, n);
}
#endif

inline void log_in_place_portable(double* values, Eigen::Index n) { log_body<simd::Double2>(values, n); }
inline void log_of_normals_in_place_portable(double* values, Eigen::Index n) {
  log_of_normals_body<simd::Double2>(values, n);
}

}  // namespace vector_log_detail

inline void log_in_place(double* values, Eigen::Index n) {
#if GEOINV_SIMD_AVX2
  if (simd::avx2_fma()) return vector_log_detail::log_in_place_avx2(values, n);
#endif
  vector_log_detail::log_in_place_portable(values, n);
}

inline void log_of_normals_in_place(double* values, Eigen::Index n) {
#if GEOINV_SIMD_AVX2
  if (simd::avx2_fma()) return vector_log_detail::log_of_normals_in_place_avx2(values, n);
#endif
  vector_log_detail::log_of_normals_in_place_portable(values, n);
}

}  // namespace geoinv::sp
