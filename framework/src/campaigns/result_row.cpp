// SPDX-License-Identifier: BSD-3-Clause
#include "campaigns/result_row.hpp"

#include <fmt/compile.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

#include "base/csv.hpp"
#include "campaigns/campaign_io.hpp"  // required_column
#include "geoinv/termination.hpp"

namespace geoinv {

namespace {

// The columns of the table in result_row.hpp, in order; the sweep keys go between the first two groups,
// the per-parameter groups between the last two.
constexpr const char* kRunColumns[] = {"run_id", "shard", "point", "replicate"};
constexpr const char* kSolverColumns[] = {"seed", "solver", "status", "termination"};
constexpr const char* kParameterPrefixes[] = {"estimate_", "true_", "relative_error_"};
constexpr const char* kMeasureColumns[] = {"rms",         "chi2",    "iterations", "forward_evaluations",
                                           "jacobian_evaluations", "wall_time_s", "message"};

}  // namespace

ParameterColumns parameter_columns(const ParameterLayout& layout) {
  ParameterColumns columns;
  for (std::size_t p = 0; p < layout.count(); ++p) {
    const std::string& name = layout.specs()[p].name;
    if (layout.is_block(p)) {
      columns.metric_names.push_back("correlation_" + name);
      columns.metric_names.push_back("nrmse_" + name);
    } else {
      columns.scalar_names.push_back(name);
      columns.scalar_values.push_back(layout.offset(p));
    }
  }
  return columns;
}

std::string results_header(const std::vector<std::string>& value_columns,
                           const std::vector<std::string>& parameter_names,
                           const std::vector<std::string>& metric_names, bool anytime) {
  std::string line;
  for (const char* name : kRunColumns) line += std::string(line.empty() ? "" : ",") + name;
  for (const auto& column : value_columns) line += "," + csv_field(column);
  for (const char* name : kSolverColumns) line += std::string(",") + name;
  for (const char* prefix : kParameterPrefixes)
    for (const auto& name : parameter_names) line += "," + std::string(prefix) + name;
  for (const auto& name : metric_names) line += "," + name;
  for (const char* name : kMeasureColumns) line += std::string(",") + name;
  if (anytime) line += ",anytime";
  return line + "\n";
}

std::string run_columns(std::int64_t run_id, int shard, std::int64_t point, std::int64_t replicate,
                        const std::vector<std::string>& values, std::uint64_t seed) {
  std::string text = fmt::format(FMT_COMPILE("{},{},{},{}"), run_id, shard, point, replicate);
  for (const auto& value : values) text += "," + csv_field(value);
  text += fmt::format(FMT_COMPILE(",{}"), seed);
  return text;
}

void write_row(fmt::memory_buffer& out, std::string_view run_columns, const ResultRow& row,
               std::size_t parameters, std::size_t metrics) {
  const auto number = [&out](double value) {
    if (std::isfinite(value))
      fmt::format_to(std::back_inserter(out), FMT_COMPILE(",{}"), value);
    else
      fmt::format_to(std::back_inserter(out), FMT_COMPILE(",nan"));
  };
  const auto numbers = [&](const std::vector<double>& values, std::size_t count) {
    for (std::size_t i = 0; i < count; ++i)
      number(values.size() == count ? values[i] : std::numeric_limits<double>::quiet_NaN());
  };
  fmt::format_to(std::back_inserter(out), FMT_COMPILE("{},{},{},{}"), run_columns, csv_field(row.solver),
                 row.status, row.termination);
  numbers(row.estimate, parameters);
  numbers(row.truth, parameters);
  numbers(row.relative_error, parameters);
  numbers(row.metrics, metrics);
  number(row.rms);
  number(row.chi2);
  fmt::format_to(std::back_inserter(out), FMT_COMPILE(",{},{},{}"), row.iterations, row.forward_evaluations,
                 row.jacobian_evaluations);
  number(row.wall_time_s);
  fmt::format_to(std::back_inserter(out), FMT_COMPILE(",{}"), csv_field(row.message));
  if (row.anytime) fmt::format_to(std::back_inserter(out), FMT_COMPILE(",{}"), csv_field(*row.anytime));
  out.push_back('\n');
}

ResultColumns::ResultColumns(const std::vector<std::string>& header,
                             const std::vector<std::string>& parameter_names, const std::filesystem::path& file,
                             const std::vector<std::string>& metric_names)
    : header_(header), file_(file), count_(header.size()) {
  run_id_ = named("run_id");
  point_ = named("point");
  solver_ = named("solver");
  status_ = named("status");
  wall_time_s_ = named("wall_time_s");
  forward_evaluations_ = named("forward_evaluations");
  for (const auto& name : parameter_names) relative_error_.push_back(named("relative_error_" + name));
  // The typed columns of holds_a_row, where the header has them: the readers also read files of fewer
  // columns (tests, older files); --resume checks the header whole first.
  const auto typed = [this](const std::string& name, std::vector<std::size_t>& columns) {
    const auto at = std::find(header_.begin(), header_.end(), name);
    if (at != header_.end()) columns.push_back(static_cast<std::size_t>(at - header_.begin()));
  };
  for (const char* name : {"run_id", "shard", "point", "replicate", "seed", "iterations", "forward_evaluations",
                           "jacobian_evaluations"})
    typed(name, integer_columns_);
  for (const char* prefix : kParameterPrefixes)
    for (const auto& name : parameter_names) typed(prefix + name, number_columns_);
  for (const auto& name : metric_names) typed(name, number_columns_);
  for (const char* name : {"rms", "chi2", "wall_time_s"}) typed(name, number_columns_);
}

bool ResultColumns::holds_a_row(const CsvFields& fields) const {
  if (fields.size() != count_) return false;
  for (const std::size_t column : integer_columns_) {
    const std::string_view text = fields[column];
    std::uint64_t value = 0;  // the seed takes all 64 bits; nothing here is negative
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc() || end != text.data() + text.size()) return false;
  }
  for (const std::size_t column : number_columns_) {
    const std::string_view text = fields[column];
    if (text != "nan" && std::isnan(parse_csv_number(text, CsvNumberRule::whole_cell))) return false;
  }
  return true;
}

std::size_t ResultColumns::named(const std::string& name) const { return required_column(header_, name, file_); }

bool is_failed_status(std::string_view status) {
  return status == to_string(RunStatus::failed) || status == kCrashedStatus || status == kTimedOutStatus;
}

}  // namespace geoinv
