// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The compiled half of the Python module geoinv (docs/python.md): one bind_* per concept, each in its own
// file, called once from module.cpp. The pure-Python half (python/geoinv/*.py) wraps what these return
// into Result, DataFrames and the Error classes.
//
// Threads and the GIL: every call into the host that solves (an experiment run, a campaign) releases the
// GIL; a Python forward model (python_forward_model.cpp) takes it back for each of its calls.
#include <pybind11/pybind11.h>

namespace geoinv_python {

namespace py = pybind11;

void bind_errors(py::module_& module);          // errors.cpp: geoinv::Error -> geoinv.errors classes
void bind_plugins(py::module_& module);         // plugins.cpp: plugins(), describe()
void bind_results(py::module_& module);         // results.cpp: Trace (a solver's, records on demand)
void bind_experiments(py::module_& module);     // experiments.cpp: Experiment (prepared), its run()
void bind_forward_models(py::module_& module);  // forward_models.cpp: ForwardModel predict/jacobian
void bind_campaigns(py::module_& module);       // campaigns.cpp: run_campaign
void bind_python_models(py::module_& module);   // python_forward_model.cpp: register_forward_model

}  // namespace geoinv_python
