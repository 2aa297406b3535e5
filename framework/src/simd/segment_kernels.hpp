// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Pack bodies (simd.hpp) of the products of contiguous segments that a band matrix's products and
// triangular solves are made of: a dot product, an axpy, and a correlation by a short filter. Each is
// always inlined into a caller instantiated once per pack type (simd.hpp explains the pattern), so it
// runs as AVX2/FMA or baseline code as its caller does.
//
// Sums are taken in a fixed order for a given pack type, so a result does not depend on the data's
// alignment; the AVX2/FMA and baseline instantiations differ in rounding only.
#include <Eigen/Core>

#include "simd/simd.hpp"

namespace geoinv::simd {

// Σ a(k)·b(k), k in [0, n): four independent packs of partial sums (so that no add waits on the one
// before it), then the lanes, then the elements left over, in that order.
template <typename Pack>
GEOINV_ALWAYS_INLINE double dot(const double* __restrict a, const double* __restrict b, Eigen::Index n) {
  constexpr Eigen::Index kStep = kLanes<Pack>;
  constexpr int kSums = 4;
  Pack sums[kSums] = {};
  Eigen::Index k = 0;
  for (; k + kSums * kStep <= n; k += kSums * kStep) {
#pragma GCC unroll 4
    for (int s = 0; s < kSums; ++s) {
      Pack x, y;
      load(x, a + k + s * kStep);
      load(y, b + k + s * kStep);
      sums[s] += x * y;
    }
  }
  for (; k + kStep <= n; k += kStep) {
    Pack x, y;
    load(x, a + k);
    load(y, b + k);
    sums[0] += x * y;
  }
  const Pack total = (sums[0] + sums[1]) + (sums[2] + sums[3]);
  double result = sum(total);
  for (; k < n; ++k) result += a[k] * b[k];
  return result;
}

// y(k) += alpha·x(k), k in [0, n).
template <typename Pack>
GEOINV_ALWAYS_INLINE void axpy(double alpha, const double* __restrict x, double* __restrict y, Eigen::Index n) {
  constexpr Eigen::Index kStep = kLanes<Pack>;
  Eigen::Index k = 0;
  for (; k + kStep <= n; k += kStep) {
    Pack u, v;
    load(u, x + k);
    load(v, y + k);
    v += u * alpha;
    store(y + k, v);
  }
  for (; k < n; ++k) y[k] += alpha * x[k];
}

// out(i) = Σ_k taps[k·step]·in(i + k), k in [0, count), for i in [0, outputs): a correlation by a filter of
// `count` taps read forwards (step 1) or backwards (step −1, `taps` pointing at the first one read), with
// in(0 .. outputs + count − 2) all readable. Each output sums its taps in order k = 0, 1, …; the outputs
// are computed a block of packs at a time, one tap broadcast against each, so that eight independent
// accumulators keep the multiply-adds busy and every tap is loaded once per block.
template <typename Pack>
GEOINV_ALWAYS_INLINE void correlate(const double* taps, Eigen::Index step, Eigen::Index count,
                                    const double* __restrict in, double* __restrict out, Eigen::Index outputs) {
  constexpr Eigen::Index kStep = kLanes<Pack>;
  constexpr int kBlock = 8;
  Eigen::Index i = 0;
  for (; i + kBlock * kStep <= outputs; i += kBlock * kStep) {
    Pack sums[kBlock] = {};
    for (Eigen::Index k = 0; k < count; ++k) {
      const double tap = taps[k * step];
#pragma GCC unroll 8
      for (int b = 0; b < kBlock; ++b) {
        Pack x;
        load(x, in + i + b * kStep + k);
        sums[b] += x * tap;
      }
    }
#pragma GCC unroll 8
    for (int b = 0; b < kBlock; ++b) store(out + i + b * kStep, sums[b]);
  }
  for (; i + kStep <= outputs; i += kStep) {
    Pack total = {};
    for (Eigen::Index k = 0; k < count; ++k) {
      Pack x;
      load(x, in + i + k);
      total += x * taps[k * step];
    }
    store(out + i, total);
  }
  for (; i < outputs; ++i) {
    double total = 0.0;
    for (Eigen::Index k = 0; k < count; ++k) total += taps[k * step] * in[i + k];
    out[i] = total;
  }
}

}  // namespace geoinv::simd
