// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// CSV text as geoinv writes and reads it (fit.csv, trace and loss files, results.csv, summary.csv,
// manifest.csv): fields quoted by RFC 4180, numbers in the shortest text that reads back to the same
// double, and lines split without an allocation per row.
#include <deque>
#include <string>
#include <string_view>
#include <vector>

namespace geoinv {

// A CSV field: quoted (RFC 4180) when it holds a comma, a quote or a line break; line breaks become spaces.
std::string csv_field(std::string_view text);

// The shortest text that reads back to the same double; "nan" for what is not finite.
std::string csv_number(double value);

// One CSV line split into fields (RFC 4180 quoting; a carriage return outside quotes is dropped),
// without copying: a plain field is a view of the line, a field with quotes is unescaped into storage
// reused from line to line. The views last until the next split() and as long as the line. Reading a
// million-row results.csv this way costs a few instructions a character, with no allocation per row.
class CsvFields {
 public:
  void split(std::string_view line);
  std::size_t size() const { return fields_.size(); }
  std::string_view operator[](std::size_t index) const { return fields_[index]; }

 private:
  std::vector<std::string_view> fields_;
  std::deque<std::string> unescaped_;  // a deque: growing it leaves the views of earlier fields valid
};

// Splits one CSV line into fields, as CsvFields, as strings.
std::vector<std::string> split_csv_line(std::string_view line);
// The same into `fields`, reusing its strings: for reading large files row by row.
void split_csv_line(std::string_view line, std::vector<std::string>& fields);

// How parse_csv_number reads a cell. The two rules answer two questions and must differ:
//  - `leading`: the number a cell starts with (std::from_chars: no sign '+', no spaces, no hex), for
//    columns geoinv wrote with csv_number, where a number is always a number and a million-row
//    results.csv is read cell by cell (summary.csv, collect).
//  - `whole_cell`: the cell is a number only if all of it is one (std::strtod: a leading '+' or spaces,
//    hex and "infinity" read too), for deciding whether a cell is a number at all: sweep values are
//    YAML text ("a,b", "3 mV") that figures and the report must not mistake for numbers.
enum class CsvNumberRule { leading, whole_cell };

// A number of a CSV field by `rule`; NaN for "nan", an empty field, or a field that is not a number by
// the rule. csv_number's text reads back to the same double under both rules (correctly rounded).
double parse_csv_number(std::string_view text, CsvNumberRule rule = CsvNumberRule::leading);

}  // namespace geoinv
