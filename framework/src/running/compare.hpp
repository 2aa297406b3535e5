// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// `geoinv compare`: finished runs on the same data ranked by BIC, with AIC, RMS, the number of parameters
// and each row's run folder, so that a researcher sees which model the data support (docs/outputs.md,
// "Comparing runs"). AIC and BIC compare models on the same data only, so the runs' data are compared by
// content (result.json's data.fingerprint, running/data_identity.hpp), never by file name.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace geoinv {

// --format: the aligned table for reading (default), CSV with a header line, or one JSON object.
enum class CompareFormat { table, csv, json };

// The format named by "table", "csv" or "json"; nullopt for any other word.
std::optional<CompareFormat> compare_format_from_string(const std::string& word);

struct CompareOptions {
  // --force (default off): rank runs whose data differ, or cannot be compared by content, anyway;
  // Comparison::note then says so.
  bool force = false;
  CompareFormat format = CompareFormat::table;
};

struct Comparison {
  std::string text;  // the ranking in the asked format, for stdout
  std::string note;  // empty, or the one-line warning that forced runs are not on the same data, for stderr
};

// Reads result.json of each run folder (or each result.json given directly) and ranks every
// (experiment, solver) row by BIC, lowest first (a NaN BIC last). Each row names its run folder (as
// given; a result.json's folder). Runs tie to their data by data.fingerprint: when the data of two or
// more runs differ, or one's result.json was written before fingerprints were recorded and cannot be
// compared by content, a data Error lists each run's data (source, count, fingerprint; the noise σ and
// seed of synthetic data) unless `options.force`. An io Error names a folder without a readable
// result.json.
Comparison compare_runs(const std::vector<std::filesystem::path>& runs, const CompareOptions& options = {});

}  // namespace geoinv
