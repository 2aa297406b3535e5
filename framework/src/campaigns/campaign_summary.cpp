// SPDX-License-Identifier: BSD-3-Clause
// summary.csv in memory bounded by a budget, whatever the number of runs
// (docs/campaigns.md, "Memory"): rows go through an external sort (external_sort.hpp), and quartiles are
// exact order statistics, chosen in memory when a group fits and by a radix selection over a temporary
// file when it does not.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <optional>

#include "campaigns/campaign.hpp"
#include "campaigns/campaign_io.hpp"
#include "campaigns/fixed_target_study.hpp"
#include "campaigns/result_row.hpp"
#include "base/external_sort.hpp"
#include "geoinv/termination.hpp"
#include "base/binomial_interval.hpp"
#include "base/quantiles.hpp"

namespace geoinv {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

std::size_t campaign_memory_budget() {
  const char* text = std::getenv("GEOINV_CAMPAIGN_MEMORY_BYTES");
  if (text == nullptr || *text == '\0') return kCampaignMemoryBudget;
  char* end = nullptr;
  const unsigned long long bytes = std::strtoull(text, &end, 10);
  if (*end != '\0' || bytes == 0 || text[0] == '-')
    throw Error(
        Error::Category::usage,
        fmt::format("GEOINV_CAMPAIGN_MEMORY_BYTES must be a positive number of bytes, got '{}'", text));
  return static_cast<std::size_t>(bytes);
}

namespace {

// Record flags of the summary's sort.
constexpr unsigned char kFailed = 1, kSucceeded = 2;

}  // namespace

namespace {

// What summary.csv needs of campaign.json.
struct SummarySpec {
  std::vector<std::string> solvers, parameters, axis_columns;
  std::int64_t runs = 0;
  std::string success_parameter, definition;
  double threshold = 0;  // success: |relative error| at most this
  std::size_t quantities() const { return parameters.size() + 2; }  // errors, wall time, evaluations
  // A group's values: the record's quantities, then the |relative error| of each parameter.
  std::size_t group_quantities() const { return quantities() + parameters.size(); }
};

// A key missing or of the wrong type is an io Error naming campaign.json (a damaged or foreign file).
SummarySpec summary_spec(const json& info, const fs::path& file) try {
  SummarySpec spec;
  spec.solvers = info.at("solvers").get<std::vector<std::string>>();
  spec.parameters = info.at("parameters").get<std::vector<std::string>>();
  spec.axis_columns = info.at("axis_columns").get<std::vector<std::string>>();
  spec.runs = info.at("runs").get<std::int64_t>();
  spec.success_parameter = info.at("success").at("parameter").get<std::string>();
  spec.threshold = info.at("success").at("relative_error").get<double>();
  spec.definition = info.at("success").at("definition").get<std::string>();
  return spec;
} catch (const json::exception& e) {
  throw Error(Error::Category::io, "not a geoinv campaign.json: " + std::string(e.what()), {file.string()});
}

// 1. Every row of results.csv becomes a record keyed (point, solver, run): a group's rows are then
//    consecutive, a (run, solver) written twice is seen twice in a row, and the order of results.csv does
//    not matter. Record: flags, the quantities as doubles (not for failed rows), the group's sweep values
//    as CSV. The quantities: the relative error of each parameter (finite values only), the wall time and
//    the forward evaluations (values that are not NaN), over the runs that did not fail.
void sort_results(const fs::path& results, const SummarySpec& spec, ExternalSorter& sorter) {
  std::ifstream stream(results, std::ios::binary);
  if (!stream)
    throw Error(Error::Category::io, std::string("cannot read results.csv: ") + std::strerror(errno),
                {results.string()});
  std::string line;
  std::getline(stream, line);
  const ResultColumns columns(split_csv_line(line), spec.parameters, results);
  std::vector<std::size_t> c_axes;
  for (const auto& name : spec.axis_columns) c_axes.push_back(columns.named(name));
  std::optional<std::size_t> c_success;
  if (!spec.success_parameter.empty()) c_success = columns.named("relative_error_" + spec.success_parameter);

  const std::size_t parameters = spec.parameters.size();
  std::string record;
  std::vector<double> values(spec.quantities());
  CsvFields fields;
  while (std::getline(stream, line)) {
    if (stream.eof()) break;  // a torn last line without its newline
    if (line.empty()) continue;
    fields.split(line);
    if (fields.size() != columns.count()) continue;
    const auto solver_it = std::find(spec.solvers.begin(), spec.solvers.end(), fields[columns.solver()]);
    const auto run = parse_integer(fields[columns.run_id()]), point = parse_integer(fields[columns.point()]);
    if (solver_it == spec.solvers.end() || !run || !point || *run < 0 || *run >= spec.runs) continue;
    const bool failed = is_failed_status(fields[columns.status()]);
    bool success = !failed;
    if (success && c_success) {
      const double value = parse_csv_number(fields[*c_success]);
      success = std::isfinite(value) && std::abs(value) <= spec.threshold;
    }
    record.assign(1, static_cast<char>((failed ? kFailed : 0) | (success ? kSucceeded : 0)));
    if (!failed) {
      for (std::size_t p = 0; p < parameters; ++p) {
        const double value = parse_csv_number(fields[columns.relative_error(p)]);
        values[p] = std::isfinite(value) ? value : std::numeric_limits<double>::quiet_NaN();
      }
      values[parameters] = parse_csv_number(fields[columns.wall_time_s()]);
      values[parameters + 1] = parse_csv_number(fields[columns.forward_evaluations()]);
      record.append(reinterpret_cast<const char*>(values.data()), spec.quantities() * sizeof(double));
    }
    for (std::size_t c : c_axes) {
      record += ',';
      record += csv_field(fields[c]);
    }
    sorter.add({*point, static_cast<std::uint64_t>(solver_it - spec.solvers.begin()),
                static_cast<std::uint64_t>(*run)},
               record);
  }
}

std::string summary_header(const SummarySpec& spec) {
  std::string text = "point";
  for (const auto& name : spec.axis_columns) text += "," + csv_field(name);
  text += ",solver,runs,succeeded,failed,success_rate,success_definition";
  for (const auto& name : spec.parameters)
    text += ",median_relative_error_" + name + ",iqr_relative_error_" + name;
  text += ",median_wall_time_s,median_forward_evaluations,success_rate_ci95_low,success_rate_ci95_high";
  for (const auto& name : spec.parameters) text += ",median_abs_relative_error_" + name;
  return text + "\n";
}

// One (point, solver) group of the sorted records.
struct SummaryGroup {
  bool open = false;
  SortKey key;  // point, solver, last run
  std::string axis_values;
  std::int64_t runs = 0, succeeded = 0, failed = 0;
};

std::string summary_row(const SummarySpec& spec, const SummaryGroup& group,
                        const std::vector<std::array<double, 3>>& q) {
  const std::size_t parameters = spec.parameters.size();
  std::string text = std::to_string(group.key.a) + group.axis_values;
  text += fmt::format(",{},{},{},{},{},{}", csv_field(spec.solvers[group.key.b]), group.runs, group.succeeded,
                      group.failed,
                      csv_number(static_cast<double>(group.succeeded) / static_cast<double>(group.runs)),
                      csv_field(spec.definition));
  for (std::size_t p = 0; p < parameters; ++p)
    text += "," + csv_number(q[p][1]) + "," + csv_number(q[p][2] - q[p][0]);
  const ProportionInterval interval = wilson_interval(group.succeeded, group.runs);
  text += "," + csv_number(q[parameters][1]) + "," + csv_number(q[parameters + 1][1]) + "," +
          csv_number(interval.low) + "," + csv_number(interval.high);
  for (std::size_t p = 0; p < parameters; ++p) text += "," + csv_number(q[spec.quantities() + p][1]);
  return text + "\n";
}

}  // namespace

void write_summary(const fs::path& dir, std::size_t memory_budget) {
  remove_stale_temporaries(dir);
  const SummarySpec spec = summary_spec(read_campaign_json(dir), dir / "campaign.json");
  ExternalSorter sorter(dir, memory_budget / 2);
  sort_results(dir / "results.csv", spec, sorter);

  // 2. Group by group, in (point, solver) order: counts, then the exact quartiles.
  AtomicFileWriter out(dir / "summary.csv");
  out.write(summary_header(spec));
  const std::size_t quantities = spec.quantities(), parameters = spec.parameters.size();
  BoundedValues group_values(spec.group_quantities(), memory_budget / 2,
                             dir / fmt::format(".geoinv-group-{}.tmp", static_cast<long>(::getpid())));
  std::vector<double> values(spec.group_quantities());
  SummaryGroup group;
  const auto finish_group = [&] {
    if (!group.open) return;
    const std::vector<std::array<double, 3>> q = group_values.quartiles();
    group_values.clear();
    out.write(summary_row(spec, group, q));
  };
  sorter.merge([&](const SortKey& key, std::string_view payload) {
    if (group.open && key.a == group.key.a && key.b == group.key.b) {
      if (key.c == group.key.c) return;  // this (run, solver) again: it counts once, as first written
    } else {
      finish_group();
      group = SummaryGroup{};
      group.open = true;
    }
    group.key = key;
    const auto flags = static_cast<unsigned char>(payload[0]);
    const bool failed = (flags & kFailed) != 0;
    const std::size_t axis_offset = 1 + (failed ? 0 : quantities * sizeof(double));
    if (group.runs == 0) group.axis_values = std::string(payload.substr(axis_offset));
    ++group.runs;
    if (failed) {
      ++group.failed;
    } else {
      std::memcpy(values.data(), payload.data() + 1, quantities * sizeof(double));
      for (std::size_t p = 0; p < parameters; ++p) values[quantities + p] = std::abs(values[p]);
      group_values.add(values.data());
    }
    if (flags & kSucceeded) ++group.succeeded;
  });
  finish_group();
  out.commit();
  write_fixed_target_summary(dir);  // fixed_target.csv, for a campaign with `fixed_target:`
}

}  // namespace geoinv
