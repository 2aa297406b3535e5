// SPDX-License-Identifier: BSD-3-Clause
// The `sphere` forward plugin: SP anomaly of a polarized sphere, V = K·N / D^1.5
// (docs/models/shape-factor.md). Everything but the declaration lives in sp_common, shared with the other
// shape-factor bodies.
#include "geoinv/plugin.hpp"
#include "geoinv_plugin_example.hpp"
#include "sp/shape_factor_model.hpp"

namespace {

class SphereModel final : public geoinv::sp::ShapeFactorModel<geoinv::sp::Exponent::three_halves> {
 public:
  SphereModel() : ShapeFactorModel({"mV*m^2", "depth to the centre of the sphere", 1e4}) {}
  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }
};

}  // namespace

GEOINV_FORWARD_PLUGIN(SphereModel, "sphere", "1.0.0",
                      "SP anomaly of a polarized sphere (shape factor q = 1.5)")
