// SPDX-License-Identifier: BSD-3-Clause
// The `vertical_cylinder` forward plugin: SP anomaly of a polarized, semi-infinite vertical cylinder,
// V = K·N / D^0.5 (docs/models/shape-factor.md, q = 0.5), h the depth to its top. Everything but the
// declaration lives in sp_common, shared with the other shape-factor bodies.
#include "geoinv/plugin.hpp"
#include "geoinv_plugin_example.hpp"
#include "sp/shape_factor_model.hpp"

namespace {

class VerticalCylinderModel final : public geoinv::sp::ShapeFactorModel<geoinv::sp::Exponent::one_half> {
 public:
  VerticalCylinderModel() : ShapeFactorModel({"mV", "depth to the top of the cylinder", 100.0}) {}
  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }
};

}  // namespace

GEOINV_FORWARD_PLUGIN(VerticalCylinderModel, "vertical_cylinder", "1.0.0",
                      "SP anomaly of a polarized semi-infinite vertical cylinder (shape factor q = 0.5)")
