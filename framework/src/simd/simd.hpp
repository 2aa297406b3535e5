// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Internal to geoinv (the simd room: docs/architecture.md): used by the core and the in-tree plugins
// through the geoinv_simd CMake target, never installed. avx2_fma() is exported by libgeoinv so that
// in-tree plugins share its one decision; an out-of-tree plugin writes its loops plainly.
//
// A run-time choice of instruction set for the few loops that dominate an inversion: a forward model's
// station loop, the host's residual pass (Problem) and a solver's normal equations (DESIGN.md, "The hot
// path").
//
// libgeoinv and every plugin are compiled for the baseline (SSE2 on x86-64), because Eigen's alignment
// must agree between them: nothing may be built with -mavx2 by default. A hot loop is instead written
// once, as an always-inline template body, and instantiated twice:
//
//   template <typename Pack> GEOINV_ALWAYS_INLINE void scale_body(double* x, Eigen::Index n, double a);
//   GEOINV_TARGET_AVX2_FMA void scale_avx2(double* x, Eigen::Index n, double a) {
//     scale_body<simd::Double4>(x, n, a);
//   }
//   void scale_portable(double* x, Eigen::Index n, double a) { scale_body<simd::Double2>(x, n, a); }
//   void scale(double* x, Eigen::Index n, double a) {
//     if (simd::avx2_fma()) return scale_avx2(x, n, a);  // only when GEOINV_SIMD_AVX2 is 1
//     scale_portable(x, n, a);
//   }
//
// Only the functions marked GEOINV_TARGET_AVX2_FMA contain AVX2 code, so the rest of a library runs on
// any x86-64. In them GCC contracts a·b + c into one FMA, so the two paths differ in rounding only.
// A body may be a plain scalar loop (the compiler vectorises it for each target) or use the packs below
// (sums, which the compiler does not vectorise without -ffast-math).
#include <Eigen/Core>
#include <cstring>

#include "geoinv/export.hpp"

#if defined(__GNUC__) && defined(__x86_64__)
#define GEOINV_SIMD_AVX2 1
// On a function definition: compile it for AVX2 and FMA. Call it only when simd::avx2_fma() is true.
#define GEOINV_TARGET_AVX2_FMA __attribute__((target("avx2,fma")))
#else
#define GEOINV_SIMD_AVX2 0
#define GEOINV_TARGET_AVX2_FMA
#endif
// A body that must be inlined into each caller, so that it is compiled for the caller's target.
#define GEOINV_ALWAYS_INLINE __attribute__((always_inline)) inline

namespace geoinv::simd {

// True when the AVX2/FMA instantiations may run: this build has them (GEOINV_SIMD_AVX2), the CPU has
// AVX2 and FMA, and the environment variable GEOINV_SIMD is not "portable" (which forces the baseline
// code everywhere: to test it, or to compare with a machine without AVX2). Decided once per process.
GEOINV_API bool avx2_fma();

// Packs of doubles as GCC vector types: +, −, * and comparisons work element-wise on them, and code
// that uses them compiles for SSE2 (Double2) or, inside a GEOINV_TARGET_AVX2_FMA function, AVX2
// (Double4). Loaded and stored with memcpy (no alignment needed; it compiles to one move). Passed by
// reference only: a Double4 passed by value outside an AVX2 function changes the calling convention.
typedef double Double2 __attribute__((vector_size(16)));
typedef double Double4 __attribute__((vector_size(32)));

template <typename Pack>
constexpr Eigen::Index kLanes = static_cast<Eigen::Index>(sizeof(Pack) / sizeof(double));

template <typename Pack>
GEOINV_ALWAYS_INLINE void load(Pack& pack, const double* from) {
  std::memcpy(&pack, from, sizeof pack);
}

template <typename Pack>
GEOINV_ALWAYS_INLINE void store(double* to, const Pack& pack) {
  std::memcpy(to, &pack, sizeof pack);
}

// The sum of a pack's lanes, in a fixed order.
template <typename Pack>
GEOINV_ALWAYS_INLINE double sum(const Pack& pack) {
  double total = pack[0];
  for (Eigen::Index lane = 1; lane < kLanes<Pack>; ++lane) total += pack[lane];
  return total;
}

// Lane `lane` of a pack, or a double as the same value in every lane.
template <typename Pack>
GEOINV_ALWAYS_INLINE double lane_of(const Pack& pack, Eigen::Index lane) {
  return pack[lane];
}
GEOINV_ALWAYS_INLINE double lane_of(double value, Eigen::Index) { return value; }

// a·b + c lane by lane with one rounding (fma): the same bits on every path, because a fused multiply-add
// is correctly rounded by definition. In a GEOINV_TARGET_AVX2_FMA function GCC turns the lane loop into
// one vfmadd; in the baseline each lane is a call to libm's fma (the processor's FMA where it has one, a
// correctly rounded software one where not), much slower: the baseline serves processors without AVX2.
// Write a fused multiply-add with this, not as a·b + c, where both paths must give the same bits: GCC
// contracts a·b + c only where FMA is enabled, unless the file is compiled with -ffp-contract=off.
// b and c may be packs or doubles (the same value in every lane). Returned by value, which -Wpsabi warns
// changes the calling convention for a Double4 outside an AVX2 function: always inlined, it is never called.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpsabi"
template <typename Pack, typename B, typename C>
GEOINV_ALWAYS_INLINE Pack fma(const Pack& a, const B& b, const C& c) {
  Pack result;
  for (Eigen::Index lane = 0; lane < kLanes<Pack>; ++lane)
    result[lane] = __builtin_fma(a[lane], lane_of(b, lane), lane_of(c, lane));
  return result;
}
#pragma GCC diagnostic pop

}  // namespace geoinv::simd
