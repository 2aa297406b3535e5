// SPDX-License-Identifier: BSD-3-Clause
// geoinv::Error raised as the geoinv.errors class of its category, with the text the CLI prints after
// "geoinv: error: " (file:line:col: key.path: message) and the parts as attributes.
#include "errors.hpp"

#include "geoinv/error.hpp"

namespace geoinv_python {

namespace {
const char* class_name(geoinv::Error::Category category) {
  switch (category) {
    case geoinv::Error::Category::usage: return "UsageError";
    case geoinv::Error::Category::config: return "ConfigError";
    case geoinv::Error::Category::data: return "DataError";
    case geoinv::Error::Category::plugin: return "PluginError";
    case geoinv::Error::Category::numerical: return "NumericalError";
    case geoinv::Error::Category::io: return "IoError";
  }
  return "Error";
}
}  // namespace

void raise_as_python(const geoinv::Error& error) {
  const py::object type = py::module_::import("geoinv.errors").attr(class_name(error.category()));
  const auto& where = error.where();
  const py::object instance =
      type(error.what(), error.message(), where.file.empty() ? py::none() : py::object(py::str(where.file)),
           where.line > 0 ? py::object(py::int_(where.line)) : py::none(),
           where.column > 0 ? py::object(py::int_(where.column)) : py::none(),
           error.key_path().empty() ? py::none() : py::object(py::str(error.key_path())), error.exit_code());
  PyErr_SetObject(type.ptr(), instance.ptr());
}

void bind_errors(py::module_& module) {
  (void)module;
  py::register_exception_translator([](std::exception_ptr failure) {
    try {
      if (failure) std::rethrow_exception(failure);
    } catch (const geoinv::Error& error) {
      raise_as_python(error);
    }
  });
}

}  // namespace geoinv_python
