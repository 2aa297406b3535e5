// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/regularization_section.hpp"

#include "configuration/experiment.hpp"
#include "configuration/parameter_values.hpp"

namespace geoinv {

namespace {

RegularizationKind read_kind(const ConfigNode& node) {
  const std::string word = node.as_string();
  for (RegularizationKind kind : {RegularizationKind::none, RegularizationKind::tikhonov, RegularizationKind::l1,
                                  RegularizationKind::tv})
    if (word == to_string(kind)) return kind;
  node.fail("unknown regularization type '" + word + "'; valid types: none, tikhonov, l1, tv");
}

}  // namespace

RegularizationSection read_regularization_section(const ConfigNode& node) {
  RegularizationSection section;
  if (!node.defined()) return section;
  node.expect_map({"type", "order", "lambda", "reference"});
  Regularization& reg = section.regularization;
  reg.kind = read_kind(node.required("type"));
  if (const ConfigNode order = node["order"]; order.defined()) {
    if (reg.kind != RegularizationKind::tikhonov) order.fail("order applies to type tikhonov only");
    const auto value = order.as_int();
    if (value < 0 || value > 2) order.fail("must be 0, 1 or 2 (the order of the difference operator)");
    reg.order = static_cast<int>(value);
  }
  if (reg.kind == RegularizationKind::none) return section;
  const ConfigNode lambda = node.required("lambda");
  if (lambda.is_map())
    lambda.fail("choosing lambda (discrepancy, gcv, lcurve) is not available yet; give lambda as a number >= 0");
  reg.lambda = lambda.as_real();
  if (reg.lambda < 0.0) lambda.fail("must be >= 0");
  section.reference = node["reference"];
  return section;
}

void resolve_regularization_section(const RegularizationSection& section, Experiment& experiment) {
  experiment.regularization = section.regularization;
  if (section.reference.defined())
    experiment.regularization.reference = read_model(section.reference, experiment);
}

void emit_regularization_section(const Experiment& experiment, YAML::Emitter& out) {
  const Regularization& reg = experiment.regularization;
  if (reg.kind == RegularizationKind::none) return;
  out << YAML::Key << "regularization" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "type" << YAML::Value << to_string(reg.kind);
  if (reg.kind == RegularizationKind::tikhonov) out << YAML::Key << "order" << YAML::Value << reg.order;
  out << YAML::Key << "lambda" << YAML::Value;
  emit_number(out, reg.lambda);
  if (reg.reference.size() != 0) {
    out << YAML::Key << "reference" << YAML::Value;
    emit_model(out, experiment.layout, reg.reference);
  }
  out << YAML::EndMap;
}

}  // namespace geoinv
