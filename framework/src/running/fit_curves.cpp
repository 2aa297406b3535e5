// SPDX-License-Identifier: BSD-3-Clause
#include "running/fit_curves.hpp"

#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "geoinv/finite_difference.hpp"
#include "running/dense_grid.hpp"

namespace geoinv {

namespace {

constexpr double kNormalQuantile975 = 1.959963984540054;
constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

// The model's data on the grid; NaN everywhere when they are not all finite.
Vector curve(const ForwardModel& model, const Vector& parameters, Eigen::Index points) {
  Vector data(points);
  model.predict(parameters, data);
  if (!data.allFinite()) data.setConstant(kMissing);
  return data;
}

// The solver whose band is drawn: the lowest SSE among those that did not fail, if its covariance exists.
std::optional<std::size_t> best_with_covariance(const std::vector<SolverRunResult>& results) {
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < results.size(); ++i)
    if (results[i].status != RunStatus::failed && std::isfinite(results[i].sse) &&
        (!best || results[i].sse < results[*best].sse))
      best = i;
  if (best && !results[*best].uncertainty.available) return std::nullopt;
  return best;
}

// Half the width of the 95 % prediction band at each grid point (fit_curves.hpp).
Vector band_half_width(const Experiment& e, const SolverRunResult& r, Eigen::Index points) {
  const Eigen::Index n = r.estimate.size();
  const Uncertainty& u = r.uncertainty;
  const Matrix covariance = u.std_error.asDiagonal() * u.correlation * u.std_error.asDiagonal();
  Vector data(points);
  Matrix gradient(points, n);
  if (e.forward->has_jacobian())
    e.forward->predict_with_jacobian(r.estimate, data, gradient);
  else
    central_difference_jacobian(*e.forward, r.estimate, gradient);
  const double mean_sigma_squared =
      e.sigma.size() > 0 ? e.sigma.squaredNorm() / static_cast<double>(e.sigma.size()) : 1.0;
  const double datum_variance = u.sigma_hat_squared * mean_sigma_squared;
  const Vector model_variance = (gradient * covariance).cwiseProduct(gradient).rowwise().sum();
  return kNormalQuantile975 * (model_variance.array() + datum_variance).sqrt().matrix();
}

}  // namespace

std::string fit_curves_csv(const Experiment& e, const std::vector<SolverRunResult>& results) {
  const Eigen::Index points = kFitCurvePoints;
  const Vector grid = dense_profile_grid(e, points);
  std::vector<std::string> header{"x"};
  std::vector<Vector> columns{grid};
  try {
    const DenseGrid dense(e, grid);
    if (e.synthetic) {
      header.push_back("true");
      columns.push_back(curve(*e.forward, e.true_model, points));
    }
    for (const auto& r : results) {
      header.push_back("predicted_" + r.label);
      const bool drawn = r.status != RunStatus::failed && r.predicted.size() > 0 && r.predicted.allFinite();
      columns.push_back(drawn ? curve(*e.forward, r.estimate, points) : Vector::Constant(points, kMissing));
    }
    if (const auto best = best_with_covariance(results)) {
      const SolverRunResult& r = results[*best];
      const Vector half = band_half_width(e, r, points);
      // Both bands before either push_back: a push may reallocate `columns` and move the curve.
      const Vector& predicted = columns[(e.synthetic ? 2 : 1) + *best];
      Vector low = predicted - half;
      Vector high = predicted + half;
      header.push_back("band_low_" + r.label);
      columns.push_back(std::move(low));
      header.push_back("band_high_" + r.label);
      columns.push_back(std::move(high));
    }
  } catch (const std::exception&) {
    return {};
  }
  return columns_csv(header, columns);
}

}  // namespace geoinv
