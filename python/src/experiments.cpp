// SPDX-License-Identifier: BSD-3-Clause
// geoinv.Experiment: an experiment read and resolved once (plugins loaded, data read or made), run as
// often as asked through the CLI's own path (running/runner.hpp, running/run_folder.hpp), the GIL
// released while the solvers run.
#include <pybind11/eigen.h>
#include <pybind11/stl.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "arrays.hpp"
#include "bindings.hpp"
#include "configuration/config_node.hpp"
#include "configuration/experiment.hpp"
#include "plugin_paths.hpp"
#include "reporting/report.hpp"
#include "results.hpp"
#include "running/run_folder.hpp"
#include "running/runner.hpp"
#include "yaml_tree.hpp"

namespace fs = std::filesystem;

namespace geoinv_python {

namespace {

// What names a string or dict experiment in errors; relative paths in it start in the working folder.
constexpr const char* kTextName = "<experiment string>";
constexpr const char* kDictName = "<experiment dict>";

class PreparedExperiment {
 public:
  explicit PreparedExperiment(geoinv::Experiment experiment) : experiment_(std::move(experiment)) {}

  static PreparedExperiment from_file(const std::string& file, const std::vector<std::string>& overrides,
                                      const std::vector<std::string>& plugin_paths) {
    const auto registry = make_registry(plugin_paths);
    return PreparedExperiment(geoinv::load_experiment(file, overrides, *registry));
  }
  static PreparedExperiment from_text(const std::string& text, const std::vector<std::string>& overrides,
                                      const std::vector<std::string>& plugin_paths) {
    return from_root(geoinv::load_config_text(text, kTextName, overrides), kTextName, plugin_paths);
  }
  static PreparedExperiment from_dict(const py::dict& tree, const std::vector<std::string>& overrides,
                                      const std::vector<std::string>& plugin_paths) {
    return from_root(geoinv::load_config_tree(yaml_tree(tree), kDictName, overrides), kDictName, plugin_paths);
  }

  // Every solver once; with `out`, the run folder too, its figures and report.html drawn when
  // `figures` (a missing gnuplot only warns, as for `geoinv run`).
  py::list run(const std::optional<std::string>& out, bool overwrite, bool figures) {
    std::vector<geoinv::SolverRunResult> results;
    {
      py::gil_scoped_release release;
      if (!out) {
        results = geoinv::run_experiment(experiment_);
      } else {
        experiment_.output_dir = *out;
        experiment_.overwrite = overwrite;
        std::function<void(const fs::path&)> draw;
        if (figures)
          draw = [this](const fs::path& staging) { geoinv::render_report_or_warn(staging, experiment_.output_dir); };
        results = geoinv::run_experiment_into_folder(experiment_, draw);
      }
    }
    py::list converted;
    for (auto& result : results) converted.append(result_dict(experiment_, std::move(result)));
    return converted;
  }

  const geoinv::Experiment& experiment() const { return experiment_; }
  std::string resolved_yaml() const { return geoinv::resolved_yaml(experiment_); }

 private:
  static PreparedExperiment from_root(const geoinv::ConfigNode& root, const char* name,
                                      const std::vector<std::string>& plugin_paths) {
    const auto registry = make_registry(plugin_paths);
    return PreparedExperiment(geoinv::load_experiment(root, name, *registry, true));
  }

  geoinv::Experiment experiment_;
};

py::list parameter_list(const geoinv::ParameterSpecs& parameters) {
  py::list names;
  for (const auto& p : parameters) names.append(p.name);
  return names;
}

}  // namespace

void bind_experiments(py::module_& module) {
  py::class_<PreparedExperiment>(module, "Experiment")
      .def_static("from_file", &PreparedExperiment::from_file, py::arg("file"), py::arg("overrides"),
                  py::arg("plugin_paths"))
      .def_static("from_text", &PreparedExperiment::from_text, py::arg("text"), py::arg("overrides"),
                  py::arg("plugin_paths"))
      .def_static("from_dict", &PreparedExperiment::from_dict, py::arg("tree"), py::arg("overrides"),
                  py::arg("plugin_paths"))
      .def("run", &PreparedExperiment::run, py::arg("out") = std::nullopt, py::arg("overwrite") = false,
           py::arg("figures") = true)
      .def("resolved_yaml", &PreparedExperiment::resolved_yaml)
      .def_property_readonly("name", [](const PreparedExperiment& e) { return e.experiment().name; })
      .def_property_readonly("file", [](const PreparedExperiment& e) { return e.experiment().file.string(); })
      .def_property_readonly("forward_plugin",
                             [](const PreparedExperiment& e) { return e.experiment().forward_plugin; })
      .def_property_readonly("data_unit", [](const PreparedExperiment& e) { return e.experiment().data_unit; })
      .def_property_readonly("parameters",
                             [](const PreparedExperiment& e) { return parameter_list(e.experiment().parameters); })
      .def_property_readonly("output_dir",
                             [](const PreparedExperiment& e) { return e.experiment().output_dir.string(); })
      .def_property_readonly(
          "stations", [](const PreparedExperiment& e) -> Eigen::Ref<const geoinv::Vector> { return e.experiment().stations; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "observed", [](const PreparedExperiment& e) -> Eigen::Ref<const geoinv::Vector> { return e.experiment().observed; },
          py::return_value_policy::reference_internal)
      .def_property_readonly(
          "sigma", [](const PreparedExperiment& e) -> Eigen::Ref<const geoinv::Vector> { return e.experiment().sigma; },
          py::return_value_policy::reference_internal)
      .def_property_readonly("true_model", [](const PreparedExperiment& e) -> py::object {
        if (!e.experiment().synthetic) return py::none();
        return by_parameter(e.experiment().layout, e.experiment().true_model);
      });
}

}  // namespace geoinv_python
