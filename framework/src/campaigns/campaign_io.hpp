#pragma once
// CSV and campaign.json helpers of campaigns, shared by campaign.cpp (running) and campaign_summary.cpp
// (summary.csv and collect).
#include <cstdio>
#include <deque>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "base/file_io.hpp"  // read_text, write_atomically, AtomicFileWriter

namespace geoinv {

// A CSV field: quoted (RFC 4180) when it holds a comma, a quote or a line break; line breaks become spaces.
std::string csv_field(std::string_view text);

// The shortest text that reads back to the same double; "nan" for what is not finite.
std::string csv_number(double value);

// One CSV line split into fields (RFC 4180 quoting; a carriage return outside quotes is dropped),
// without copying: a plain field is a view of the line, a field with quotes is unescaped into storage
// reused from line to line. The views last until the next split() and as long as the line. A million-row
// results.csv is read this way with no allocation per row.
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

// The index of column `name` in the header line of `file`, a CSV file geoinv wrote; its absence is an io
// Error naming the file.
std::size_t required_column(const std::vector<std::string>& header, const std::string& name,
                            const std::filesystem::path& file);

// A number of a CSV field as csv_number writes it (correctly rounded: the same double); NaN for "nan",
// an empty field, or a field that does not start with a number.
double parse_csv_number(std::string_view text);

// A JSON file geoinv wrote (result.json, campaign.json), parsed in its own key order; an io Error naming
// the file when it cannot be read or is not JSON.
nlohmann::ordered_json read_output_json(const std::filesystem::path& file);

// DIR/campaign.json, through read_output_json.
nlohmann::ordered_json read_campaign_json(const std::filesystem::path& dir);


}  // namespace geoinv
