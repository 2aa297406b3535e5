// SPDX-License-Identifier: BSD-3-Clause
#pragma once
#include <initializer_list>
#include <string>
#include <vector>

#include "geoinv/export.hpp"

namespace geoinv {

// A per-iteration record, as a table of named numeric columns. Each solver chooses its columns
// (dls: iteration, sse, damping, step_norm, accepted); the host writes it to trace_<solver>.csv.
// Stopping criteria are data: record what they test, so a reader sees why a solver stopped.
class GEOINV_API Trace {
 public:
  Trace() = default;
  explicit Trace(std::vector<std::string> columns);

  // Appends one row; it must have one value per column.
  void add_row(std::initializer_list<double> values);
  void add_row(const std::vector<double>& values);
  void reserve(std::size_t rows) { values_.reserve(rows * columns_.size()); }

  const std::vector<std::string>& columns() const { return columns_; }
  std::size_t num_rows() const { return columns_.empty() ? 0 : values_.size() / columns_.size(); }
  double value(std::size_t row, std::size_t column) const { return values_[row * columns_.size() + column]; }
  bool empty() const { return values_.empty(); }

 private:
  std::vector<std::string> columns_;
  std::vector<double> values_;  // row-major, one flat buffer: no allocation per iteration
};

}  // namespace geoinv
