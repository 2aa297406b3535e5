// SPDX-License-Identifier: BSD-3-Clause
#include "running/compare.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>

#include "base/csv.hpp"
#include "geoinv/error.hpp"
#include "running/result_json.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

struct CompareRow {
  std::string run, experiment, forward, solver, status, data_fingerprint;
  long parameters = 0;
  double rms = 0, aic = 0, bic = 0, dbic = 0;
  // Samplers' rows (running/waic.hpp), deviance scale: waic = −2·elpd_waic, waic_se = 2·se(elpd_waic).
  std::optional<double> waic, waic_se;
  double dwaic = NAN;
};

// How the rows are ranked: by WAIC when every row has one, else by BIC; `waic_shown` when any row has one.
struct Ranking {
  bool by_waic = false, waic_shown = false;
  std::string order() const {
    if (by_waic) return "lowest WAIC first (every row has posterior draws)";
    return waic_shown ? "lowest BIC first (not every row has a WAIC)" : "lowest BIC first";
  }
};

// One run folder's record and where it was found.
struct ComparedRun {
  std::string folder;
  RunRecord record;
};

ComparedRun read_run(const fs::path& given) {
  const fs::path file = fs::is_directory(given) ? given / "result.json" : given;
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw Error(Error::Category::io, "no result.json here", {file.string()});
  const fs::path folder = fs::is_directory(given) ? given : given.parent_path();
  return {folder.empty() ? std::string(".") : folder.string(), read_run_record(file)};
}

void add_rows(const ComparedRun& run, std::vector<CompareRow>& rows) {
  const RunRecord& record = run.record;
  for (const auto& entry : record.results) {
    CompareRow row;
    row.run = run.folder;
    row.experiment = record.experiment;
    row.forward = record.forward_plugin;
    if (record.background != "none") row.forward += "+" + record.background;
    row.data_fingerprint = record.data_fingerprint;
    row.solver = entry.solver;
    row.status = entry.status;
    row.parameters = static_cast<long>(entry.num_parameters.value_or(0));
    row.rms = entry.rms;
    row.aic = entry.aic;
    row.bic = entry.bic;
    row.waic = entry.waic;
    if (entry.waic_se) row.waic_se = 2.0 * *entry.waic_se;
    rows.push_back(row);
  }
}

// A run's data in words: "RUN: synthetic (noise σ 0.5, noise seed 3), 101 data, fingerprint F".
std::string data_description(const ComparedRun& run) {
  const RunRecord& r = run.record;
  std::string source = r.data_file.empty() ? r.data_source : "file " + r.data_file;
  if (r.data_source == "synthetic") {
    source += " (";
    if (r.noise_sigma) source += fmt::format("noise σ {}", *r.noise_sigma);
    if (r.noise_seed) source += fmt::format(", noise seed {}", *r.noise_seed);
    source += ")";
  }
  const std::string count = r.data_count ? fmt::format(", {} data", *r.data_count) : std::string();
  const std::string identity = r.data_fingerprint.empty()
                                   ? " (no data fingerprint: written before geoinv recorded one, it cannot be "
                                     "compared by content)"
                                   : ", fingerprint " + r.data_fingerprint;
  return fmt::format("{}: {}{}{}", run.folder, source, count, identity);
}

// Empty when every run is on the same data by content (one run's solvers always are); else each run's
// data, in words.
std::string data_mismatch(const std::vector<ComparedRun>& runs) {
  if (runs.size() < 2) return {};
  bool same = true;
  for (const auto& run : runs)
    same = same && !run.record.data_fingerprint.empty() &&
           run.record.data_fingerprint == runs.front().record.data_fingerprint;
  if (same) return {};
  std::vector<std::string> descriptions;
  for (const auto& run : runs) descriptions.push_back(data_description(run));
  return fmt::format("these runs are not on the same data, and AIC and BIC compare models on the same data "
                     "only: {}",
                     fmt::join(descriptions, "; "));
}

std::string optional_cell(const std::optional<double>& value, const char* format) {
  return value ? fmt::format(fmt::runtime(format), *value) : std::string("-");
}

// The WAIC columns of one row of the table, when shown: waic, waic_se, dwaic.
std::string waic_cells(const CompareRow& row) {
  return fmt::format(" {:>10} {:>8} {:>8}", optional_cell(row.waic, "{:.2f}"),
                     optional_cell(row.waic_se, "{:.2f}"),
                     row.waic ? fmt::format("{:.2f}", row.dwaic) : std::string("-"));
}

std::string table_text(const std::vector<CompareRow>& rows, const Ranking& ranking) {
  std::size_t experiment_width = 10, forward_width = 7, solver_width = 6;
  for (const auto& row : rows) {
    experiment_width = std::max(experiment_width, row.experiment.size());
    forward_width = std::max(forward_width, row.forward.size());
    solver_width = std::max(solver_width, row.solver.size());
  }
  const std::string waic_header =
      ranking.waic_shown ? fmt::format(" {:>10} {:>8} {:>8}", "waic", "waic_se", "dwaic") : std::string();
  std::string text =
      fmt::format("{:<{}}  {:<{}}  {:<{}}  {:<13} {:>3} {:>10} {:>10} {:>10} {:>8}{}  {}\n", "experiment",
                  experiment_width, "forward", forward_width, "solver", solver_width, "status", "k", "rms",
                  "aic", "bic", "dbic", waic_header, "run");
  for (const auto& row : rows)
    text += fmt::format("{:<{}}  {:<{}}  {:<{}}  {:<13} {:>3} {:>10.4g} {:>10.2f} {:>10.2f} {:>8.2f}{}  {}\n",
                        row.experiment, experiment_width, row.forward, forward_width, row.solver,
                        solver_width, row.status, row.parameters, row.rms, row.aic, row.bic, row.dbic,
                        ranking.waic_shown ? waic_cells(row) : std::string(), row.run);
  text += ranking.order() + "; dbic > 10 is strong evidence against a model (Kass & Raftery 1995)";
  if (ranking.waic_shown)
    text +=
        "; waic = -2 elpd_waic (Vehtari, Gelman & Gabry 2017), waic_se the standard error of each run's "
        "waic (not of a difference)";
  return text + "\n";
}

// An absent WAIC is an empty CSV cell.
std::string csv_optional(const std::optional<double>& value) {
  return value ? csv_number(*value) : std::string();
}

std::string csv_text(const std::vector<CompareRow>& rows, const Ranking& ranking) {
  std::string text = std::string("rank,experiment,forward,solver,status,k,rms,aic,bic,dbic,") +
                     (ranking.waic_shown ? "waic,waic_se,dwaic," : "") + "run,data_fingerprint\n";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const CompareRow& row = rows[i];
    const std::string waic = ranking.waic_shown
                                 ? csv_optional(row.waic) + "," + csv_optional(row.waic_se) + "," +
                                       (row.waic ? csv_number(row.dwaic) : std::string()) + ","
                                 : std::string();
    text += fmt::format("{},{},{},{},{},{},{},{},{},{},{}{},{}\n", i + 1, csv_field(row.experiment),
                        csv_field(row.forward), csv_field(row.solver), csv_field(row.status), row.parameters,
                        csv_number(row.rms), csv_number(row.aic), csv_number(row.bic), csv_number(row.dbic),
                        waic, csv_field(row.run), csv_field(row.data_fingerprint));
  }
  return text;
}

std::string json_text(const std::vector<CompareRow>& rows, bool same_data, const Ranking& ranking) {
  using json = nlohmann::ordered_json;
  const auto number = [](double value) { return std::isfinite(value) ? json(value) : json(nullptr); };
  json ranked = json::array();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const CompareRow& row = rows[i];
    json entry = {{"rank", i + 1},           {"experiment", row.experiment}, {"forward", row.forward},
                  {"solver", row.solver},    {"status", row.status},         {"k", row.parameters},
                  {"rms", number(row.rms)},  {"aic", number(row.aic)},       {"bic", number(row.bic)},
                  {"dbic", number(row.dbic)}};
    if (ranking.waic_shown) {
      entry["waic"] = row.waic ? number(*row.waic) : json(nullptr);
      entry["waic_se"] = row.waic_se ? number(*row.waic_se) : json(nullptr);
      entry["dwaic"] = row.waic ? number(row.dwaic) : json(nullptr);
    }
    entry["run"] = row.run;
    entry["data_fingerprint"] = row.data_fingerprint;
    ranked.push_back(entry);
  }
  return json{{"same_data", same_data}, {"order", ranking.order()}, {"rows", ranked}}.dump(2) + "\n";
}

double nan_last(double value) { return std::isnan(value) ? INFINITY : value; }

// Sorts `rows` (by WAIC when every row has one, else by BIC; NaN last) and fills dbic and dwaic, each
// against the lowest of its column.
Ranking rank_rows(std::vector<CompareRow>& rows) {
  Ranking ranking;
  ranking.by_waic =
      std::all_of(rows.begin(), rows.end(), [](const CompareRow& r) { return r.waic.has_value(); });
  ranking.waic_shown =
      std::any_of(rows.begin(), rows.end(), [](const CompareRow& r) { return r.waic.has_value(); });
  std::stable_sort(rows.begin(), rows.end(), [&](const CompareRow& a, const CompareRow& b) {
    return ranking.by_waic ? nan_last(*a.waic) < nan_last(*b.waic) : nan_last(a.bic) < nan_last(b.bic);
  });
  double lowest_bic = INFINITY, lowest_waic = INFINITY;
  for (const auto& row : rows) {
    if (!std::isnan(row.bic)) lowest_bic = std::min(lowest_bic, row.bic);
    if (row.waic && !std::isnan(*row.waic)) lowest_waic = std::min(lowest_waic, *row.waic);
  }
  for (auto& row : rows) {
    row.dbic = std::isinf(lowest_bic) ? NAN : row.bic - lowest_bic;
    if (row.waic) row.dwaic = *row.waic - lowest_waic;
  }
  return ranking;
}

}  // namespace

std::optional<CompareFormat> compare_format_from_string(const std::string& word) {
  if (word == "table") return CompareFormat::table;
  if (word == "csv") return CompareFormat::csv;
  if (word == "json") return CompareFormat::json;
  return std::nullopt;
}

Comparison compare_runs(const std::vector<fs::path>& folders, const CompareOptions& options) {
  std::vector<ComparedRun> runs;
  for (const auto& folder : folders) runs.push_back(read_run(folder));
  std::vector<CompareRow> rows;
  for (const auto& run : runs) add_rows(run, rows);
  if (rows.empty()) throw Error(Error::Category::io, "these run folders hold no solver results to compare");
  Comparison comparison;
  const std::string mismatch = data_mismatch(runs);
  if (!mismatch.empty() && !options.force)
    throw Error(Error::Category::data, mismatch + "; rank them anyway with --force");
  if (!mismatch.empty()) comparison.note = "warning: " + mismatch + "; ranked anyway (--force)";
  const Ranking ranking = rank_rows(rows);
  switch (options.format) {
    case CompareFormat::table:
      comparison.text = table_text(rows, ranking);
      break;
    case CompareFormat::csv:
      comparison.text = csv_text(rows, ranking);
      break;
    case CompareFormat::json:
      comparison.text = json_text(rows, mismatch.empty(), ranking);
      break;
  }
  return comparison;
}

}  // namespace geoinv
