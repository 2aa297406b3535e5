// SPDX-License-Identifier: BSD-3-Clause
#include "core/banded_products.hpp"

#include <algorithm>
#include <vector>

#include "simd/segment_kernels.hpp"
#include "simd/simd.hpp"

namespace geoinv::banded_products {
namespace {

using Index = Eigen::Index;

Index width(const BandView& a) { return a.band.lower + a.band.upper + 1; }

// `values` placed at offset `before` in a zeroed buffer of `size` entries (those past the end dropped):
// the padded input of a Toeplitz product. One buffer per thread, grown once, so the products allocate
// nothing after the first call.
const double* zero_padded(const double* values, Index count, Index before, Index size) {
  thread_local std::vector<double> buffer;
  buffer.assign(static_cast<std::size_t>(size), 0.0);
  const Index copied = std::clamp<Index>(size - before, 0, count);
  std::copy(values, values + copied, buffer.data() + before);
  return buffer.data();
}

template <typename Pack>
GEOINV_ALWAYS_INLINE void apply_body(const BandView& a, const double* x, double* y) {
  if (a.row_stride == 0) {  // y(i) = Σ_k row(k)·x(i − lower + k)
    const double* padded = zero_padded(x, a.cols, a.band.lower, a.rows + width(a) - 1);
    simd::correlate<Pack>(a.entries, 1, width(a), padded, y, a.rows);
    return;
  }
  for (Index i = 0; i < a.rows; ++i) {
    const Index begin = std::max<Index>(0, i - a.band.lower), end = std::min<Index>(a.cols, i + a.band.upper + 1);
    const double* row = a.entries + i * a.row_stride + (begin - (i - a.band.lower));
    y[i] = end > begin ? simd::dot<Pack>(row, x + begin, end - begin) : 0.0;
  }
}

template <typename Pack>
GEOINV_ALWAYS_INLINE void apply_transpose_body(const BandView& a, const double* y, double* x) {
  if (a.row_stride == 0) {  // x(j) = Σ_k row(K − 1 − k)·y(j − upper + k): the row read backwards
    const double* padded = zero_padded(y, a.rows, a.band.upper, a.cols + width(a) - 1);
    simd::correlate<Pack>(a.entries + width(a) - 1, -1, width(a), padded, x, a.cols);
    return;
  }
  std::fill(x, x + a.cols, 0.0);
  for (Index i = 0; i < a.rows; ++i) {
    const Index begin = std::max<Index>(0, i - a.band.lower), end = std::min<Index>(a.cols, i + a.band.upper + 1);
    const double* row = a.entries + i * a.row_stride + (begin - (i - a.band.lower));
    if (end > begin) simd::axpy<Pack>(y[i], row, x + begin, end - begin);
  }
}

void apply_portable(const BandView& a, const double* x, double* y) { apply_body<simd::Double2>(a, x, y); }
void apply_transpose_portable(const BandView& a, const double* y, double* x) {
  apply_transpose_body<simd::Double2>(a, y, x);
}

#if GEOINV_SIMD_AVX2
GEOINV_TARGET_AVX2_FMA void apply_avx2(const BandView& a, const double* x, double* y) {
  apply_body<simd::Double4>(a, x, y);
}
GEOINV_TARGET_AVX2_FMA void apply_transpose_avx2(const BandView& a, const double* y, double* x) {
  apply_transpose_body<simd::Double4>(a, y, x);
}
#endif

}  // namespace

void apply(const BandView& a, const double* x, double* y) {
#if GEOINV_SIMD_AVX2
  if (simd::avx2_fma()) return apply_avx2(a, x, y);
#endif
  apply_portable(a, x, y);
}

void apply_transpose(const BandView& a, const double* y, double* x) {
#if GEOINV_SIMD_AVX2
  if (simd::avx2_fma()) return apply_transpose_avx2(a, y, x);
#endif
  apply_transpose_portable(a, y, x);
}

}  // namespace geoinv::banded_products
