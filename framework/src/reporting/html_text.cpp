// SPDX-License-Identifier: BSD-3-Clause
#include "reporting/html_text.hpp"

#include <fmt/format.h>

#include <cmath>

#include "base/csv.hpp"

namespace geoinv {

std::string escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string csv_cell(const std::string& text) {
  const double value = parse_csv_number(text, CsvNumberRule::whole_cell);
  if (!std::isfinite(value) || text.find_first_of(".eE") == std::string::npos) return text;
  return fmt::format("{:.4g}", value);
}

}  // namespace geoinv
