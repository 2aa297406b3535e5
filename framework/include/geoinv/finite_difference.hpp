// SPDX-License-Identifier: BSD-3-Clause
#pragma once
#include <Eigen/Core>

#include "geoinv/export.hpp"
#include "geoinv/forward_model.hpp"

namespace geoinv {

// Ceres' step rule for central differences: step = max(sqrt(eps), relative_step * |x|). A purely
// multiplicative step would give a zero column at x = 0.
GEOINV_API double central_difference_step(double x, double relative_step = 1e-6);

// Central-difference Jacobian of `model` at `parameters` (2 forward evaluations per parameter).
GEOINV_API void central_difference_jacobian(const ForwardModel& model, const Eigen::Ref<const Vector>& parameters,
                                            Eigen::Ref<Matrix> jacobian, double relative_step = 1e-6);

}  // namespace geoinv
