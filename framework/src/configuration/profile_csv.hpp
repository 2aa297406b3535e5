// SPDX-License-Identifier: BSD-3-Clause
#pragma once
#include <Eigen/Core>

#include <filesystem>
#include <string>
#include <vector>

namespace geoinv {

// A measured profile: positions x (m), values, and σ when the file has a third column.
struct Profile {
  std::string file;
  std::vector<std::string> column_names;  // from the header line, or x,value[,sigma]
  Eigen::VectorXd x, value, sigma;        // sigma empty when the file has no σ column
  std::vector<int> lines;                 // the file line of each datum (1-based), for messages
  std::vector<std::string> notes;         // what the reader did deliberately (sorted, merged rows)
};

// How to treat digitizing defects. By default both are refused with a message naming the lines.
struct CsvReadOptions {
  bool sort = false;                // sort rows by x instead of refusing a non-increasing x
  bool average_duplicates = false;  // merge rows with equal x (mean value, σ = √Σσ² / k) instead of refusing
};

// Reads a profile CSV: '#' comment lines and blank lines are skipped; an optional header line names the
// columns; then rows of x, value and optional σ separated by commas (or semicolons, tabs, spaces). Any
// cell that is not a finite number, a row with another number of cells, or a σ that is not positive is
// an Error (category data) naming the file, line and column. x must be strictly increasing unless
// `options` asks to sort rows or to average rows with the same x.
Profile read_profile_csv(const std::filesystem::path& file, const CsvReadOptions& options = {});

}  // namespace geoinv
