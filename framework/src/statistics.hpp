#pragma once
// Order statistics for the summaries and figures geoinv computes from its own result files.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

namespace geoinv {

// The q-quantile (0 <= q <= 1) of values sorted ascending, with linear interpolation between order
// statistics (R's type 7, numpy's default): the definition summary.csv's medians and IQRs use. NaN when
// there are no values.
inline double quantile_sorted(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double position = q * static_cast<double>(sorted.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, sorted.size() - 1);
  return sorted[below] + (position - static_cast<double>(below)) * (sorted[above] - sorted[below]);
}

}  // namespace geoinv
