// SPDX-License-Identifier: BSD-3-Clause
// What --resume trusts in results.csv (campaigns/resume_scan.hpp): valid runs kept, damaged runs
// rejected, and under random garbage the invariant "every run called done has exactly one valid row per
// solver".
#include "campaigns/resume_scan.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "base/csv.hpp"
#include "campaigns/result_row.hpp"

namespace geoinv {
namespace {

const std::vector<std::string> kLabels{"dls", "gn"};
constexpr std::int64_t kRuns = 12;

ResultColumns layout() {
  std::string header = results_header({"noise"}, {"x", "h"});
  header.pop_back();
  return ResultColumns(split_csv_line(header), {"x", "h"}, "results.csv");
}

std::string valid_row(std::int64_t run, const std::string& label) {
  fmt::memory_buffer out;
  ResultRow row;
  row.solver = label;
  row.status = "converged";
  row.termination = "function_tolerance";
  row.estimate = {1.5, 2.0};
  row.rms = 0.25;
  row.iterations = 3;
  row.message = "a, \"quoted\" message";
  write_row(out, run_columns(run, 0, run / 2, run % 2, {"1"}, 42 + static_cast<std::uint64_t>(run)), row, 2);
  return fmt::to_string(out);
}

std::string whole_runs(std::int64_t from, std::int64_t to) {
  std::string text;
  for (std::int64_t run = from; run < to; ++run)
    for (const auto& label : kLabels) text += valid_row(run, label);
  return text;
}

TEST(ResumeScan, WholeRunsAreDoneAndKeptAsTheyAre) {
  const std::string rows = whole_runs(0, kRuns);
  const ResumeScan scan = scan_results(rows, layout(), kLabels, kRuns);
  EXPECT_EQ(scan.done, std::vector<bool>(kRuns, true));
  EXPECT_FALSE(scan.changed);
  EXPECT_TRUE(scan.kept.empty());  // kept as they are: no copy
  EXPECT_EQ(scan.rejected_lines, 0);
}

TEST(ResumeScan, AnIncompleteRunAndATornLineAreDroppedQuietly) {
  const std::string rows = whole_runs(0, 3) + valid_row(3, "gn") + valid_row(4, "dls").substr(0, 20);
  const ResumeScan scan = scan_results(rows, layout(), kLabels, kRuns);
  EXPECT_TRUE(scan.done[2]);
  EXPECT_FALSE(scan.done[3]);
  EXPECT_FALSE(scan.done[4]);
  EXPECT_EQ(scan.kept, whole_runs(0, 3));
  EXPECT_EQ(scan.rejected_lines, 0);
  EXPECT_TRUE(scan.changed);
}

TEST(ResumeScan, DamagedRunsAreRejectedWithAllTheirLines) {
  std::string wrong_count = valid_row(1, "dls");
  wrong_count.insert(wrong_count.size() - 1, ",extra");
  std::string not_a_number = valid_row(2, "dls");
  not_a_number.replace(not_a_number.find(",0,") + 1, 1, "zero");  // the shard
  const std::string rows = valid_row(0, "dls") + valid_row(0, "gn") + wrong_count + valid_row(1, "gn") +
                           not_a_number + valid_row(2, "gn") + valid_row(3, "dls") + valid_row(3, "gn") +
                           valid_row(3, "gn") + valid_row(4, "dls") + valid_row(4, "nobody") +
                           valid_row(99, "dls") + "garbage\n";
  const ResumeScan scan = scan_results(rows, layout(), kLabels, kRuns);
  EXPECT_EQ(scan.done, (std::vector<bool>{true, false, false, false, false, false, false, false, false, false,
                                          false, false}));
  EXPECT_EQ(scan.kept, valid_row(0, "dls") + valid_row(0, "gn"));
  EXPECT_EQ(scan.rejected_lines, 11);  // runs 1 to 4 (9 lines), run 99 (no run of the campaign), garbage
}

// A run whose worker crashed (status crashed in every row) is done, unless --retry-crashed asks for it
// again: then its rows are dropped quietly, not rejected. A timed-out run stays done either way.
TEST(ResumeScan, CrashedRunsAreDoneUnlessRetryCrashed) {
  const auto marked = [](std::int64_t run, const std::string& label, const std::string& status) {
    std::string row = valid_row(run, label);
    row.replace(row.find(",converged,"), std::string(",converged,").size(), "," + status + ",");
    return row;
  };
  const std::string crashed = marked(1, "dls", "crashed") + marked(1, "gn", "crashed");
  const std::string rows = whole_runs(0, 1) + crashed + marked(2, "dls", "timed_out") + marked(2, "gn", "timed_out");
  const ResumeScan trusted = scan_results(rows, layout(), kLabels, 3);
  EXPECT_EQ(trusted.done, (std::vector<bool>{true, true, true}));
  EXPECT_FALSE(trusted.changed);
  const ResumeScan retried = scan_results(rows, layout(), kLabels, 3, /*retry_crashed=*/true);
  EXPECT_EQ(retried.done, (std::vector<bool>{true, false, true}));
  EXPECT_TRUE(retried.changed);
  EXPECT_EQ(retried.kept, whole_runs(0, 1) + marked(2, "dls", "timed_out") + marked(2, "gn", "timed_out"));
  EXPECT_EQ(retried.rejected_lines, 0);
}

// A sweep over `solvers` (run_solver_sets.hpp): axis 0 has 3 values, axis 1 (the solver axis, fastest)
// gives even runs {dls} and odd runs {dls, gn}. Each run is held to its own labels: whole runs are done
// as they are, a row of a solver its run does not have rejects the run, a run missing one of its own
// solvers is incomplete.
TEST(ResumeScan, EachRunIsHeldToItsOwnSolvers) {
  const RunSolverSets solvers({3, 2}, 1, {1}, {{"dls"}, {"dls", "gn"}});
  std::string whole;
  for (std::int64_t run = 0; run < 6; ++run)
    for (const auto& label : solvers.of_run(run)) whole += valid_row(run, label);
  const ResumeScan complete = scan_results(whole, layout(), solvers, 6);
  EXPECT_EQ(complete.done, std::vector<bool>(6, true));
  EXPECT_FALSE(complete.changed);
  EXPECT_EQ(complete.rejected_lines, 0);

  const std::string rows = valid_row(0, "dls") + valid_row(0, "gn") + valid_row(1, "dls") +
                           valid_row(1, "gn") + valid_row(2, "dls") + valid_row(3, "gn");
  const ResumeScan scan = scan_results(rows, layout(), solvers, 6);
  EXPECT_EQ(scan.done, (std::vector<bool>{false, true, true, false, false, false}));
  EXPECT_EQ(scan.kept, valid_row(1, "dls") + valid_row(1, "gn") + valid_row(2, "dls"));
  EXPECT_EQ(scan.rejected, valid_row(0, "dls") + valid_row(0, "gn"));  // run 0 has no gn
  EXPECT_EQ(scan.rejected_lines, 2);  // run 3 lacks dls: incomplete, dropped quietly
}

// Random lines: whole runs, rows with one field replaced by noise, torn rows, duplicates, unknown solvers
// and bytes; the scan must never call a run done unless its kept rows are exactly one valid row per label.
TEST(ResumeScan, RandomGarbageNeverMakesARunDoneWithoutOneValidRowPerSolver) {
  const ResultColumns columns = layout();
  std::mt19937_64 random(20261204);
  const auto pick = [&random](std::size_t n) { return static_cast<std::size_t>(random() % n); };
  for (int trial = 0; trial < 300; ++trial) {
    std::string rows;
    for (int line = 0; line < 40; ++line) {
      const std::int64_t run = static_cast<std::int64_t>(pick(kRuns + 2)) - 1;
      std::string row = valid_row(run, pick(5) == 0 ? "other" : kLabels[pick(kLabels.size())]);
      switch (pick(6)) {
        case 0: {  // one field replaced by noise
          std::vector<std::string> fields = split_csv_line(row.substr(0, row.size() - 1));
          fields[pick(fields.size())] = std::string(1 + pick(3), static_cast<char>('!' + pick(90)));
          row.clear();
          for (const auto& field : fields) row += (row.empty() ? "" : ",") + csv_field(field);
          row += "\n";
          break;
        }
        case 1:  // torn, then joined to the next line
          row.resize(pick(row.size()));
          break;
        case 2:  // random bytes
          row.clear();
          for (std::size_t i = pick(30); i > 0; --i) row += static_cast<char>(1 + pick(255));
          row += "\n";
          break;
        default:
          break;
      }
      rows += row;
    }
    const ResumeScan scan = scan_results(rows, columns, kLabels, kRuns);
    const std::string& kept_rows = scan.changed ? scan.kept : rows;
    std::map<std::int64_t, std::vector<std::string>> kept;  // run -> labels of its kept rows
    CsvFields fields;
    std::size_t start = 0;
    for (std::size_t end; (end = kept_rows.find('\n', start)) != std::string::npos; start = end + 1) {
      fields.split(std::string_view(kept_rows).substr(start, end - start));
      ASSERT_TRUE(columns.holds_a_row(fields)) << kept_rows.substr(start, end - start);
      kept[std::stoll(std::string(fields[columns.run_id()]))].emplace_back(fields[columns.solver()]);
    }
    ASSERT_EQ(start, kept_rows.size());
    for (std::int64_t run = 0; run < kRuns; ++run) {
      std::vector<std::string> labels = kept[run];
      std::sort(labels.begin(), labels.end());
      if (scan.done[static_cast<std::size_t>(run)])
        EXPECT_EQ(labels, kLabels) << "run " << run << " of trial " << trial;
      else
        EXPECT_TRUE(labels.empty()) << "run " << run << " of trial " << trial;
    }
  }
}

}  // namespace
}  // namespace geoinv
