// SPDX-License-Identifier: BSD-3-Clause
#include "base/csv.hpp"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#include "base/file_io.hpp"  // quote_on_one_line

namespace geoinv {

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  return quote_on_one_line(text, '"');
}

std::string csv_number(double value) { return std::isfinite(value) ? fmt::format("{}", value) : "nan"; }

namespace {

// The characters that end a plain run of a field.
constexpr std::array<bool, 256> kSpecial = [] {
  std::array<bool, 256> special{};
  special[static_cast<unsigned char>(',')] = special[static_cast<unsigned char>('"')] =
      special[static_cast<unsigned char>('\r')] = true;
  return special;
}();

}  // namespace

void CsvFields::split(std::string_view line) {
  fields_.clear();
  const char* const data = line.data();
  const std::size_t size = line.size();
  // Up to the first quote or carriage return (in a results row: its message, last), fields are what
  // lies between commas, found by memchr, which the C library vectorises.
  const char* const end = data + size;
  const char* special = end;
  if (const void* quote = std::memchr(data, '"', size)) special = static_cast<const char*>(quote);
  if (const void* cr = std::memchr(data, '\r', static_cast<std::size_t>(special - data)))
    special = static_cast<const char*>(cr);
  const char* plain = data;
  while (const void* comma = std::memchr(plain, ',', static_cast<std::size_t>(special - plain))) {
    fields_.emplace_back(plain, static_cast<std::size_t>(static_cast<const char*>(comma) - plain));
    plain = static_cast<const char*>(comma) + 1;
  }
  if (special == end) {
    fields_.emplace_back(plain, static_cast<std::size_t>(end - plain));
    return;
  }
  // From the field holding the first quote or carriage return on, character by character.
  std::size_t unescaped_used = 0;
  std::size_t start = static_cast<std::size_t>(plain - data), i = start;
  for (;;) {
    while (i < size && !kSpecial[static_cast<unsigned char>(data[i])]) ++i;
    if (i == size || data[i] == ',') {  // a plain field: a view of the line
      fields_.emplace_back(data + start, i - start);
      if (i == size) return;
      start = ++i;
      continue;
    }
    // Quotes or a carriage return: the field is unescaped into storage.
    if (unescaped_used == unescaped_.size()) unescaped_.emplace_back();
    std::string& text = unescaped_[unescaped_used++];
    text.assign(data + start, i - start);
    bool quoted = false;
    for (; i < size; ++i) {
      const char c = data[i];
      if (c == '"') {
        if (quoted && i + 1 < size && data[i + 1] == '"') {
          text.push_back('"');  // an escaped quote
          ++i;
        } else {
          quoted = !quoted;
        }
      } else if (!quoted && c == ',') {
        break;
      } else if (quoted || c != '\r') {
        text.push_back(c);
      }
    }
    fields_.emplace_back(text);
    if (i == size) return;
    start = ++i;
  }
}

std::vector<std::string> split_csv_line(std::string_view line) {
  std::vector<std::string> fields;
  split_csv_line(line, fields);
  return fields;
}

void split_csv_line(std::string_view line, std::vector<std::string>& fields) {
  thread_local CsvFields split;
  split.split(line);
  fields.resize(split.size());
  for (std::size_t i = 0; i < split.size(); ++i) fields[i].assign(split[i]);
}

double parse_csv_number(std::string_view text, CsvNumberRule rule) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (rule == CsvNumberRule::whole_cell) {
    if (text.empty()) return kNaN;
    const std::string cell(text);  // strtod reads a C string
    char* end = nullptr;
    const double value = std::strtod(cell.c_str(), &end);
    return end == cell.c_str() + cell.size() ? value : kNaN;
  }
  double value = kNaN;
  // from_chars reads "nan" and "inf" too, and no leading '+' or space, which csv_number never writes.
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end == text.data()) return kNaN;
  return value;
}

}  // namespace geoinv
