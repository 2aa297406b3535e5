// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Fixed-target comparison of solvers, in the manner of the COCO/BBOB platform (Hansen et al., "COCO: a
// platform for comparing continuous optimizers in a black-box setting", 2021): how many forward
// evaluations a solver needs until its misfit is within a relative precision τ of the best known misfit
// of the problem instance, over runs and targets (docs/campaigns.md, "Fixed-target comparison").
//
// Targets are on the RMS scale, as the field profiles' reference minima are quoted: a run reaches target τ
// when √(best Σ r²) ≤ (1 + τ)·√(best known Σ r²), i.e. its (weighted) RMS is within τ of the best known
// RMS, whatever the number of data. A run that never gets there within its evaluations is censored: it
// counts in every denominator and never in a numerator.
#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "campaigns/anytime_column.hpp"

namespace geoinv {

// The relative precisions τ when the campaign file's `fixed_target:` gives none.
inline const std::vector<double> kDefaultTargetPrecisions = {1e-1, 1e-2, 1e-3};

// The Σ r² of target τ: (1 + τ)² · best_known_cost.
double target_cost(double best_known_cost, double precision);

// The forward evaluations at which `record` first reaches `cost` (best_cost ≤ cost), or nothing
// (censored) when it never does.
std::optional<std::int64_t> evaluations_to_target(const AnytimeRecord& record, double cost);

// The best Σ r² of `record` after `evaluations` forward evaluations: +∞ before its first point, its last
// point's after its end (the solver stopped there).
double best_cost_at(const AnytimeRecord& record, std::int64_t evaluations);

// One step of an empirical cumulative distribution: the fraction of all (run, target) pairs reached
// within `evaluations`.
struct EcdfStep {
  std::int64_t evaluations = 0;
  double fraction = 0;
};
// The steps of the ECDF of evaluations-to-target: one per distinct count among the reached pairs (ties
// are one step), in increasing order; the denominator is every pair, censored ones included, so the
// last fraction is the share reached at all. Empty when nothing was reached.
std::vector<EcdfStep> evaluations_ecdf(const std::vector<std::optional<std::int64_t>>& hits);

// The median of evaluations-to-target with censored pairs counted as larger than every count: +∞ when
// fewer than half the pairs reached the target; NaN without pairs. Linear interpolation between the two
// middle counts of an even number (summary.csv's rule).
double censored_median(std::vector<std::optional<std::int64_t>> hits);

}  // namespace geoinv
