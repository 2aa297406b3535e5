// SPDX-License-Identifier: BSD-3-Clause
// geoinv.plugins() and geoinv.describe(name): what `geoinv plugins` and `geoinv describe` print, as
// Python objects read from the same registry.
#include <pybind11/stl.h>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "geoinv/error.hpp"
#include "geoinv/plugin_registry.hpp"
#include "plugin_paths.hpp"

namespace geoinv_python {

namespace {

py::object option_value(const geoinv::OptionValue& value) {
  return std::visit([](const auto& v) -> py::object { return py::cast(v); }, value);
}

py::list describe_options(const geoinv::OptionSpecs& options) {
  py::list described;
  for (const auto& option : options) {
    py::dict entry;
    entry["name"] = option.name;
    entry["type"] = geoinv::to_string(option.type);
    entry["default"] = option_value(option.default_value);
    entry["range"] = option.interval_text();
    entry["choices"] = option.choices;
    entry["unit"] = option.unit;
    entry["doc"] = option.doc;
    described.append(entry);
  }
  return described;
}

// Bounds and units as YAML and outputs show them (angles in degrees).
py::list describe_parameters(const geoinv::ParameterSpecs& parameters) {
  py::list described;
  for (const auto& p : parameters) {
    py::dict entry;
    entry["name"] = p.name;
    entry["unit"] = geoinv::display_unit(p);
    entry["lower"] = geoinv::to_display(p, p.lower);
    entry["upper"] = geoinv::to_display(p, p.upper);
    entry["periodic"] = p.is_angle;
    entry["doc"] = p.doc;
    described.append(entry);
  }
  return described;
}

py::dict info_dict(const geoinv::PluginInfo& info) {
  py::dict entry;
  entry["name"] = info.name;
  entry["kind"] = geoinv::to_string(info.kind);
  entry["version"] = info.version;
  entry["summary"] = info.summary;
  entry["file"] = info.file.string();
  return entry;
}

py::list list_plugins(const std::vector<std::string>& plugin_paths) {
  const auto registry = make_registry(plugin_paths);
  py::list listed;
  for (const auto& info : registry->list()) listed.append(info_dict(info));
  return listed;
}

// The kind of `name` when not given: the one plugin of that name, the forward one first (as the CLI).
geoinv::PluginKind kind_of(const geoinv::PluginRegistry& registry, const std::string& name,
                           const std::optional<std::string>& kind) {
  if (kind) {
    if (*kind == "forward") return geoinv::PluginKind::forward;
    if (*kind == "solver") return geoinv::PluginKind::solver;
    throw geoinv::Error(geoinv::Error::Category::usage, "kind must be 'forward' or 'solver', got '" + *kind + "'");
  }
  std::optional<geoinv::PluginKind> found;
  for (const auto& info : registry.list())
    if (info.name == name) found = info.kind;
  if (!found) registry.find(name, geoinv::PluginKind::forward);  // throws, listing what exists
  return *found;
}

py::dict describe(const std::string& name, const std::optional<std::string>& kind,
                  const std::vector<std::string>& plugin_paths) {
  const auto registry = make_registry(plugin_paths);
  const geoinv::PluginKind chosen = kind_of(*registry, name, kind);
  py::dict described = info_dict(registry->find(name, chosen));
  if (chosen == geoinv::PluginKind::forward) {
    const auto model = registry->create_forward_model(name);
    described["parameters"] = describe_parameters(model->parameters());
    described["options"] = describe_options(model->options());
    described["example"] = model->example_yaml();
  } else {
    const auto solver = registry->create_solver(name);
    described["options"] = describe_options(solver->options());
    described["example"] = solver->example_yaml();
  }
  return described;
}

}  // namespace

void bind_plugins(py::module_& module) {
  module.def("plugins", &list_plugins, py::arg("plugin_paths") = std::vector<std::string>{});
  module.def("describe", &describe, py::arg("name"), py::arg("kind") = std::nullopt,
             py::arg("plugin_paths") = std::vector<std::string>{});
}

}  // namespace geoinv_python
