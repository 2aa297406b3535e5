// SPDX-License-Identifier: BSD-3-Clause
#include "running/uncertainty.hpp"

#include <Eigen/Eigenvalues>
#include <fmt/format.h>

#include <cmath>
#include <limits>

namespace geoinv {

Uncertainty linearised_uncertainty(const Matrix& weighted_jacobian, double weighted_sse) {
  Uncertainty out;
  const Eigen::Index m = weighted_jacobian.rows();
  const Eigen::Index n = weighted_jacobian.cols();
  if (m <= n) {
    out.note = fmt::format("no uncertainty: {} data for {} parameters leave no degrees of freedom", m, n);
    return out;
  }
  // Column dot products: for the few parameters of most models this skips the blocked product's packing,
  // which costs more than the arithmetic; with many parameters the blocked product wins.
  Matrix normal(n, n);
  if (n <= 16) {
    for (Eigen::Index j = 0; j < n; ++j)
      for (Eigen::Index i = j; i < n; ++i)
        normal(i, j) = normal(j, i) = weighted_jacobian.col(i).dot(weighted_jacobian.col(j));
  } else {
    normal.noalias() = weighted_jacobian.transpose() * weighted_jacobian;
  }
  const Vector diagonal = normal.diagonal();
  if ((diagonal.array() <= 0.0).any()) {
    out.note = "no uncertainty: a parameter has no influence on the data at the estimate (zero Jacobian column)";
    return out;
  }
  // Scale columns to unit diagonal so the condition number measures trade-offs, not units.
  const Vector inverse_scale = diagonal.cwiseSqrt().cwiseInverse();
  const Matrix scaled = inverse_scale.asDiagonal() * normal * inverse_scale.asDiagonal();
  Eigen::SelfAdjointEigenSolver<Matrix> eigen(scaled);
  const double largest = eigen.eigenvalues().maxCoeff();
  const double smallest = eigen.eigenvalues().minCoeff();
  out.condition_number = smallest > 0.0 ? largest / smallest : std::numeric_limits<double>::infinity();
  if (!(smallest > largest * 1e-15)) {
    out.note = "no uncertainty: JᵀJ is singular at the estimate (parameters not resolved by the data)";
    return out;
  }
  out.sigma_hat_squared = weighted_sse / static_cast<double>(m - n);
  const Matrix scaled_inverse = eigen.eigenvectors() * eigen.eigenvalues().cwiseInverse().asDiagonal() *
                                eigen.eigenvectors().transpose();
  const Matrix covariance =
      out.sigma_hat_squared * (inverse_scale.asDiagonal() * scaled_inverse * inverse_scale.asDiagonal());
  out.std_error = covariance.diagonal().cwiseSqrt();
  out.correlation = covariance.array() / (out.std_error * out.std_error.transpose()).array();
  out.correlation.diagonal().setOnes();  // exactly, not 1 ± rounding
  out.available = true;
  if (out.condition_number > kIllConditioned)
    out.note = fmt::format("ill-conditioned: condition number {:.3g} of the scaled JᵀJ exceeds {:.0e}; "
                           "parameters trade off and the standard errors are unreliable",
                           out.condition_number, kIllConditioned);
  return out;
}

std::string withheld_uncertainty_note(Termination termination) {
  switch (termination) {
    case Termination::budget_exhausted: return "no uncertainty: budget exhausted before convergence";
    case Termination::max_iterations: return "no uncertainty: iteration limit reached before convergence";
    case Termination::numerical_failure:
    case Termination::plugin_failure: return "no uncertainty: the solver failed (" + to_string(termination) + ")";
    default: return {};
  }
}

std::vector<std::string> strong_correlation_warnings(const std::vector<std::string>& names,
                                                     const Matrix& correlation) {
  std::vector<std::string> warnings;
  const auto n = static_cast<Eigen::Index>(names.size());
  if (correlation.rows() != n || correlation.cols() != n) return warnings;
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = i + 1; j < n; ++j)
      if (std::abs(correlation(i, j)) > kStrongCorrelation)
        warnings.push_back(fmt::format("strong correlation: {} and {} correlate at r = {:.3f} (|r| > {}); the "
                                       "data resolve a combination of them rather than each",
                                       names[static_cast<std::size_t>(i)], names[static_cast<std::size_t>(j)],
                                       correlation(i, j), kStrongCorrelation));
  return warnings;
}

}  // namespace geoinv
