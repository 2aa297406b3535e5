// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// `geoinv compare`: finished runs on the same data ranked by BIC, with AIC, RMS and the number of
// parameters, so that a researcher sees which model the data support (docs/outputs.md).
#include <filesystem>
#include <string>
#include <vector>

namespace geoinv {

// Reads result.json of each run folder (or each result.json given directly) and returns the table that
// ranks every (experiment, solver) row by BIC, lowest first (a NaN BIC last), preceded by a warning for
// each row whose data differ from the first row's (file and count). An io Error names a folder without
// a readable result.json.
std::string compare_runs(const std::vector<std::filesystem::path>& runs);

}  // namespace geoinv
