// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Figures and report.html of a result folder (docs/outputs.md, docs/campaigns.md): for a run folder the
// data against each solver's fitted curve, the convergence of the iterative solvers and the loss curves of
// the learning ones; for a campaign folder box plots of each parameter's relative error per solver, the
// error and success rate against the noise level, and the figures of the kept run folders. Each figure is
// DIR/figures/<name>.png and .svg (and .pdf: figure_formats.hpp), drawn by gnuplot from
// DIR/figures/<name>.gp and <name>*.dat, which stay there for a researcher to edit and draw again. report.html is one static page with relative links.
// Internal to libgeoinv and the CLI (`geoinv plot`, and the end of `geoinv run` and `geoinv campaign`).
#include <filesystem>
#include <string>
#include <vector>

#include "reporting/figure_formats.hpp"

namespace geoinv {

enum class ResultFolderKind { run, campaign };

// A run folder holds result.json (`geoinv run`); a campaign folder campaign.json and results.csv
// (`geoinv campaign`, `geoinv collect`). Anything else throws Error (io) naming the folder and what a
// geoinv folder holds.
ResultFolderKind detect_result_folder(const std::filesystem::path& dir);

struct ReportOutcome {
  ResultFolderKind kind = ResultFolderKind::run;
  std::filesystem::path report;                    // DIR/report.html
  std::vector<std::filesystem::path> files;        // the figures drawn, in every format asked for
  std::vector<std::string> notes;                  // figures not drawn, and why
  std::vector<std::filesystem::path> run_reports;  // campaign: runs/<id>/report.html of the kept runs drawn
};

// At most this many kept run folders of a campaign get figures (the lowest run ids); `geoinv plot
// DIR/runs/<id>` draws any other.
constexpr std::size_t kMaxRunReportsPerCampaign = 10;

// (Re)writes DIR/figures/ and DIR/report.html, the figures in `formats`. They are drawn in a staging
// folder first (figure_staging.hpp) and replace the old ones only when gnuplot succeeds: when it is
// missing or fails, a folder that already has a report.html is left exactly as it was; one without (a
// new run) gets the scripts, the data and a report.html that says why its figures are missing. The
// failure is then thrown as Error (io), as are unreadable result files. A campaign's kept runs are drawn
// the same way, each on its own. Holds the folder's lock (base/folder_lock.hpp) meanwhile: a folder
// another process is writing is an io Error naming it.
ReportOutcome render_report(const std::filesystem::path& dir,
                            const FigureFormats& formats = default_figure_formats());

// For the end of `geoinv run` and `geoinv campaign`, where figures must not fail the results: renders,
// and on any failure prints one warning naming `shown_as` (the folder as the user knows it) on stderr.
// Returns whether everything was drawn.
bool render_report_or_warn(const std::filesystem::path& dir, const std::filesystem::path& shown_as,
                           const FigureFormats& formats = default_figure_formats());

}  // namespace geoinv
