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

LambdaRule read_rule(const ConfigNode& node) {
  const std::string word = node.as_string();
  for (LambdaRule rule : {LambdaRule::discrepancy, LambdaRule::gcv, LambdaRule::lcurve})
    if (word == to_string(rule)) return rule;
  node.fail("unknown rule '" + word + "'; valid rules: discrepancy, gcv, lcurve");
}

LambdaChoiceSpec read_lambda_choice(const ConfigNode& node, RegularizationKind kind) {
  node.expect_map({"choose", "range", "points", "target"});
  LambdaChoiceSpec choice;
  const ConfigNode rule = node.required("choose");
  choice.rule = read_rule(rule);
  if (choice.rule == LambdaRule::gcv && kind != RegularizationKind::tikhonov)
    rule.fail("gcv needs type tikhonov: the influence matrix of l1 and tv is not defined; choose discrepancy "
              "or lcurve");
  if (const ConfigNode range = node["range"]; range.defined()) {
    range.expect_sequence();
    if (range.size() != 2) range.fail("must be [smallest, largest], two values of lambda");
    choice.smallest = range.at(0).as_real();
    choice.largest = range.at(1).as_real();
    if (!(choice.smallest > 0.0 && choice.largest > choice.smallest))
      range.fail("must be [smallest, largest] with 0 < smallest < largest (the grid is log-spaced)");
  }
  if (const ConfigNode points = node["points"]; points.defined()) {
    const auto value = points.as_int();
    if (value < 3 || value > 10000) points.fail("must be an integer from 3 to 10000 (grid points)");
    choice.points = static_cast<int>(value);
  }
  if (const ConfigNode target = node["target"]; target.defined()) {
    if (choice.rule != LambdaRule::discrepancy) target.fail("target applies to choose: discrepancy only");
    choice.target = target.as_real();
    if (!(choice.target > 0.0)) target.fail("must be > 0 (the misfit aimed at is target times the data count)");
  }
  return choice;
}

// What a rule needs of the data and the model, checked before anything runs.
void check_lambda_choice(const RegularizationSection& section, const Experiment& experiment) {
  const ConfigNode rule = section.lambda_node["choose"];
  const bool sigma_known = experiment.sigma.size() > 0 ||
                           (experiment.synthetic && (experiment.noise_sigma > 0.0 || experiment.noise_snr));
  if (section.lambda_choice->rule == LambdaRule::discrepancy && !sigma_known)
    rule.fail("discrepancy needs the data's sigma (a sigma column, or synthetic noise_sigma or snr > 0); "
              "these data have none: choose gcv or lcurve, or give lambda");
  if (section.lambda_choice->rule == LambdaRule::gcv && !experiment.forward->linear_operator())
    rule.fail("gcv needs a linear forward model (one with a linear operator); '" + experiment.forward_plugin +
              "' is not: choose discrepancy or lcurve, or give lambda");
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
  if (lambda.is_map()) {
    section.lambda_choice = read_lambda_choice(lambda, reg.kind);
    section.lambda_node = lambda;
  } else {
    reg.lambda = lambda.as_real();
    if (reg.lambda < 0.0) lambda.fail("must be >= 0, or a map choosing it: {choose: discrepancy | gcv | lcurve}");
  }
  section.reference = node["reference"];
  return section;
}

void resolve_regularization_section(const RegularizationSection& section, Experiment& experiment) {
  experiment.regularization = section.regularization;
  experiment.lambda_choice = section.lambda_choice;
  if (section.lambda_choice) check_lambda_choice(section, experiment);
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
  if (const auto& choice = experiment.lambda_choice) {
    out << YAML::BeginMap << YAML::Key << "choose" << YAML::Value << to_string(choice->rule);
    out << YAML::Key << "range" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    emit_number(out, choice->smallest);
    emit_number(out, choice->largest);
    out << YAML::EndSeq << YAML::Key << "points" << YAML::Value << choice->points;
    if (choice->rule == LambdaRule::discrepancy) {
      out << YAML::Key << "target" << YAML::Value;
      emit_number(out, choice->target);
    }
    out << YAML::EndMap;
  } else {
    emit_number(out, reg.lambda);
  }
  if (reg.reference.size() != 0) {
    out << YAML::Key << "reference" << YAML::Value;
    emit_model(out, experiment.layout, reg.reference);
  }
  out << YAML::EndMap;
}

}  // namespace geoinv
