// SPDX-License-Identifier: BSD-3-Clause
// The `inclined_sheet` forward plugin: SP anomaly of a 2-D inclined sheet of finite width
// (docs/models/inclined-sheet.md),
//
//   u = x − x0,  P = (u − a·cosα)² + (h − a·sinα)²,  Q = (u + a·cosα)² + (h + a·sinα)²,  V = K·ln(P/Q)
//
// with the options `log_base` (e: ln, 10: log10, i.e. K_ln = K/ln 10) and `dip_from` (positive_x: α as
// above; negative_x: α → 180° − α). See README.md.
#include <Eigen/Core>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "geoinv/option_binding.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_plugin_example.hpp"
#include "sp/vector_log.hpp"

namespace {

using Eigen::Index;
using geoinv::Matrix;
using geoinv::Vector;

// Positions in the model vector.
constexpr Index kX0 = 0;
constexpr Index kH = 1;
constexpr Index kA = 2;
constexpr Index kAlpha = 3;
constexpr Index kK = 4;
constexpr Index kNumParameters = 5;

constexpr double kLn10 = 2.30258509299404568402;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Everything that does not depend on the station, computed once per evaluation. `cos_alpha`/`sin_alpha`
// are those of the dip in the positive_x form, α_e = α or 180° − α.
struct Coefficients {
  double x0, h, a, k;   // k: the amplitude of ln(P/Q) (K, or K/ln 10 for log10)
  double k_unit;        // ∂k/∂K: 1 or 1/ln 10
  double a_cos, a_sin;  // a·cosα_e, a·sinα_e
  double p_h, q_h;      // h − a·sinα_e and h + a·sinα_e, the vertical legs of P and Q
  double p_h2, q_h2;    // their squares
  double cos_alpha, sin_alpha;
  double alpha_sign;  // dα_e/dα: +1 (positive_x) or −1 (negative_x)
};

// The logarithm of the formula (option `log_base`).
enum class LogBase { e, ten };
const geoinv::OptionChoices<LogBase> kLogBaseWords{{"e", LogBase::e}, {"10", LogBase::ten}};

// The side the dip α is measured from (option `dip_from`).
enum class DipFrom { positive_x, negative_x };
const geoinv::OptionChoices<DipFrom> kDipFromWords{{"positive_x", DipFrom::positive_x},
                                                   {"negative_x", DipFrom::negative_x}};

struct Settings {
  LogBase log_base = LogBase::e;           // e: V = K·ln(P/Q); ten: V = K·log10(P/Q)
  DipFrom dip_from = DipFrom::positive_x;  // negative_x reads α as 180° − α
};

geoinv::OptionBindings<Settings> declare_options() {
  geoinv::OptionBindings<Settings> options;
  options.choice("log_base", &Settings::log_base, kLogBaseWords,
                 "logarithm of the formula: e, V = K*ln(P/Q); 10, V = K*log10(P/Q) (K_ln = K_log10 / ln 10), "
                 "as some authors write it");
  options.choice("dip_from", &Settings::dip_from, kDipFromWords,
                 "side the dip alpha is measured from: positive_x, P = (u - a*cos(alpha))^2 + (h - "
                 "a*sin(alpha))^2 as in docs/models/inclined-sheet.md; negative_x, alpha -> 180 deg - alpha");
  return options;
}

Coefficients coefficients(const Eigen::Ref<const Vector>& model, const Settings& settings) {
  Coefficients c;
  c.x0 = model(kX0);
  c.h = model(kH);
  c.a = model(kA);
  c.k_unit = settings.log_base == LogBase::ten ? 1.0 / kLn10 : 1.0;
  c.k = model(kK) * c.k_unit;
  // cos(π − α) = −cos α, sin(π − α) = sin α.
  c.alpha_sign = settings.dip_from == DipFrom::negative_x ? -1.0 : 1.0;
  c.cos_alpha = c.alpha_sign * std::cos(model(kAlpha));
  c.sin_alpha = std::sin(model(kAlpha));
  c.a_cos = c.a * c.cos_alpha;
  c.a_sin = c.a * c.sin_alpha;
  c.p_h = c.h - c.a_sin;
  c.q_h = c.h + c.a_sin;
  c.p_h2 = c.p_h * c.p_h;
  c.q_h2 = c.q_h * c.q_h;
  return c;
}

// Whether every P/Q lies in [2^-1000, 2^1000], so that the vector logarithm may skip its tests for
// zeros, subnormals, infinities and NaNs (sp::log_of_normals_in_place): over the stations in
// [x_min, x_max], P ≥ p_h² and P ≤ P_max = max|u − a·cosα|² + p_h², and Q likewise, so P/Q ≥ p_h²/Q_max
// and P/Q ≤ P_max/q_h². Compared by multiplication (a division's latency showed in the profile), with
// p_h² and q_h² positive and P_max and Q_max finite, so that no P or Q is 0 or +inf. The margins (2^22
// from the normal range) dwarf the rounding of the bound. False for NaN or infinite coefficients.
bool ratios_are_normal(const Coefficients& c, double x_min, double x_max) {
  const double p_u = std::max(std::abs(x_min - c.x0 - c.a_cos), std::abs(x_max - c.x0 - c.a_cos));
  const double q_u = std::max(std::abs(x_min - c.x0 + c.a_cos), std::abs(x_max - c.x0 + c.a_cos));
  const double p_max = p_u * p_u + c.p_h2, q_max = q_u * q_u + c.q_h2;
  constexpr double kLargest = std::numeric_limits<double>::max();
  return c.p_h2 > 0.0 && c.q_h2 > 0.0 && p_max <= kLargest && q_max <= kLargest && c.p_h2 >= 0x1p-1000 * q_max &&
         p_max <= 0x1p1000 * c.q_h2;
}

// The station loops. Separate output pointers marked __restrict so that GCC vectorises them (see
// sp/shape_factor.hpp); each is an always-inline body compiled for AVX2 and for the baseline and chosen at
// run time (simd/simd.hpp), the same bits on both: the plugin is compiled without FMA contraction (CMake
// target geoinv_vector_log). Three passes: P/Q, then ln in place by the vector logarithm
// (sp/vector_log.hpp; a loop calling std::log is not vectorised at all), then the scaling by k. The
// vector logarithm differs from glibc's std::log in the last bit at a few per cent of stations: every fit
// of the sheet moved in its last bits when it replaced std::log, and again when its polynomial took fused
// multiply-adds (README.md, "Numerics"). Both functions form P/Q by the same division and take its
// logarithm the same way (`normal`: ratios_are_normal; both ways give the same bits), so predict and
// predict_with_jacobian give the same bits.
template <typename Pack>
GEOINV_ALWAYS_INLINE void log_of_ratios(double* value, Index n, bool normal) {
  if (normal) return geoinv::sp::vector_log_detail::log_of_normals_body<Pack>(value, n);
  geoinv::sp::vector_log_detail::log_body<Pack>(value, n);
}

template <typename Pack>
GEOINV_ALWAYS_INLINE void values_body(const Coefficients& c, bool normal, const double* __restrict x, Index n,
                                      double* __restrict value) {
  const double p_h2 = c.p_h2, q_h2 = c.q_h2;
  for (Index i = 0; i < n; ++i) {
    const double u = x[i] - c.x0;
    const double p_u = u - c.a_cos, q_u = u + c.a_cos;
    value[i] = (p_u * p_u + p_h2) / (q_u * q_u + q_h2);
  }
  log_of_ratios<Pack>(value, n, normal);
  for (Index i = 0; i < n; ++i) value[i] *= c.k;
}

template <typename Pack>
GEOINV_ALWAYS_INLINE void values_and_derivatives_body(const Coefficients& c, bool normal, const double* __restrict x,
                                                      Index n, double* __restrict value, double* __restrict d_x0,
                                                      double* __restrict d_h, double* __restrict d_a,
                                                      double* __restrict d_alpha, double* __restrict d_K) {
  const double two_k = 2.0 * c.k;
  const double two_a = 2.0 * c.a;
  const double alpha_factor = c.alpha_sign * two_k * c.a;  // dα_e/dα · 2·k·a
  const double p_h = c.p_h, q_h = c.q_h, p_h2 = c.p_h2, q_h2 = c.q_h2;
  for (Index i = 0; i < n; ++i) {
    const double u = x[i] - c.x0;
    const double p_u = u - c.a_cos, q_u = u + c.a_cos;
    const double p = p_u * p_u + p_h2, q = q_u * q_u + q_h2;
    const double inverse_p = 1.0 / p, inverse_q = 1.0 / q;
    const double w = u * c.cos_alpha + c.h * c.sin_alpha;
    value[i] = p / q;
    d_x0[i] = two_k * (q_u * inverse_q - p_u * inverse_p);
    d_h[i] = two_k * (p_h * inverse_p - q_h * inverse_q);
    d_a[i] = c.k * ((two_a - 2.0 * w) * inverse_p - (two_a + 2.0 * w) * inverse_q);
    d_alpha[i] = alpha_factor * (u * c.sin_alpha - c.h * c.cos_alpha) * (inverse_p + inverse_q);
  }
  log_of_ratios<Pack>(value, n, normal);
  for (Index i = 0; i < n; ++i) {
    d_K[i] = c.k_unit * value[i];
    value[i] *= c.k;
  }
}

#define GEOINV_SHEET_VALUES_PARAMETERS \
  const Coefficients &c, bool normal, const double *__restrict x, Index n, double *__restrict value
#define GEOINV_SHEET_DERIVATIVES_PARAMETERS                                                               \
  GEOINV_SHEET_VALUES_PARAMETERS, double *__restrict d_x0, double *__restrict d_h, double *__restrict d_a, \
      double *__restrict d_alpha, double *__restrict d_K

void values_portable(GEOINV_SHEET_VALUES_PARAMETERS) { values_body<geoinv::simd::Double2>(c, normal, x, n, value); }

void values_and_derivatives_portable(GEOINV_SHEET_DERIVATIVES_PARAMETERS) {
  values_and_derivatives_body<geoinv::simd::Double2>(c, normal, x, n, value, d_x0, d_h, d_a, d_alpha, d_K);
}

#if GEOINV_SIMD_AVX2
GEOINV_TARGET_AVX2_FMA void values_avx2(GEOINV_SHEET_VALUES_PARAMETERS) {
  values_body<geoinv::simd::Double4>(c, normal, x, n, value);
}

GEOINV_TARGET_AVX2_FMA void values_and_derivatives_avx2(GEOINV_SHEET_DERIVATIVES_PARAMETERS) {
  values_and_derivatives_body<geoinv::simd::Double4>(c, normal, x, n, value, d_x0, d_h, d_a, d_alpha, d_K);
}
#endif

void values(GEOINV_SHEET_VALUES_PARAMETERS) {
#if GEOINV_SIMD_AVX2
  if (geoinv::simd::avx2_fma()) return values_avx2(c, normal, x, n, value);
#endif
  values_portable(c, normal, x, n, value);
}

void values_and_derivatives(GEOINV_SHEET_DERIVATIVES_PARAMETERS) {
#if GEOINV_SIMD_AVX2
  if (geoinv::simd::avx2_fma())
    return values_and_derivatives_avx2(c, normal, x, n, value, d_x0, d_h, d_a, d_alpha, d_K);
#endif
  values_and_derivatives_portable(c, normal, x, n, value, d_x0, d_h, d_a, d_alpha, d_K);
}

#undef GEOINV_SHEET_VALUES_PARAMETERS
#undef GEOINV_SHEET_DERIVATIVES_PARAMETERS

// ---------------------------------------------------------------------------------------------------------
// Data-driven start. V = K·(ln r₁² − ln r₂²), r₁ and r₂ the distances from a station to the sheet's two
// ends E₁ = (x0 + a·cosα_e, h − a·sinα_e) and E₂ = (x0 − a·cosα_e, h + a·sinα_e): for two given ends, K is
// linear. The estimate scans every pair of ends on a grid of candidate points below the profile, with K
// by linear least squares for each pair, keeps the best pair, and then refines each end in turn on finer
// local grids. Both ends lie below ground, so the start always satisfies the top-below-ground
// constraint.
struct Pole {
  double x, z;
};

// ln((x − pole.x)² + pole.z²) at every station.
void log_distances(const Vector& x, Pole pole, Eigen::Ref<Vector> out) {
  for (Index i = 0; i < x.size(); ++i) {
    const double u = x(i) - pole.x;
    out(i) = std::log(u * u + pole.z * pole.z);
  }
}

// How much the best K·(first − second) lowers Σy², and that K.
struct PairFit {
  double reduction = -std::numeric_limits<double>::infinity();
  double k = 0.0;
};

PairFit fit_pair(const Vector& first, const Vector& second, const Vector& y) {
  double gg = 0.0, gy = 0.0;
  for (Index i = 0; i < y.size(); ++i) {
    const double g = first(i) - second(i);
    gg += g * g;
    gy += g * y(i);
  }
  PairFit fit;
  if (!(gg > 0.0)) return fit;
  fit.k = gy / gg;
  fit.reduction = gy * fit.k;
  if (!std::isfinite(fit.reduction)) fit.reduction = -std::numeric_limits<double>::infinity();
  return fit;
}

class InclinedSheetModel final : public geoinv::ForwardModel {
 public:
  geoinv::ParameterSpecs parameters() const override {
    constexpr double kInfinity = std::numeric_limits<double>::infinity();
    return {
        {"x0", "m", -kInfinity, kInfinity, false, 10.0, "horizontal position of the sheet's centre"},
        {"h", "m", 1e-3, kInfinity, false, 10.0,
         "depth to the sheet's centre; its top end, h - a*|sin(alpha)|, must be below ground"},
        {"a", "m", 1e-3, kInfinity, false, 10.0, "half-width of the sheet, measured down dip"},
        // Periodic, so unbounded (canonicalize wraps it).
        {"alpha", "rad", -kInfinity, kInfinity, true, 1.0,
         "dip: the end at (x0 + a*cos(alpha), h - a*sin(alpha)) is the negative pole for K > 0 "
         "(dip_from: positive_x; negative_x reads alpha as 180 deg - alpha)"},
        {"K", "mV", -kInfinity, kInfinity, false, 100.0,
         "amplitude of ln(P/Q) (log10(P/Q) with log_base: 10); (-K, alpha) is the sheet (K, alpha + 180 "
         "deg)"},
    };
  }

  geoinv::OptionSpecs options() const override { return bindings_.specs(); }

  void configure(const geoinv::OptionValues& options, const Vector& stations) override {
    settings_ = bindings_.fill(options);
    stations_ = stations;
    // NaN for no stations, or a NaN station: ratios_are_normal is then false, and the tested path runs.
    station_min_ = stations.size() > 0 ? stations.minCoeff() : kNaN;
    station_max_ = stations.size() > 0 ? stations.maxCoeff() : kNaN;
  }

  void predict(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const override {
    eigen_assert(model.size() == kNumParameters && data.size() == stations_.size());
    const Coefficients c = coefficients(model, settings_);
    values(c, ratios_are_normal(c, station_min_, station_max_), stations_.data(), stations_.size(), data.data());
  }

  bool has_jacobian() const override { return true; }

  geoinv::DataQuantity data_quantity() const override { return {"SP", "mV"}; }

  void predict_with_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data,
                             Eigen::Ref<Matrix> jacobian) const override {
    eigen_assert(model.size() == kNumParameters && data.size() == stations_.size());
    eigen_assert(jacobian.rows() == stations_.size() && jacobian.cols() == kNumParameters);
    const Coefficients c = coefficients(model, settings_);
    values_and_derivatives(c, ratios_are_normal(c, station_min_, station_max_), stations_.data(), stations_.size(),
                           data.data(),
                           jacobian.col(kX0).data(), jacobian.col(kH).data(), jacobian.col(kA).data(),
                           jacobian.col(kAlpha).data(), jacobian.col(kK).data());
  }

  // (K, α) ≡ (−K, α + 180°) swaps the roles of the two ends; (h, α) ≡ (−h, −α) mirrors the sheet in the
  // ground surface. Both hold in either `dip_from` form. Canonical: h > 0, K ≥ 0, α in [0°, 360°).
  void canonicalize(Eigen::Ref<Vector> model) const override {
    double alpha = model(kAlpha);
    if (model(kH) < 0.0) {
      model(kH) = -model(kH);
      alpha = -alpha;
    }
    if (model(kK) < 0.0) {
      model(kK) = -model(kK);
      alpha += geoinv::kPi;
    }
    if (model(kK) == 0.0) model(kK) = 0.0;  // no "-0"
    model(kAlpha) = geoinv::wrap_angle(alpha);
  }

  // The top end below ground: h − a·|sin α| > 0 (|sin| is the same in both dip_from forms). Without this,
  // fits of real data land on the mirror that swaps h and a·sin α, whose top end is above ground.
  bool is_valid(const Eigen::Ref<const Vector>& model, std::string* why) const override {
    // h > a ≥ 0 settles it without the sine: fl(a·|sin α|) ≤ a, so h − a·|sin α| ≥ h − a > 0 in floating
    // point too; the same answer for every model, about half the sines of a population solver's search box.
    if (model(kA) >= 0.0 && model(kH) - model(kA) > 0.0) return true;
    const double top = model(kH) - model(kA) * std::abs(std::sin(model(kAlpha)));
    if (top > 0.0) return true;  // false for NaN too
    if (why != nullptr) {
      char depth[32];
      std::snprintf(depth, sizeof depth, "%.6g", top);
      *why = std::string("the sheet's top end lies at depth h - a*|sin(alpha)| = ") + depth +
             " m; it must be below ground (> 0)";
    }
    return false;
  }

  bool estimate_start(const Eigen::Ref<const Vector>& observed, Eigen::Ref<Vector> model) const override {
    const Index n = stations_.size();
    if (observed.size() != n || model.size() != kNumParameters || n < kNumParameters) return false;
    if (!observed.allFinite() || !stations_.allFinite()) return false;
    const double x_min = stations_.minCoeff(), x_max = stations_.maxCoeff();
    const double length = x_max - x_min;
    if (!(length > 0.0)) return false;
    const double spacing = length / static_cast<double>(n - 1);
    const Vector y = observed;

    // Candidate ends: x over the profile and half its length beyond each side, z geometric from half a
    // station spacing to three profile lengths.
    constexpr int kPoleX = 41, kPoleZ = 18;
    const double x_low = x_min - 0.5 * length, x_step = 2.0 * length / (kPoleX - 1);
    const double z_low = 0.5 * spacing, z_ratio = std::pow(3.0 * length / z_low, 1.0 / (kPoleZ - 1));
    const auto pole_at = [&](int i, int j) { return Pole{x_low + x_step * i, z_low * std::pow(z_ratio, j)}; };
    constexpr int kPoles = kPoleX * kPoleZ;
    Matrix logs(n, kPoles);
    for (int j = 0; j < kPoleZ; ++j)
      for (int i = 0; i < kPoleX; ++i) log_distances(stations_, pole_at(i, j), logs.col(j * kPoleX + i));

    // For g = L_p − L_b: gᵀy = s_p − s_b and gᵀg = G_pp − 2·G_pb + G_bb, from one Gram matrix.
    const Vector s = logs.transpose() * y;
    Matrix gram(kPoles, kPoles);
    gram.setZero();
    gram.selfadjointView<Eigen::Lower>().rankUpdate(logs.transpose());
    double best_reduction = 0.0;
    int best_first = -1, best_second = -1;
    for (int b = 0; b < kPoles; ++b) {
      for (int p = b + 1; p < kPoles; ++p) {
        const double gg = gram(p, p) - 2.0 * gram(p, b) + gram(b, b);
        const double gy = s(p) - s(b);
        if (!(gg > 1e-12 * (gram(p, p) + gram(b, b)))) continue;
        const double reduction = gy * gy / gg;
        if (reduction > best_reduction) {
          best_reduction = reduction;
          best_first = p;
          best_second = b;
        }
      }
    }
    if (best_first < 0) {  // zero data: nothing to fit, a neutral sheet in the middle
      model << 0.5 * (x_min + x_max), 0.25 * length, 0.1 * length, 0.5 * geoinv::kPi, 0.0;
      return true;
    }

    // Refine each end in turn on a local 9 × 9 grid, shrinking the grid every round.
    Pole ends[2] = {pole_at(best_first % kPoleX, best_first / kPoleX),
                    pole_at(best_second % kPoleX, best_second / kPoleX)};
    Vector end_logs[2] = {logs.col(best_first), logs.col(best_second)};
    Vector trial(n);
    PairFit fit = fit_pair(end_logs[0], end_logs[1], y);
    double dx = x_step, z_factor = z_ratio;
    for (int round = 0; round < 4; ++round) {
      for (int e = 0; e < 2; ++e) {
        const Pole centre = ends[e];
        for (int i = -4; i <= 4; ++i) {
          for (int j = -4; j <= 4; ++j) {
            const Pole candidate{centre.x + dx * i / 4.0, centre.z * std::pow(z_factor, j / 4.0)};
            log_distances(stations_, candidate, trial);
            const PairFit candidate_fit =
                e == 0 ? fit_pair(trial, end_logs[1], y) : fit_pair(end_logs[0], trial, y);
            if (candidate_fit.reduction > fit.reduction) {
              fit = candidate_fit;
              ends[e] = candidate;
              end_logs[e] = trial;
            }
          }
        }
      }
      dx *= 0.5;
      z_factor = std::sqrt(z_factor);
    }

    // E₁ is the P end (x0 + a·cosα_e, h − a·sinα_e), E₂ the Q end.
    const double half_dx = 0.5 * (ends[0].x - ends[1].x), half_dz = 0.5 * (ends[1].z - ends[0].z);
    double alpha = std::atan2(half_dz, half_dx);
    if (settings_.dip_from == DipFrom::negative_x) alpha = geoinv::kPi - alpha;
    model << 0.5 * (ends[0].x + ends[1].x), 0.5 * (ends[0].z + ends[1].z), std::hypot(half_dx, half_dz),
        alpha, fit.k * (settings_.log_base == LogBase::ten ? kLn10 : 1.0);
    canonicalize(model);
    return true;
  }

  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }

 private:
  geoinv::OptionBindings<Settings> bindings_ = declare_options();
  Settings settings_;
  Vector stations_;
  double station_min_ = kNaN, station_max_ = kNaN;  // the stations' extent, for ratios_are_normal
};

}  // namespace

GEOINV_FORWARD_PLUGIN(InclinedSheetModel, "inclined_sheet", "1.0.0",
                      "SP anomaly of a 2-D inclined sheet of finite width, V = K*ln(P/Q)")
