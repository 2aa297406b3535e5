// SPDX-License-Identifier: BSD-3-Clause
#include "running/waic.hpp"

#include <cmath>
#include <limits>

namespace geoinv {

namespace {

double log_mean_exp(const Eigen::Ref<const Eigen::VectorXd>& values) {
  const double top = values.maxCoeff();
  if (!std::isfinite(top)) return top;
  return top + std::log((values.array() - top).exp().mean());
}

double sample_variance(const Eigen::Ref<const Eigen::VectorXd>& values) {
  const double mean = values.mean();
  return (values.array() - mean).square().sum() / static_cast<double>(values.size() - 1);
}

}  // namespace

std::optional<Waic> waic_of(const PointwiseLogLikelihood& pointwise) {
  if (pointwise.rows() < 2 || pointwise.cols() < 2) return std::nullopt;
  Waic waic;
  waic.draws = pointwise.rows();
  waic.data_points = pointwise.cols();
  Eigen::VectorXd elpd(pointwise.cols());
  for (Eigen::Index i = 0; i < pointwise.cols(); ++i) {
    const double penalty = sample_variance(pointwise.col(i));
    elpd(i) = log_mean_exp(pointwise.col(i)) - penalty;
    waic.p_waic += penalty;
  }
  waic.elpd_waic = elpd.sum();
  waic.waic = -2.0 * waic.elpd_waic;
  waic.se = std::sqrt(static_cast<double>(elpd.size()) * sample_variance(elpd));
  if (!std::isfinite(waic.elpd_waic) || !std::isfinite(waic.p_waic)) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    waic.elpd_waic = waic.p_waic = waic.waic = waic.se = nan;
  }
  return waic;
}

PointwiseLogLikelihood pointwise_log_likelihood(const Problem& problem, const PosteriorDraws& draws) {
  const Eigen::Index n = problem.num_data();
  const double sigma = std::isfinite(draws.sigma) ? draws.sigma : 1.0;
  const Eigen::ArrayXd data_sigma =
      problem.has_sigma() ? Eigen::ArrayXd(problem.sigma().array()) : Eigen::ArrayXd::Ones(n);
  const Eigen::ArrayXd constant = -(sigma * data_sigma).log() - 0.5 * std::log(2.0 * M_PI);
  PointwiseLogLikelihood pointwise(draws.chains * draws.draws, n);
  Vector model(draws.parameters), predicted(n), r(n);
  for (std::int64_t c = 0; c < draws.chains; ++c)
    for (std::int64_t d = 0; d < draws.draws; ++d) {
      for (std::int64_t p = 0; p < draws.parameters; ++p) model(p) = draws.value(c, d, p);
      const auto row = static_cast<Eigen::Index>(draws.index(c, d));
      if (problem.measure(model, predicted, r, nullptr))
        pointwise.row(row) = (-0.5 * (r.array() / sigma).square() + constant).matrix().transpose();
      else
        pointwise.row(row).setConstant(-std::numeric_limits<double>::infinity());
    }
  return pointwise;
}

}  // namespace geoinv
