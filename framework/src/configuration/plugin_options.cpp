// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/plugin_options.hpp"

#include <cstdint>
#include <variant>
#include <vector>

#include "configuration/parameter_values.hpp"

namespace geoinv {

OptionValues read_options(const ConfigNode& node, const OptionSpecs& specs, const std::string& plugin) {
  OptionValues values = OptionValues::defaults(specs);
  if (!node.defined()) return values;
  std::vector<std::string> names;
  for (const auto& spec : specs) names.push_back(spec.name);
  if (names.empty() && node.is_map() && node.yaml().size() > 0)
    node.fail("plugin '" + plugin + "' has no options");
  node.expect_map(names);
  for (const auto& spec : specs) {
    const ConfigNode value = node[spec.name];
    if (value.defined()) values.set(spec.name, value.as_option(spec));
  }
  return values;
}

namespace {

void emit_option(YAML::Emitter& out, const OptionValue& value) {
  if (const auto* real = std::get_if<double>(&value)) {
    emit_number(out, *real);
  } else if (const auto* list = std::get_if<std::vector<std::int64_t>>(&value)) {
    out << YAML::Flow << YAML::BeginSeq;
    for (auto element : *list) out << element;
    out << YAML::EndSeq;
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    out << YAML::DoubleQuoted << *text;
  } else {
    out << to_string(value);
  }
}

}  // namespace

void emit_options(YAML::Emitter& out, const OptionValues& options) {
  out << YAML::BeginMap;
  for (const auto& [name, value] : options.values()) {
    out << YAML::Key << name << YAML::Value;
    emit_option(out, value);
  }
  out << YAML::EndMap;
}

}  // namespace geoinv
