// SPDX-License-Identifier: BSD-3-Clause
// Tests of sp/vector_log.hpp: within 1 ulp of long double's logl on a dense sample of the positive
// doubles, std::log's special values, and the same bits on the AVX2 path, the portable path and the
// remainder.
#include "sp/vector_log.hpp"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <vector>

namespace {

using geoinv::sp::log_in_place;
namespace detail = geoinv::sp::vector_log_detail;

std::uint64_t bits_of(double x) {
  std::uint64_t bits;
  std::memcpy(&bits, &x, sizeof bits);
  return bits;
}

double double_of(std::uint64_t bits) {
  double x;
  std::memcpy(&x, &bits, sizeof x);
  return x;
}

// |computed − ln x| in units of the last place of the double nearest ln x.
double ulp_error(double x, double computed) {
  const long double exact = std::log(static_cast<long double>(x));
  const double nearest = std::fabs(static_cast<double>(exact));
  const double ulp = nearest == 0.0 ? std::numeric_limits<double>::denorm_min()
                                    : std::nextafter(nearest, HUGE_VAL) - nearest;
  return static_cast<double>(std::fabs(static_cast<long double>(computed) - exact) / ulp);
}

// Log-uniform over [1e-300, 1e300], 1 + t and 1 − t for t log-uniform in [1e-20, 1] (P/Q → 1 at far
// stations), uniform over [0.7, 1.45] (the reduced range), every binade with 50 mantissas, subnormals.
std::vector<double> dense_sample() {
  std::mt19937_64 random(20261205);
  std::vector<double> xs;
  std::uniform_real_distribution<double> log_uniform(std::log(1e-300), std::log(1e300));
  for (int i = 0; i < 1000000; ++i) xs.push_back(std::exp(log_uniform(random)));
  std::uniform_real_distribution<double> exponent(-20.0, 0.0);
  for (int i = 0; i < 300000; ++i) {
    const double t = std::pow(10.0, exponent(random));
    xs.push_back(1.0 + t);
    xs.push_back(1.0 - t);
  }
  std::uniform_real_distribution<double> reduced(0.7, 1.45);
  for (int i = 0; i < 500000; ++i) xs.push_back(reduced(random));
  std::uniform_real_distribution<double> mantissa(1.0, 2.0);
  for (int binade = -1074; binade <= 1023; ++binade)
    for (int i = 0; i < 50; ++i) xs.push_back(std::ldexp(mantissa(random), binade));
  for (int i = 0; i < 100000; ++i) xs.push_back(double_of(random() & 0x000fffffffffffffULL));
  xs.push_back(1.0);
  xs.push_back(std::nextafter(1.0, 2.0));
  xs.push_back(std::nextafter(1.0, 0.0));
  xs.push_back(DBL_MAX);
  xs.push_back(DBL_MIN);
  xs.push_back(std::numeric_limits<double>::denorm_min());
  return xs;
}

TEST(VectorLog, WithinOneUlpOfTheExactLogarithm) {
  const std::vector<double> xs = dense_sample();
  std::vector<double> logs = xs;
  log_in_place(logs.data(), static_cast<Eigen::Index>(logs.size()));
  double worst = 0.0, worst_at = 0.0;
  for (std::size_t i = 0; i < xs.size(); ++i) {
    if (!std::isfinite(xs[i]) || xs[i] <= 0.0) continue;
    const double error = ulp_error(xs[i], logs[i]);
    if (error > worst) {
      worst = error;
      worst_at = xs[i];
    }
  }
  EXPECT_LE(worst, 1.0) << "at x = " << worst_at;
  RecordProperty("worst_ulp", std::to_string(worst));
}

TEST(VectorLog, SpecialValuesAsStdLog) {
  const double infinity = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const std::vector<double> xs = {0.0, -0.0, infinity, -infinity, -1.0, -DBL_MIN, -1e-310, nan, -nan, 1.0};
  std::vector<double> logs = xs;
  log_in_place(logs.data(), static_cast<Eigen::Index>(logs.size()));
  for (std::size_t i = 0; i < xs.size(); ++i)
    EXPECT_EQ(bits_of(logs[i]), bits_of(std::log(xs[i]))) << "x = " << xs[i] << ": " << logs[i];
}

// 1e6 random inputs: random positive bit patterns (every binade, subnormals, inf, NaNs) and the sheet's
// range of P/Q.
std::vector<double> random_inputs() {
  std::mt19937_64 random(7);
  std::vector<double> xs;
  std::uniform_real_distribution<double> ratio(std::log(1e-6), std::log(1e6));
  for (int i = 0; i < 500000; ++i) {
    xs.push_back(double_of(random() & 0x7fffffffffffffffULL));
    xs.push_back(std::exp(ratio(random)));
  }
  return xs;
}

void expect_same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  ASSERT_EQ(a.size(), b.size());
  std::size_t differing = 0;
  for (std::size_t i = 0; i < a.size(); ++i) differing += bits_of(a[i]) != bits_of(b[i]);
  EXPECT_EQ(differing, 0u);
}

TEST(VectorLog, DispatchedAvx2AndPortablePathsGiveTheSameBits) {
  const std::vector<double> xs = random_inputs();
  std::vector<double> portable = xs, dispatched = xs;
  detail::log_in_place_portable(portable.data(), static_cast<Eigen::Index>(portable.size()));
  log_in_place(dispatched.data(), static_cast<Eigen::Index>(dispatched.size()));
  expect_same_bits(dispatched, portable);
#if GEOINV_SIMD_AVX2
  if (!__builtin_cpu_supports("avx2") || !__builtin_cpu_supports("fma")) GTEST_SKIP() << "no AVX2/FMA";
  std::vector<double> avx2 = xs;
  detail::log_in_place_avx2(avx2.data(), static_cast<Eigen::Index>(avx2.size()));
  expect_same_bits(avx2, portable);
#endif
}

// Arrays of every length up to 9 from every offset: the remainder lanes give the bits of full packs.
TEST(VectorLog, RemainderGivesTheBitsOfFullPacks) {
  const std::vector<double> xs = random_inputs();
  std::vector<double> whole(xs.begin(), xs.begin() + 64);
  log_in_place(whole.data(), 64);
  for (Eigen::Index offset = 0; offset < 8; ++offset) {
    for (Eigen::Index n = 0; n <= 9; ++n) {
      std::vector<double> part(xs.begin() + offset, xs.begin() + offset + n);
      log_in_place(part.data(), n);
      for (Eigen::Index i = 0; i < n; ++i)
        EXPECT_EQ(bits_of(part[i]), bits_of(whole[offset + i])) << "offset " << offset << ", n " << n;
    }
  }
}

// log_of_normals_in_place gives log_in_place's bits for positive normal numbers, on both paths, for every
// length up to 17 from every offset (two packs a step, then one, then the remainder).
TEST(VectorLog, NormalsPathGivesTheTestedPathsBits) {
  std::vector<double> xs;
  for (const double x : random_inputs())
    if (x >= DBL_MIN && x <= DBL_MAX) xs.push_back(x);
  ASSERT_GT(xs.size(), 64u);
  std::vector<double> tested = xs, normals = xs;
  log_in_place(tested.data(), static_cast<Eigen::Index>(tested.size()));
  geoinv::sp::log_of_normals_in_place(normals.data(), static_cast<Eigen::Index>(normals.size()));
  expect_same_bits(normals, tested);
  std::vector<double> portable = xs;
  detail::log_of_normals_in_place_portable(portable.data(), static_cast<Eigen::Index>(portable.size()));
  expect_same_bits(portable, tested);
  for (Eigen::Index offset = 0; offset < 8; ++offset) {
    for (Eigen::Index n = 0; n <= 17; ++n) {
      std::vector<double> part(xs.begin() + offset, xs.begin() + offset + n);
      geoinv::sp::log_of_normals_in_place(part.data(), n);
      for (Eigen::Index i = 0; i < n; ++i)
        EXPECT_EQ(bits_of(part[i]), bits_of(tested[offset + i])) << "offset " << offset << ", n " << n;
    }
  }
}

}  // namespace
