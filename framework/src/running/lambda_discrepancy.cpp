// SPDX-License-Identifier: BSD-3-Clause
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "running/lambda_rules.hpp"

namespace geoinv {

namespace {

constexpr double kRelativeTolerance = 1e-3;
constexpr int kMaxRefinements = 60;

std::size_t index_of(const std::vector<LambdaPoint>& curve, double lambda) {
  for (std::size_t i = 0; i < curve.size(); ++i)
    if (curve[i].lambda == lambda) return i;
  return 0;
}

}  // namespace

std::size_t choose_by_discrepancy(std::vector<LambdaPoint>& curve, double target,
                                  const std::function<LambdaPoint(double)>& solve_at, std::string& note) {
  // The last point below the target and the first above it, among the points that solved.
  std::size_t below = curve.size(), above = curve.size();
  for (std::size_t i = 0; i < curve.size(); ++i) {
    if (std::isnan(curve[i].misfit)) continue;
    if (curve[i].misfit <= target) below = i;
    if (curve[i].misfit > target && above == curve.size()) above = i;
  }
  if (below == curve.size() && above == curve.size()) {
    note = "no solve of the sweep succeeded";
    return 0;
  }
  if (below == curve.size()) {
    note = fmt::format("every misfit on the grid exceeds the target {:.6g}: the smallest lambda is chosen",
                       target);
    return above;
  }
  if (above == curve.size() || above < below) {
    note = fmt::format("every misfit on the grid is below the target {:.6g}: the largest lambda is chosen",
                       target);
    return below;
  }
  if (std::abs(curve[below].misfit - target) <= kRelativeTolerance * target) return below;
  double low = curve[below].lambda, high = curve[above].lambda;
  LambdaPoint best = curve[below];
  for (int step = 0; step < kMaxRefinements; ++step) {
    LambdaPoint middle = solve_at(std::sqrt(low * high));
    middle.refinement = true;
    curve.push_back(middle);
    if (std::isnan(middle.misfit)) break;
    if (std::abs(middle.misfit - target) < std::abs(best.misfit - target)) best = middle;
    if (std::abs(middle.misfit - target) <= kRelativeTolerance * target) break;
    (middle.misfit > target ? high : low) = middle.lambda;
  }
  std::sort(curve.begin(), curve.end(),
            [](const LambdaPoint& a, const LambdaPoint& b) { return a.lambda < b.lambda; });
  return index_of(curve, best.lambda);
}

}  // namespace geoinv
