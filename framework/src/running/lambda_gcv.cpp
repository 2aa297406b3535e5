// SPDX-License-Identifier: BSD-3-Clause
#include <Eigen/Cholesky>
#include <Eigen/Eigenvalues>
#include <cmath>

#include "running/lambda_rules.hpp"

namespace geoinv {

double influence_trace(const Eigen::MatrixXd& gram_of_operator, const Eigen::MatrixXd& gram_of_penalty,
                       double lambda) {
  const Eigen::MatrixXd system = gram_of_operator + lambda * gram_of_penalty;
  const Eigen::LLT<Eigen::MatrixXd> cholesky(system);
  if (cholesky.info() == Eigen::Success) return cholesky.solve(gram_of_operator).trace();
  return Eigen::LDLT<Eigen::MatrixXd>(system).solve(gram_of_operator).trace();
}

namespace {

// tr H_λ for every λ of `curve`: with L = I (Tikhonov order 0) from the eigenvalues μ of K, computed once,
// as Σ μ/(μ + λ); otherwise by influence_trace per λ.
std::vector<double> influence_traces(const std::vector<LambdaPoint>& curve,
                                     const Eigen::MatrixXd& gram_of_operator,
                                     const Eigen::MatrixXd& gram_of_penalty) {
  std::vector<double> traces;
  const bool identity = gram_of_penalty.isIdentity(0.0);
  Eigen::VectorXd eigenvalues;
  if (identity)
    eigenvalues = Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(gram_of_operator, Eigen::EigenvaluesOnly)
                      .eigenvalues();
  for (const LambdaPoint& point : curve)
    traces.push_back(identity ? (eigenvalues.array() / (eigenvalues.array() + point.lambda)).sum()
                              : influence_trace(gram_of_operator, gram_of_penalty, point.lambda));
  return traces;
}

}  // namespace

std::size_t choose_by_gcv(std::vector<LambdaPoint>& curve, const Eigen::MatrixXd& weighted_operator,
                          const Eigen::MatrixXd& penalty_operator) {
  const Eigen::MatrixXd gram_of_operator = weighted_operator.transpose() * weighted_operator;
  const Eigen::MatrixXd gram_of_penalty = penalty_operator.transpose() * penalty_operator;
  const auto data_count = static_cast<double>(weighted_operator.rows());
  const std::vector<double> traces = influence_traces(curve, gram_of_operator, gram_of_penalty);
  std::size_t chosen = 0;
  bool found = false;
  for (std::size_t i = 0; i < curve.size(); ++i) {
    LambdaPoint& point = curve[i];
    if (std::isnan(point.misfit)) continue;
    const double freedom = data_count - traces[i];
    point.gcv = data_count * point.misfit / (freedom * freedom);
    if (std::isfinite(point.gcv) && (!found || point.gcv < curve[chosen].gcv)) {
      chosen = i;
      found = true;
    }
  }
  return chosen;
}

}  // namespace geoinv
