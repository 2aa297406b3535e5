// SPDX-License-Identifier: BSD-3-Clause
#include "running/posterior_band.hpp"

#include <algorithm>
#include <cmath>

#include "running/dense_grid.hpp"
#include "running/fit_curves.hpp"

namespace geoinv {

namespace {

double mixture_cdf(const std::vector<double>& means, double s, double y) {
  double sum = 0.0;
  for (double mean : means) sum += 0.5 * std::erfc((mean - y) / (s * std::sqrt(2.0)));
  return sum / static_cast<double>(means.size());
}

// The curves of the thinned draws on the grid: one row per draw whose curve is finite.
std::vector<Vector> draw_curves(const ForwardModel& model, const PosteriorDraws& draws, Eigen::Index points) {
  std::vector<Vector> curves;
  Vector parameters(draws.parameters), curve(points);
  for (const std::size_t index : thinned_draws(draws.log_prob.size(), kPosteriorBandDraws)) {
    const auto chain = static_cast<std::int64_t>(index) / draws.draws,
               draw = static_cast<std::int64_t>(index) % draws.draws;
    for (std::int64_t p = 0; p < draws.parameters; ++p) parameters(p) = draws.value(chain, draw, p);
    model.predict(parameters, curve);
    if (curve.allFinite()) curves.push_back(curve);
  }
  return curves;
}

}  // namespace

std::vector<std::size_t> thinned_draws(std::size_t total, std::size_t max) {
  const std::size_t stride = std::max<std::size_t>(1, (total + max - 1) / max);
  std::vector<std::size_t> indices;
  for (std::size_t i = 0; i < total; i += stride) indices.push_back(i);
  return indices;
}

double normal_mixture_quantile(const std::vector<double>& means, double s, double q) {
  const auto [smallest, largest] = std::minmax_element(means.begin(), means.end());
  double low = *smallest - 10.0 * s, high = *largest + 10.0 * s;
  // To 10⁻⁶ of the noise's sd: far below what the figure or the CSV's readers resolve.
  while (high - low > 1e-6 * s) {
    const double middle = 0.5 * (low + high);
    (mixture_cdf(means, s, middle) < q ? low : high) = middle;
  }
  return 0.5 * (low + high);
}

std::string posterior_band_csv(const Experiment& e, const std::vector<SolverRunResult>& results) {
  const Eigen::Index points = kFitCurvePoints;
  const Vector grid = dense_profile_grid(e, points);
  std::vector<std::string> header{"x"};
  std::vector<Vector> columns{grid};
  const double mean_sigma_squared =
      e.sigma.size() > 0 ? e.sigma.squaredNorm() / static_cast<double>(e.sigma.size()) : 1.0;
  try {
    const DenseGrid dense(e, grid);
    for (const SolverRunResult& r : results) {
      if (!r.posterior || r.posterior->log_prob.empty()) continue;
      const std::vector<Vector> curves = draw_curves(*e.forward, *r.posterior, points);
      const double sigma = std::isfinite(r.posterior->sigma) ? r.posterior->sigma : 1.0;
      const double s = sigma * std::sqrt(mean_sigma_squared);
      Vector low = Vector::Constant(points, std::nan("")), high = low;
      std::vector<double> means(curves.size());
      for (Eigen::Index i = 0; i < points && !curves.empty(); ++i) {
        for (std::size_t k = 0; k < curves.size(); ++k) means[k] = curves[k](i);
        low(i) = normal_mixture_quantile(means, s, 0.5 * (1.0 - kPosteriorBandProbability));
        high(i) = normal_mixture_quantile(means, s, 0.5 * (1.0 + kPosteriorBandProbability));
      }
      header.insert(header.end(), {"ppd_low_" + r.label, "ppd_high_" + r.label});
      columns.insert(columns.end(), {low, high});
    }
  } catch (const std::exception&) {
    return {};
  }
  if (columns.size() == 1) return {};
  return columns_csv(header, columns);
}

}  // namespace geoinv
