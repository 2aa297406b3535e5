// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The fixed-target comparison in a campaign's figures and report.html (docs/campaigns.md, "Fixed-target
// comparison"), drawn from a FixedTargetStudy (campaigns/fixed_target_study.hpp). Internal to the
// reporting room.
#include <filesystem>
#include <string>

#include "campaigns/fixed_target_study.hpp"
#include "reporting/figures.hpp"

namespace geoinv {

// Two figures, each solver in its palette colour (solver_palette.hpp), log-scaled evaluations on x:
//  - anytime_rms_excess: per solver the median, with its interquartile band, over the runs of the RMS
//    excess over the best known, √(best Σ r² / best known Σ r²) − 1, against forward evaluations; values
//    below a hundredth of the tightest target are drawn at that floor (log y);
//  - ecdf_evaluations_to_target: per solver the fraction of (run, target) pairs reached within x
//    evaluations (censored pairs in the denominator), as steps.
void write_fixed_target_figures(const FixedTargetStudy& study, const std::string& campaign_name,
                                const std::filesystem::path& figures, FigurePlan& plan);

// The report's section: the definition of the targets, then a row per sweep point and solver: runs, best
// RMS, per target the share of runs that reached it with its Wilson 95 % interval and the median
// evaluations to it, and the median wall time (fixed_target.csv holds the same numbers unrounded).
std::string fixed_target_html(const FixedTargetStudy& study);

}  // namespace geoinv
