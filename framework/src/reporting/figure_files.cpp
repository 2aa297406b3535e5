// SPDX-License-Identifier: BSD-3-Clause
#include "reporting/figure_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>

#include "base/csv.hpp"
#include "base/file_io.hpp"
#include "geoinv/error.hpp"
#include "geoinv/version.hpp"
#include "running/result_json.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

const char* const kColours[] = {"#0072b2", "#d55e00", "#009e73", "#cc79a7",
                                "#e69f00", "#56b4e9", "#000000", "#f0e442"};

}  // namespace

std::string colour(std::size_t i) { return kColours[i % (sizeof kColours / sizeof kColours[0])]; }

std::string dat_number(double value) { return std::isfinite(value) ? fmt::format("{}", value) : "NaN"; }

std::string file_stem(const std::string& prefix, const std::string& label, std::set<std::string>& used) {
  std::string stem = prefix;
  for (char c : label) stem += std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ? c : '_';
  std::string unique = stem;
  for (int k = 2; !used.insert(unique).second; ++k) unique = fmt::format("{}_{}", stem, k);
  return unique;
}

std::string script(const Figure& figure, int width, int height, const std::string& body) {
  std::string indented;
  std::size_t start = 0;
  while (start < body.size()) {
    const std::size_t end = body.find('\n', start);
    indented += "  " + body.substr(start, end - start) + "\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
  std::string title = figure.title;
  std::replace(title.begin(), title.end(), '\n', ' ');
  return fmt::format(
      "# {title}\n"
      "# Written by geoinv {version}. After editing, `gnuplot {name}.gp` in this folder draws {name}.png\n"
      "# and {name}.svg again, `gnuplot -e \"formats='pdf'\" {name}.gp` other formats (png, svg, pdf);\n"
      "# the data are in {name}*.dat (columns named in their first line).\n"
      "reset\n"
      "set encoding utf8\n"
      "if (!exists('formats')) {{\n"
      "  formats = '{defaults}'\n"
      "}}\n"
      "do for [format in formats] {{\n"
      "  if (format eq 'png') {{\n"
      "    set terminal {png}\n"
      "  }} else {{\n"
      "    if (format eq 'svg') {{\n"
      "      set terminal {svg}\n"
      "    }} else {{\n"
      "      set terminal {pdf}\n"
      "    }}\n"
      "  }}\n"
      "  set output '{name}.'.format\n"
      "{body}"
      "  unset output\n"
      "}}\n",
      fmt::arg("title", title), fmt::arg("version", version()), fmt::arg("name", figure.name),
      fmt::arg("defaults", gnuplot_formats(default_figure_formats())),
      fmt::arg("png", gnuplot_terminal(FigureFormat::png, width, height)),
      fmt::arg("svg", gnuplot_terminal(FigureFormat::svg, width, height)),
      fmt::arg("pdf", gnuplot_terminal(FigureFormat::pdf, width, height)), fmt::arg("body", indented));
}

std::optional<std::size_t> NumericTable::column(const std::string& name) const {
  const auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end()) return std::nullopt;
  return static_cast<std::size_t>(it - header.begin());
}

bool NumericTable::any_finite(std::size_t c) const {
  return std::any_of(rows.begin(), rows.end(), [c](const auto& row) { return std::isfinite(row[c]); });
}

bool NumericTable::positive_where_finite(std::size_t c) const {
  return std::all_of(rows.begin(), rows.end(), [c](const auto& row) { return !std::isfinite(row[c]) || row[c] > 0; });
}

NumericTable read_numeric_table(const fs::path& file) {
  NumericTable table;
  for_each_csv_row(
      file, [&](const std::vector<std::string>& header) { table.header = header; },
      [&](const std::vector<std::string>& fields) {
        std::vector<double> row;
        row.reserve(fields.size());
        for (const auto& field : fields) row.push_back(parse_csv_number(field, CsvNumberRule::whole_cell));
        table.rows.push_back(std::move(row));
      });
  return table;
}

// Writes the chosen columns of a table as a whitespace-separated .dat file, NaN for missing values.
void write_dat(const fs::path& file, const NumericTable& table, const std::vector<std::size_t>& columns) {
  std::string text = "#";
  for (std::size_t c : columns) text += " " + table.header[c];
  text += "\n";
  for (const auto& row : table.rows) {
    for (std::size_t k = 0; k < columns.size(); ++k) text += (k ? " " : "") + dat_number(row[columns[k]]);
    text += "\n";
  }
  write_text(file, text);
}

// Integer tics for an axis of counts (iterations, epochs) from 0 to `last`.
std::string count_tics(const char* axis, double last) {
  const double step = std::max(1.0, std::ceil(last / 10.0));
  return fmt::format("set {}tics {} \nset format {} '%.0f'\n", axis, step, axis);
}
std::string data_unit_label(const std::string& unit) { return unit.empty() ? "data unit" : unit; }

std::string run_data_unit(const RunRecord& run) { return run.data_unit.empty() ? run.forward_unit : run.data_unit; }

std::vector<std::string> FigurePlan::scripts() const {
  std::vector<std::string> names;
  for (const auto& figure : figures) names.push_back(figure.name + ".gp");
  return names;
}

void for_each_csv_row(const fs::path& file,
                      const std::function<void(const std::vector<std::string>&)>& header,
                      const std::function<void(const std::vector<std::string>&)>& row) {
  std::ifstream stream(file, std::ios::binary);
  if (!stream)
    throw Error(Error::Category::io, std::string("cannot read the file: ") + std::strerror(errno),
                {file.string()});
  std::string line;
  if (!std::getline(stream, line) || line.empty())
    throw Error(Error::Category::io, "the file is empty: expected a header line", {file.string()});
  const std::vector<std::string> names = split_csv_line(line);
  std::vector<std::string> fields;
  header(names);
  while (std::getline(stream, line)) {
    if (stream.eof()) break;  // a torn last line, without its newline
    if (line.empty()) continue;
    split_csv_line(line, fields);
    if (fields.size() == names.size()) row(fields);
  }
}

}  // namespace geoinv
