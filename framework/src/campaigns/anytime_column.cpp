// SPDX-License-Identifier: BSD-3-Clause
#include "campaigns/anytime_column.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <cmath>

#include "campaigns/campaign_io.hpp"  // parse_integer, parse_csv_number

namespace geoinv {

AnytimeRecord anytime_record(const Trace& best_so_far) {
  AnytimeRecord record;
  record.reserve(best_so_far.num_rows());
  for (std::size_t row = 0; row < best_so_far.num_rows(); ++row)
    record.push_back({static_cast<std::int64_t>(best_so_far.value(row, 0)), best_so_far.value(row, 1)});
  return record;
}

AnytimeRecord chained_record(const AnytimeRecord& before, std::int64_t evaluations_before,
                             const AnytimeRecord& own) {
  AnytimeRecord record = before;
  for (const AnytimePoint& point : own)
    if (record.empty() || point.best_cost < record.back().best_cost)
      record.push_back({evaluations_before + point.evaluations, point.best_cost});
  return record;
}

std::string anytime_cell(const AnytimeRecord& record) {
  fmt::memory_buffer text;
  for (const AnytimePoint& point : record)
    fmt::format_to(std::back_inserter(text), FMT_COMPILE("{}{}:{}"), text.size() == 0 ? "" : " ",
                   point.evaluations, point.best_cost);
  return fmt::to_string(text);
}

std::optional<AnytimeRecord> parse_anytime_cell(std::string_view cell) {
  AnytimeRecord record;
  while (!cell.empty()) {
    const std::size_t end = cell.find(' ');
    const std::string_view point = cell.substr(0, end);
    const std::size_t colon = point.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    const auto evaluations = parse_integer(point.substr(0, colon));
    const double cost = parse_csv_number(point.substr(colon + 1), CsvNumberRule::whole_cell);
    if (!evaluations || std::isnan(cost)) return std::nullopt;
    record.push_back({*evaluations, cost});
    if (end == std::string_view::npos) break;
    cell = cell.substr(end + 1);
    if (cell.empty()) return std::nullopt;  // a trailing space: not a cell anytime_cell writes
  }
  return record;
}

}  // namespace geoinv
