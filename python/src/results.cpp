// SPDX-License-Identifier: BSD-3-Clause
// A solver's SolverRunResult as the dict geoinv.Result wraps, and the Trace class its trace stays in.
#include "results.hpp"

#include <pybind11/stl.h>

#include <string>
#include <utility>

#include "arrays.hpp"
#include "geoinv/parameter.hpp"
#include "geoinv/termination.hpp"

namespace geoinv_python {

namespace {

// The trace as a NumPy structured array: one float64 field per column, one record per row (copied).
py::object trace_records(const geoinv::Trace& trace) {
  py::list fields;
  for (const auto& column : trace.columns()) fields.append(py::make_tuple(column, "f8"));
  const py::module_ numpy = py::module_::import("numpy");
  py::array records = numpy.attr("zeros")(trace.num_rows(), numpy.attr("dtype")(fields));
  if (trace.columns().empty()) return std::move(records);
  auto* out = static_cast<double*>(records.mutable_data());
  const std::size_t columns = trace.columns().size();
  for (std::size_t row = 0; row < trace.num_rows(); ++row)
    for (std::size_t column = 0; column < columns; ++column) out[row * columns + column] = trace.value(row, column);
  return std::move(records);
}

// Σ = diag(se) · C · diag(se), display units; None when the uncertainty is not available.
py::object covariance(const geoinv::ParameterSpecs& parameters, const geoinv::Uncertainty& uncertainty) {
  if (!uncertainty.available) return py::none();
  geoinv::Vector se(uncertainty.std_error.size());
  for (Eigen::Index i = 0; i < se.size(); ++i)
    se(i) = geoinv::to_display(parameters[static_cast<std::size_t>(i)], uncertainty.std_error(i));
  geoinv::Matrix sigma = se.asDiagonal() * uncertainty.correlation * se.asDiagonal();
  return to_numpy(std::move(sigma));
}

py::dict misfit(const geoinv::SolverRunResult& r) {
  py::dict m;
  m["sse"] = r.sse;
  m["rms"] = r.rms;
  m["chi2"] = r.chi2;
  m["aic"] = r.aic;
  m["bic"] = r.bic;
  m["optimality"] = r.optimality;
  return m;
}

}  // namespace

py::dict by_parameter(const geoinv::ParameterLayout& layout, const geoinv::Vector& values, bool as_display) {
  py::dict named;
  if (values.size() != layout.total_size()) return named;
  for (std::size_t p = 0; p < layout.count(); ++p) {
    const geoinv::ParameterSpec& spec = layout.specs()[p];
    const auto shown = [&](double value) { return as_display ? geoinv::to_display(spec, value) : value; };
    const auto segment = values.segment(layout.offset(p), layout.size(p));
    if (!layout.is_block(p)) {
      named[py::str(spec.name)] = shown(segment(0));
      continue;
    }
    geoinv::Vector block = segment.unaryExpr(shown);  // a block: one NumPy array (a copy, display units)
    named[py::str(spec.name)] = to_numpy(std::move(block));
  }
  return named;
}

py::dict result_dict(const geoinv::Experiment& experiment, geoinv::SolverRunResult&& r) {
  const auto& parameters = experiment.parameters;
  py::dict d;
  d["label"] = r.label;
  d["plugin"] = r.plugin;
  d["seed"] = r.seed;
  d["estimate"] = by_parameter(experiment.layout, r.estimate);
  d["estimate_vector"] = to_numpy(geoinv::Vector(r.estimate));  // internal units, for ForwardModel.predict
  d["std_error"] = r.uncertainty.available ? py::object(by_parameter(experiment.layout, r.uncertainty.std_error))
                                           : py::object(py::none());
  d["covariance"] = covariance(parameters, r.uncertainty);
  d["uncertainty_note"] = r.uncertainty.note;
  d["misfit"] = misfit(r);
  d["termination"] = geoinv::to_string(r.termination);
  d["status"] = geoinv::to_string(r.status);
  d["message"] = r.message;
  d["iterations"] = r.iterations;
  d["forward_evaluations"] = r.counts.forward;
  d["jacobian_evaluations"] = r.counts.jacobian;
  d["wall_time_s"] = r.wall_time_s;
  d["relative_error"] = by_parameter(experiment.layout, r.relative_error, false);  // empty without a truth
  d["trace"] = py::cast(std::move(r.trace));  // made into records on first use (bind_results)
  d["starts"] = r.starts.size();
  d["warnings"] = r.warnings;
  d["predicted"] = to_numpy(std::move(r.predicted));
  return d;
}

void bind_results(py::module_& module) {
  // A solver's trace as the host recorded it; `records()` makes the NumPy structured array, which costs
  // more than a small run itself, so the Python side asks for it only when the trace is read.
  py::class_<geoinv::Trace>(module, "Trace")
      .def_property_readonly("columns", &geoinv::Trace::columns)
      .def("__len__", &geoinv::Trace::num_rows)
      .def("records", &trace_records);
}

}  // namespace geoinv_python
