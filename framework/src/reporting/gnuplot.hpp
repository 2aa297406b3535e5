// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Runs gnuplot as a child process for the figures of a run or campaign folder (report.hpp).
#include <filesystem>
#include <string>
#include <vector>

namespace geoinv {

// The program run: $GEOINV_GNUPLOT when set, else `gnuplot` on the PATH.
std::string gnuplot_program();

// Runs `gnuplot -e COMMAND... SCRIPT...` with `folder` as its working folder (scripts name their data and
// outputs relative to it), stdin from /dev/null and stdout/stderr captured; the commands run first (e.g.
// setting a variable the scripts read). Throws Error (io) when gnuplot is not found ("gnuplot not found:
// install gnuplot-nox ...") or exits non-zero (with what it printed).
void run_gnuplot(const std::filesystem::path& folder, const std::vector<std::string>& scripts,
                 const std::vector<std::string>& commands = {});

// `text` as a gnuplot single-quoted string literal: 'it''s'.
std::string gnuplot_quote(const std::string& text);

}  // namespace geoinv
