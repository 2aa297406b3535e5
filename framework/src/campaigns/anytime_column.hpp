// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The `anytime` column of results.csv (docs/campaigns.md, "Fixed-target comparison"): a solver's anytime
// record (Problem::best_so_far: the best Σ r² against cumulative forward evaluations) as one CSV cell, so
// that it travels with its row through every writer and reader of results.csv (worker pipes, MPI ranks,
// --resume, collect) and no second file has to be kept in step. Only a campaign with `fixed_target:` has
// the column; other campaigns' results.csv are as before.
//
// The cell holds the record's points in order, separated by spaces, each `evaluations:best_cost` with the
// cost in the shortest text that reads back to the same double: `1:5413.2 9:733.1 40:712.04`. Empty when
// the solver evaluated nothing (a failed set-up, a crashed run). The record only has a point where the
// best cost improves, so it stays short (tens of points for a local solver, a few hundred for a
// population over thousands of evaluations).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "geoinv/trace.hpp"

namespace geoinv {

struct AnytimePoint {
  std::int64_t evaluations = 0;  // forward evaluations so far, the improving one included
  double best_cost = 0;          // the best Σ r² so far
};
// Points in increasing evaluations and decreasing best cost.
using AnytimeRecord = std::vector<AnytimePoint>;

// The record of Problem::best_so_far() (columns evaluations, best_cost).
AnytimeRecord anytime_record(const Trace& best_so_far);

// The record of a solver started from another's estimate (`start_from`), counted from the start of the
// chain: `before` (the other's record, itself chained), then `own`'s points shifted by
// `evaluations_before` (what the chain had spent when this solver started) where they improve on
// `before`'s best. So a chain is compared by all the evaluations it spent.
AnytimeRecord chained_record(const AnytimeRecord& before, std::int64_t evaluations_before,
                             const AnytimeRecord& own);

// The cell's text (no CSV quoting is needed: it holds no comma or quote).
std::string anytime_cell(const AnytimeRecord& record);
// A cell read back; nothing when it is not one anytime_cell writes (a damaged or hand-edited row).
std::optional<AnytimeRecord> parse_anytime_cell(std::string_view cell);

}  // namespace geoinv
