// SPDX-License-Identifier: BSD-3-Clause
// For geoinv_python_conformance_tests: the forward conformance suite held against a forward model written
// in Python (python/tests/py_sphere.py, the sphere's port). An embedded interpreter imports the module
// geoinv from the build tree and registers the model before any test runs, so the suite's registry
// creates it by name exactly as an experiment does (geoinv/in_process_plugins.hpp).
#include <gtest/gtest.h>
#include <pybind11/embed.h>

#include <memory>

namespace {

namespace py = pybind11;

class PythonModelEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    interpreter_ = std::make_unique<py::scoped_interpreter>();
    py::list path = py::module_::import("sys").attr("path");
    path.insert(0, GEOINV_TEST_PYTHON_TESTS_DIR);
    path.insert(0, GEOINV_TEST_PYTHON_PACKAGE_DIR);
    py::module_::import("py_sphere").attr("register")();
  }

  void TearDown() override {
    // The classes are released while the interpreter still runs (the registry keeps its table).
    py::module_::import("geoinv.models").attr("_unregister_all")();
  }

 private:
  std::unique_ptr<py::scoped_interpreter> interpreter_;
};

[[maybe_unused]] ::testing::Environment* const environment =
    ::testing::AddGlobalTestEnvironment(new PythonModelEnvironment);

}  // namespace
