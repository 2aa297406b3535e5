// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The fixed-target comparison of a campaign folder (docs/campaigns.md, "Fixed-target comparison"), read
// from its campaign.json (fixed_target.precisions, fixed_target.instance) and the anytime column of its
// results.csv: per solver and sweep point the share of runs that reached each target and the median
// evaluations to it, and per solver, pooled over the campaign, the ECDF of evaluations-to-target and the
// RMS excess against evaluations. fixed_target.csv (written beside summary.csv) and the report's figures
// and table are drawn from it.
//
// The best known Σ r² of an instance (a run, or a sweep point: CampaignPlan::target_instance) is the
// least any solver reached on it in the campaign. Two passes over results.csv: the best known values
// first, then every row against them. Memory: a double per instance, and per row 16 bytes per target;
// the anytime bands go through BoundedValues (the campaign's memory budget).
#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "campaigns/fixed_target.hpp"

namespace geoinv {

// One solver at one sweep point.
struct FixedTargetGroup {
  std::int64_t point = 0;
  std::size_t solver = 0;
  std::vector<std::string> values;  // the point's sweep values (results.csv's text)
  std::int64_t runs = 0;
  double best_rms = std::numeric_limits<double>::quiet_NaN();  // the least rms of its runs
  std::vector<std::int64_t> reached;                           // per target: runs that reached it
  std::vector<double> median_evaluations;                      // per target: censored_median
  double median_wall_time_s = std::numeric_limits<double>::quiet_NaN();
};

struct FixedTargetStudy {
  std::vector<double> precisions;  // the targets τ
  std::string instance;            // "run" or "point"
  std::vector<std::string> solvers, axis_columns;
  std::vector<FixedTargetGroup> groups;     // by point, then solver in the campaign's order
  std::vector<std::vector<EcdfStep>> ecdf;  // per solver, over every run and target
  std::vector<std::int64_t> pairs;          // per solver: (run, target) pairs, the ECDF's denominator
  std::vector<std::int64_t> grid;           // forward evaluations of the bands, log-spaced from 1
  // Per solver and grid point: q25, median, q75 over its runs of the RMS excess √(best cost / best
  // known) − 1 (runs without a record left out; NaN without runs).
  std::vector<std::vector<std::array<double, 3>>> excess;
};

// Nothing when the campaign has no `fixed_target:` (campaign.json). Temporary files of the bands go to
// `scratch`. An io Error names a results.csv without the anytime column.
std::optional<FixedTargetStudy> read_fixed_target_study(const std::filesystem::path& dir,
                                                        const std::filesystem::path& scratch);

// The column label of target τ: "0.01".
std::string precision_label(double precision);

// Writes DIR/fixed_target.csv atomically when the campaign has a fixed-target comparison: a row per
// sweep point and solver: point, <sweep keys>, solver, runs, best_rms, then per target τ reached_<τ>,
// success_rate_<τ>, success_rate_ci95_low_<τ>, success_rate_ci95_high_<τ> (Wilson),
// median_evaluations_<τ> (inf: fewer than half the runs reached it), and median_wall_time_s.
void write_fixed_target_summary(const std::filesystem::path& dir);

}  // namespace geoinv
