// SPDX-License-Identifier: BSD-3-Clause
#include <Eigen/Cholesky>

#include <cmath>

#include "running/lambda_rules.hpp"

namespace geoinv {

double influence_trace(const Eigen::MatrixXd& gram_of_operator, const Eigen::MatrixXd& gram_of_penalty, double lambda) {
  const Eigen::MatrixXd system = gram_of_operator + lambda * gram_of_penalty;
  const Eigen::LLT<Eigen::MatrixXd> cholesky(system);
  if (cholesky.info() == Eigen::Success) return cholesky.solve(gram_of_operator).trace();
  return Eigen::LDLT<Eigen::MatrixXd>(system).solve(gram_of_operator).trace();
}

std::size_t choose_by_gcv(std::vector<LambdaPoint>& curve, const Eigen::MatrixXd& weighted_operator,
                          const Eigen::MatrixXd& penalty_operator) {
  const Eigen::MatrixXd gram_of_operator = weighted_operator.transpose() * weighted_operator;
  const Eigen::MatrixXd gram_of_penalty = penalty_operator.transpose() * penalty_operator;
  const auto data_count = static_cast<double>(weighted_operator.rows());
  std::size_t chosen = 0;
  bool found = false;
  for (std::size_t i = 0; i < curve.size(); ++i) {
    LambdaPoint& point = curve[i];
    if (std::isnan(point.misfit)) continue;
    const double freedom = data_count - influence_trace(gram_of_operator, gram_of_penalty, point.lambda);
    point.gcv = data_count * point.misfit / (freedom * freedom);
    if (std::isfinite(point.gcv) && (!found || point.gcv < curve[chosen].gcv)) {
      chosen = i;
      found = true;
    }
  }
  return chosen;
}

}  // namespace geoinv
