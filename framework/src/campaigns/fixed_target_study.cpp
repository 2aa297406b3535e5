// SPDX-License-Identifier: BSD-3-Clause
#include "campaigns/fixed_target_study.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <unordered_map>

#include "base/binomial_interval.hpp"
#include "base/quantiles.hpp"
#include "campaigns/campaign.hpp"  // campaign_memory_budget
#include "campaigns/campaign_io.hpp"
#include "campaigns/result_row.hpp"

namespace geoinv {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

constexpr std::size_t kGridPoints = 48;                                // of the anytime bands, log-spaced
constexpr double kNoValue = std::numeric_limits<double>::quiet_NaN();  // BoundedValues leaves it out

// One complete row of results.csv, as the study reads it.
struct StudyRow {
  std::int64_t run = 0, point = 0;
  std::size_t solver = 0;
  bool failed = false;
  double rms = 0, wall_time_s = 0;
  AnytimeRecord record;  // empty when the cell holds none or is damaged
};

// Calls `visit` for each complete row of `file` of a campaign solver; the header must have `anytime`.
void for_each_study_row(
    const fs::path& file, const std::vector<std::string>& solvers, const std::vector<std::string>& parameters,
    const std::vector<std::string>& axes,
    const std::function<void(const StudyRow&, const CsvFields&, const std::vector<std::size_t>&)>& visit) {
  std::ifstream stream(file, std::ios::binary);
  if (!stream)
    throw Error(Error::Category::io, std::string("cannot read results.csv: ") + std::strerror(errno),
                {file.string()});
  std::string line;
  std::getline(stream, line);
  const ResultColumns columns(split_csv_line(line), parameters, file);
  const std::size_t c_anytime = columns.named("anytime"), c_rms = columns.named("rms");
  std::vector<std::size_t> c_axes;
  for (const auto& axis : axes) c_axes.push_back(columns.named(axis));
  CsvFields fields;
  StudyRow row;
  while (std::getline(stream, line)) {
    if (stream.eof()) break;  // a torn last line
    fields.split(line);
    if (fields.size() != columns.count()) continue;
    const auto solver = std::find(solvers.begin(), solvers.end(), fields[columns.solver()]);
    const auto run = parse_integer(fields[columns.run_id()]), point = parse_integer(fields[columns.point()]);
    if (solver == solvers.end() || !run || !point) continue;
    row.run = *run;
    row.point = *point;
    row.solver = static_cast<std::size_t>(solver - solvers.begin());
    row.failed = is_failed_status(fields[columns.status()]);
    row.rms = parse_csv_number(fields[c_rms], CsvNumberRule::whole_cell);
    row.wall_time_s = parse_csv_number(fields[columns.wall_time_s()], CsvNumberRule::whole_cell);
    row.record = parse_anytime_cell(fields[c_anytime]).value_or(AnytimeRecord());
    visit(row, fields, c_axes);
  }
}

std::vector<std::int64_t> log_grid(std::int64_t last) {
  std::vector<std::int64_t> grid;
  const double top = std::log(static_cast<double>(std::max<std::int64_t>(last, 1)));
  for (std::size_t i = 0; i < kGridPoints; ++i) {
    const auto value = static_cast<std::int64_t>(
        std::llround(std::exp(top * static_cast<double>(i) / static_cast<double>(kGridPoints - 1))));
    if (grid.empty() || value > grid.back()) grid.push_back(value);
  }
  return grid;
}

// A group's rows while the second pass reads them.
struct GroupRows {
  std::vector<std::string> values;
  std::int64_t runs = 0;
  double best_rms = std::numeric_limits<double>::infinity();
  std::vector<std::vector<std::optional<std::int64_t>>> hits;  // per target
  std::vector<double> wall_times;
};

double median_of(std::vector<double> values) {
  values.erase(std::remove_if(values.begin(), values.end(), [](double v) { return std::isnan(v); }),
               values.end());
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return values[(n - 1) / 2] + 0.5 * (values[n / 2] - values[(n - 1) / 2]);
}

FixedTargetGroup finish_group(std::int64_t point, std::size_t solver, GroupRows& rows) {
  FixedTargetGroup group;
  group.point = point;
  group.solver = solver;
  group.values = rows.values;
  group.runs = rows.runs;
  if (std::isfinite(rows.best_rms)) group.best_rms = rows.best_rms;
  for (const auto& hits : rows.hits) {
    group.reached.push_back(
        std::count_if(hits.begin(), hits.end(), [](const auto& hit) { return hit.has_value(); }));
    group.median_evaluations.push_back(censored_median(hits));
  }
  group.median_wall_time_s = median_of(rows.wall_times);
  return group;
}

// Pass 1: the best known Σ r² of each instance (a run or a sweep point: the last point of its records),
// and the most evaluations any record reached.
struct BestKnown {
  std::unordered_map<std::int64_t, double> cost;
  std::int64_t last_evaluations = 1;
};
BestKnown best_known_costs(const fs::path& file, const FixedTargetStudy& study,
                           const std::vector<std::string>& parameters) {
  BestKnown best;
  const bool by_run = study.instance == "run";
  for_each_study_row(file, study.solvers, parameters, study.axis_columns,
                     [&](const StudyRow& row, const CsvFields&, const std::vector<std::size_t>&) {
                       if (row.record.empty()) return;
                       const AnytimePoint& last = row.record.back();
                       auto [at, inserted] =
                           best.cost.try_emplace(by_run ? row.run : row.point, last.best_cost);
                       if (!inserted) at->second = std::min(at->second, last.best_cost);
                       best.last_evaluations = std::max(best.last_evaluations, last.evaluations);
                     });
  return best;
}

}  // namespace

std::string precision_label(double precision) { return fmt::format("{:g}", precision); }

std::optional<FixedTargetStudy> read_fixed_target_study(const fs::path& dir, const fs::path& scratch) {
  const json info = read_campaign_json(dir);
  if (!info.contains("fixed_target")) return std::nullopt;
  FixedTargetStudy study;
  std::vector<std::string> parameters;
  try {
    study.precisions = info.at("fixed_target").at("precisions").get<std::vector<double>>();
    study.instance = info.at("fixed_target").at("instance").get<std::string>();
    study.solvers = info.at("solvers").get<std::vector<std::string>>();
    study.axis_columns = info.at("axis_columns").get<std::vector<std::string>>();
    parameters = info.at("parameters").get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(Error::Category::io, "not a geoinv campaign.json: " + std::string(e.what()),
                {(dir / "campaign.json").string()});
  }
  const fs::path file = dir / "results.csv";
  const std::size_t solvers = study.solvers.size(), targets = study.precisions.size();

  const BestKnown best_known = best_known_costs(file, study, parameters);
  study.grid = log_grid(best_known.last_evaluations);

  // Pass 2: every row against its instance's best known.
  std::map<std::pair<std::int64_t, std::size_t>, GroupRows> groups;
  std::vector<std::vector<std::optional<std::int64_t>>> pooled(solvers);
  std::vector<std::unique_ptr<BoundedValues>> bands;
  for (std::size_t s = 0; s < solvers; ++s)
    bands.push_back(std::make_unique<BoundedValues>(
        study.grid.size(), std::max<std::size_t>(campaign_memory_budget() / (2 * solvers), 1),
        scratch / fmt::format(".geoinv-figure-{}-anytime{}.tmp", static_cast<long>(::getpid()), s)));
  const bool by_run = study.instance == "run";
  std::vector<double> excess(study.grid.size());
  for_each_study_row(
      file, study.solvers, parameters, study.axis_columns,
      [&](const StudyRow& row, const CsvFields& fields, const std::vector<std::size_t>& c_axes) {
        GroupRows& group = groups[{row.point, row.solver}];
        if (group.runs++ == 0) {
          for (std::size_t c : c_axes) group.values.emplace_back(fields[c]);
          group.hits.resize(targets);
        }
        if (!row.failed && std::isfinite(row.rms)) group.best_rms = std::min(group.best_rms, row.rms);
        if (!row.failed) group.wall_times.push_back(row.wall_time_s);
        const auto known = best_known.cost.find(by_run ? row.run : row.point);
        for (std::size_t t = 0; t < targets; ++t) {
          std::optional<std::int64_t> hit;
          if (known != best_known.cost.end())
            hit = evaluations_to_target(row.record, target_cost(known->second, study.precisions[t]));
          group.hits[t].push_back(hit);
          pooled[row.solver].push_back(hit);
        }
        if (row.record.empty() || known == best_known.cost.end()) return;
        for (std::size_t g = 0; g < study.grid.size(); ++g) {
          const double cost = best_cost_at(row.record, study.grid[g]);  // +inf before its first
          excess[g] = std::isfinite(cost) ? std::sqrt(cost / known->second) - 1.0 : kNoValue;
        }
        bands[row.solver]->add(excess.data());
      });
  for (auto& [key, rows] : groups) study.groups.push_back(finish_group(key.first, key.second, rows));
  for (std::size_t s = 0; s < solvers; ++s) {
    study.ecdf.push_back(evaluations_ecdf(pooled[s]));
    study.pairs.push_back(static_cast<std::int64_t>(pooled[s].size()));
    study.excess.push_back(bands[s]->quartiles());
  }
  return study;
}

void write_fixed_target_summary(const fs::path& dir) {
  const std::optional<FixedTargetStudy> study = read_fixed_target_study(dir, dir);
  if (!study) return;
  std::string text = "point";
  for (const auto& axis : study->axis_columns) text += "," + csv_field(axis);
  text += ",solver,runs,best_rms";
  for (double precision : study->precisions) {
    const std::string tau = precision_label(precision);
    text += fmt::format(
        ",reached_{0},success_rate_{0},success_rate_ci95_low_{0},success_rate_ci95_high_{0},"
        "median_evaluations_{0}",
        tau);
  }
  text += ",median_wall_time_s\n";
  for (const FixedTargetGroup& group : study->groups) {
    text += std::to_string(group.point);
    for (const auto& value : group.values) text += "," + csv_field(value);
    text += fmt::format(",{},{},{}", csv_field(study->solvers[group.solver]), group.runs,
                        csv_number(group.best_rms));
    for (std::size_t t = 0; t < study->precisions.size(); ++t) {
      const ProportionInterval interval = wilson_interval(group.reached[t], group.runs);
      const double rate = static_cast<double>(group.reached[t]) / static_cast<double>(group.runs);
      const double median = group.median_evaluations[t];
      text += fmt::format(",{},{},{},{},{}", group.reached[t], csv_number(rate), csv_number(interval.low),
                          csv_number(interval.high), std::isinf(median) ? "inf" : csv_number(median));
    }
    text += "," + csv_number(group.median_wall_time_s) + "\n";
  }
  write_atomically(dir / "fixed_target.csv", text);
}

}  // namespace geoinv
