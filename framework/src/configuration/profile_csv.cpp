// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/profile_csv.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include "geoinv/error.hpp"

namespace geoinv {

namespace {

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return text.substr(first, last - first + 1);
}

std::vector<std::string> split_cells(const std::string& line) {
  char delimiter = 0;
  for (char candidate : {',', ';', '\t'})
    if (line.find(candidate) != std::string::npos) {
      delimiter = candidate;
      break;
    }
  std::vector<std::string> cells;
  if (delimiter) {
    std::size_t start = 0;
    while (true) {
      const auto end = line.find(delimiter, start);
      cells.push_back(trim(line.substr(start, end == std::string::npos ? std::string::npos : end - start)));
      if (end == std::string::npos) break;
      start = end + 1;
    }
  } else {
    std::size_t start = line.find_first_not_of(' ');
    while (start != std::string::npos) {
      const auto end = line.find(' ', start);
      cells.push_back(trim(line.substr(start, end == std::string::npos ? std::string::npos : end - start)));
      start = end == std::string::npos ? end : line.find_first_not_of(' ', end);
    }
  }
  return cells;
}

bool parse_number(const std::string& cell, double* value) {
  if (cell.empty()) return false;
  char* end = nullptr;
  errno = 0;
  *value = std::strtod(cell.c_str(), &end);
  return end == cell.c_str() + cell.size() && errno != ERANGE && std::isfinite(*value);
}

// Sorts and merges rows as `options` allow; refuses, naming the lines, what they do not allow.
void order_rows(Profile& profile, const CsvReadOptions& options, std::vector<double>& x, std::vector<double>& value,
                std::vector<double>& sigma) {
  const std::size_t count = x.size();
  std::vector<std::size_t> order(count);
  for (std::size_t i = 0; i < count; ++i) order[i] = i;
  for (std::size_t i = 1; i < count; ++i) {
    if (x[i] < x[i - 1] && !options.sort)
      throw Error(Error::Category::data,
                  fmt::format("x must increase: x = {} follows x = {} on line {} (set data.sort: true to sort the rows)",
                              x[i], x[i - 1], profile.lines[i - 1]),
                  {profile.file, profile.lines[i]});
  }
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  if (options.sort && !std::is_sorted(x.begin(), x.end())) {
    std::vector<int> moved;
    for (std::size_t i = 0; i < count; ++i)
      if (order[i] != i) moved.push_back(profile.lines[order[i]]);
    profile.notes.push_back(fmt::format("sorted by x: lines {} were out of order", fmt::join(moved, ", ")));
  }
  std::vector<double> sorted_x, sorted_value, sorted_sigma;
  std::vector<int> sorted_lines;
  for (std::size_t start = 0; start < count;) {
    std::size_t end = start + 1;
    while (end < count && x[order[end]] == x[order[start]]) ++end;
    const std::size_t group = end - start;
    if (group > 1 && !options.average_duplicates) {
      std::vector<int> lines;
      for (std::size_t k = start; k < end; ++k) lines.push_back(profile.lines[order[k]]);
      throw Error(Error::Category::data,
                  fmt::format("x = {} appears on lines {} (set data.duplicates: average to merge such rows)",
                              x[order[start]], fmt::join(lines, " and ")),
                  {profile.file, profile.lines[order[start + 1]]});
    }
    double value_sum = 0.0, variance_sum = 0.0;
    std::vector<int> lines;
    for (std::size_t k = start; k < end; ++k) {
      value_sum += value[order[k]];
      if (!sigma.empty()) variance_sum += sigma[order[k]] * sigma[order[k]];
      lines.push_back(profile.lines[order[k]]);
    }
    if (group > 1)
      profile.notes.push_back(fmt::format("averaged {} rows with x = {} (lines {})", group, x[order[start]],
                                          fmt::join(lines, ", ")));
    sorted_x.push_back(x[order[start]]);
    sorted_value.push_back(value_sum / static_cast<double>(group));
    if (!sigma.empty()) sorted_sigma.push_back(std::sqrt(variance_sum) / static_cast<double>(group));
    sorted_lines.push_back(lines.front());
    start = end;
  }
  x = std::move(sorted_x);
  value = std::move(sorted_value);
  sigma = std::move(sorted_sigma);
  profile.lines = std::move(sorted_lines);
}

}  // namespace

Profile read_profile_csv(const std::filesystem::path& file, const CsvReadOptions& options) {
  Profile profile;
  profile.file = file.string();
  std::error_code ec;
  // A folder opens as a stream on Linux and then reads as no lines at all: refuse it by name.
  if (std::filesystem::is_directory(file, ec))
    throw Error(Error::Category::data, "this is a folder, not a data file (a CSV of x, value[, sigma])",
                {file.string()});
  std::ifstream stream(file);
  if (!stream) {
    const int reason = errno;
    const bool exists = std::filesystem::exists(file, ec);
    throw Error(
        Error::Category::data,
        exists ? std::string("cannot read the data file: ") + std::strerror(reason) : "data file not found",
        {file.string()});
  }
  std::vector<double> x, value, sigma;
  std::size_t columns = 0;
  std::string line;
  int line_number = 0;
  while (std::getline(stream, line)) {
    ++line_number;
    const std::string content = trim(line);
    if (content.empty() || content[0] == '#') continue;
    const std::vector<std::string> cells = split_cells(content);
    std::vector<double> numbers(cells.size());
    bool all_numeric = true;
    for (std::size_t i = 0; i < cells.size(); ++i) all_numeric = all_numeric && parse_number(cells[i], &numbers[i]);

    if (columns == 0 && !all_numeric) {
      // The first non-comment line names the columns when it is not all numbers.
      bool any_numeric = false;
      double ignored;
      for (const auto& cell : cells) any_numeric = any_numeric || parse_number(cell, &ignored);
      if (!any_numeric && profile.column_names.empty()) {
        if (cells.size() < 2 || cells.size() > 3)
          throw Error(Error::Category::data,
                      fmt::format("the header names {} columns; expected 2 (x, value) or 3 (x, value, sigma)",
                                  cells.size()),
                      {file.string(), line_number});
        profile.column_names = cells;
        continue;
      }
    }
    if (columns == 0) {
      columns = cells.size();
      if (columns < 2 || columns > 3)
        throw Error(Error::Category::data,
                    fmt::format("{} columns; expected 2 (x, value) or 3 (x, value, sigma)", columns),
                    {file.string(), line_number});
      if (!profile.column_names.empty() && profile.column_names.size() != columns)
        throw Error(Error::Category::data,
                    fmt::format("{} cells but the header names {} columns", columns, profile.column_names.size()),
                    {file.string(), line_number});
    } else if (cells.size() != columns) {
      throw Error(Error::Category::data, fmt::format("{} cells; the rows above have {}", cells.size(), columns),
                  {file.string(), line_number});
    }
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (!parse_number(cells[i], &numbers[i])) {
        const std::string name = profile.column_names.empty() ? std::string() : " ('" + profile.column_names[i] + "')";
        throw Error(Error::Category::data,
                    fmt::format("column {}{}: '{}' is not a finite number", i + 1, name, cells[i]),
                    {file.string(), line_number, 0});
      }
    }
    if (columns == 3 && !(numbers[2] > 0.0))
      throw Error(Error::Category::data, fmt::format("sigma must be positive, found {}", numbers[2]),
                  {file.string(), line_number});
    x.push_back(numbers[0]);
    value.push_back(numbers[1]);
    if (columns == 3) sigma.push_back(numbers[2]);
    profile.lines.push_back(line_number);
  }
  if (x.empty()) throw Error(Error::Category::data, "the data file holds no data rows", {file.string()});
  order_rows(profile, options, x, value, sigma);
  if (profile.column_names.empty()) {
    profile.column_names = {"x", "value"};
    if (columns == 3) profile.column_names.push_back("sigma");
  }
  profile.x = Eigen::Map<Eigen::VectorXd>(x.data(), static_cast<Eigen::Index>(x.size()));
  profile.value = Eigen::Map<Eigen::VectorXd>(value.data(), static_cast<Eigen::Index>(value.size()));
  if (!sigma.empty()) profile.sigma = Eigen::Map<Eigen::VectorXd>(sigma.data(), static_cast<Eigen::Index>(sigma.size()));
  return profile;
}

}  // namespace geoinv
