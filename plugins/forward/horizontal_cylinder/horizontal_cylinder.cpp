// SPDX-License-Identifier: BSD-3-Clause
// The `horizontal_cylinder` forward plugin: SP anomaly of a polarized horizontal cylinder (2-D, its axis
// across the profile), V = K·N / D (docs/models/shape-factor.md, q = 1). Everything but the declaration lives
// in sp_common, shared with the other shape-factor bodies.
#include "geoinv/plugin.hpp"
#include "geoinv_plugin_example.hpp"
#include "sp/shape_factor_model.hpp"

namespace {

class HorizontalCylinderModel final : public geoinv::sp::ShapeFactorModel<geoinv::sp::Exponent::one> {
 public:
  HorizontalCylinderModel() : ShapeFactorModel({"mV*m", "depth to the axis of the cylinder", 1e3}) {}
  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }
};

}  // namespace

GEOINV_FORWARD_PLUGIN(HorizontalCylinderModel, "horizontal_cylinder", "1.0.0",
                      "SP anomaly of a polarized horizontal cylinder (shape factor q = 1)")
