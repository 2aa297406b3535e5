// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The products of a BandedOperator (linear_operator.hpp), vectorised (simd/segment_kernels.hpp) and run as
// AVX2/FMA code where the CPU has it (simd::avx2_fma()): they are most of a linear solver's time on a
// convolution (linear_lsq's per-trace solve, fista's iterations).
//
// A band is given as BandedOperator stores it: row i's lower + upper + 1 entries, A(i, i − lower + k) for
// k = 0 .. lower + upper, start at entries + i·row_stride, and the entries outside the matrix are 0 and
// never read. A row stride of 0 is a Toeplitz band (every row the same): its products are correlations
// by that one row over a zero-padded copy of the input, computed for many outputs at once; a zero
// padding term adds exactly 0, so each output is the sum of its band's terms in order of k.
#include <Eigen/Core>

#include "geoinv/linear_operator.hpp"

namespace geoinv::banded_products {

struct BandView {
  Eigen::Index rows = 0, cols = 0;
  Band band;
  const double* entries = nullptr;
  Eigen::Index row_stride = 0;  // 0: Toeplitz, every row at `entries`
};

// y = A x (y has rows entries, x cols).
void apply(const BandView& a, const double* x, double* y);
// x = Aᵀ y (x has cols entries, y rows).
void apply_transpose(const BandView& a, const double* y, double* x);

}  // namespace geoinv::banded_products
