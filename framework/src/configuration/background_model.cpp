// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/background_model.hpp"

#include <utility>

#include "geoinv/finite_difference.hpp"

namespace geoinv {

std::string to_string(Background background) {
  switch (background) {
    case Background::none: return "none";
    case Background::constant: return "constant";
    case Background::linear: return "linear";
    case Background::quadratic: return "quadratic";
  }
  return "unknown";
}

BackgroundModel::BackgroundModel(std::shared_ptr<ForwardModel> inner, Background background, std::string data_unit)
    : inner_(std::move(inner)), background_(background), unit_(data_unit.empty() ? "data unit" : std::move(data_unit)) {
  inner_size_ = static_cast<Eigen::Index>(inner_->parameters().size());
}

namespace {

ParameterSpec coefficient(std::string name, std::string unit, double scale, std::string doc) {
  ParameterSpec spec;
  spec.name = std::move(name);
  spec.unit = std::move(unit);
  spec.scale = scale;
  spec.doc = std::move(doc);
  return spec;
}

}  // namespace

ParameterSpecs BackgroundModel::parameters() const {
  ParameterSpecs specs = inner_->parameters();
  specs.push_back(coefficient("c0", unit_, 1.0, "regional background: offset (value at x = 0)"));
  if (has_gradient())
    specs.push_back(coefficient("c1", unit_ + "/m", 0.01, "regional background: gradient along the profile"));
  if (background_ == Background::quadratic)
    specs.push_back(coefficient("c2", unit_, 1.0,
                                "regional background: curvature, the rise above the tangent at the profile's "
                                "middle at its ends"));
  return specs;
}

OptionSpecs BackgroundModel::options() const { return inner_->options(); }

void BackgroundModel::configure(const OptionValues& options, const Vector& stations) {
  inner_->configure(options, stations);
  stations_ = stations;
  if (background_ == Background::quadratic && stations.size() > 0) {
    const double middle = 0.5 * (stations.maxCoeff() + stations.minCoeff());
    const double half_span = 0.5 * (stations.maxCoeff() - stations.minCoeff());
    curvature_ = ((stations.array() - middle) / (half_span > 0.0 ? half_span : 1.0)).square().matrix();
  }
}

void BackgroundModel::predict(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const {
  inner_->predict(model.head(inner_size_), data);
  data.array() += model(inner_size_);
  if (has_gradient()) data += model(inner_size_ + 1) * stations_;
  if (background_ == Background::quadratic) data += model(inner_size_ + 2) * curvature_;
}

bool BackgroundModel::has_jacobian() const { return inner_->has_jacobian(); }

void BackgroundModel::predict_with_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data,
                                            Eigen::Ref<Matrix> jacobian) const {
  inner_->predict_with_jacobian(model.head(inner_size_), data, jacobian.leftCols(inner_size_));
  data.array() += model(inner_size_);
  jacobian.col(inner_size_).setOnes();
  if (has_gradient()) {
    data += model(inner_size_ + 1) * stations_;
    jacobian.col(inner_size_ + 1) = stations_;
  }
  if (background_ == Background::quadratic) {
    data += model(inner_size_ + 2) * curvature_;
    jacobian.col(inner_size_ + 2) = curvature_;
  }
}

void BackgroundModel::canonicalize(Eigen::Ref<Vector> model) const { inner_->canonicalize(model.head(inner_size_)); }

bool BackgroundModel::is_valid(const Eigen::Ref<const Vector>& model, std::string* why) const {
  return inner_->is_valid(model.head(inner_size_), why);
}

bool BackgroundModel::estimate_start(const Eigen::Ref<const Vector>& observed, Eigen::Ref<Vector> model) const {
  // The background from the profile's ends (the outer fifth at each side), where a localized body's
  // anomaly is weakest; the body from what remains. Two ends fix a line, so a quadratic starts at c2 = 0.
  const Eigen::Index m = observed.size();
  const Eigen::Index edge = std::max<Eigen::Index>(1, m / 5);
  const double x_left = stations_.head(edge).mean(), x_right = stations_.tail(edge).mean();
  const double v_left = observed.head(edge).mean(), v_right = observed.tail(edge).mean();
  double c1 = 0.0;
  if (has_gradient() && x_right > x_left) c1 = (v_right - v_left) / (x_right - x_left);
  const double c0 = has_gradient() ? v_left - c1 * x_left : 0.5 * (v_left + v_right);
  const Vector detrended = observed - (Vector::Constant(m, c0) + c1 * stations_);
  if (!inner_->estimate_start(detrended, model.head(inner_size_))) return false;
  model(inner_size_) = c0;
  if (has_gradient()) model(inner_size_ + 1) = c1;
  if (background_ == Background::quadratic) model(inner_size_ + 2) = 0.0;
  return true;
}

std::string BackgroundModel::example_yaml() const { return inner_->example_yaml(); }

DataQuantity BackgroundModel::data_quantity() const { return inner_->data_quantity(); }

}  // namespace geoinv
