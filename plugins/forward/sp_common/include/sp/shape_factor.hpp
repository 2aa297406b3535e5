// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The self-potential shape-factor family (docs/models/shape-factor.md): a polarized body seen along a
// surface profile,
//
//   u = x - x0,   D = u² + h²,   N = u·cosθ ± h·sinθ,   V(x) = K · N / D^q
//
// with q = 1.5 for a sphere, 1 for a horizontal cylinder, 0.5 for a (semi-infinite) vertical cylinder, or
// q a free parameter. This file is the one implementation of that formula, its analytic Jacobian, its
// exact symmetries and the words of the `convention` option; plugins only say which body they are
// (sp/shape_factor_model.hpp, which also declares the option).
//
// Model vector layout: (x0, θ, h, K) and, when q is free, q last. θ in radians.
#include <Eigen/Core>
#include <cmath>
#include <string>

#include "geoinv/forward_model.hpp"
#include "geoinv/option_choices.hpp"
#include "geoinv/parameter.hpp"
#include "simd/simd.hpp"

namespace geoinv::sp {

// Positions in the model vector, named as the parameters are.
inline constexpr Eigen::Index kX0 = 0;
inline constexpr Eigen::Index kTheta = 1;
inline constexpr Eigen::Index kH = 2;
inline constexpr Eigen::Index kK = 3;
inline constexpr Eigen::Index kQ = 4;  // only when the exponent is free

// ---------------------------------------------------------------------------------------------------------
// Sign convention. The literature writes the numerator two ways; they are the same family with θ -> -θ,
// so a θ is only meaningful together with its convention.
enum class Convention {
  plus,   // N = u·cosθ + h·sinθ   (Yüngül 1950; El-Araby 2004; Essa 2011; Mehanee 2014)
  minus,  // N = u·cosθ - h·sinθ   (Kaftan et al. 2014; the seed study)
};

// The words of the `convention` option, and the word of a convention for outputs.
inline const OptionChoices<Convention> kConventionWords{
    {"plus", Convention::plus},
    {"minus", Convention::minus},
};

// ---------------------------------------------------------------------------------------------------------
// The exponent q of D. The three bodies get closed forms (one sqrt at most, no pow), so the station loop
// vectorises; only a free q pays for log and exp, which its ∂V/∂q = -V·ln D needs anyway.
enum class Exponent { one_half, one, three_halves, free };

constexpr Eigen::Index num_parameters(Exponent exponent) { return exponent == Exponent::free ? 5 : 4; }

// Bounds on a free q. Outside roughly [0.5, 1.5] no simple body matches; the bounds only keep D^-q sane.
inline constexpr double kMinimumShapeFactor = 0.1;
inline constexpr double kMaximumShapeFactor = 3.0;

namespace detail {

// Everything in the formula that does not depend on the station, computed once per evaluation.
struct Coefficients {
  double x0, h, h_squared, K, q, two_q;
  double cos_theta, sin_theta;
  double signed_sin_theta;    // ±sinθ: ∂N/∂h
  double signed_h_sin_theta;  // ±h·sinθ: the constant part of N
  double signed_h_cos_theta;  // ±h·cosθ: the constant part of ∂N/∂θ
};

template <Exponent kExponent>
Coefficients coefficients(const Eigen::Ref<const Vector>& model, Convention convention) {
  Coefficients c;
  c.x0 = model(kX0);
  c.h = model(kH);
  c.h_squared = c.h * c.h;
  c.K = model(kK);
  if constexpr (kExponent == Exponent::one_half) c.q = 0.5;
  if constexpr (kExponent == Exponent::one) c.q = 1.0;
  if constexpr (kExponent == Exponent::three_halves) c.q = 1.5;
  if constexpr (kExponent == Exponent::free) c.q = model(kQ);
  c.two_q = 2.0 * c.q;
  c.cos_theta = std::cos(model(kTheta));
  c.sin_theta = std::sin(model(kTheta));
  const double sign = convention == Convention::plus ? 1.0 : -1.0;
  c.signed_sin_theta = sign * c.sin_theta;
  c.signed_h_sin_theta = c.h * c.signed_sin_theta;
  c.signed_h_cos_theta = sign * c.h * c.cos_theta;
  return c;
}

// D^-q. The closed forms build it from 1/D, so a station costs one division and at most one sqrt. A free
// q needs ln D for its own derivative anyway, so exp(-q·ln D) reuses it where pow would recompute it.
template <Exponent kExponent>
inline double inverse_power([[maybe_unused]] double inverse_d, [[maybe_unused]] double q,
                            [[maybe_unused]] double log_d) {
  if constexpr (kExponent == Exponent::one_half) {
    return std::sqrt(inverse_d);
  } else if constexpr (kExponent == Exponent::one) {
    return inverse_d;
  } else if constexpr (kExponent == Exponent::three_halves) {
    return inverse_d * std::sqrt(inverse_d);
  } else {
    return std::exp(-q * log_d);
  }
}

// The station loops. Separate output pointers marked __restrict: without them GCC needs a run-time
// overlap check per pair of streams, gives up past ten and leaves the loop scalar. Each loop is an
// always-inline body compiled twice, for AVX2/FMA and for the baseline, and chosen at run time
// (simd/simd.hpp): AVX2 handles four stations per instruction, twice SSE2's two.
template <Exponent kExponent>
GEOINV_ALWAYS_INLINE void values_body(const Coefficients& c, const double* __restrict stations,
                                      Eigen::Index num_stations, double* __restrict value) {
  for (Eigen::Index i = 0; i < num_stations; ++i) {
    const double u = stations[i] - c.x0;
    const double d = u * u + c.h_squared;
    const double log_d = kExponent == Exponent::free ? std::log(d) : 0.0;
    const double d_to_minus_q = inverse_power<kExponent>(1.0 / d, c.q, log_d);
    const double numerator = u * c.cos_theta + c.signed_h_sin_theta;
    value[i] = c.K * numerator * d_to_minus_q;
  }
}

template <Exponent kExponent>
GEOINV_ALWAYS_INLINE void values_and_derivatives_body(const Coefficients& c, const double* __restrict stations,
                                                      Eigen::Index num_stations, double* __restrict value,
                                                      double* __restrict d_x0, double* __restrict d_theta,
                                                      double* __restrict d_h, double* __restrict d_K,
                                                      double* __restrict d_q) {
  for (Eigen::Index i = 0; i < num_stations; ++i) {
    const double u = stations[i] - c.x0;
    const double d = u * u + c.h_squared;
    const double inverse_d = 1.0 / d;
    const double log_d = kExponent == Exponent::free ? std::log(d) : 0.0;
    const double d_to_minus_q = inverse_power<kExponent>(inverse_d, c.q, log_d);
    const double numerator = u * c.cos_theta + c.signed_h_sin_theta;
    const double k_d_to_minus_q = c.K * d_to_minus_q;
    // d(D^-q)/dD = -q·D^-q / D; times 2N it is shared by the x0 and h columns.
    const double two_q_numerator_over_d = c.two_q * numerator * inverse_d;
    const double v = k_d_to_minus_q * numerator;
    value[i] = v;
    d_x0[i] = k_d_to_minus_q * (u * two_q_numerator_over_d - c.cos_theta);
    d_theta[i] = k_d_to_minus_q * (c.signed_h_cos_theta - u * c.sin_theta);
    d_h[i] = k_d_to_minus_q * (c.signed_sin_theta - c.h * two_q_numerator_over_d);
    d_K[i] = numerator * d_to_minus_q;
    if constexpr (kExponent == Exponent::free) d_q[i] = -v * log_d;
  }
}

// The instantiations, each with its own restrict-qualified pointers for the vectoriser.
#define GEOINV_SP_VALUES_PARAMETERS                                                                   \
  const Coefficients &c, const double *__restrict stations, Eigen::Index num_stations, double *__restrict value
#define GEOINV_SP_DERIVATIVES_PARAMETERS                                                                \
  GEOINV_SP_VALUES_PARAMETERS, double *__restrict d_x0, double *__restrict d_theta, double *__restrict d_h, \
      double *__restrict d_K, double *__restrict d_q

template <Exponent kExponent>
void values_portable(GEOINV_SP_VALUES_PARAMETERS) {
  values_body<kExponent>(c, stations, num_stations, value);
}

template <Exponent kExponent>
void values_and_derivatives_portable(GEOINV_SP_DERIVATIVES_PARAMETERS) {
  values_and_derivatives_body<kExponent>(c, stations, num_stations, value, d_x0, d_theta, d_h, d_K, d_q);
}

#if GEOINV_SIMD_AVX2
template <Exponent kExponent>
GEOINV_TARGET_AVX2_FMA void values_avx2(GEOINV_SP_VALUES_PARAMETERS) {
  values_body<kExponent>(c, stations, num_stations, value);
}

template <Exponent kExponent>
GEOINV_TARGET_AVX2_FMA void values_and_derivatives_avx2(GEOINV_SP_DERIVATIVES_PARAMETERS) {
  values_and_derivatives_body<kExponent>(c, stations, num_stations, value, d_x0, d_theta, d_h, d_K, d_q);
}
#endif

template <Exponent kExponent>
void values(GEOINV_SP_VALUES_PARAMETERS) {
#if GEOINV_SIMD_AVX2
  if (simd::avx2_fma()) return values_avx2<kExponent>(c, stations, num_stations, value);
#endif
  values_portable<kExponent>(c, stations, num_stations, value);
}

template <Exponent kExponent>
void values_and_derivatives(GEOINV_SP_DERIVATIVES_PARAMETERS) {
#if GEOINV_SIMD_AVX2
  if (simd::avx2_fma())
    return values_and_derivatives_avx2<kExponent>(c, stations, num_stations, value, d_x0, d_theta, d_h, d_K, d_q);
#endif
  values_and_derivatives_portable<kExponent>(c, stations, num_stations, value, d_x0, d_theta, d_h, d_K, d_q);
}

#undef GEOINV_SP_VALUES_PARAMETERS
#undef GEOINV_SP_DERIVATIVES_PARAMETERS

}  // namespace detail

// data(i) = V(stations(i)). `data` must have the stations' size; nothing is allocated.
template <Exponent kExponent>
void predict_shape_factor(const Eigen::Ref<const Vector>& model, Convention convention,
                          const Eigen::Ref<const Vector>& stations, Eigen::Ref<Vector> data) {
  eigen_assert(model.size() == num_parameters(kExponent) && data.size() == stations.size());
  detail::values<kExponent>(detail::coefficients<kExponent>(model, convention), stations.data(),
                            stations.size(), data.data());
}

// data as predict_shape_factor(); jacobian(i, j) = ∂V(stations(i)) / ∂model(j), columns in model order.
// `jacobian` must be num_stations × num_parameters(kExponent); it is written in place, column by column.
template <Exponent kExponent>
void predict_shape_factor_with_jacobian(const Eigen::Ref<const Vector>& model, Convention convention,
                                        const Eigen::Ref<const Vector>& stations, Eigen::Ref<Vector> data,
                                        Eigen::Ref<Matrix> jacobian) {
  eigen_assert(model.size() == num_parameters(kExponent) && data.size() == stations.size());
  eigen_assert(jacobian.rows() == stations.size() && jacobian.cols() == num_parameters(kExponent));
  double* d_q = kExponent == Exponent::free ? jacobian.col(kQ).data() : nullptr;
  detail::values_and_derivatives<kExponent>(detail::coefficients<kExponent>(model, convention),
                                            stations.data(), stations.size(), data.data(),
                                            jacobian.col(kX0).data(), jacobian.col(kTheta).data(),
                                            jacobian.col(kH).data(), jacobian.col(kK).data(), d_q);
}

// ---------------------------------------------------------------------------------------------------------
// Exact symmetries, in either convention (identical curves):
//   (K, θ) ≡ (-K, θ + π)    N changes sign together with K;
//   (h, θ) ≡ (-h, -θ)       h·sinθ and D are unchanged.
// The canonical member has h > 0, K ≥ 0 and θ in [0, 2π) (geoinv::wrap_angle), so two solvers that found
// the same body print the same numbers. q, when free, is untouched.
inline void canonicalize_shape_factor(Eigen::Ref<Vector> model) {
  double theta = model(kTheta);
  if (model(kH) < 0.0) {
    model(kH) = -model(kH);
    theta = -theta;
  }
  if (model(kK) < 0.0) {
    model(kK) = -model(kK);
    theta += kPi;
  }
  // -0.0 would print as "-0": make a zero amplitude an ordinary zero.
  if (model(kK) == 0.0) model(kK) = 0.0;
  model(kTheta) = wrap_angle(theta);
}

}  // namespace geoinv::sp
