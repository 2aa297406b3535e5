// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// What the campaign's writers and readers (summary.csv, collect, figures, the report) share of its files:
// campaign.json read back, and columns found by name. CSV text itself is base/csv.hpp's, results.csv's
// layout result_row.hpp's.
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/csv.hpp"      // csv_field, csv_number, CsvFields, parse_csv_number
#include "base/file_io.hpp"  // read_text, write_atomically, AtomicFileWriter

namespace geoinv {

// The index of column `name` in the header line of `file`, a CSV file geoinv wrote; its absence is an io
// Error naming the file.
std::size_t required_column(const std::vector<std::string>& header, const std::string& name,
                            const std::filesystem::path& file);

// A whole decimal integer (a run id, a point), or nothing: no sign '+', no spaces, nothing after it.
std::optional<std::int64_t> parse_integer(std::string_view text);

// The run id a line of manifest.csv or results.csv starts with (its first field), or nothing.
std::optional<std::int64_t> leading_run_id(std::string_view line);

// DIR/campaign.json, parsed in its own key order; an io Error naming the file when it cannot be read or
// is not JSON.
nlohmann::ordered_json read_campaign_json(const std::filesystem::path& dir);

}  // namespace geoinv
