// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// ShapeFactorModel: a complete forward model for one body of the SP shape-factor family, so that each
// plugin is a declaration of what body it is. The sphere, for instance:
//
//   class SphereModel final : public geoinv::sp::ShapeFactorModel<geoinv::sp::Exponent::three_halves> {
//    public:
//     SphereModel() : ShapeFactorModel({"mV*m^2", "depth to the centre of the sphere"}) {}
//     std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }
//   };
//   GEOINV_FORWARD_PLUGIN(SphereModel, "sphere", "1.0.0", "...")
//
// A horizontal cylinder is Exponent::one with "mV*m", a vertical cylinder Exponent::one_half with "mV"
// (h is then the depth to its top), and a body with q inverted Exponent::free, which appends q to the
// parameters. Every body gets the family's formula, Jacobian, symmetries, `convention` option
// (ShapeFactorSettings) and data-driven start (sp/shape_factor_start.hpp).
#include <Eigen/Core>
#include <limits>
#include <string>
#include <utility>

#include "geoinv/forward_model.hpp"
#include "geoinv/option_binding.hpp"
#include "geoinv/parameter.hpp"
#include "sp/shape_factor.hpp"
#include "sp/shape_factor_start.hpp"

namespace geoinv::sp {

// What differs between the bodies besides q: how K and h read for this geometry.
struct BodyDescription {
  std::string amplitude_unit;    // mV*m^(2q-1): "mV*m^2" sphere, "mV*m" horizontal cylinder, "mV" vertical
  std::string depth_doc;         // what h measures, e.g. "depth to the centre of the sphere"
  double amplitude_scale = 1e4;  // a typical |K| in amplitude_unit, for finite differences and damping
};

// The options of every body of the family.
struct ShapeFactorSettings {
  Convention convention = Convention::plus;  // option `convention`: the sign of the h·sinθ term
};

// The option bindings of ShapeFactorSettings, declared once for every plugin of the family.
inline OptionBindings<ShapeFactorSettings> shape_factor_options() {
  OptionBindings<ShapeFactorSettings> options;
  options.choice("convention", &ShapeFactorSettings::convention, kConventionWords,
                 "sign of the h·sinθ term: plus, N = u·cosθ + h·sinθ (Yüngül 1950, El-Araby 2004, Essa 2011, "
                 "Mehanee 2014); minus, N = u·cosθ - h·sinθ (Kaftan et al. 2014, the seed study). The same "
                 "curves with θ -> -θ");
  return options;
}

template <Exponent kExponent>
class ShapeFactorModel : public ForwardModel {
 public:
  explicit ShapeFactorModel(BodyDescription body) : body_(std::move(body)) {}

  ParameterSpecs parameters() const override {
    constexpr double kInfinity = std::numeric_limits<double>::infinity();
    ParameterSpecs specs{
        {"x0", "m", -kInfinity, kInfinity, false, 10.0, "horizontal position of the body's centre"},
        // Periodic, so unbounded: a bound would stop a solver from walking across 0 = 2π.
        {"theta", "rad", -kInfinity, kInfinity, true, 1.0,
         "polarization angle; its sign depends on the `convention` option"},
        // Strictly positive: h = 0 puts the body on the profile, where V is singular; -h is a mirror
        // image (see canonicalize).
        {"h", "m", 1e-3, kInfinity, false, 10.0, body_.depth_doc},
        {"K", body_.amplitude_unit, -kInfinity, kInfinity, false, body_.amplitude_scale,
         "electric dipole moment (amplitude); (-K, θ) is the same body as (K, θ + 180°)"},
    };
    if constexpr (kExponent == Exponent::free) {
      specs.push_back({"q", "", kMinimumShapeFactor, kMaximumShapeFactor, false, 0.5,
                       "shape factor: 0.5 vertical cylinder, 1 horizontal cylinder, 1.5 sphere"});
    }
    return specs;
  }

  OptionSpecs options() const override { return bindings_.specs(); }

  void configure(const OptionValues& options, const Vector& stations) override {
    convention_ = bindings_.fill(options).convention;
    stations_ = stations;
  }

  void predict(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data) const override {
    predict_shape_factor<kExponent>(model, convention_, stations_, data);
  }

  bool has_jacobian() const override { return true; }

  DataQuantity data_quantity() const override { return {"SP", "mV"}; }

  void predict_with_jacobian(const Eigen::Ref<const Vector>& model, Eigen::Ref<Vector> data,
                             Eigen::Ref<Matrix> jacobian) const override {
    predict_shape_factor_with_jacobian<kExponent>(model, convention_, stations_, data, jacobian);
  }

  void canonicalize(Eigen::Ref<Vector> model) const override { canonicalize_shape_factor(model); }

  // The variable-projection scan of sp/shape_factor_start.hpp: x0, h (and q) on a grid, K and θ by linear
  // least squares at each node.
  bool estimate_start(const Eigen::Ref<const Vector>& observed, Eigen::Ref<Vector> model) const override {
    return estimate_shape_factor_start<kExponent>(stations_, observed, convention_, model);
  }

 protected:
  // For a body that adds to the family (e.g. a start-model estimate that depends on the sign convention).
  Convention convention() const { return convention_; }
  const Vector& stations() const { return stations_; }

 private:
  BodyDescription body_;
  OptionBindings<ShapeFactorSettings> bindings_ = shape_factor_options();
  Convention convention_ = Convention::plus;
  Vector stations_;
};

}  // namespace geoinv::sp
