// SPDX-License-Identifier: BSD-3-Clause
#include "running/posterior_summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include <boost/math/distributions/normal.hpp>
#include <fmt/format.h>

namespace geoinv {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kMinDraws = 4;

// Each chain's first and last ⌊n/2⌋ draws as two chains.
ChainMatrix split_chains(const ChainMatrix& draws) {
  const Eigen::Index half = draws.cols() / 2;
  ChainMatrix split(2 * draws.rows(), half);
  split << draws.leftCols(half), draws.rightCols(half);
  return split;
}

double median_of(std::vector<double> values) {
  const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), middle, values.end());
  if (values.size() % 2 == 1) return *middle;
  return 0.5 * (*middle + *std::max_element(values.begin(), middle));
}

// numpy's default quantile: linear interpolation between order statistics.
double quantile_of(std::vector<double> values, double probability) {
  std::sort(values.begin(), values.end());
  const double position = probability * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]);
}

std::vector<double> flattened(const ChainMatrix& draws) { return {draws.data(), draws.data() + draws.size()}; }

// Rank normalisation: average ranks (ties share theirs), then Φ⁻¹((rank − 3/8)/(N + 1/4)) (Blom).
ChainMatrix z_scale(const ChainMatrix& draws) {
  const Eigen::Index n = draws.size();
  std::vector<Eigen::Index> order(static_cast<std::size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return draws(a) < draws(b); });
  ChainMatrix z(draws.rows(), draws.cols());
  const boost::math::normal normal;
  for (Eigen::Index first = 0; first < n;) {
    Eigen::Index last = first;
    while (last + 1 < n && draws(order[static_cast<std::size_t>(last + 1)]) == draws(order[static_cast<std::size_t>(first)]))
      ++last;
    const double rank = 0.5 * static_cast<double>(first + last) + 1.0;
    const double value = boost::math::quantile(normal, (rank - 0.375) / (static_cast<double>(n) + 0.25));
    for (Eigen::Index i = first; i <= last; ++i) z(order[static_cast<std::size_t>(i)]) = value;
    first = last + 1;
  }
  return z;
}

double plain_r_hat(const ChainMatrix& draws) {
  const auto n = static_cast<double>(draws.cols());
  const Eigen::VectorXd means = draws.rowwise().mean();
  const double between = n * (means.array() - means.mean()).square().sum() / static_cast<double>(draws.rows() - 1);
  double within = 0.0;
  for (Eigen::Index c = 0; c < draws.rows(); ++c)
    within += (draws.row(c).array() - means(c)).square().sum() / (n - 1.0);
  within /= static_cast<double>(draws.rows());
  return std::sqrt((between / within + n - 1.0) / n);
}

// Σ_{i<n−lag} (x_i − x̄)(x_{i+lag} − x̄) / n of each centred chain, averaged over the chains.
double mean_autocovariance(const ChainMatrix& centred, Eigen::Index lag) {
  const Eigen::Index n = centred.cols();
  if (lag >= n) return 0.0;
  double sum = 0.0;
  for (Eigen::Index c = 0; c < centred.rows(); ++c)
    sum += centred.row(c).head(n - lag).dot(centred.row(c).tail(n - lag));
  return sum / static_cast<double>(n) / static_cast<double>(centred.rows());
}

// ArviZ's _ess: Geyer's initial positive and monotone sequences over the chains' mean autocorrelation.
double effective_sample_size(const ChainMatrix& draws) {
  const Eigen::Index chains = draws.rows(), n = draws.cols();
  if (draws.maxCoeff() - draws.minCoeff() < 1e-15) return static_cast<double>(draws.size());
  const Eigen::VectorXd means = draws.rowwise().mean();
  const ChainMatrix centred = draws.colwise() - means;
  const auto count = static_cast<double>(n);
  const double mean_var = mean_autocovariance(centred, 0) * count / (count - 1.0);
  double var_plus = mean_var * (count - 1.0) / count;
  if (chains > 1) var_plus += (means.array() - means.mean()).square().sum() / static_cast<double>(chains - 1);
  auto rho = [&](Eigen::Index lag) { return 1.0 - (mean_var - mean_autocovariance(centred, lag)) / var_plus; };
  std::vector<double> rho_hat(static_cast<std::size_t>(n), 0.0);
  double even = 1.0, odd = rho(1);
  rho_hat[0] = even;
  rho_hat[1] = odd;
  Eigen::Index t = 1;
  while (t < n - 3 && even + odd > 0.0) {
    even = rho(t + 1);
    odd = rho(t + 2);
    if (even + odd >= 0.0) {
      rho_hat[static_cast<std::size_t>(t + 1)] = even;
      rho_hat[static_cast<std::size_t>(t + 2)] = odd;
    }
    t += 2;
  }
  const Eigen::Index max_t = t - 2;
  if (even > 0.0) rho_hat[static_cast<std::size_t>(max_t + 1)] = even;
  for (Eigen::Index s = 1; s <= max_t - 2; s += 2) {
    const auto i = static_cast<std::size_t>(s);
    if (rho_hat[i + 1] + rho_hat[i + 2] > rho_hat[i - 1] + rho_hat[i]) {
      rho_hat[i + 1] = 0.5 * (rho_hat[i - 1] + rho_hat[i]);
      rho_hat[i + 2] = rho_hat[i + 1];
    }
  }
  const double total = static_cast<double>(chains) * count;
  double tau = -1.0 + 2.0 * std::accumulate(rho_hat.begin(), rho_hat.begin() + (max_t + 1), 0.0) +
               rho_hat[static_cast<std::size_t>(max_t + 1)];
  tau = std::max(tau, 1.0 / std::log10(total));
  return total / tau;
}

double quantile_ess(const ChainMatrix& draws, double probability) {
  const double q = quantile_of(flattened(draws), probability);
  return effective_sample_size(split_chains((draws.array() <= q).cast<double>().matrix()));
}

}  // namespace

double split_r_hat(const ChainMatrix& draws) {
  if (draws.cols() < kMinDraws) return kNaN;
  const double bulk = plain_r_hat(z_scale(split_chains(draws)));
  const double median = median_of(flattened(draws));
  const double tail = plain_r_hat(z_scale(split_chains((draws.array() - median).abs().matrix())));
  return std::max(bulk, tail);
}

double ess_bulk(const ChainMatrix& draws) {
  return draws.cols() < kMinDraws ? kNaN : effective_sample_size(z_scale(split_chains(draws)));
}

double ess_tail(const ChainMatrix& draws) {
  return draws.cols() < kMinDraws ? kNaN : std::min(quantile_ess(draws, 0.05), quantile_ess(draws, 0.95));
}

double integrated_autocorrelation_time(const ChainMatrix& draws, double window_c) {
  const Eigen::Index n = draws.cols();
  if (n < 2) return kNaN;
  const ChainMatrix centred = draws.colwise() - draws.rowwise().mean();
  const Eigen::VectorXd variance = centred.rowwise().squaredNorm();
  double tau = 0.0;
  for (Eigen::Index lag = 0; lag < n; ++lag) {
    double autocorrelation = 0.0;
    for (Eigen::Index c = 0; c < draws.rows(); ++c)
      autocorrelation += centred.row(c).head(n - lag).dot(centred.row(c).tail(n - lag)) / variance(c);
    tau += 2.0 * autocorrelation / static_cast<double>(draws.rows()) - (lag == 0 ? 1.0 : 0.0);
    if (static_cast<double>(lag) >= window_c * tau) return tau;  // Sokal's window
  }
  return tau;
}

std::pair<double, double> highest_density_interval(std::vector<double> values, double probability) {
  std::sort(values.begin(), values.end());
  const std::size_t width = static_cast<std::size_t>(std::floor(probability * static_cast<double>(values.size())));
  std::size_t best = 0;
  for (std::size_t i = 1; i + width < values.size(); ++i)
    if (values[i + width] - values[i] < values[best + width] - values[best]) best = i;
  return {values[best], values[best + width]};
}

namespace {

ChainMatrix parameter_chains(const PosteriorDraws& draws, std::int64_t parameter, const ParameterSpec& spec) {
  ChainMatrix chains(draws.chains, draws.draws);
  for (std::int64_t c = 0; c < draws.chains; ++c)
    for (std::int64_t d = 0; d < draws.draws; ++d) chains(c, d) = to_display(spec, draws.value(c, d, parameter));
  return chains;
}

ParameterSummary summarise_parameter(const ChainMatrix& chains, const std::string& name) {
  ParameterSummary s;
  s.name = name;
  const std::vector<double> values = flattened(chains);
  const auto n = static_cast<double>(values.size());
  s.mean = chains.mean();
  s.sd = n > 1 ? std::sqrt((chains.array() - s.mean).square().sum() / (n - 1.0)) : kNaN;
  std::tie(s.hdi_low, s.hdi_high) = highest_density_interval(values, kHdiProbability);
  s.median = median_of(values);
  s.r_hat = split_r_hat(chains);
  s.ess_bulk = ess_bulk(chains);
  s.ess_tail = ess_tail(chains);
  s.tau = integrated_autocorrelation_time(chains);
  return s;
}

void add_warnings(const ParameterSummary& s, std::int64_t draws, std::vector<std::string>& warnings) {
  if (s.r_hat > kMaxRHat)
    warnings.push_back(fmt::format("{}: R-hat {:.4f} > {}: the chains have not mixed", s.name, s.r_hat, kMaxRHat));
  if (std::min(s.ess_bulk, s.ess_tail) < kMinEss)
    warnings.push_back(fmt::format("{}: effective sample size {:.0f} (bulk) / {:.0f} (tail) < {:.0f}", s.name,
                                   s.ess_bulk, s.ess_tail, kMinEss));
  if (static_cast<double>(draws) < kMinAutocorrelationTimes * s.tau)
    warnings.push_back(fmt::format("{}: the chain ({} draws) is shorter than {:.0f} autocorrelation times (tau {:.1f})",
                                   s.name, draws, kMinAutocorrelationTimes, s.tau));
}

}  // namespace

PosteriorSummary summarise_posterior(const PosteriorDraws& draws, const ParameterSpecs& specs) {
  PosteriorSummary summary;
  summary.chains = draws.chains;
  summary.draws = draws.draws;
  summary.sigma = draws.sigma;
  summary.sigma_source = draws.sigma_source;
  for (double a : draws.acceptance) summary.acceptance += a / static_cast<double>(draws.acceptance.size());
  if (draws.chains * draws.draws == 0) {
    summary.warnings.push_back("no draws were kept");
    return summary;
  }
  for (std::int64_t p = 0; p < draws.parameters; ++p) {
    const ParameterSpec& spec = specs[static_cast<std::size_t>(p)];
    summary.parameters.push_back(summarise_parameter(parameter_chains(draws, p, spec), spec.name));
    add_warnings(summary.parameters.back(), draws.draws, summary.warnings);
  }
  return summary;
}

}  // namespace geoinv
