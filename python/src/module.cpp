// SPDX-License-Identifier: BSD-3-Clause
#include "bindings.hpp"
#include "geoinv/version.hpp"

PYBIND11_MODULE(_geoinv, module) {
  module.doc() = "geoinv's C++ core (use the package geoinv, which wraps this module)";
  module.attr("__version__") = geoinv::version();
  geoinv_python::bind_errors(module);
  geoinv_python::bind_plugins(module);
  geoinv_python::bind_results(module);
  geoinv_python::bind_experiments(module);
  geoinv_python::bind_forward_models(module);
  geoinv_python::bind_campaigns(module);
  geoinv_python::bind_python_models(module);
}
