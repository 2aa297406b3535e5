#include "geoinv/problem.hpp"

#include <fmt/format.h>

#include <cmath>

#include "geoinv/error.hpp"
#include "geoinv/finite_difference.hpp"

namespace geoinv {
namespace {

// Whether every entry is finite: Σ 0·x is 0 for finite x and NaN for ±inf and NaN. Per column, in SIMD
// packets with four independent accumulators: Eigen's sum() of a strided block keeps one accumulator,
// so every add waits on the previous one, and the check cost half as much as the sphere's whole forward
// model and Jacobian (measured with perf on the seed benchmark).
bool all_finite(const Eigen::Ref<Matrix>& matrix) {
  using Packet = Eigen::internal::packet_traits<double>::type;
  namespace simd = Eigen::internal;
  constexpr Eigen::Index kSize = Eigen::internal::packet_traits<double>::size;
  const Packet zero = simd::pset1<Packet>(0.0);
  Packet sum0 = zero, sum1 = zero, sum2 = zero, sum3 = zero;
  double rest = 0.0;
  const Eigen::Index rows = matrix.rows();
  for (Eigen::Index j = 0; j < matrix.cols(); ++j) {
    const double* column = matrix.col(j).data();
    Eigen::Index i = 0;
    for (; i + 4 * kSize <= rows; i += 4 * kSize) {
      sum0 = simd::padd(sum0, simd::pmul(simd::ploadu<Packet>(column + i), zero));
      sum1 = simd::padd(sum1, simd::pmul(simd::ploadu<Packet>(column + i + kSize), zero));
      sum2 = simd::padd(sum2, simd::pmul(simd::ploadu<Packet>(column + i + 2 * kSize), zero));
      sum3 = simd::padd(sum3, simd::pmul(simd::ploadu<Packet>(column + i + 3 * kSize), zero));
    }
    for (; i < rows; ++i) rest += column[i] * 0.0;
  }
  return simd::predux(simd::padd(simd::padd(sum0, sum1), simd::padd(sum2, sum3))) + rest == 0.0;
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

bool Problem::finish_residuals(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r) {
  // r holds the prediction on entry.
  r -= observed_;
  if (has_sigma()) r.array() *= inverse_sigma_.array();
  const double cost = r.squaredNorm();
  if (!std::isfinite(cost)) return false;
  if (cost < best_cost_) {
    best_cost_ = cost;
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

bool Problem::residuals(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r) {
  check_sizes(model.size(), r.size(), num_data(), num_parameters());
  charge(1);
  if (!model_->is_valid(model, nullptr)) return false;  // infeasible: the solver rejects the step
  model_->predict(model, r);
  return finish_residuals(model, r);
}

bool Problem::residuals_and_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> r,
                                     Eigen::Ref<Matrix> jacobian) {
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
  if (has_sigma()) jacobian.array().colwise() *= inverse_sigma_.array();
  // One vectorised pass, where allFinite() branches per entry and cost more than the sphere's whole
  // forward model.
  if (!all_finite(jacobian)) return false;
  return finish_residuals(model, r);
}

void Problem::predict_uncounted(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const {
  model_->predict(model, data);
}

}  // namespace geoinv
