// SPDX-License-Identifier: BSD-3-Clause
// geoinv.campaign(path, ...): `geoinv campaign` through the same run_campaign (campaigns/campaign.hpp),
// the GIL released meanwhile. Ctrl-C (a notebook's interrupt is a SIGINT too) reaches the campaign's own
// handler (campaigns/interruption.hpp), which stops it cleanly; the report says so and the Python side
// raises KeyboardInterrupt naming the resume call.
#include <pybind11/stl.h>

#include <fmt/format.h>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "bindings.hpp"
#include "campaigns/campaign.hpp"
#include "geoinv/in_process_plugins.hpp"
#include "reporting/report.hpp"

namespace geoinv_python {

namespace {

// The plugin names a YAML tree gives under any `plugin:` key (forward, a sum's bodies).
void collect_plugin_names(const YAML::Node& node, std::set<std::string>& names) {
  if (node.IsMap()) {
    for (const auto& item : node) {
      if (item.first.IsScalar() && item.first.Scalar() == "plugin" && item.second.IsScalar())
        names.insert(item.second.Scalar());
      collect_plugin_names(item.second, names);
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) collect_plugin_names(item, names);
  }
}

// Refuses, before anything runs, worker processes for a campaign whose base names a Python model.
void refuse_python_models_in_processes(const std::string& file, const std::vector<std::string>& overrides) {
  const geoinv::CampaignPlan plan = geoinv::load_campaign(file, overrides);
  std::set<std::string> named;
  collect_plugin_names(plan.base_root, named);
  // A --set of the base (forward.plugin=NAME, forward.sum.0.plugin=NAME) is applied per run: read it too.
  for (const auto& assignment : plan.base_overrides) {
    const auto equals = assignment.find('=');
    if (equals == std::string::npos) continue;
    const std::string key = assignment.substr(0, equals);
    if (key == "plugin" || (key.size() > 7 && key.compare(key.size() - 7, 7, ".plugin") == 0))
      named.insert(assignment.substr(equals + 1));
  }
  for (const auto& model : geoinv::in_process_forward_models())
    if (named.count(model.info.name))
      throw geoinv::Error(geoinv::Error::Category::usage,
                          fmt::format("the campaign's experiment uses the Python forward model '{}', which cannot "
                                      "run in worker processes (forks of the Python interpreter): pass "
                                      "executor=\"threads\" (geoinv campaign --executor threads)",
                                      model.info.name),
                          {file});
}

py::dict run(const std::string& file, const std::optional<std::string>& out, int jobs, const std::string& executor,
             const std::vector<std::string>& overrides, bool resume, bool overwrite, bool figures) {
  geoinv::CampaignOptions options;
  if (out) options.out = *out;
  if (jobs < 0) throw geoinv::Error(geoinv::Error::Category::usage, "jobs must be at least 1 (0: the hardware threads)");
  options.jobs = jobs;
  if (executor != "processes" && executor != "threads")
    throw geoinv::Error(geoinv::Error::Category::usage, "executor must be 'processes' or 'threads', got '" + executor + "'");
  options.executor = executor == "threads" ? geoinv::CampaignOptions::ExecutorKind::threads
                                           : geoinv::CampaignOptions::ExecutorKind::processes;
  options.overrides = overrides;
  options.resume = resume;
  options.overwrite = overwrite;
  options.progress = false;
  if (options.executor == geoinv::CampaignOptions::ExecutorKind::processes)
    refuse_python_models_in_processes(file, overrides);
  geoinv::CampaignReport report;
  {
    py::gil_scoped_release release;
    report = geoinv::run_campaign(file, options);
    if (figures && !report.interrupted) geoinv::render_report_or_warn(report.out, report.out);
  }
  py::dict d;
  d["out"] = report.out.string();
  d["runs_total"] = report.runs_total;
  d["runs_done_before"] = report.runs_done_before;
  d["runs_done_now"] = report.runs_done_now;
  d["failed_runs"] = report.failed_runs;
  d["seconds"] = report.seconds;
  d["interrupted"] = report.interrupted;
  d["resume_command"] = report.resume_command;
  return d;
}

}  // namespace

void bind_campaigns(py::module_& module) {
  module.def("run_campaign", &run, py::arg("file"), py::arg("out"), py::arg("jobs"), py::arg("executor"),
             py::arg("overrides"), py::arg("resume"), py::arg("overwrite"), py::arg("figures"));
}

}  // namespace geoinv_python
