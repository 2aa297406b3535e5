#include "geoinv/problem.hpp"

#include <fmt/format.h>

#include <cmath>

#include "geoinv/error.hpp"
#include "geoinv/finite_difference.hpp"
#include "geoinv/simd.hpp"

namespace geoinv {
namespace {

// The passes over the forward model's output that every evaluation pays, written once and compiled for
// AVX2/FMA and for the baseline (geoinv/simd.hpp). Sums run in packs with independent accumulators: a
// single running sum makes every add wait on the previous one.

// r ← (r − observed)·w (w = 1 when `weights` is null); returns Σ r².
template <typename Pack>
GEOINV_ALWAYS_INLINE double weigh_residuals_body(double* __restrict r, const double* __restrict observed,
                                                 const double* __restrict weights, Eigen::Index size) {
  constexpr Eigen::Index kLanes = simd::kLanes<Pack>;
  Pack sum0{}, sum1{};
  Eigen::Index i = 0;
  for (; i + 2 * kLanes <= size; i += 2 * kLanes) {
    Pack value0, value1, seen0, seen1;
    simd::load(value0, r + i);
    simd::load(value1, r + i + kLanes);
    simd::load(seen0, observed + i);
    simd::load(seen1, observed + i + kLanes);
    value0 -= seen0;
    value1 -= seen1;
    if (weights != nullptr) {
      Pack weight0, weight1;
      simd::load(weight0, weights + i);
      simd::load(weight1, weights + i + kLanes);
      value0 *= weight0;
      value1 *= weight1;
    }
    simd::store(r + i, value0);
    simd::store(r + i + kLanes, value1);
    sum0 += value0 * value0;
    sum1 += value1 * value1;
  }
  sum0 += sum1;
  double sum = simd::sum(sum0);
  for (; i < size; ++i) {
    r[i] = weights != nullptr ? (r[i] - observed[i]) * weights[i] : r[i] - observed[i];
    sum += r[i] * r[i];
  }
  return sum;
}

// Each column of the rows × columns column-major `jacobian` times the weights, and whether every entry is
// finite: Σ 0·x is 0 for finite x and NaN for ±inf and NaN. One vectorised pass, where Eigen's
// allFinite() branches per entry and cost more than the sphere's whole forward model.
template <typename Pack>
GEOINV_ALWAYS_INLINE bool weigh_jacobian_body(double* __restrict jacobian, Eigen::Index rows, Eigen::Index columns,
                                              const double* __restrict weights) {
  constexpr Eigen::Index kLanes = simd::kLanes<Pack>;
  Pack sum0{}, sum1{};
  double rest = 0.0;
  for (Eigen::Index j = 0; j < columns; ++j) {
    double* column = jacobian + j * rows;
    Eigen::Index i = 0;
    for (; i + 2 * kLanes <= rows; i += 2 * kLanes) {
      Pack value0, value1, weight0, weight1;
      simd::load(value0, column + i);
      simd::load(value1, column + i + kLanes);
      simd::load(weight0, weights + i);
      simd::load(weight1, weights + i + kLanes);
      value0 *= weight0;
      value1 *= weight1;
      simd::store(column + i, value0);
      simd::store(column + i + kLanes, value1);
      sum0 += value0 * 0.0;
      sum1 += value1 * 0.0;
    }
    for (; i < rows; ++i) {
      column[i] *= weights[i];
      rest += column[i] * 0.0;
    }
  }
  sum0 += sum1;
  return simd::sum(sum0) + rest == 0.0;
}

// Whether all `size` contiguous values are finite, as above: the unweighted Jacobian is one flat array,
// so there is no short tail per column. Eight accumulators: with four, each add waited on the last (perf).
template <typename Pack>
GEOINV_ALWAYS_INLINE bool all_finite_body(const double* __restrict values, Eigen::Index size) {
  constexpr Eigen::Index kLanes = simd::kLanes<Pack>;
  constexpr int kSums = 8;
  Eigen::Index i = 0;
  Pack total{};
  if (size >= kSums * kLanes) {
    Pack sums[kSums];
#pragma GCC unroll 8
    for (int k = 0; k < kSums; ++k) {
      simd::load(sums[k], values + k * kLanes);
      sums[k] *= 0.0;
    }
    for (i = kSums * kLanes; i + kSums * kLanes <= size; i += kSums * kLanes) {
#pragma GCC unroll 8
      for (int k = 0; k < kSums; ++k) {
        Pack value;
        simd::load(value, values + i + k * kLanes);
        sums[k] += value * 0.0;
      }
    }
#pragma GCC unroll 8
    for (int k = 0; k < kSums; ++k) total += sums[k];
  }
  for (; i + kLanes <= size; i += kLanes) {
    Pack value;
    simd::load(value, values + i);
    total += value * 0.0;
  }
  double rest = 0.0;
  for (; i < size; ++i) rest += values[i] * 0.0;
  return simd::sum(total) + rest == 0.0;
}

double weigh_residuals_portable(double* __restrict r, const double* __restrict observed,
                                const double* __restrict weights, Eigen::Index size) {
  return weigh_residuals_body<simd::Double2>(r, observed, weights, size);
}

bool weigh_jacobian_portable(double* __restrict jacobian, Eigen::Index rows, Eigen::Index columns,
                             const double* __restrict weights) {
  return weigh_jacobian_body<simd::Double2>(jacobian, rows, columns, weights);
}

bool all_finite_portable(const double* __restrict values, Eigen::Index size) {
  return all_finite_body<simd::Double2>(values, size);
}

#if GEOINV_SIMD_AVX2
GEOINV_TARGET_AVX2_FMA double weigh_residuals_avx2(double* __restrict r, const double* __restrict observed,
                                                   const double* __restrict weights, Eigen::Index size) {
  return weigh_residuals_body<simd::Double4>(r, observed, weights, size);
}

GEOINV_TARGET_AVX2_FMA bool weigh_jacobian_avx2(double* __restrict jacobian, Eigen::Index rows,
                                                Eigen::Index columns, const double* __restrict weights) {
  return weigh_jacobian_body<simd::Double4>(jacobian, rows, columns, weights);
}

GEOINV_TARGET_AVX2_FMA bool all_finite_avx2(const double* __restrict values, Eigen::Index size) {
  return all_finite_body<simd::Double4>(values, size);
}
#endif

double weigh_residuals(Eigen::Ref<Vector> r, const Vector& observed, const Vector& weights) {
  const double* w = weights.size() > 0 ? weights.data() : nullptr;
#if GEOINV_SIMD_AVX2
  if (simd::avx2_fma()) return weigh_residuals_avx2(r.data(), observed.data(), w, r.size());
#endif
  return weigh_residuals_portable(r.data(), observed.data(), w, r.size());
}

// J ← diag(w)·J when there are weights; true when every entry of J is finite. The Jacobian's rows are
// contiguous in each column (Ref<Matrix> has inner stride 1); the outer stride may exceed the rows only
// for a block, which the solvers do not pass, but is honoured column by column.
bool weigh_jacobian(Eigen::Ref<Matrix> jacobian, const Vector& weights) {
  const bool weighted = weights.size() > 0;
  auto pass = [&](double* data, Eigen::Index columns) {
    const Eigen::Index rows = jacobian.rows();
#if GEOINV_SIMD_AVX2
    if (simd::avx2_fma())
      return weighted ? weigh_jacobian_avx2(data, rows, columns, weights.data()) : all_finite_avx2(data, rows * columns);
#endif
    return weighted ? weigh_jacobian_portable(data, rows, columns, weights.data())
                    : all_finite_portable(data, rows * columns);
  };
  if (jacobian.outerStride() == jacobian.rows()) return pass(jacobian.data(), jacobian.cols());
  bool finite = true;
  for (Eigen::Index j = 0; j < jacobian.cols(); ++j) finite = pass(jacobian.col(j).data(), 1) && finite;
  return finite;
}

}  // namespace

Problem::Problem(std::shared_ptr<const ForwardModel> model, Vector stations, Vector observed, Vector sigma,
                 Vector lower, Vector upper, Budget budget)
    : model_(std::move(model)),
      stations_(std::move(stations)),
      observed_(std::move(observed)),
      sigma_(std::move(sigma)),
      lower_(std::move(lower)),
      upper_(std::move(upper)),
      budget_(budget) {
  if (!model_) throw Error(Error::Category::plugin, "Problem needs a forward model");
  parameters_ = model_->parameters();
  if (lower_.size() != static_cast<Eigen::Index>(parameters_.size()) || upper_.size() != lower_.size())
    throw Error(Error::Category::config,
                fmt::format("bounds have {} and {} entries for {} parameters", lower_.size(), upper_.size(),
                            parameters_.size()));
  for (Eigen::Index i = 0; i < lower_.size(); ++i)
    if (!(lower_(i) <= upper_(i)))  // NaN too
      throw Error(Error::Category::config,
                  fmt::format("parameter '{}': lower bound {} is not at or below upper bound {}",
                              parameters_[static_cast<std::size_t>(i)].name, lower_(i), upper_(i)));
  if (stations_.size() != observed_.size())
    throw Error(Error::Category::data,
                fmt::format("{} stations but {} observed values", stations_.size(), observed_.size()));
  if (sigma_.size() != 0) {
    if (sigma_.size() != observed_.size())
      throw Error(Error::Category::data, fmt::format("{} sigma values for {} data", sigma_.size(), observed_.size()));
    if (!(sigma_.array() > 0.0).all() || !sigma_.allFinite())
      throw Error(Error::Category::data, "every sigma must be positive and finite");
    inverse_sigma_ = sigma_.cwiseInverse();
  }
  analytic_jacobian_ = model_->has_jacobian();
  reset();
}

bool Problem::in_bounds(const Eigen::Ref<const Vector>& model) const {
  return ((model.array() >= lower_.array()) && (model.array() <= upper_.array())).all();
}

void Problem::project(Eigen::Ref<Vector> model) const { model = model.cwiseMax(lower_).cwiseMin(upper_); }

void Problem::reset() {
  counts_ = {};
  started_ = std::chrono::steady_clock::now();
  best_cost_ = std::numeric_limits<double>::infinity();
  best_model_.resize(lower_.size());
  best_model_.setConstant(std::numeric_limits<double>::quiet_NaN());
}

double Problem::elapsed_s() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
}

void Problem::charge(std::int64_t forward_evaluations) {
  if (budget_.max_forward_evaluations > 0 &&
      counts_.forward + forward_evaluations > budget_.max_forward_evaluations)
    throw BudgetExhausted(fmt::format("forward-evaluation budget of {} exhausted", budget_.max_forward_evaluations));
  if (budget_.max_wall_time_s > 0.0 && elapsed_s() > budget_.max_wall_time_s)
    throw BudgetExhausted(fmt::format("wall-time budget of {} s exhausted", budget_.max_wall_time_s));
  counts_.forward += forward_evaluations;
}

bool Problem::finish_residuals(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r, double* cost) {
  // r holds the prediction on entry.
  const double sum = weigh_residuals(r, observed_, inverse_sigma_);
  if (cost != nullptr) *cost = sum;
  if (!std::isfinite(sum)) return false;
  if (sum < best_cost_) {
    best_cost_ = sum;
    best_model_ = model;
  }
  return true;
}

void Problem::check_sizes(Eigen::Index model_size, Eigen::Index residual_size, Eigen::Index rows,
                          Eigen::Index columns) const {
  // Eigen's own checks are off in Release: a solver passing a wrong size would write out of bounds.
  if (model_size != num_parameters() || residual_size != num_data() || rows != num_data() ||
      columns != num_parameters())
    throw Error(Error::Category::plugin,
                fmt::format("solver passed sizes model {}, residuals {}, Jacobian {}x{}; the problem has {} "
                            "parameters and {} data",
                            model_size, residual_size, rows, columns, num_parameters(), num_data()));
}

bool Problem::residuals(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r, double* cost) {
  check_sizes(model.size(), r.size(), num_data(), num_parameters());
  charge(1);
  if (!model_->is_valid(model, nullptr)) return false;  // infeasible: the solver rejects the step
  model_->predict(model, r);
  return finish_residuals(model, r, cost);
}

bool Problem::residuals_and_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r,
                                     Eigen::Ref<Matrix> jacobian, double* cost) {
  check_sizes(model.size(), r.size(), jacobian.rows(), jacobian.cols());
  if (!model_->is_valid(model, nullptr)) {
    charge(1);
    return false;
  }
  if (analytic_jacobian_) {
    charge(1);
    model_->predict_with_jacobian(model, r, jacobian);
  } else {
    charge(1 + 2 * model.size());
    model_->predict(model, r);
    central_difference_jacobian(*model_, model, jacobian);
  }
  ++counts_.jacobian;
  if (!weigh_jacobian(jacobian, inverse_sigma_)) return false;
  return finish_residuals(model, r, cost);
}

bool Problem::residuals(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r) {
  return residuals(model, r, nullptr);
}

bool Problem::residuals_and_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r,
                                     Eigen::Ref<Matrix> jacobian) {
  return residuals_and_jacobian(model, r, jacobian, nullptr);
}

void Problem::predict_uncounted(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const {
  model_->predict(model, data);
}

}  // namespace geoinv
