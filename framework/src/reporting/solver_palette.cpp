// SPDX-License-Identifier: BSD-3-Clause
#include "reporting/solver_palette.hpp"

#include <algorithm>
#include <utility>

#include "reporting/figure_files.hpp"

namespace geoinv {

SolverPalette::SolverPalette(std::vector<std::string> solvers) : solvers_(std::move(solvers)) {}

std::string SolverPalette::colour(const std::string& label) const {
  const auto found = std::find(solvers_.begin(), solvers_.end(), label);
  return geoinv::colour(static_cast<std::size_t>(found - solvers_.begin()));
}

}  // namespace geoinv
