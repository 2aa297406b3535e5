// SPDX-License-Identifier: BSD-3-Clause
#include "reporting/campaign_summary_html.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>

#include "base/binomial_interval.hpp"
#include "base/csv.hpp"
#include "campaigns/campaign_io.hpp"  // required_column, parse_integer
#include "reporting/figures.hpp"  // for_each_csv_row
#include "reporting/html_text.hpp"

namespace geoinv {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// At most this many rows of summary.csv, and sweep points of the pivot, are shown.
constexpr std::size_t kMaxSummaryRows = 2000;

// The success definition every row of summary.csv states, and its column, when they all state the same
// one: the page says it once instead of in every row.
struct CommonDefinition {
  std::string text;
  std::size_t column = 0;
};

std::optional<CommonDefinition> common_definition(const fs::path& file) {
  std::optional<CommonDefinition> common;
  bool same = true, first = true;
  for_each_csv_row(
      file,
      [&](const std::vector<std::string>& header) {
        const auto found = std::find(header.begin(), header.end(), "success_definition");
        same = found != header.end();
        common = CommonDefinition{"", static_cast<std::size_t>(found - header.begin())};
      },
      [&](const std::vector<std::string>& fields) {
        if (!same) return;
        if (first) common->text = fields[common->column];
        same = common->text == fields[common->column];
        first = false;
      });
  return same && !first ? common : std::nullopt;
}

// Every row of summary.csv (at most kMaxSummaryRows), but for column `skipped` (none: npos).
std::string summary_table(const fs::path& file, std::size_t skipped) {
  std::string html = "<div class=\"scroll\"><table>\n";
  std::size_t rows = 0;
  for_each_csv_row(
      file,
      [&](const std::vector<std::string>& header) {
        html += "<tr>";
        for (std::size_t c = 0; c < header.size(); ++c)
          if (c != skipped) html += "<th>" + escape(header[c]) + "</th>";
        html += "</tr>\n";
      },
      [&](const std::vector<std::string>& fields) {
        if (++rows > kMaxSummaryRows) return;
        html += "<tr>";
        for (std::size_t c = 0; c < fields.size(); ++c) {
          if (c == skipped) continue;
          const std::string& field = fields[c];
          const bool number =
              std::isfinite(parse_csv_number(field, CsvNumberRule::whole_cell)) || field == "nan";
          html += fmt::format("<td{}>{}</td>", number ? "" : " class=\"text\"", escape(csv_cell(field)));
        }
        html += "</tr>\n";
      });
  html += "</table></div>\n";
  if (rows > kMaxSummaryRows)
    html += fmt::format("<p class=\"note\">The first {} of {} rows; summary.csv holds them all.</p>\n",
                        kMaxSummaryRows, rows);
  return html;
}

// One cell of the pivot: the success rate with its Wilson 95 % interval, and the median |relative error|
// of the success parameter when summary.csv has it.
std::string pivot_cell(const std::vector<std::string>& fields, std::size_t c_runs, std::size_t c_succeeded,
                       std::optional<std::size_t> c_error) {
  const auto runs = parse_integer(fields[c_runs]), succeeded = parse_integer(fields[c_succeeded]);
  if (!runs || !succeeded || *runs <= 0) return "–";
  const ProportionInterval interval = wilson_interval(*succeeded, *runs);
  std::string text =
      fmt::format("{:.3f} [{:.3f}, {:.3f}]", static_cast<double>(*succeeded) / static_cast<double>(*runs),
                  interval.low, interval.high);
  if (c_error) {
    const double error = parse_csv_number(fields[*c_error], CsvNumberRule::whole_cell);
    text += "<br>" + (std::isfinite(error) ? fmt::format("{:.3g} %", 100.0 * error) : std::string("–"));
  }
  return text;
}

// The solver × sweep-point pivot of summary.csv: a row per sweep point (at most kMaxSummaryRows), a column
// per solver.
std::string success_pivot(const fs::path& file, const json& campaign) {
  const auto solvers = campaign.at("solvers").get<std::vector<std::string>>();
  const auto keys = campaign.at("axis_columns").get<std::vector<std::string>>();
  std::string parameter;
  if (campaign.contains("success")) parameter = campaign["success"].value("parameter", "");
  std::size_t c_point = 0, c_solver = 0, c_runs = 0, c_succeeded = 0;
  std::vector<std::size_t> c_keys;
  std::optional<std::size_t> c_error;
  std::string html, point;
  std::vector<std::string> cells;
  std::size_t points = 0;
  const auto finish_point = [&] {
    if (point.empty() || ++points > kMaxSummaryRows) return;
    for (const auto& cell_html : cells) html += "<td>" + cell_html + "</td>";
    html += "</tr>\n";
  };
  for_each_csv_row(
      file,
      [&](const std::vector<std::string>& header) {
        const auto column = [&](const std::string& name) { return required_column(header, name, file); };
        c_point = column("point");
        c_solver = column("solver");
        c_runs = column("runs");
        c_succeeded = column("succeeded");
        for (const auto& key : keys) c_keys.push_back(column(key));
        const auto error = std::find(header.begin(), header.end(), "median_abs_relative_error_" + parameter);
        if (!parameter.empty() && error != header.end())
          c_error = static_cast<std::size_t>(error - header.begin());
        html += "<div class=\"scroll\"><table>\n<tr><th>point</th>";
        for (const auto& key : keys) html += "<th>" + escape(key) + "</th>";
        for (const auto& solver : solvers) html += "<th>" + escape(solver) + "</th>";
        html += "</tr>\n";
      },
      [&](const std::vector<std::string>& fields) {
        if (fields[c_point] != point) {
          finish_point();
          point = fields[c_point];
          cells.assign(solvers.size(), "–");
          html += "<tr><td>" + escape(point) + "</td>";
          for (std::size_t c : c_keys) html += "<td>" + escape(csv_cell(fields[c])) + "</td>";
        }
        const auto solver = std::find(solvers.begin(), solvers.end(), fields[c_solver]);
        if (solver != solvers.end())
          cells[static_cast<std::size_t>(solver - solvers.begin())] =
              pivot_cell(fields, c_runs, c_succeeded, c_error);
      });
  finish_point();
  if (points == 0) return {};
  std::string intro =
      "<p>Per sweep point and solver: the success rate with its Wilson 95 % confidence interval in brackets "
      "(rates whose intervals overlap are not shown to differ by these runs)";
  if (c_error)
    intro += ", and below it the median |relative error| of " + escape(parameter) +
             " over the runs that did not fail";
  html = intro + ".</p>\n" + html + "</table></div>\n";
  if (points > kMaxSummaryRows)
    html +=
        fmt::format("<p class=\"note\">The first {} of {} sweep points; summary.csv holds them all.</p>\n",
                    kMaxSummaryRows, points);
  return html;
}

}  // namespace

std::string campaign_summary_html(const fs::path& file, const json& campaign,
                                  std::vector<std::string>& notes) {
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    notes.push_back("no summary.csv yet (an unfinished campaign: `geoinv collect DIR` writes it)");
    return "<p class=\"note\">No summary.csv yet.</p>\n";
  }
  std::string html;
  std::size_t skipped = std::string::npos;
  if (const auto definition = common_definition(file)) {
    html += "<p>A run of a solver succeeds when <code>" + escape(definition->text) +
            "</code> (every row's success_definition).</p>\n";
    skipped = definition->column;
  }
  html += success_pivot(file, campaign);
  return html + "<h3>Every row of summary.csv</h3>\n" + summary_table(file, skipped);
}

}  // namespace geoinv
