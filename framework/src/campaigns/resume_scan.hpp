// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// What `geoinv campaign --resume` trusts in results.csv (docs/campaigns.md, "Resume"). A pure function of
// the file's rows, so that tests (and a fuzz target) can hold it to its invariant:
//
//   every run it calls done has, in `kept`, exactly one row per solver label of that run, each a valid row.
//
// A row is valid when ResultColumns::holds_a_row accepts it (field count, integers and numbers where
// the layout has them) and its solver is one of its run's labels (run_solver_sets.hpp: a sweep over
// `solvers` gives runs different ones). A run is
//   - done: one valid row for every label of the run, and no other line;
//   - rejected: some line of it is invalid, names a solver the run does not have or repeats a solver. All its
//   lines
//     go to `rejected` (results.rejected.csv) and it runs again;
//   - incomplete: valid rows for some labels only (a campaign stopped between two rows of a run, or the
//     half of a run written before a failed write). Its lines are dropped quietly and it runs again,
//     giving the same rows.
// A run whose rows say its worker crashed (status crashed, result_row.hpp) is done like any other, unless
// `retry_crashed` (--retry-crashed): then its lines are dropped quietly and it runs again. A timed-out run
// is always done (it would time out again on the same budget).
// A line whose run id is not a run of the campaign (0 <= id < runs) is rejected. A last line without its
// newline (torn by a crash or a full disk) is dropped quietly. Rows of one run need not be adjacent.
//
// Memory: the caller holds the file's bytes; the scan adds a byte per (run, solver), and a copy of the
// kept rows only when some line is dropped (after a crash or damage, not after a clean stop).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "campaigns/result_row.hpp"
#include "campaigns/run_solver_sets.hpp"

namespace geoinv {

struct ResumeScan {
  std::vector<bool> done;  // indexed by run id, `runs` entries
  bool changed = false;    // some line is not kept: results.csv must be rewritten with `kept`
  std::string kept;        // when changed: the lines of the done runs, in file order, each ending in '\n'
  std::string rejected;    // the lines of rejected runs and of no run, in file order, each ending in '\n'
  std::int64_t rejected_lines = 0;
};

// Scans `rows` (results.csv after its header line) of a campaign with `runs` runs, whose solvers are
// `solvers` (each run's own), laid out as `columns` says.
ResumeScan scan_results(std::string_view rows, const ResultColumns& columns, const RunSolverSets& solvers,
                        std::int64_t runs, bool retry_crashed = false);

// The same, every run having the solvers `solver_labels` (distinct).
inline ResumeScan scan_results(std::string_view rows, const ResultColumns& columns,
                               const std::vector<std::string>& solver_labels, std::int64_t runs,
                               bool retry_crashed = false) {
  return scan_results(rows, columns, RunSolverSets(solver_labels), runs, retry_crashed);
}

}  // namespace geoinv
