// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The normal equations of a linearisation: JᵀJ (lower triangle) and Jᵀr, and the decrease of sse that
// they predict for a step.
//
// Forming JᵀJ of a tall, skinny J is the other large cost of an iteration besides the forward model, and
// Eigen's general product spends more time packing it than multiplying (DESIGN.md, "The hot path"). So
// form_normal_equations picks a kernel by the parameter count n:
//   n <= kFusedParameterLimit       one fused pass over the rows accumulating every product at once, in
//                                   SIMD packs (simd/simd.hpp; AVX2+FMA chosen at run time)
//   n <= kColumnDotParameterLimit   separate column dot products
//   larger                          Eigen's symmetric rank update
// The limits are where each kernel stops winning over the next (docs/benchmarks.md, "Least-squares
// solvers"). Only the lower triangle of JᵀJ is written: it is all the Cholesky factorisations read.
#include <Eigen/Core>

#include "geoinv/forward_model.hpp"  // Vector, Matrix
#include "simd/simd.hpp"
#include "geoinv_lsq/fixed_size.hpp"

namespace geoinv::lsq {

constexpr Index kFusedParameterLimit = 6;
constexpr Index kColumnDotParameterLimit = 16;

// The products of one pack of rows (`row` to row + lanes − 1) added to the accumulators, or assigned to
// them for the first pack (kFirst): zeroing the accumulator arrays first compiled to a slow `rep stos`,
// and 0 + x·y is x·y exactly, so the sums are the same.
template <int N, typename Pack, bool kFirst>
GEOINV_ALWAYS_INLINE void accumulate_products(const double* const* column, Index row, Pack* products) {
  Pack values[N];
#pragma GCC unroll 8
  for (int a = 0; a < N; ++a) simd::load(values[a], column[a] + row);
  int k = 0;
#pragma GCC unroll 8
  for (int a = 0; a < N; ++a) {
#pragma GCC unroll 8
    for (int b = a; b < N; ++b, ++k) {
      if constexpr (kFirst) {
        products[k] = values[a] * values[b];
      } else {
        products[k] += values[a] * values[b];
      }
    }
  }
}

template <int N, typename Pack, bool kFirst>
GEOINV_ALWAYS_INLINE void accumulate_gradient(const double* const* column, const double* r, Index row,
                                              Pack* gradients) {
  Pack residual;
  simd::load(residual, r + row);
#pragma GCC unroll 8
  for (int a = 0; a < N; ++a) {
    Pack value;
    simd::load(value, column[a] + row);
    if constexpr (kFirst) {
      gradients[a] = value * residual;
    } else {
      gradients[a] += value * residual;
    }
  }
}

// One pass over the rows accumulating every product at once, in packs of rows (simd/simd.hpp):
// independent accumulators keep the adder busy where a single dot product waits on its own latency.
// `jacobian` is column-major with `rows` rows per column; writes the N(N+1)/2 products of the lower
// triangle, column by column, and the N entries of Jᵀr.
template <int N, typename Pack>
GEOINV_ALWAYS_INLINE void fused_normal_equations_body(const double* __restrict jacobian, Index rows,
                                                      const double* __restrict r, double* __restrict product_sums,
                                                      double* __restrict gradient_sums) {
  constexpr Index kLanes = simd::kLanes<Pack>;
  constexpr int kProducts = N * (N + 1) / 2;
  const double* column[N];
  for (int a = 0; a < N; ++a) column[a] = jacobian + a * rows;

  Index i = 0;
  if (rows >= kLanes) {
    Pack products[kProducts], gradients[N];
    // Fully unrolled, so that GCC keeps the accumulators in registers rather than in a stack array. With
    // 16 vector registers (SSE2 or AVX2), JᵀJ and Jᵀr together fit in one pass up to N = 3; from N = 4
    // the accumulators would spill to the stack, so Jᵀr gets a second, short pass.
    constexpr bool kFuseGradient = kProducts + 2 * N + 1 <= 16;
    accumulate_products<N, Pack, true>(column, 0, products);
    if constexpr (kFuseGradient) accumulate_gradient<N, Pack, true>(column, r, 0, gradients);
    for (i = kLanes; i + kLanes <= rows; i += kLanes) {
      accumulate_products<N, Pack, false>(column, i, products);
      if constexpr (kFuseGradient) accumulate_gradient<N, Pack, false>(column, r, i, gradients);
    }
    if constexpr (!kFuseGradient) {
      accumulate_gradient<N, Pack, true>(column, r, 0, gradients);
      for (Index row = kLanes; row + kLanes <= rows; row += kLanes)
        accumulate_gradient<N, Pack, false>(column, r, row, gradients);
    }
    for (int k = 0; k < kProducts; ++k) product_sums[k] = simd::sum(products[k]);
    for (int a = 0; a < N; ++a) gradient_sums[a] = simd::sum(gradients[a]);
  } else {
    for (int k = 0; k < kProducts; ++k) product_sums[k] = 0.0;
    for (int a = 0; a < N; ++a) gradient_sums[a] = 0.0;
  }
  for (; i < rows; ++i) {  // the rows left over from the packs
    for (int a = 0, k = 0; a < N; ++a) {
      for (int b = a; b < N; ++b, ++k) product_sums[k] += column[a][i] * column[b][i];
      gradient_sums[a] += column[a][i] * r[i];
    }
  }
}

template <int N>
void fused_normal_equations_portable(const double* __restrict jacobian, Index rows, const double* __restrict r,
                                     double* __restrict product_sums, double* __restrict gradient_sums) {
  fused_normal_equations_body<N, simd::Double2>(jacobian, rows, r, product_sums, gradient_sums);
}

#if GEOINV_SIMD_AVX2
template <int N>
GEOINV_TARGET_AVX2_FMA void fused_normal_equations_avx2(const double* __restrict jacobian, Index rows,
                                                        const double* __restrict r, double* __restrict product_sums,
                                                        double* __restrict gradient_sums) {
  fused_normal_equations_body<N, simd::Double4>(jacobian, rows, r, product_sums, gradient_sums);
}
#endif

template <int N, typename JacobianType, typename NormalType, typename GradientType>
void fused_normal_equations(const JacobianType& jacobian, const Vector& residuals, NormalType& normal,
                            GradientType& gradient) {
  double product_sums[N * (N + 1) / 2], gradient_sums[N];
#if GEOINV_SIMD_AVX2
  if (simd::avx2_fma()) {
    fused_normal_equations_avx2<N>(jacobian.data(), jacobian.rows(), residuals.data(), product_sums, gradient_sums);
  } else
#endif
  {
    fused_normal_equations_portable<N>(jacobian.data(), jacobian.rows(), residuals.data(), product_sums,
                                       gradient_sums);
  }
  for (int a = 0, k = 0; a < N; ++a) {
    for (int b = a; b < N; ++b, ++k) normal(b, a) = product_sums[k];
    gradient(a) = gradient_sums[a];
  }
}

// normal = JᵀJ (lower triangle), gradient = Jᵀr.
template <int N>
void form_normal_equations(const JacobianMatrix<N>& jacobian, const Vector& residuals, NormalMatrix<N>& normal,
                           ParameterVector<N>& gradient) {
  if constexpr (N != Eigen::Dynamic) {
    static_assert(N >= 1 && N <= kFusedParameterLimit, "fixed sizes are for the fused kernel's range");
    fused_normal_equations<N>(jacobian, residuals, normal, gradient);
  } else {
    using Kernel = void (*)(const Matrix&, const Vector&, Matrix&, Vector&);
    static constexpr Kernel kFused[kFusedParameterLimit + 1] = {
        nullptr,
        fused_normal_equations<1, Matrix, Matrix, Vector>,
        fused_normal_equations<2, Matrix, Matrix, Vector>,
        fused_normal_equations<3, Matrix, Matrix, Vector>,
        fused_normal_equations<4, Matrix, Matrix, Vector>,
        fused_normal_equations<5, Matrix, Matrix, Vector>,
        fused_normal_equations<6, Matrix, Matrix, Vector>,
    };
    const Index n = jacobian.cols();
    if (n == 0) return;
    if (n <= kFusedParameterLimit) return kFused[n](jacobian, residuals, normal, gradient);
    if (n <= kColumnDotParameterLimit) {
      for (Index j = 0; j < n; ++j) {
        for (Index i = j; i < n; ++i) normal(i, j) = jacobian.col(i).dot(jacobian.col(j));
        gradient(j) = jacobian.col(j).dot(residuals);
      }
    } else {
      normal.template triangularView<Eigen::Lower>().setZero();
      normal.template selfadjointView<Eigen::Lower>().rankUpdate(jacobian.transpose());
      gradient.noalias() = jacobian.transpose() * residuals;
    }
  }
}

// pᵀ A p for a symmetric A of which only the lower triangle is set.
template <typename NormalType, typename StepType>
double quadratic_form(const NormalType& lower, const StepType& p) {
  double sum = 0.0;
  for (Index j = 0; j < p.size(); ++j) {
    double column = 0.5 * lower(j, j) * p(j);
    for (Index i = j + 1; i < p.size(); ++i) column += lower(i, j) * p(i);
    sum += 2.0 * p(j) * column;
  }
  return sum;
}

// The decrease of sse the linearisation predicts for a step p: ‖r‖² − ‖r + Jp‖² = −(2 gᵀp + pᵀJᵀJp),
// g = Jᵀr. Gain-ratio rules compare it with the actual decrease.
template <typename NormalType, typename VectorType>
double predicted_decrease(const NormalType& normal, const VectorType& gradient, const VectorType& step) {
  return -(2.0 * gradient.dot(step) + quadratic_form(normal, step));
}

}  // namespace geoinv::lsq
