// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The dense products of the `mlp` network, with a run-time choice of instruction set.
//
// libgeoinv and every plugin are compiled for baseline x86-64 (SSE2), and Eigen's alignment must agree
// between them (DESIGN.md), so the plugin cannot simply be built with -mavx2. Instead the three products
// of a training step go through multiply(), which uses a small register-blocked AVX2/FMA kernel (written
// with intrinsics in functions carrying __attribute__((target("avx2,fma"))), so nothing else in the
// library is compiled for AVX2) when the CPU has it, and Eigen's GEMM otherwise. Both paths are exact
// dot products in a fixed order, so a given path gives bit-identical results from run to run; the two
// paths differ from each other in rounding only.
#include <Eigen/Core>
#include <string>

namespace geoinv::mlp {

using Index = Eigen::Index;

enum class Isa {
  portable,  // Eigen's products, compiled for the baseline (SSE2 on x86-64)
  avx2_fma,  // the AVX2/FMA kernel below
};

std::string to_string(Isa isa);
// The best instruction set this CPU offers.
Isa detected_isa();
// The instruction set multiply() uses: detected_isa(), unless the environment variable GEOINV_MLP_ISA is
// "portable" or set_isa() chose another (tests, benchmarks).
Isa active_isa();
// Throws std::invalid_argument when the CPU lacks `isa`. Not thread-safe: call it before training.
void set_isa(Isa isa);

// C = P·Q for column-major C (m × n, leading dimension ldc) and P (m × k, leading dimension ldp), and Q
// given by strides: Q(r, j) = q[r·q_row_stride + j·q_column_stride], which covers a column-major Q
// (strides 1, ld) and the transpose of one (ld, 1). One of the two strides must be 1. Explicitly
// instantiated for float and double.
template <typename T>
void multiply(Index m, Index n, Index k, const T* p, Index ldp, const T* q, Index q_row_stride,
              Index q_column_stride, T* c, Index ldc);

// The elementwise passes of a training step that matter next to the products, with the same dispatch.
// z(i, j) ← tanh(z(i, j) + bias(i)) over a rows × columns column-major block (leading dimension rows).
// float: Eigen's rational approximation of tanh (generic_fast_tanh_float, within a few float ulps),
// in AVX2/FMA when active; double: std::tanh.
template <typename T>
void bias_tanh(T* z, const T* bias, Index rows, Index columns);
// delta(i) ← delta(i) · (1 − a(i)²), the derivative of tanh written with its value a.
template <typename T>
void multiply_by_tanh_derivative(const T* a, T* delta, Index size);
// out = aᵀ for a column-major rows × columns `a`; `out` is columns × rows, column-major. float: 4 × 4
// SSE tiles (baseline x86-64); otherwise Eigen.
template <typename T>
void transpose(const T* a, Index rows, Index columns, T* out);
// One Adam step in one pass (scikit-learn's AdamOptimizer, `rate` already bias-corrected):
//   m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  p ← p − rate · m / (√v + ε).
template <typename T>
void adam_update(T* parameters, T* first, T* second, const T* gradient, Index size, T beta_1, T beta_2,
                 T rate, T epsilon);

}  // namespace geoinv::mlp
