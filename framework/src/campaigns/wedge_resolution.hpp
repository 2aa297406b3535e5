// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The resolved thickness of a wedge (issue 13, section 4), the rule the wedge campaign reports per solver
// and noise level:
//
//   the smallest wedge thickness k from which every thicker trace shows separate extrema of the right
//   signs above 10 % of the reflector amplitude, within ±2 samples of the true top and base, and with
//   their separation within ±1 sample of k.
//
// A looser rule (without the separation test) passes at k = 1 for every method, including the raw data,
// because a 30 Hz Ricker's peak and trough are 5.6 samples apart. The extrema are found as the seismic
// peer finds them (seismic_peer.py, two_extrema): sample i (not the first or last) is an extremum of sign
// s when s·e[i] > s·e[i−1], s·e[i] >= s·e[i+1] and s·e[i] > the floor; the top's extremum must come
// strictly before the base's. A trace of thickness 0 never resolves.
#include <Eigen/Core>

#include <optional>
#include <vector>

namespace geoinv {

struct WedgeTrace {
  Eigen::Index top = 0;        // the top reflector's sample (0-based)
  Eigen::Index thickness = 0;  // samples from top to base
  double top_amplitude = 0.2;  // the true reflection coefficients: their signs are the extrema's signs
  double base_amplitude = -0.2;
};

struct WedgeRule {
  double min_fraction = 0.1;              // of the reflector amplitude max(|top|, |base|)
  Eigen::Index position_tolerance = 2;    // samples, each extremum about its true position
  Eigen::Index separation_tolerance = 1;  // samples, |separation − thickness|
};

// Whether `trace` (an estimate or the data of one wedge trace) resolves its top and base by the rule.
bool wedge_trace_resolved(const Eigen::Ref<const Eigen::VectorXd>& trace, const WedgeTrace& wedge,
                          const WedgeRule& rule = {});

// The resolved thickness of a section from its traces' thicknesses and verdicts (same order, any order
// of thickness, repeats allowed): the smallest thickness k of a trace such that every trace of thickness
// >= k is resolved, so a thickness with one unresolved trace among its repeats is not; nullopt when a
// trace of the largest thickness is not resolved (or there are no traces). The seismic peer's rule
// (seismic_peer.py, resolved_thickness) takes the trace after the last unresolved one in sorted order,
// which answers k when a resolved repeat of k follows the unresolved one.
std::optional<Eigen::Index> resolved_thickness(const std::vector<Eigen::Index>& thicknesses,
                                               const std::vector<bool>& resolved);

}  // namespace geoinv
