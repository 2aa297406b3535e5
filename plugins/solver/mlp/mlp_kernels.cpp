// SPDX-License-Identifier: BSD-3-Clause
// The AVX2/FMA product kernel and its portable fallback (mlp_kernels.hpp).
#include "mlp_kernels.hpp"

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <type_traits>

#if defined(__SSE__)
#include <xmmintrin.h>
#endif
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#define GEOINV_MLP_HAVE_AVX2_KERNEL 1
#else
#define GEOINV_MLP_HAVE_AVX2_KERNEL 0
#endif

namespace geoinv::mlp {

namespace {

// GEOINV_MLP_ISA=portable forces the portable path (to test it, or to compare a model trained elsewhere).
Isa initial_isa() {
  const char* forced = std::getenv("GEOINV_MLP_ISA");
  if (forced && std::string(forced) == "portable") return Isa::portable;
  return detected_isa();
}

Isa& active() {
  static Isa isa = initial_isa();
  return isa;
}

// Portable path: Eigen's GEMM on maps of the caller's buffers.
template <typename T>
void multiply_portable(Index m, Index n, Index k, const T* p, Index ldp, const T* q, Index q_row_stride,
                       Index q_column_stride, T* c, Index ldc) {
  using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  using Strided = Eigen::OuterStride<>;
  Eigen::Map<const Matrix, 0, Strided> left(p, m, k, Strided(ldp));
  Eigen::Map<Matrix, 0, Strided> result(c, m, n, Strided(ldc));
  if (q_row_stride == 1) {
    result.noalias() = left * Eigen::Map<const Matrix, 0, Strided>(q, k, n, Strided(q_column_stride));
  } else {
    result.noalias() =
        left * Eigen::Map<const Matrix, 0, Strided>(q, n, k, Strided(q_row_stride)).transpose();
  }
}

#if GEOINV_MLP_HAVE_AVX2_KERNEL

#define GEOINV_AVX2 __attribute__((target("avx2,fma")))
#define GEOINV_AVX2_INLINE __attribute__((target("avx2,fma"), always_inline)) inline

// One 256-bit register of T and the operations the kernel needs.
template <typename T>
struct Lanes;

template <>
struct Lanes<float> {
  using V = __m256;
  static constexpr int size = 8;
  GEOINV_AVX2_INLINE static V zero() { return _mm256_setzero_ps(); }
  GEOINV_AVX2_INLINE static V load(const float* a) { return _mm256_loadu_ps(a); }
  GEOINV_AVX2_INLINE static V load(const float* a, __m256i mask) { return _mm256_maskload_ps(a, mask); }
  GEOINV_AVX2_INLINE static V broadcast(const float* a) { return _mm256_broadcast_ss(a); }
  GEOINV_AVX2_INLINE static V fma(V a, V b, V c) { return _mm256_fmadd_ps(a, b, c); }
  GEOINV_AVX2_INLINE static void store(float* a, V v) { _mm256_storeu_ps(a, v); }
  GEOINV_AVX2_INLINE static void store(float* a, V v, __m256i mask) { _mm256_maskstore_ps(a, mask, v); }
  GEOINV_AVX2_INLINE static V set(float a) { return _mm256_set1_ps(a); }
  GEOINV_AVX2_INLINE static V add(V a, V b) { return _mm256_add_ps(a, b); }
  GEOINV_AVX2_INLINE static V sub(V a, V b) { return _mm256_sub_ps(a, b); }
  GEOINV_AVX2_INLINE static V mul(V a, V b) { return _mm256_mul_ps(a, b); }
  GEOINV_AVX2_INLINE static V div(V a, V b) { return _mm256_div_ps(a, b); }
  GEOINV_AVX2_INLINE static V sqrt(V a) { return _mm256_sqrt_ps(a); }
  GEOINV_AVX2_INLINE static V fnma(V a, V b, V c) { return _mm256_fnmadd_ps(a, b, c); }  // c − a·b
  // Lanes [0, count) set.
  GEOINV_AVX2_INLINE static __m256i mask(int count) {
    static const std::int32_t table[16] = {-1, -1, -1, -1, -1, -1, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0};
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(table + 8 - count));
  }
};

template <>
struct Lanes<double> {
  using V = __m256d;
  static constexpr int size = 4;
  GEOINV_AVX2_INLINE static V zero() { return _mm256_setzero_pd(); }
  GEOINV_AVX2_INLINE static V load(const double* a) { return _mm256_loadu_pd(a); }
  GEOINV_AVX2_INLINE static V load(const double* a, __m256i mask) { return _mm256_maskload_pd(a, mask); }
  GEOINV_AVX2_INLINE static V broadcast(const double* a) { return _mm256_broadcast_sd(a); }
  GEOINV_AVX2_INLINE static V fma(V a, V b, V c) { return _mm256_fmadd_pd(a, b, c); }
  GEOINV_AVX2_INLINE static void store(double* a, V v) { _mm256_storeu_pd(a, v); }
  GEOINV_AVX2_INLINE static void store(double* a, V v, __m256i mask) { _mm256_maskstore_pd(a, mask, v); }
  GEOINV_AVX2_INLINE static V set(double a) { return _mm256_set1_pd(a); }
  GEOINV_AVX2_INLINE static V add(V a, V b) { return _mm256_add_pd(a, b); }
  GEOINV_AVX2_INLINE static V sub(V a, V b) { return _mm256_sub_pd(a, b); }
  GEOINV_AVX2_INLINE static V mul(V a, V b) { return _mm256_mul_pd(a, b); }
  GEOINV_AVX2_INLINE static V div(V a, V b) { return _mm256_div_pd(a, b); }
  GEOINV_AVX2_INLINE static V sqrt(V a) { return _mm256_sqrt_pd(a); }
  GEOINV_AVX2_INLINE static V fnma(V a, V b, V c) { return _mm256_fnmadd_pd(a, b, c); }  // c − a·b
  GEOINV_AVX2_INLINE static __m256i mask(int count) {
    static const std::int64_t table[8] = {-1, -1, -1, -1, 0, 0, 0, 0};
    return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(table + 4 - count));
  }
};

// A block of C: Vectors registers of rows (the last one masked when Masked) × Columns columns, summed over
// all k in registers and stored once. 2 × 6 blocks use 12 accumulators, 2 loads and 1 broadcast: 15 of the
// 16 registers, and two FMAs per broadcast.
template <typename T, int Vectors, int Columns, bool Masked>
GEOINV_AVX2 void block(Index k, const T* p, Index ldp, const T* q, Index q_row_stride, Index q_column_stride,
                       T* c, Index ldc, __m256i mask) {
  using L = Lanes<T>;
  using V = typename L::V;
  V sum[Vectors][Columns];
#pragma GCC unroll 2
  for (int v = 0; v < Vectors; ++v)
#pragma GCC unroll 6
    for (int j = 0; j < Columns; ++j) sum[v][j] = L::zero();
  for (Index r = 0; r < k; ++r) {
    const T* column = p + r * ldp;
    V left[Vectors];
#pragma GCC unroll 2
    for (int v = 0; v < Vectors; ++v)
      left[v] =
          (Masked && v == Vectors - 1) ? L::load(column + v * L::size, mask) : L::load(column + v * L::size);
    const T* row = q + r * q_row_stride;
#pragma GCC unroll 6
    for (int j = 0; j < Columns; ++j) {
      const V right = L::broadcast(row + j * q_column_stride);
#pragma GCC unroll 2
      for (int v = 0; v < Vectors; ++v) sum[v][j] = L::fma(left[v], right, sum[v][j]);
    }
  }
#pragma GCC unroll 6
  for (int j = 0; j < Columns; ++j)
#pragma GCC unroll 2
    for (int v = 0; v < Vectors; ++v) {
      T* out = c + j * ldc + v * L::size;
      if (Masked && v == Vectors - 1) {
        L::store(out, sum[v][j], mask);
      } else {
        L::store(out, sum[v][j]);
      }
    }
}

template <typename T, int Vectors, bool Masked>
GEOINV_AVX2 void row_chunk(Index n, Index k, const T* p, Index ldp, const T* q, Index q_row_stride,
                           Index q_column_stride, T* c, Index ldc, __m256i mask) {
  constexpr int kColumns = 6;
  Index j = 0;
  for (; j + kColumns <= n; j += kColumns)
    block<T, Vectors, kColumns, Masked>(k, p, ldp, q + j * q_column_stride, q_row_stride, q_column_stride,
                                        c + j * ldc, ldc, mask);
  const T* qj = q + j * q_column_stride;
  T* cj = c + j * ldc;
  switch (n - j) {
    case 5:
      block<T, Vectors, 5, Masked>(k, p, ldp, qj, q_row_stride, q_column_stride, cj, ldc, mask);
      break;
    case 4:
      block<T, Vectors, 4, Masked>(k, p, ldp, qj, q_row_stride, q_column_stride, cj, ldc, mask);
      break;
    case 3:
      block<T, Vectors, 3, Masked>(k, p, ldp, qj, q_row_stride, q_column_stride, cj, ldc, mask);
      break;
    case 2:
      block<T, Vectors, 2, Masked>(k, p, ldp, qj, q_row_stride, q_column_stride, cj, ldc, mask);
      break;
    case 1:
      block<T, Vectors, 1, Masked>(k, p, ldp, qj, q_row_stride, q_column_stride, cj, ldc, mask);
      break;
    default:
      break;
  }
}

// Rows in chunks of two registers (16 floats, 8 doubles), then what is left with a masked last register.
// The outer loop runs over row chunks so that a chunk of P (at most 16 × k) stays in L1 while the
// columns of Q stream past it.
template <typename T>
GEOINV_AVX2 void multiply_avx2(Index m, Index n, Index k, const T* p, Index ldp, const T* q,
                               Index q_row_stride, Index q_column_stride, T* c, Index ldc) {
  using L = Lanes<T>;
  const __m256i full = L::mask(L::size);
  Index i = 0;
  for (; i + 2 * L::size <= m; i += 2 * L::size)
    row_chunk<T, 2, false>(n, k, p + i, ldp, q, q_row_stride, q_column_stride, c + i, ldc, full);
  const Index rest = m - i;
  if (rest == 0) return;
  if (rest > L::size) {
    row_chunk<T, 2, true>(n, k, p + i, ldp, q, q_row_stride, q_column_stride, c + i, ldc,
                          L::mask(static_cast<int>(rest - L::size)));
  } else if (rest == L::size) {
    row_chunk<T, 1, false>(n, k, p + i, ldp, q, q_row_stride, q_column_stride, c + i, ldc, full);
  } else {
    row_chunk<T, 1, true>(n, k, p + i, ldp, q, q_row_stride, q_column_stride, c + i, ldc,
                          L::mask(static_cast<int>(rest)));
  }
}

// Eigen's generic_fast_tanh_float (Eigen/src/Core/MathFunctionsImpl.h) on 8 floats, with FMA.
GEOINV_AVX2_INLINE __m256 tanh_avx2(__m256 in) {
  const __m256 x = _mm256_max_ps(_mm256_min_ps(in, _mm256_set1_ps(7.99881172180175781f)),
                                 _mm256_set1_ps(-7.99881172180175781f));
  const __m256 magnitude = _mm256_andnot_ps(_mm256_set1_ps(-0.0f), in);
  const __m256 tiny = _mm256_cmp_ps(magnitude, _mm256_set1_ps(0.0004f), _CMP_LT_OQ);
  const __m256 x2 = _mm256_mul_ps(x, x);
  __m256 p =
      _mm256_fmadd_ps(x2, _mm256_set1_ps(-2.76076847742355e-16f), _mm256_set1_ps(2.00018790482477e-13f));
  p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(-8.60467152213735e-11f));
  p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(5.12229709037114e-08f));
  p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(1.48572235717979e-05f));
  p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(6.37261928875436e-04f));
  p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(4.89352455891786e-03f));
  p = _mm256_mul_ps(x, p);
  __m256 q =
      _mm256_fmadd_ps(x2, _mm256_set1_ps(1.19825839466702e-06f), _mm256_set1_ps(1.18534705686654e-04f));
  q = _mm256_fmadd_ps(x2, q, _mm256_set1_ps(2.26843463243900e-03f));
  q = _mm256_fmadd_ps(x2, q, _mm256_set1_ps(4.89352518554385e-03f));
  return _mm256_blendv_ps(_mm256_div_ps(p, q), x, tiny);
}

GEOINV_AVX2 void bias_tanh_avx2(float* z, const float* bias, Index rows, Index columns) {
  using L = Lanes<float>;
  const Index full = rows / L::size * L::size;
  const __m256i mask = L::mask(static_cast<int>(rows - full));
  for (Index j = 0; j < columns; ++j) {
    float* column = z + j * rows;
    Index i = 0;
    for (; i < full; i += L::size)
      L::store(column + i, tanh_avx2(L::add(L::load(column + i), L::load(bias + i))));
    if (i < rows)
      L::store(column + i, tanh_avx2(L::add(L::load(column + i, mask), L::load(bias + i, mask))), mask);
  }
}

template <typename T>
GEOINV_AVX2 void tanh_derivative_avx2(const T* a, T* delta, Index size) {
  using L = Lanes<T>;
  const auto one = L::set(T(1));
  Index i = 0;
  for (; i + L::size <= size; i += L::size) {
    const auto value = L::load(a + i);
    L::store(delta + i, L::mul(L::load(delta + i), L::fnma(value, value, one)));
  }
  for (; i < size; ++i) delta[i] *= T(1) - a[i] * a[i];
}

template <typename T>
GEOINV_AVX2 void adam_avx2(T* parameters, T* first, T* second, const T* gradient, Index size, T beta_1,
                           T beta_2, T rate, T epsilon) {
  using L = Lanes<T>;
  const auto b1 = L::set(beta_1), c1 = L::set(T(1) - beta_1), b2 = L::set(beta_2), c2 = L::set(T(1) - beta_2);
  const auto r = L::set(rate), eps = L::set(epsilon);
  Index i = 0;
  for (; i + L::size <= size; i += L::size) {
    const auto g = L::load(gradient + i);
    const auto m = L::add(L::mul(b1, L::load(first + i)), L::mul(c1, g));
    const auto v = L::add(L::mul(b2, L::load(second + i)), L::mul(c2, L::mul(g, g)));
    L::store(first + i, m);
    L::store(second + i, v);
    L::store(parameters + i, L::sub(L::load(parameters + i), L::div(L::mul(r, m), L::add(L::sqrt(v), eps))));
  }
  for (; i < size; ++i) {
    first[i] = beta_1 * first[i] + (T(1) - beta_1) * gradient[i];
    second[i] = beta_2 * second[i] + (T(1) - beta_2) * (gradient[i] * gradient[i]);
    parameters[i] -= rate * first[i] / (std::sqrt(second[i]) + epsilon);
  }
}

#endif  // GEOINV_MLP_HAVE_AVX2_KERNEL

bool use_avx2() {
#if GEOINV_MLP_HAVE_AVX2_KERNEL
  return active() == Isa::avx2_fma;
#else
  return false;
#endif
}

}  // namespace

std::string to_string(Isa isa) { return isa == Isa::avx2_fma ? "avx2_fma" : "portable"; }

Isa detected_isa() {
#if GEOINV_MLP_HAVE_AVX2_KERNEL
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return Isa::avx2_fma;
#endif
  return Isa::portable;
}

Isa active_isa() { return active(); }

void set_isa(Isa isa) {
  if (isa == Isa::avx2_fma && detected_isa() != Isa::avx2_fma)
    throw std::invalid_argument("mlp: this CPU (or build) has no AVX2/FMA");
  active() = isa;
}

template <typename T>
void multiply(Index m, Index n, Index k, const T* p, Index ldp, const T* q, Index q_row_stride,
              Index q_column_stride, T* c, Index ldc) {
  if (m == 0 || n == 0) return;
#if GEOINV_MLP_HAVE_AVX2_KERNEL
  if (active() == Isa::avx2_fma) {
    multiply_avx2<T>(m, n, k, p, ldp, q, q_row_stride, q_column_stride, c, ldc);
    return;
  }
#endif
  multiply_portable<T>(m, n, k, p, ldp, q, q_row_stride, q_column_stride, c, ldc);
}

template <typename T>
void bias_tanh(T* z, const T* bias, Index rows, Index columns) {
#if GEOINV_MLP_HAVE_AVX2_KERNEL
  if constexpr (std::is_same_v<T, float>) {
    if (use_avx2()) return bias_tanh_avx2(z, bias, rows, columns);
  }
#endif
  using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;
  Eigen::Map<Matrix> block(z, rows, columns);
  block.colwise() += Eigen::Map<const Vector>(bias, rows);
  block.array() = block.array().tanh();
}

template <typename T>
void multiply_by_tanh_derivative(const T* a, T* delta, Index size) {
#if GEOINV_MLP_HAVE_AVX2_KERNEL
  if (use_avx2()) return tanh_derivative_avx2(a, delta, size);
#endif
  using Array = Eigen::Array<T, Eigen::Dynamic, 1>;
  Eigen::Map<Array>(delta, size) *= T(1) - Eigen::Map<const Array>(a, size).square();
}

template <typename T>
void adam_update(T* parameters, T* first, T* second, const T* gradient, Index size, T beta_1, T beta_2,
                 T rate, T epsilon) {
#if GEOINV_MLP_HAVE_AVX2_KERNEL
  if (use_avx2()) return adam_avx2(parameters, first, second, gradient, size, beta_1, beta_2, rate, epsilon);
#endif
  using Array = Eigen::Array<T, Eigen::Dynamic, 1>;
  Eigen::Map<Array> p(parameters, size), m(first, size), v(second, size);
  const Eigen::Map<const Array> g(gradient, size);
  m = beta_1 * m + (T(1) - beta_1) * g;
  v = beta_2 * v + (T(1) - beta_2) * g.square();
  p -= rate * m / (v.sqrt() + epsilon);
}

template <typename T>
void transpose(const T* a, Index rows, Index columns, T* out) {
#if defined(__SSE__)
  if constexpr (std::is_same_v<T, float>) {
    const Index rows4 = rows / 4 * 4, columns4 = columns / 4 * 4;
    for (Index j = 0; j < columns4; j += 4)
      for (Index i = 0; i < rows4; i += 4) {
        __m128 c0 = _mm_loadu_ps(a + i + j * rows), c1 = _mm_loadu_ps(a + i + (j + 1) * rows);
        __m128 c2 = _mm_loadu_ps(a + i + (j + 2) * rows), c3 = _mm_loadu_ps(a + i + (j + 3) * rows);
        _MM_TRANSPOSE4_PS(c0, c1, c2, c3);
        _mm_storeu_ps(out + j + i * columns, c0);
        _mm_storeu_ps(out + j + (i + 1) * columns, c1);
        _mm_storeu_ps(out + j + (i + 2) * columns, c2);
        _mm_storeu_ps(out + j + (i + 3) * columns, c3);
      }
    for (Index j = 0; j < columns; ++j)  // the edges the tiles left
      for (Index i = j < columns4 ? rows4 : 0; i < rows; ++i) out[j + i * columns] = a[i + j * rows];
    return;
  }
#endif
  using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic>;
  Eigen::Map<Matrix>(out, columns, rows) = Eigen::Map<const Matrix>(a, rows, columns).transpose();
}

template void transpose<float>(const float*, Index, Index, float*);
template void transpose<double>(const double*, Index, Index, double*);
template void bias_tanh<float>(float*, const float*, Index, Index);
template void bias_tanh<double>(double*, const double*, Index, Index);
template void multiply_by_tanh_derivative<float>(const float*, float*, Index);
template void multiply_by_tanh_derivative<double>(const double*, double*, Index);
template void adam_update<float>(float*, float*, float*, const float*, Index, float, float, float, float);
template void adam_update<double>(double*, double*, double*, const double*, Index, double, double, double,
                                  double);

template void multiply<float>(Index, Index, Index, const float*, Index, const float*, Index, Index, float*,
                              Index);
template void multiply<double>(Index, Index, Index, const double*, Index, const double*, Index, Index,
                               double*, Index);

}  // namespace geoinv::mlp
