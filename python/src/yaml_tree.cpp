// SPDX-License-Identifier: BSD-3-Clause
#include "yaml_tree.hpp"

#include <fmt/format.h>

#include "geoinv/error.hpp"

namespace geoinv_python {

namespace {
std::string child_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

// Numbers as YAML reads them back exactly: repr() of a float is its shortest round-trip text.
std::string number_text(const py::handle& value) { return py::repr(value).cast<std::string>(); }
}  // namespace

YAML::Node yaml_tree(const py::handle& value, const std::string& key_path) {
  if (value.is_none()) return YAML::Node(YAML::NodeType::Null);
  if (py::isinstance<py::bool_>(value)) return YAML::Node(value.cast<bool>() ? "true" : "false");
  if (py::isinstance<py::str>(value)) {
    YAML::Node text(value.cast<std::string>());
    text.SetStyle(YAML::EmitterStyle::Flow);
    return text;
  }
  if (py::isinstance<py::dict>(value)) {
    YAML::Node map(YAML::NodeType::Map);
    for (const auto& item : value.cast<py::dict>()) {
      const std::string key = py::str(item.first).cast<std::string>();
      map[key] = yaml_tree(item.second, child_path(key_path, key));
    }
    return map;
  }
  const py::module_ numbers = py::module_::import("numbers");
  if (py::isinstance(value, numbers.attr("Integral")))
    return YAML::Node(py::str(py::int_(py::reinterpret_borrow<py::object>(value))).cast<std::string>());
  if (py::isinstance(value, numbers.attr("Real")))
    return YAML::Node(number_text(py::float_(py::reinterpret_borrow<py::object>(value))));
  if (py::isinstance<py::list>(value) || py::isinstance<py::tuple>(value) || py::hasattr(value, "tolist")) {
    const py::object items = py::hasattr(value, "tolist") ? value.attr("tolist")() : py::reinterpret_borrow<py::object>(value);
    if (!py::isinstance<py::list>(items) && !py::isinstance<py::tuple>(items)) return yaml_tree(items, key_path);
    YAML::Node sequence(YAML::NodeType::Sequence);
    std::size_t index = 0;
    for (const auto& item : items) sequence.push_back(yaml_tree(item, child_path(key_path, std::to_string(index++))));
    return sequence;
  }
  throw geoinv::Error(geoinv::Error::Category::usage,
                      fmt::format("a {} cannot be written in an experiment; expected a dict, list, str, "
                                  "number, bool or None",
                                  py::str(value.get_type().attr("__name__")).cast<std::string>()),
                      {}, key_path);
}

}  // namespace geoinv_python
