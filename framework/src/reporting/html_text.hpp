// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Text for report.html: escaping, and CSV cells as the report's tables show them. Internal to the
// reporting room.
#include <string>

namespace geoinv {

// `text` with &, <, >, " and ' replaced by their HTML entities.
std::string escape(const std::string& text);

// A CSV cell for a summary table: numbers shortened to 4 significant digits, integers and words as they
// are.
std::string csv_cell(const std::string& text);

}  // namespace geoinv
