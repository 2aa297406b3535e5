// SPDX-License-Identifier: BSD-3-Clause
#include "geoinv/problem.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "geoinv/error.hpp"
#include "geoinv/finite_difference.hpp"
#include "geoinv/parameter_layout.hpp"
#include "simd/simd.hpp"

namespace geoinv {
namespace {

// The passes over the forward model's output that every evaluation pays, written once and compiled for
// AVX2/FMA and for the baseline (simd/simd.hpp), and run by one call (weigh):
//   r ← (r − observed)·w and J ← diag(w)·J (w = 1 when `weights` is null),
// returning Σ r² + Σ 0·J: the cost when every residual and every Jacobian entry is finite, and NaN or
// +inf otherwise (0·x is NaN for x = ±inf or NaN). Eigen's allFinite() instead branches per entry, and
// measured slower (docs/benchmarks.md). Sums run in packs with independent accumulators: a single running
// sum makes every add wait on the previous one.

// r ← (r − observed)·w; returns Σ r². Four packs per step, each with its own sum, so that consecutive
// packs do not wait on each other's adds.
template <typename Pack, bool kWeighted>
GEOINV_ALWAYS_INLINE void weigh_pack(double* __restrict r, const double* __restrict observed,
                                     const double* __restrict weights, Eigen::Index i, Pack& sum) {
  Pack value, seen;
  simd::load(value, r + i);
  simd::load(seen, observed + i);
  value -= seen;
  if constexpr (kWeighted) {
    Pack weight;
    simd::load(weight, weights + i);
    value *= weight;
  }
  simd::store(r + i, value);
  sum += value * value;
}

template <typename Pack, bool kWeighted>
GEOINV_ALWAYS_INLINE double weigh_residuals(double* __restrict r, const double* __restrict observed,
                                            const double* __restrict weights, Eigen::Index size) {
  constexpr Eigen::Index kLanes = simd::kLanes<Pack>;
  Pack sum0{}, sum1{}, sum2{}, sum3{};
  Eigen::Index i = 0;
  for (; i + 4 * kLanes <= size; i += 4 * kLanes) {
    weigh_pack<Pack, kWeighted>(r, observed, weights, i, sum0);
    weigh_pack<Pack, kWeighted>(r, observed, weights, i + kLanes, sum1);
    weigh_pack<Pack, kWeighted>(r, observed, weights, i + 2 * kLanes, sum2);
    weigh_pack<Pack, kWeighted>(r, observed, weights, i + 3 * kLanes, sum3);
  }
  for (; i + kLanes <= size; i += kLanes) weigh_pack<Pack, kWeighted>(r, observed, weights, i, sum1);
  sum0 += sum1;
  sum2 += sum3;
  sum0 += sum2;
  double sum = simd::sum(sum0);
  for (; i < size; ++i) {
    r[i] = kWeighted ? (r[i] - observed[i]) * weights[i] : r[i] - observed[i];
    sum += r[i] * r[i];
  }
  return sum;
}

// Each of `columns` columns (`stride` apart) times the weights; returns Σ 0·J.
template <typename Pack>
GEOINV_ALWAYS_INLINE double weigh_columns(double* __restrict jacobian, Eigen::Index rows, Eigen::Index columns,
                                          Eigen::Index stride, const double* __restrict weights) {
  constexpr Eigen::Index kLanes = simd::kLanes<Pack>;
  Pack sum0{}, sum1{};
  double rest = 0.0;
  for (Eigen::Index j = 0; j < columns; ++j) {
    double* column = jacobian + j * stride;
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
  return simd::sum(sum0) + rest;
}

// Σ 0·x over `size` contiguous values: the unweighted Jacobian as one flat array, so there is no short
// tail per column. Eight accumulators, enough that no add waits on the one before it.
template <typename Pack>
GEOINV_ALWAYS_INLINE double check_flat(const double* __restrict values, Eigen::Index size) {
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
  return simd::sum(total) + rest;
}

template <typename Pack>
GEOINV_ALWAYS_INLINE double weigh_body(double* __restrict r, const double* __restrict observed,
                                       const double* __restrict weights, double* __restrict jacobian,
                                       Eigen::Index rows, Eigen::Index columns, Eigen::Index stride) {
  if (weights == nullptr) {
    double total = weigh_residuals<Pack, false>(r, observed, nullptr, rows);
    if (stride == rows) return total + check_flat<Pack>(jacobian, rows * columns);
    for (Eigen::Index j = 0; j < columns; ++j) total += check_flat<Pack>(jacobian + j * stride, rows);
    return total;
  }
  return weigh_residuals<Pack, true>(r, observed, weights, rows) +
         weigh_columns<Pack>(jacobian, rows, columns, stride, weights);
}

double weigh_portable(double* __restrict r, const double* __restrict observed, const double* __restrict weights,
                      double* __restrict jacobian, Eigen::Index rows, Eigen::Index columns, Eigen::Index stride) {
  return weigh_body<simd::Double2>(r, observed, weights, jacobian, rows, columns, stride);
}

#if GEOINV_SIMD_AVX2
GEOINV_TARGET_AVX2_FMA double weigh_avx2(double* __restrict r, const double* __restrict observed,
                                         const double* __restrict weights, double* __restrict jacobian,
                                         Eigen::Index rows, Eigen::Index columns, Eigen::Index stride) {
  return weigh_body<simd::Double4>(r, observed, weights, jacobian, rows, columns, stride);
}
#endif

// The passes above on `r` and, when not null, `jacobian` (rows contiguous in each column; the outer stride
// may exceed the rows for a block).
double weigh(Eigen::Ref<Vector> r, const Vector& observed, const Vector& weights, Eigen::Ref<Matrix>* jacobian) {
  const double* w = weights.size() > 0 ? weights.data() : nullptr;
  double* j = jacobian != nullptr ? jacobian->data() : nullptr;
  const Eigen::Index columns = jacobian != nullptr ? jacobian->cols() : 0;
  const Eigen::Index stride = jacobian != nullptr ? jacobian->outerStride() : 0;
#if GEOINV_SIMD_AVX2
  if (simd::avx2_fma()) return weigh_avx2(r.data(), observed.data(), w, j, r.size(), columns, stride);
#endif
  return weigh_portable(r.data(), observed.data(), w, j, r.size(), columns, stride);
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
  parameters_ = ParameterLayout(model_->parameters()).flattened();
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

// The forward model's operator, each application charged to the Problem's budget as one forward evaluation.
class CountedOperator final : public LinearOperator {
 public:
  CountedOperator(Problem& problem, std::shared_ptr<const LinearOperator> op)
      : problem_(problem), op_(std::move(op)) {}

  Eigen::Index rows() const override { return op_->rows(); }
  Eigen::Index cols() const override { return op_->cols(); }
  void apply(const Eigen::Ref<const Eigen::VectorXd>& x, Eigen::Ref<Eigen::VectorXd> y) const override {
    problem_.charge(1);
    op_->apply(x, y);
  }
  void apply_transpose(const Eigen::Ref<const Eigen::VectorXd>& y, Eigen::Ref<Eigen::VectorXd> x) const override {
    problem_.charge(1);
    op_->apply_transpose(y, x);
  }
  std::optional<Band> band() const override { return op_->band(); }
  Eigen::MatrixXd dense() const override {
    problem_.charge(op_->cols());
    return op_->dense();
  }

 private:
  Problem& problem_;
  std::shared_ptr<const LinearOperator> op_;
};

void Problem::set_regularization(Regularization regularization) {
  if (regularization.reference.size() != 0 && regularization.reference.size() != num_parameters())
    throw Error(Error::Category::config, fmt::format("regularization reference model has {} values for {} parameters",
                                                     regularization.reference.size(), num_parameters()));
  if (!(regularization.lambda >= 0.0) || !std::isfinite(regularization.lambda))
    throw Error(Error::Category::config,
                fmt::format("regularization lambda {}: expected a finite number >= 0", regularization.lambda));
  regularization_ = std::move(regularization);
  regularization_rows_ = 0;
  if (!regularization_.active()) return;
  const Eigen::Index n = num_parameters();
  switch (regularization_.kind) {
    case RegularizationKind::tikhonov: regularization_rows_ = std::max<Eigen::Index>(0, n - regularization_.order); break;
    case RegularizationKind::l1: regularization_rows_ = n; break;
    case RegularizationKind::tv: regularization_rows_ = std::max<Eigen::Index>(0, n - 1); break;
    case RegularizationKind::none: break;
  }
}

void Problem::regularization_residuals(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r,
                                       Eigen::Ref<Matrix>* jacobian) const {
  const Eigen::Index rows = regularization_rows_, first = num_data();
  if (rows == 0) return;
  const double root_lambda = std::sqrt(regularization_.lambda);
  const Vector u = regularization_.offset(model);
  if (regularization_.kind == RegularizationKind::tikhonov) {
    const Matrix l = root_lambda * difference_operator(regularization_.order, model.size());
    r.segment(first, rows).noalias() = l * u;
    if (jacobian != nullptr) jacobian->middleRows(first, rows) = l;
    return;
  }
  // l1 and tv: ρ_i = √λ (v_i² + ε²)^¼ with v = u (l1) or its first differences (tv); dρ/dv = ρ v / (2(v² + ε²)).
  const Matrix d = difference_operator(regularization_.kind == RegularizationKind::tv ? 1 : 0, model.size());
  const Vector v = d * u;
  const double eps2 = kSmoothingEpsilon * kSmoothingEpsilon;
  Vector slope(rows);
  for (Eigen::Index i = 0; i < rows; ++i) {
    const double q = v(i) * v(i) + eps2;
    r(first + i) = root_lambda * std::pow(q, 0.25);
    slope(i) = r(first + i) * v(i) / (2.0 * q);
  }
  if (jacobian != nullptr) jacobian->middleRows(first, rows) = slope.asDiagonal() * d;
}

std::shared_ptr<const LinearOperator> Problem::linear_operator() {
  std::shared_ptr<const LinearOperator> op = model_->linear_operator();
  if (!op) return nullptr;
  if (op->rows() != num_data() || op->cols() != num_parameters())
    throw Error(Error::Category::plugin,
                fmt::format("the forward model's linear operator is {}x{}; the problem has {} data and {} parameters",
                            op->rows(), op->cols(), num_data(), num_parameters()));
  return std::make_shared<CountedOperator>(*this, std::move(op));
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
  best_so_far_ = Trace({"evaluations", "best_cost"});
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

bool Problem::finish_residuals(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r,
                               Eigen::Ref<Matrix>* jacobian, double* cost) {
  // r holds the prediction on entry, `jacobian` (when not null) the forward model's Jacobian, in their
  // data rows.
  const Eigen::Index data = num_data();
  double sum = 0.0;  // Σ of the data rows' squares
  if (r.size() == data) {
    sum = weigh(r, observed_, inverse_sigma_, jacobian);
  } else if (jacobian != nullptr) {
    Eigen::Ref<Matrix> data_jacobian = jacobian->topRows(data);
    sum = weigh(r.head(data), observed_, inverse_sigma_, &data_jacobian);
  } else {
    sum = weigh(r.head(data), observed_, inverse_sigma_, nullptr);
  }
  return finish_weighed_residuals(model, r, jacobian, sum, cost);
}

bool Problem::finish_weighed_residuals(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r,
                                       Eigen::Ref<Matrix>* jacobian, double sum, double* cost) {
  const Eigen::Index data = num_data();
  if (!std::isfinite(sum)) return false;
  // The best model is tracked by the exact Φ; *cost is Σ r² over the rows the caller asked for.
  const double phi = objective(model, sum);
  if (r.size() != data) {
    regularization_residuals(model, r, jacobian);
    sum += r.tail(r.size() - data).squaredNorm();
  }
  if (!std::isfinite(sum)) return false;
  if (cost != nullptr) *cost = sum;
  if (phi < best_cost_) {
    best_cost_ = phi;
    best_model_ = model;
    best_so_far_.add_row({static_cast<double>(counts_.forward), phi});
  }
  return true;
}

void Problem::check_sizes(Eigen::Index model_size, Eigen::Index residual_size, Eigen::Index rows,
                          Eigen::Index columns) const {
  // Eigen's own checks are off in Release: a solver passing a wrong size would write out of bounds.
  const bool data_rows = residual_size == num_data() && rows == num_data();
  const bool all_rows = residual_size == num_residuals() && rows == num_residuals();
  if (model_size != num_parameters() || !(data_rows || all_rows) || columns != num_parameters())
    throw Error(Error::Category::plugin,
                fmt::format("solver passed sizes model {}, residuals {}, Jacobian {}x{}; the problem has {} "
                            "parameters, {} data and {} residuals",
                            model_size, residual_size, rows, columns, num_parameters(), num_data(), num_residuals()));
}

bool Problem::admit(const Eigen::Ref<const Vector>& model, Eigen::Index residual_size) {
  check_sizes(model.size(), residual_size, residual_size, num_parameters());
  charge(1);
  return model_->is_valid(model, nullptr);  // infeasible: the solver rejects the step
}

bool Problem::residuals(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r, double* cost) {
  if (!admit(model, r.size())) return false;
  model_->predict(model, r.head(num_data()));
  return finish_residuals(model, r, nullptr, cost);
}

bool Problem::residuals_from_prediction(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r, double* cost) {
  return admit(model, r.size()) && finish_residuals(model, r, nullptr, cost);
}

double Problem::weigh_prediction(Eigen::Ref<Vector> r) const {
  if (r.size() != num_data() && r.size() != num_residuals())
    throw Error(Error::Category::plugin, fmt::format("solver passed {} residuals; the problem has {} data and {} "
                                                     "residuals",
                                                     r.size(), num_data(), num_residuals()));
  return weigh(r.head(num_data()), observed_, inverse_sigma_, nullptr);
}

bool Problem::residuals_from_weighed_prediction(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r,
                                                double weighed, double* cost) {
  return admit(model, r.size()) && finish_weighed_residuals(model, r, nullptr, weighed, cost);
}

bool Problem::residuals_and_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r,
                                     Eigen::Ref<Matrix> jacobian, double* cost) {
  check_sizes(model.size(), r.size(), jacobian.rows(), jacobian.cols());
  if (!model_->is_valid(model, nullptr)) {
    charge(1);
    return false;
  }
  charge(analytic_jacobian_ ? 1 : 1 + 2 * model.size());
  predict_with_jacobian(model, r.head(num_data()), jacobian.topRows(num_data()));
  ++counts_.jacobian;
  return finish_residuals(model, r, &jacobian, cost);
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

void Problem::predict_with_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data,
                                   Eigen::Ref<Matrix> jacobian) const {
  if (analytic_jacobian_) {
    model_->predict_with_jacobian(model, data, jacobian);
  } else {
    model_->predict(model, data);
    central_difference_jacobian(*model_, model, jacobian);
  }
}

bool Problem::measure(const Eigen::Ref<const Vector>& model, Vector& predicted, Vector& r, Matrix* jacobian) const {
  predicted.resize(num_data());
  if (jacobian != nullptr) {
    jacobian->resize(num_data(), num_parameters());
    predict_with_jacobian(model, predicted, *jacobian);
  } else {
    model_->predict(model, predicted);
  }
  if (!predicted.allFinite() || (jacobian != nullptr && !jacobian->allFinite())) return false;
  r = predicted - observed_;
  if (has_sigma()) {
    r.array() /= sigma_.array();
    if (jacobian != nullptr) jacobian->array().colwise() /= sigma_.array();
  }
  return true;
}

double Problem::measured_cost(const Eigen::Ref<const Vector>& model) const {
  Vector predicted, r;
  if (!measure(model, predicted, r, nullptr)) return std::numeric_limits<double>::quiet_NaN();
  const double cost = r.squaredNorm();
  return std::isfinite(cost) ? cost : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace geoinv
