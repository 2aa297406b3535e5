// SPDX-License-Identifier: BSD-3-Clause
// The `polarized_body` forward plugin: SP anomaly of a polarized body whose shape factor q is inverted
// with the other parameters, V = K·N / D^q (docs/models/shape-factor.md; q = 1.5 sphere, 1 horizontal
// cylinder, 0.5 vertical cylinder). Everything but the declaration lives in sp_common.
#include "geoinv/plugin.hpp"
#include "geoinv_plugin_example.hpp"
#include "sp/shape_factor_model.hpp"

namespace {

class PolarizedBodyModel final : public geoinv::sp::ShapeFactorModel<geoinv::sp::Exponent::free> {
 public:
  PolarizedBodyModel()
      : ShapeFactorModel({"mV*m^(2q-1)",
                          "depth to the centre (sphere, horizontal cylinder) or top (vertical cylinder)",
                          1e3}) {}
  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }
};

}  // namespace

GEOINV_FORWARD_PLUGIN(
    PolarizedBodyModel, "polarized_body", "1.0.0",
    "SP anomaly of a polarized body with its shape factor q inverted (0.5 to 1.5 and beyond)")
