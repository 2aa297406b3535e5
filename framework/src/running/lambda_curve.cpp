// SPDX-License-Identifier: BSD-3-Clause
#include "running/lambda_curve.hpp"

#include <cmath>

namespace geoinv {

std::vector<double> log_spaced_grid(double smallest, double largest, int points) {
  std::vector<double> grid(static_cast<std::size_t>(points));
  const double low = std::log10(smallest), step = (std::log10(largest) - low) / (points - 1);
  for (int i = 0; i < points; ++i) grid[static_cast<std::size_t>(i)] = std::pow(10.0, low + step * i);
  grid.front() = smallest;
  grid.back() = largest;
  return grid;
}

}  // namespace geoinv
