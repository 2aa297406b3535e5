// SPDX-License-Identifier: BSD-3-Clause
#include "campaigns/fixed_target.hpp"

#include <algorithm>
#include <cmath>

namespace geoinv {

double target_cost(double best_known_cost, double precision) {
  return (1.0 + precision) * (1.0 + precision) * best_known_cost;
}

std::optional<std::int64_t> evaluations_to_target(const AnytimeRecord& record, double cost) {
  for (const AnytimePoint& point : record)
    if (point.best_cost <= cost) return point.evaluations;
  return std::nullopt;
}

double best_cost_at(const AnytimeRecord& record, std::int64_t evaluations) {
  // The last point at or before `evaluations`: points are in increasing evaluations.
  const auto after =
      std::upper_bound(record.begin(), record.end(), evaluations,
                       [](std::int64_t e, const AnytimePoint& point) { return e < point.evaluations; });
  return after == record.begin() ? std::numeric_limits<double>::infinity() : std::prev(after)->best_cost;
}

std::vector<EcdfStep> evaluations_ecdf(const std::vector<std::optional<std::int64_t>>& hits) {
  std::vector<std::int64_t> reached;
  for (const auto& hit : hits)
    if (hit) reached.push_back(*hit);
  std::sort(reached.begin(), reached.end());
  std::vector<EcdfStep> steps;
  const double pairs = static_cast<double>(hits.size());
  for (std::size_t i = 0; i < reached.size(); ++i)
    if (i + 1 == reached.size() || reached[i + 1] != reached[i])
      steps.push_back({reached[i], static_cast<double>(i + 1) / pairs});
  return steps;
}

double censored_median(std::vector<std::optional<std::int64_t>> hits) {
  if (hits.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::vector<double> values;
  for (const auto& hit : hits)
    values.push_back(hit ? static_cast<double>(*hit) : std::numeric_limits<double>::infinity());
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  const double low = values[(n - 1) / 2], high = values[n / 2];
  if (std::isinf(high)) return high;
  return low + 0.5 * (high - low);
}

}  // namespace geoinv
