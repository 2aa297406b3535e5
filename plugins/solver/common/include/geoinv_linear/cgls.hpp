// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// CGLS (conjugate gradients on the normal equations, Björck 1996, §7.4) for the regularised linear least
// squares min ‖B m − b‖² + λ‖L(m − m_ref)‖², matrix-free: one apply and one apply_transpose of B per
// iteration, the difference operator L applied by its stencil. For operators too large to factor, or
// given only as apply/transpose. It stops when ‖gradient‖ <= tolerance·‖gradient at the start‖ or after
// max_iterations; in exact arithmetic it ends within n iterations.
#include <Eigen/Core>

#include <cmath>

#include "geoinv/linear_operator.hpp"

namespace geoinv::linear {

// L u and Lᵀ v for the k-th order difference operator (regularization.hpp: difference_operator).
inline Eigen::VectorXd apply_difference(int order, const Eigen::VectorXd& u) {
  Eigen::VectorXd v = u;
  for (int k = 0; k < order; ++k) v = (v.tail(v.size() - 1) - v.head(v.size() - 1)).eval();
  return v;
}
inline Eigen::VectorXd apply_difference_transpose(int order, const Eigen::VectorXd& v) {
  Eigen::VectorXd u = v;
  for (int k = 0; k < order; ++k) {  // (Dᵀw)(i) = w(i−1) − w(i)
    Eigen::VectorXd longer = Eigen::VectorXd::Zero(u.size() + 1);
    longer.tail(u.size()) += u;
    longer.head(u.size()) -= u;
    u = longer;
  }
  return u;
}

struct CglsResult {
  int iterations = 0;
  bool converged = false;
  double gradient_ratio = 0.0;  // ‖gradient‖ / ‖gradient at the start‖ at the end
};

// Minimises from `m` (the start, overwritten by the solution). λ = 0 or order < 0 drops the L term.
inline CglsResult cgls(const LinearOperator& b_op, const Eigen::VectorXd& b, int order, double lambda,
                       const Eigen::VectorXd& reference, Eigen::VectorXd& m, int max_iterations, double tolerance) {
  const bool regularised = lambda > 0.0 && order >= 0;
  const double root_lambda = std::sqrt(lambda);
  const Eigen::Index n = m.size();
  // Residuals of the stacked system [B; √λ L] m = [b; √λ L m_ref].
  Eigen::VectorXd r_data(b.size()), r_reg, direction, q_data(b.size()), q_reg, gradient(n);
  b_op.apply(m, r_data);
  r_data = b - r_data;
  b_op.apply_transpose(r_data, gradient);
  if (regularised) {
    const Eigen::VectorXd u = reference.size() == 0 ? m : Eigen::VectorXd(m - reference);
    r_reg = -root_lambda * apply_difference(order, u);
    gradient += root_lambda * apply_difference_transpose(order, r_reg);
  }
  direction = gradient;
  double gamma = gradient.squaredNorm();
  const double gamma_start = gamma;
  CglsResult result;
  while (result.iterations < max_iterations && gamma > tolerance * tolerance * gamma_start && gamma > 0.0) {
    b_op.apply(direction, q_data);
    double q_norm = q_data.squaredNorm();
    if (regularised) {
      q_reg = root_lambda * apply_difference(order, direction);
      q_norm += q_reg.squaredNorm();
    }
    if (!(q_norm > 0.0)) break;
    const double alpha = gamma / q_norm;
    m += alpha * direction;
    r_data -= alpha * q_data;
    b_op.apply_transpose(r_data, gradient);
    if (regularised) {
      r_reg -= alpha * q_reg;
      gradient += root_lambda * apply_difference_transpose(order, r_reg);
    }
    const double gamma_next = gradient.squaredNorm();
    direction = gradient + (gamma_next / gamma) * direction;
    gamma = gamma_next;
    ++result.iterations;
  }
  result.gradient_ratio = gamma_start > 0.0 ? std::sqrt(gamma / gamma_start) : 0.0;
  result.converged = gamma <= tolerance * tolerance * gamma_start;
  return result;
}

}  // namespace geoinv::linear
