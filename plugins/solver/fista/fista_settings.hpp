// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The options of the `fista` solver as values: one home for every default. README.md explains each.
#include <cstdint>

namespace geoinv::fista {

struct Settings {
  std::int64_t max_iterations = 20000;  // proximal-gradient iterations, >= 1
  // Stop when ‖x_k+1 − x_k‖ <= parameter_tolerance · ‖x_k+1‖ (dimensionless, > 0).
  double parameter_tolerance = 1e-10;
  bool restart = true;              // adaptive restart of the momentum (O'Donoghue & Candès 2015)
  // l1 on a linear model: try the support solve once the support and signs have held for this many
  // iterations (iterations, >= 0; 0 never).
  std::int64_t polish_interval = 10;
};

}  // namespace geoinv::fista
