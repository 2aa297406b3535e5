// SPDX-License-Identifier: BSD-3-Clause
#include "geoinv/finite_difference.hpp"

#include <cmath>
#include <limits>

namespace geoinv {

double central_difference_step(double x, double relative_step) {
  return std::max(std::sqrt(std::numeric_limits<double>::epsilon()), relative_step * std::abs(x));
}

void central_difference_jacobian(const ForwardModel& model, const Eigen::Ref<const Vector>& parameters,
                                 Eigen::Ref<Matrix> jacobian, double relative_step) {
  Vector shifted = parameters;
  Vector plus(jacobian.rows()), minus(jacobian.rows());
  for (Eigen::Index j = 0; j < parameters.size(); ++j) {
    const double step = central_difference_step(parameters(j), relative_step);
    shifted(j) = parameters(j) + step;
    model.predict(shifted, plus);
    shifted(j) = parameters(j) - step;
    model.predict(shifted, minus);
    shifted(j) = parameters(j);
    jacobian.col(j) = (plus - minus) / (2.0 * step);
  }
}

}  // namespace geoinv
