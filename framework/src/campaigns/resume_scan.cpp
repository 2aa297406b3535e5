// SPDX-License-Identifier: BSD-3-Clause
#include "campaigns/resume_scan.hpp"

#include <algorithm>
#include <charconv>

namespace geoinv {

namespace {

constexpr std::int64_t kNoRun = -1;

// The run a line belongs to: its leading run id when it is a run of the campaign, else kNoRun.
std::int64_t run_of(std::string_view line, std::int64_t runs) {
  std::int64_t id = kNoRun;
  const auto [end, error] = std::from_chars(line.data(), line.data() + line.size(), id);
  if (error != std::errc() || end == line.data() + line.size() || *end != ',' || id < 0 || id >= runs)
    return kNoRun;
  return id;
}

// Calls `visit(line)` for each whole line of `rows` (without its '\n'); a last line without '\n' is torn.
template <typename Visit>
void for_each_whole_line(std::string_view rows, Visit visit) {
  std::size_t start = 0;
  for (std::size_t end; (end = rows.find('\n', start)) != std::string_view::npos; start = end + 1)
    visit(rows.substr(start, end - start));
}

}  // namespace

ResumeScan scan_results(std::string_view rows, const ResultColumns& columns, const RunSolverSets& run_solvers,
                        std::int64_t runs, bool retry_crashed) {
  const std::vector<std::string>& labels = run_solvers.all();
  const std::size_t solvers = labels.size();
  // has[set][label]: whether the runs of that set have that label.
  std::vector<std::vector<bool>> has;
  for (const auto& set : run_solvers.sets()) {
    has.emplace_back(solvers, false);
    for (const auto& label : set)
      has.back()[static_cast<std::size_t>(std::find(labels.begin(), labels.end(), label) - labels.begin())] =
          true;
  }
  const auto run_count = static_cast<std::size_t>(std::max<std::int64_t>(runs, 0));
  std::vector<std::uint8_t> seen(run_count * solvers, 0);  // [run][label]: rows of that solver
  std::vector<bool> bad(run_count, false), retried(run_count, false);
  CsvFields fields;
  for_each_whole_line(rows, [&](std::string_view line) {
    const std::int64_t run = run_of(line, runs);
    if (run == kNoRun) return;
    const auto index = static_cast<std::size_t>(run);
    fields.split(line);
    const auto label = columns.holds_a_row(fields)
                           ? std::find(labels.begin(), labels.end(), fields[columns.solver()])
                           : labels.end();
    const auto l = static_cast<std::size_t>(label - labels.begin());
    if (label == labels.end() || !has[run_solvers.set_of_run(run)][l]) {
      bad[index] = true;
      return;
    }
    if (retry_crashed && fields[columns.status()] == kCrashedStatus) retried[index] = true;
    std::uint8_t& count = seen[index * solvers + l];
    if (++count > 1) bad[index] = true;
    count = std::min<std::uint8_t>(count, 2);
  });

  ResumeScan scan;
  scan.done.assign(run_count, false);
  for (std::size_t run = 0; run < run_count; ++run) {
    if (bad[run] || retried[run] || solvers == 0) continue;
    const std::vector<bool>& expected = has[run_solvers.set_of_run(static_cast<std::int64_t>(run))];
    bool whole = true;  // a row of every label of the run (rows of other labels made the run bad)
    for (std::size_t l = 0; l < solvers && whole; ++l) whole = !expected[l] || seen[run * solvers + l] == 1;
    scan.done[run] = whole;
  }
  scan.changed = !rows.empty() && rows.back() != '\n';  // a torn tail
  for_each_whole_line(rows, [&](std::string_view line) {
    const std::int64_t run = run_of(line, runs);
    if (run != kNoRun && scan.done[static_cast<std::size_t>(run)]) return;
    scan.changed = true;
    if (run == kNoRun || bad[static_cast<std::size_t>(run)]) {
      scan.rejected.append(line).push_back('\n');
      ++scan.rejected_lines;
    }
  });
  if (!scan.changed) return scan;  // the common case: no copy of a file that may be large
  scan.kept.reserve(rows.size());
  for_each_whole_line(rows, [&](std::string_view line) {
    const std::int64_t run = run_of(line, runs);
    if (run != kNoRun && scan.done[static_cast<std::size_t>(run)]) scan.kept.append(line).push_back('\n');
  });
  return scan;
}

}  // namespace geoinv
