// SPDX-License-Identifier: BSD-3-Clause
// The "same"-aligned convolution, its transpose and its matrix (seismic/convolution.hpp) against an
// independent computation: the full discrete convolution, sliced as numpy.convolve(r, w, 'same') slices
// it, and the Toeplitz matrix built from its first column and row as scipy.linalg.toeplitz builds it.
// And the wavelets (seismic/wavelet.hpp) against their formulas.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include <unistd.h>

#include "geoinv/error.hpp"
#include "seismic/convolution.hpp"
#include "seismic/wavelet.hpp"

namespace {

using Eigen::MatrixXd;
using Eigen::VectorXd;

// numpy.convolve(r, w, 'full')[c : c + n] with c = (len(w) − 1) / 2: 'same' for an odd wavelet.
VectorXd numpy_same(const VectorXd& r, const VectorXd& w) {
  const Eigen::Index n = r.size(), length = w.size();
  VectorXd full = VectorXd::Zero(n + length - 1);
  for (Eigen::Index k = 0; k < n; ++k)
    for (Eigen::Index m = 0; m < length; ++m) full(k + m) += r(k) * w(m);
  return full.segment((length - 1) / 2, n);
}

// scipy.linalg.toeplitz(column, row): G[i][j] = column[i − j] below the diagonal, row[j − i] above.
MatrixXd toeplitz_of(const VectorXd& w, Eigen::Index n) {
  const Eigen::Index c = w.size() / 2;
  VectorXd column = VectorXd::Zero(n), row = VectorXd::Zero(n);
  for (Eigen::Index k = 0; k < n && c + k < w.size(); ++k) column(k) = w(c + k);
  for (Eigen::Index k = 0; k < n && c - k >= 0; ++k) row(k) = w(c - k);
  MatrixXd g(n, n);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) g(i, j) = i >= j ? column(i - j) : row(j - i);
  return g;
}

VectorXd random_vector(Eigen::Index n, unsigned seed) {
  std::mt19937 random(seed);
  std::normal_distribution<double> normal;
  VectorXd v(n);
  for (Eigen::Index i = 0; i < n; ++i) v(i) = normal(random);
  return v;
}

TEST(SeismicConvolution, SameAlignedConvolutionEqualsNumpySameForEveryWavelet) {
  for (const VectorXd& w : {geoinv::seismic::three_point(-0.5, 1.0, -0.5), geoinv::seismic::ricker(30.0, 0.002),
                            VectorXd(random_vector(7, 3))}) {
    for (Eigen::Index n : {1, 2, 5, 64, 256}) {
      const VectorXd r = random_vector(n, 11);
      VectorXd s(n);
      geoinv::seismic::convolve_same(w, r, s);
      EXPECT_LE((s - numpy_same(r, w)).cwiseAbs().maxCoeff(), 1e-12) << "n " << n << ", wavelet " << w.size();
    }
  }
}

TEST(SeismicConvolution, MatrixIsTheToeplitzOperatorAndTheTransposeIsItsAdjoint) {
  const VectorXd w = geoinv::seismic::ricker(30.0, 0.002);  // 101 samples: longer than some traces
  for (Eigen::Index n : {3, 40, 256}) {
    MatrixXd g(n, n);
    geoinv::seismic::convolution_matrix(w, g);
    EXPECT_LE((g - toeplitz_of(w, n)).cwiseAbs().maxCoeff(), 0.0) << n;
    const VectorXd r = random_vector(n, 5), y = random_vector(n, 6);
    VectorXd s(n), x(n);
    geoinv::seismic::convolve_same(w, r, s);
    geoinv::seismic::correlate_same(w, y, x);
    EXPECT_LE((s - g * r).cwiseAbs().maxCoeff(), 1e-12) << n;
    EXPECT_LE((x - g.transpose() * y).cwiseAbs().maxCoeff(), 1e-12) << n;
  }
}

TEST(SeismicConvolution, ThreePointWaveletOnASpikeGivesItsWeightsAroundTheSpike) {
  VectorXd r = VectorXd::Zero(7), s(7);
  r(3) = 1.0;
  geoinv::seismic::convolve_same(geoinv::seismic::three_point(-0.5, 1.0, -0.25), r, s);
  VectorXd expected(7);
  expected << 0, 0, -0.5, 1.0, -0.25, 0, 0;
  EXPECT_EQ(s, expected);
}

TEST(SeismicWavelet, RickerFollowsItsFormulaAndSpansThreePeriods) {
  const VectorXd w = geoinv::seismic::ricker(30.0, 0.002);
  ASSERT_EQ(w.size(), 101);  // round(3 / (30 · 0.002)) = 50 samples each side
  EXPECT_DOUBLE_EQ(w(50), 1.0);
  const double t = 0.004, a = std::pow(M_PI * 30.0 * t, 2);
  EXPECT_NEAR(w(52), (1 - 2 * a) * std::exp(-a), 1e-15);
  EXPECT_DOUBLE_EQ(w(48), w(52));
  EXPECT_EQ(geoinv::seismic::ricker(30.0, 0.002, 10).size(), 21);
}

TEST(SeismicWavelet, ReadsAFileAndRefusesAnEvenCountOrANonNumberWithTheLine) {
  const auto folder = std::filesystem::temp_directory_path() / ("seismic_wavelet_" + std::to_string(::getpid()));
  std::filesystem::create_directories(folder);
  const auto write = [&](const char* name, const char* text) {
    std::ofstream(folder / name) << text;
    return folder / name;
  };
  const VectorXd w = geoinv::seismic::read_wavelet(write("good.txt", "# a comment\n-0.5, 1\n-0.5\n"));
  EXPECT_EQ(w, geoinv::seismic::three_point(-0.5, 1.0, -0.5));
  EXPECT_THROW(geoinv::seismic::read_wavelet(write("even.txt", "1 2\n")), geoinv::Error);
  try {
    geoinv::seismic::read_wavelet(write("bad.txt", "1\n2 x\n"));
    FAIL() << "a non-number was accepted";
  } catch (const geoinv::Error& e) {
    EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
  }
  std::filesystem::remove_all(folder);
}

}  // namespace
