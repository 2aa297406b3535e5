// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The regional background, owned by the host: any forward model plus c0 (constant), c0 + c1·x (linear)
// or c0 + c1·x + c2·u² (quadratic), the coefficients inverted jointly with the model's own parameters
// and appended after them (docs/experiment-schema.md, "Regional background").
//
// The quadratic term is scaled so that it is well conditioned whatever the profile's length and origin:
// u = (x − x_mid) / half_span, with x_mid the middle of the stations and half_span half their extent, so
// u runs from −1 to 1 and c2 (in data units) is how far the parabola rises above its tangent at the
// middle of the profile at either end. c0 and c1 keep their linear meaning (value and slope of the
// regional trend at x = 0 when c2 = 0).
//
// The host owns it, not each plugin, because it is the same for every model: written once, it serves
// the whole SP family and every geometry a researcher adds later, and it cannot differ between plugins.
#include <memory>
#include <string>

#include "geoinv/forward_model.hpp"

namespace geoinv {

enum class Background { none, constant, linear, quadratic };

std::string to_string(Background background);

class BackgroundModel final : public ForwardModel {
 public:
  // `data_unit`: the unit of c0 and c2 (and c1 per m), from data.unit; "data unit" when empty.
  BackgroundModel(std::shared_ptr<ForwardModel> inner, Background background, std::string data_unit = "");

  ParameterSpecs parameters() const override;
  OptionSpecs options() const override;
  void configure(const OptionValues& options, const Vector& stations) override;
  void predict(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const override;
  bool has_jacobian() const override;
  void predict_with_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data,
                             Eigen::Ref<Matrix> jacobian) const override;
  void canonicalize(Eigen::Ref<Vector> model) const override;
  bool is_valid(const Eigen::Ref<const Vector>& model, std::string* why) const override;
  bool estimate_start(const Eigen::Ref<const Vector>& observed, Eigen::Ref<Vector> model) const override;
  std::string example_yaml() const override;
  DataQuantity data_quantity() const override;

 private:
  Eigen::Index inner_size() const { return inner_size_; }
  bool has_gradient() const { return background_ == Background::linear || background_ == Background::quadratic; }

  std::shared_ptr<ForwardModel> inner_;
  Background background_;
  std::string unit_;  // of the data: c0's unit
  Eigen::Index inner_size_ = 0;
  Vector stations_;
  Vector curvature_;  // u² at each station (quadratic only)
};

}  // namespace geoinv
