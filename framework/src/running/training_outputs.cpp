// SPDX-License-Identifier: BSD-3-Clause
#include "running/training_outputs.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "base/file_io.hpp"
#include "running/run_outputs.hpp"  // trace_csv

namespace geoinv {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

json validation_errors(const Experiment& experiment, const TrainedModel& model) {
  json errors = json::object();
  const Vector& relative = model.report.validation_relative_error;
  for (std::size_t i = 0; i < experiment.parameters.size(); ++i)
    if (relative.size() > static_cast<Eigen::Index>(i))
      errors[experiment.parameters[i].name] = relative(static_cast<Eigen::Index>(i));
  return errors;
}

}  // namespace

void write_training_outputs(const fs::path& out, const Experiment& experiment, const TrainedSolvers& trained) {
  json summary = {{"experiment", experiment.name}, {"models", json::array()}};
  fs::create_directories(out);
  for (const auto& [label, model] : trained) {
    fs::copy_file(model.file, out / (label + ".model.json"), fs::copy_options::overwrite_existing);
    write_text(out / ("loss_" + label + ".csv"), trace_csv(model.report.epochs));
    summary["models"].push_back({{"solver", label},
                                 {"file", label + ".model.json"},
                                 {"training_time_s", model.report.training_time_s},
                                 {"description", model.description},
                                 {"message", model.report.message},
                                 {"validation_median_relative_error", validation_errors(experiment, model)}});
  }
  write_text(out / "training.json", summary.dump(2) + "\n");
}

std::string training_line(const std::string& label, const TrainedModel& model) {
  return fmt::format("{}: trained in {:.3f} s ({}); {}\n", label, model.report.training_time_s, model.description,
                     model.report.message);
}

}  // namespace geoinv
