// SPDX-License-Identifier: BSD-3-Clause
#include "campaigns/wedge_resolution.hpp"

#include <algorithm>
#include <cmath>

namespace geoinv {

namespace {

// The samples in [from, to] (clipped to 1 .. n−2) that are extrema of sign `sign` above `floor`.
std::vector<Eigen::Index> extrema(const Eigen::Ref<const Eigen::VectorXd>& e, Eigen::Index from, Eigen::Index to,
                                  double sign, double floor) {
  std::vector<Eigen::Index> found;
  for (Eigen::Index i = std::max<Eigen::Index>(from, 1); i <= std::min<Eigen::Index>(to, e.size() - 2); ++i)
    if (sign * e(i) > sign * e(i - 1) && sign * e(i) >= sign * e(i + 1) && sign * e(i) > floor) found.push_back(i);
  return found;
}

double sign_of(double value) { return value < 0.0 ? -1.0 : 1.0; }

}  // namespace

bool wedge_trace_resolved(const Eigen::Ref<const Eigen::VectorXd>& trace, const WedgeTrace& wedge,
                          const WedgeRule& rule) {
  if (wedge.thickness == 0) return false;
  const double floor = rule.min_fraction * std::max(std::abs(wedge.top_amplitude), std::abs(wedge.base_amplitude));
  const Eigen::Index base = wedge.top + wedge.thickness, tolerance = rule.position_tolerance;
  const auto tops = extrema(trace, wedge.top - tolerance, wedge.top + tolerance, sign_of(wedge.top_amplitude), floor);
  const auto bases = extrema(trace, base - tolerance, base + tolerance, sign_of(wedge.base_amplitude), floor);
  for (const Eigen::Index i : tops)
    for (const Eigen::Index j : bases)
      if (i < j && std::abs(j - i - wedge.thickness) <= rule.separation_tolerance) return true;
  return false;
}

std::optional<Eigen::Index> resolved_thickness(const std::vector<Eigen::Index>& thicknesses,
                                               const std::vector<bool>& resolved) {
  if (thicknesses.empty() || thicknesses.size() != resolved.size()) return std::nullopt;
  // The thinnest trace thicker than every unresolved one: with repeated thicknesses, a resolved trace
  // beside an unresolved one of the same thickness does not make that thickness resolved.
  std::optional<Eigen::Index> thickest_unresolved, answer;
  for (std::size_t t = 0; t < thicknesses.size(); ++t)
    if (!resolved[t] && (!thickest_unresolved || thicknesses[t] > *thickest_unresolved))
      thickest_unresolved = thicknesses[t];
  for (const Eigen::Index k : thicknesses)
    if ((!thickest_unresolved || k > *thickest_unresolved) && (!answer || k < *answer)) answer = k;
  return answer;
}

}  // namespace geoinv
