// SPDX-License-Identifier: BSD-3-Clause
#include "running/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "geoinv/error.hpp"
#include "running/result_json.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

struct CompareRow {
  std::string experiment, forward, solver, status, data;
  long parameters = 0, count = 0;
  double rms = 0, aic = 0, bic = 0;
};

void add_rows(const fs::path& folder, std::vector<CompareRow>& rows) {
  const fs::path file = fs::is_directory(folder) ? folder / "result.json" : folder;
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw Error(Error::Category::io, "no result.json here", {file.string()});
  const RunRecord record = read_run_record(file);
  for (const auto& entry : record.results) {
    CompareRow row;
    row.experiment = record.experiment;
    row.forward = record.forward_plugin;
    if (record.background != "none") row.forward += "+" + record.background;
    row.data = record.data_file.empty() ? std::string("synthetic") : record.data_file;
    row.count = static_cast<long>(record.data_count.value_or(0));
    row.solver = entry.solver;
    row.status = entry.status;
    row.parameters = static_cast<long>(entry.num_parameters.value_or(0));
    row.rms = entry.rms;
    row.aic = entry.aic;
    row.bic = entry.bic;
    rows.push_back(row);
  }
}

}  // namespace

std::string compare_runs(const std::vector<fs::path>& runs) {
  std::vector<CompareRow> rows;
  for (const auto& folder : runs) add_rows(folder, rows);
  if (rows.empty()) throw Error(Error::Category::io, "these run folders hold no solver results to compare");
  std::string text;
  for (const auto& row : rows)
    if (row.data != rows.front().data || row.count != rows.front().count)
      text += "warning: these runs are not on the same data; AIC and BIC compare models on the same data only\n";
  std::stable_sort(rows.begin(), rows.end(), [](const CompareRow& a, const CompareRow& b) {
    return (std::isnan(a.bic) ? INFINITY : a.bic) < (std::isnan(b.bic) ? INFINITY : b.bic);
  });
  const double best = rows.front().bic;
  std::size_t experiment_width = 10, forward_width = 7, solver_width = 6;
  for (const auto& row : rows) {
    experiment_width = std::max(experiment_width, row.experiment.size());
    forward_width = std::max(forward_width, row.forward.size());
    solver_width = std::max(solver_width, row.solver.size());
  }
  text += fmt::format("{:<{}}  {:<{}}  {:<{}}  {:<13} {:>3} {:>10} {:>10} {:>10} {:>8}\n", "experiment",
                      experiment_width, "forward", forward_width, "solver", solver_width, "status", "k", "rms",
                      "aic", "bic", "dbic");
  for (const auto& row : rows)
    text += fmt::format("{:<{}}  {:<{}}  {:<{}}  {:<13} {:>3} {:>10.4g} {:>10.2f} {:>10.2f} {:>8.2f}\n",
                        row.experiment, experiment_width, row.forward, forward_width, row.solver, solver_width,
                        row.status, row.parameters, row.rms, row.aic, row.bic, row.bic - best);
  text += "lowest BIC first; dbic > 10 is strong evidence against a model (Kass & Raftery 1995)\n";
  return text;
}

}  // namespace geoinv
