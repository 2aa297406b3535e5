// SPDX-License-Identifier: BSD-3-Clause
// Tests of the shared shape-factor code for every exponent, without a plugin: reference values S1, S1′
// and S4 of docs/models/shape-factor.md, the free-q form against the closed forms, and every Jacobian (the q
// column included) against central differences.
#include "sp/shape_factor.hpp"

#include <gtest/gtest.h>

#include <Eigen/Core>
#include <cmath>
#include <random>
#include <string>

#include "geoinv/finite_difference.hpp"
#include "geoinv/parameter.hpp"
#include "sp/shape_factor_model.hpp"

namespace {

using geoinv::Matrix;
using geoinv::to_radians;
using geoinv::Vector;
using geoinv::sp::Convention;
using geoinv::sp::Exponent;

Vector stations_of(std::initializer_list<double> positions) {
  Vector stations(static_cast<Eigen::Index>(positions.size()));
  Eigen::Index i = 0;
  for (double x : positions) stations(i++) = x;
  return stations;
}

Vector model_of(double x0, double theta_degrees, double h, double K) {
  Vector model(4);
  model << x0, to_radians(theta_degrees), h, K;
  return model;
}

Vector with_q(const Vector& model, double q) {
  Vector extended(5);
  extended << model, q;
  return extended;
}

template <Exponent kExponent>
Vector predict(const Vector& model, Convention convention, const Vector& stations) {
  Vector data(stations.size());
  geoinv::sp::predict_shape_factor<kExponent>(model, convention, stations, data);
  return data;
}

// A ShapeFactorModel as a plugin would declare it, for central_difference_jacobian.
template <Exponent kExponent>
class ConfiguredBody final : public geoinv::sp::ShapeFactorModel<kExponent> {
 public:
  ConfiguredBody(Convention convention, const Vector& stations)
      : geoinv::sp::ShapeFactorModel<kExponent>({"mV*m^(2q-1)", "depth", 1e4}) {
    auto options = geoinv::OptionValues::defaults(this->options());
    options.set("convention", geoinv::sp::kConventionWords.word(convention));
    this->configure(options, stations);
  }
  std::string example_yaml() const override { return ""; }
};

// S1: sphere, plus form, K = -600, x0 = 0, h = 20, θ = 40°; S1′ is the same body with q = 1.
TEST(ShapeFactor, ReproducesReferenceS1AndS1Prime) {
  const Vector stations = stations_of({-20.0, 0.0, 20.0});
  const Vector model = model_of(0.0, 40.0, 20.0, -600.0);

  const Vector sphere = predict<Exponent::three_halves>(model, Convention::plus, stations);
  EXPECT_NEAR(sphere(0), 0.065367, 1e-6);
  EXPECT_NEAR(sphere(1), -0.964181, 1e-6);
  EXPECT_NEAR(sphere(2), -0.747146, 1e-6);

  const Vector cylinder = predict<Exponent::one>(model, Convention::plus, stations);
  EXPECT_NEAR(cylinder(0), 1.848853, 1e-6);
  EXPECT_NEAR(cylinder(1), -19.283628, 1e-6);
  EXPECT_NEAR(cylinder(2), -21.132481, 1e-6);
}

// S4: vertical cylinder, q = 0.5, K = 50, x0 = 0, h = 15, θ = -90°.
TEST(ShapeFactor, ReproducesReferenceS4) {
  const Vector data = predict<Exponent::one_half>(model_of(0.0, -90.0, 15.0, 50.0), Convention::plus,
                                                  stations_of({0.0, 15.0, 30.0}));
  EXPECT_NEAR(data(0), -50.0, 1e-6);
  EXPECT_NEAR(data(1), -35.355339, 1e-6);
  EXPECT_NEAR(data(2), -22.360680, 1e-6);
}

TEST(ShapeFactor, FreeExponentAgreesWithEachClosedForm) {
  const Vector stations = Vector::LinSpaced(101, 0.0, 150.0);
  const Vector model = model_of(77.07, 309.37, 41.81, 94686.0);
  for (Convention convention : {Convention::plus, Convention::minus}) {
    const auto check = [&](const Vector& closed_form, double q) {
      const Vector free = predict<Exponent::free>(with_q(model, q), convention, stations);
      EXPECT_LT((free - closed_form).cwiseAbs().maxCoeff(), 1e-12 * closed_form.cwiseAbs().maxCoeff()) << q;
    };
    check(predict<Exponent::one_half>(model, convention, stations), 0.5);
    check(predict<Exponent::one>(model, convention, stations), 1.0);
    check(predict<Exponent::three_halves>(model, convention, stations), 1.5);
  }
}

template <Exponent kExponent>
void expect_jacobian_matches_central_differences(double q_lower, double q_upper) {
  const Vector stations = Vector::LinSpaced(101, 0.0, 150.0);
  constexpr Eigen::Index kSize = geoinv::sp::num_parameters(kExponent);
  std::mt19937_64 random(42);
  std::uniform_real_distribution<double> x0(-50.0, 200.0), theta(0.0, 2.0 * geoinv::kPi), h(1.0, 100.0),
      K(1e3, 2e5), q(q_lower, q_upper);
  std::bernoulli_distribution negative(0.5);
  for (Convention convention : {Convention::plus, Convention::minus}) {
    const ConfiguredBody<kExponent> body(convention, stations);
    for (int trial = 0; trial < 50; ++trial) {
      Vector parameters(kSize);
      parameters.head(4) << x0(random), theta(random), h(random), (negative(random) ? -1.0 : 1.0) * K(random);
      if constexpr (kExponent == Exponent::free) parameters(4) = q(random);

      Vector data(stations.size()), plain(stations.size());
      Matrix analytic(stations.size(), kSize), numeric(stations.size(), kSize);
      body.predict_with_jacobian(parameters, data, analytic);
      body.predict(parameters, plain);
      EXPECT_LT((data - plain).cwiseAbs().maxCoeff(), 1e-13 * plain.cwiseAbs().maxCoeff());
      geoinv::central_difference_jacobian(body, parameters, numeric);
      for (Eigen::Index j = 0; j < kSize; ++j) {
        const double relative = (analytic.col(j) - numeric.col(j)).norm() / analytic.col(j).norm();
        EXPECT_LT(relative, 1e-6) << "column " << j << ", model " << parameters.transpose();
      }
    }
  }
}

TEST(ShapeFactor, JacobianMatchesCentralDifferencesForEveryExponent) {
  expect_jacobian_matches_central_differences<Exponent::one_half>(0, 0);
  expect_jacobian_matches_central_differences<Exponent::one>(0, 0);
  expect_jacobian_matches_central_differences<Exponent::three_halves>(0, 0);
  expect_jacobian_matches_central_differences<Exponent::free>(0.3, 2.0);
}

// The AVX2/FMA instantiation of the station loops against the baseline one (simd/simd.hpp): one formula,
// so they may differ by rounding only. 103 stations, so that both leave a tail after their packs.
template <Exponent kExponent>
void expect_instruction_sets_agree(const Vector& model) {
#if GEOINV_SIMD_AVX2
  namespace detail = geoinv::sp::detail;
  const Vector stations = Vector::LinSpaced(103, -20.0, 180.0);
  const Eigen::Index n = stations.size();
  for (Convention convention : {Convention::plus, Convention::minus}) {
    const detail::Coefficients c = detail::coefficients<kExponent>(model, convention);
    Matrix portable(n, 6), avx2(n, 6);  // value, then the derivatives; the q column unused unless free
    Vector values_portable(n), values_avx2(n);
    detail::values_and_derivatives_portable<kExponent>(c, stations.data(), n, portable.col(0).data(),
                                                       portable.col(1).data(), portable.col(2).data(),
                                                       portable.col(3).data(), portable.col(4).data(),
                                                       portable.col(5).data());
    detail::values_and_derivatives_avx2<kExponent>(c, stations.data(), n, avx2.col(0).data(), avx2.col(1).data(),
                                                   avx2.col(2).data(), avx2.col(3).data(), avx2.col(4).data(),
                                                   avx2.col(5).data());
    detail::values_portable<kExponent>(c, stations.data(), n, values_portable.data());
    detail::values_avx2<kExponent>(c, stations.data(), n, values_avx2.data());
    const Eigen::Index columns = kExponent == Exponent::free ? 6 : 5;
    for (Eigen::Index j = 0; j < columns; ++j)
      EXPECT_LE((avx2.col(j) - portable.col(j)).cwiseAbs().maxCoeff(), 1e-13 * portable.col(j).cwiseAbs().maxCoeff())
          << "column " << j;
    EXPECT_LE((values_avx2 - values_portable).cwiseAbs().maxCoeff(), 1e-13 * values_portable.cwiseAbs().maxCoeff());
    EXPECT_LE((values_avx2 - avx2.col(0)).cwiseAbs().maxCoeff(), 1e-13 * values_portable.cwiseAbs().maxCoeff());
  }
#else
  (void)model;
#endif
}

TEST(ShapeFactor, Avx2AndBaselineLoopsAgree) {
#if GEOINV_SIMD_AVX2
  if (!geoinv::simd::avx2_fma()) GTEST_SKIP() << "this CPU has no AVX2/FMA (or GEOINV_SIMD=portable)";
#else
  GTEST_SKIP() << "no AVX2 instantiation in this build";
#endif
  const Vector model = model_of(77.07, 309.37, 41.81, 94686.0);
  expect_instruction_sets_agree<Exponent::one_half>(model);
  expect_instruction_sets_agree<Exponent::one>(model);
  expect_instruction_sets_agree<Exponent::three_halves>(model);
  expect_instruction_sets_agree<Exponent::free>(with_q(model, 1.2));
}

TEST(ShapeFactor, FreeExponentDeclaresQLastAndCanonicalizeLeavesItAlone) {
  const ConfiguredBody<Exponent::free> body(Convention::minus, Vector::LinSpaced(11, 0.0, 100.0));
  const auto specs = body.parameters();
  ASSERT_EQ(specs.size(), 5u);
  EXPECT_EQ(specs[4].name, "q");
  EXPECT_EQ(specs[3].unit, "mV*m^(2q-1)");

  Vector model = with_q(model_of(10.0, 30.0, -5.0, -100.0), 1.2);
  body.canonicalize(model);
  EXPECT_DOUBLE_EQ(model(0), 10.0);
  EXPECT_NEAR(model(1), to_radians(150.0), 1e-12);  // -30° + 180°
  EXPECT_DOUBLE_EQ(model(2), 5.0);
  EXPECT_DOUBLE_EQ(model(3), 100.0);
  EXPECT_DOUBLE_EQ(model(4), 1.2);
}

TEST(ShapeFactor, CanonicalizeTurnsANegativeZeroAmplitudeIntoZero) {
  Vector model = model_of(0.0, 10.0, 3.0, -0.0);
  geoinv::sp::canonicalize_shape_factor(model);
  EXPECT_FALSE(std::signbit(model(3)));
}

TEST(ShapeFactor, ConventionOptionNamesBothWords) {
  const auto bindings = geoinv::sp::shape_factor_options();
  ASSERT_EQ(bindings.specs().size(), 1u);
  const geoinv::OptionSpec spec = bindings.specs()[0];
  std::string why;
  EXPECT_TRUE(spec.accepts(std::string("minus"), &why));
  EXPECT_FALSE(spec.accepts(std::string("negative"), &why));
  EXPECT_NE(why.find("plus, minus"), std::string::npos) << why;

  auto options = geoinv::OptionValues::defaults({spec});
  EXPECT_EQ(bindings.fill(options).convention, Convention::plus);
  options.set("convention", std::string("minus"));
  EXPECT_EQ(bindings.fill(options).convention, Convention::minus);
}

}  // namespace
