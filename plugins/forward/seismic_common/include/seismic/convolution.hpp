// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The convolutional model of a seismic trace, s = w ∗ r, aligned "same": a trace of n samples from n
// reflection coefficients and a wavelet of odd length L = 2c + 1 whose centre sample w[c] is time zero,
//
//   s[i] = Σ_j w[c + i − j] · r[j]     (terms with c + i − j outside [0, L) are zero),
//
// i.e. numpy.convolve(r, w, 'same') for odd L, and G·r with the n × n Toeplitz matrix G[i][j] = w[c+i−j].
// The model is linear: its Jacobian is G itself, and its transpose applies Gᵀ (a correlation), the
// pair a matrix-free linear solver needs. Cost O(n·L) each; nothing allocates.
#include <Eigen/Core>

#include <algorithm>

namespace geoinv::seismic {

// s = G r. `wavelet` has odd length; r and s have the same length.
inline void convolve_same(const Eigen::Ref<const Eigen::VectorXd>& wavelet, const Eigen::Ref<const Eigen::VectorXd>& r,
                          Eigen::Ref<Eigen::VectorXd> s) {
  const Eigen::Index n = r.size(), length = wavelet.size(), centre = length / 2;
  for (Eigen::Index i = 0; i < n; ++i) {
    // j runs where 0 <= c + i − j < L.
    const Eigen::Index first = std::max<Eigen::Index>(0, i + centre - length + 1);
    const Eigen::Index last = std::min<Eigen::Index>(n - 1, i + centre);
    double sum = 0.0;
    for (Eigen::Index j = first; j <= last; ++j) sum += wavelet(centre + i - j) * r(j);
    s(i) = sum;
  }
}

// x = Gᵀ y: x[j] = Σ_i w[c + i − j] · y[i].
inline void correlate_same(const Eigen::Ref<const Eigen::VectorXd>& wavelet, const Eigen::Ref<const Eigen::VectorXd>& y,
                           Eigen::Ref<Eigen::VectorXd> x) {
  const Eigen::Index n = y.size(), length = wavelet.size(), centre = length / 2;
  for (Eigen::Index j = 0; j < n; ++j) {
    // i runs where 0 <= c + i − j < L.
    const Eigen::Index first = std::max<Eigen::Index>(0, j - centre);
    const Eigen::Index last = std::min<Eigen::Index>(n - 1, j - centre + length - 1);
    double sum = 0.0;
    for (Eigen::Index i = first; i <= last; ++i) sum += wavelet(centre + i - j) * y(i);
    x(j) = sum;
  }
}

// G itself, n × n (the Jacobian of convolve_same with respect to r).
inline void convolution_matrix(const Eigen::Ref<const Eigen::VectorXd>& wavelet, Eigen::Ref<Eigen::MatrixXd> g) {
  const Eigen::Index n = g.rows(), length = wavelet.size(), centre = length / 2;
  g.setZero();
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = std::max<Eigen::Index>(0, i + centre - length + 1); j <= std::min<Eigen::Index>(n - 1, i + centre);
         ++j)
      g(i, j) = wavelet(centre + i - j);
}

}  // namespace geoinv::seismic
