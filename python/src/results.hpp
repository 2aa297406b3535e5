// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// One solver's SolverRunResult as the dict geoinv.Result wraps (python/geoinv/result.py): numbers in
// display units (degrees for angles), as result.json writes them.
//
// Copies: `predicted` is moved into its NumPy array (none); the covariance is computed here from the
// standard errors and correlations; the trace is moved into a Trace object whose rows are copied once
// into a NumPy structured array when Python first reads it.
#include <vector>

#include "bindings.hpp"
#include "configuration/experiment.hpp"
#include "running/run_result.hpp"

namespace geoinv_python {

py::dict result_dict(const geoinv::Experiment& experiment, geoinv::SolverRunResult&& result);

// Per parameter name, the value of `values` (internal units) in display units, or as is without
// `as_display`: a float for a scalar, a NumPy array (a copy) for a parameter block (ParameterSpec::size):
// the one place that maps the flat model vector onto names.
py::dict by_parameter(const geoinv::ParameterLayout& layout, const geoinv::Vector& values,
                      bool as_display = true);

}  // namespace geoinv_python
