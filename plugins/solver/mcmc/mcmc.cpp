// SPDX-License-Identifier: BSD-3-Clause
// The `mcmc` solver plugin: the affine-invariant ensemble sampler of Goodman & Weare (2010) as emcee runs
// it, after a least-squares pre-fit. Its estimate is the posterior median; its draws go to the host in
// SolverOutcome::posterior. See README.md for the likelihood, the prior, the moves and the options.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ensemble.hpp"
#include "geoinv/error.hpp"
#include "geoinv/option_binding.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv/posterior.hpp"
#include "geoinv_plugin_example.hpp"
#include "initial_ensemble.hpp"
#include "log_posterior.hpp"
#include "mcmc_settings.hpp"
#include "prefit.hpp"
#include "sampler.hpp"

namespace {

using geoinv::Vector;
using geoinv::mcmc::Initial;
using geoinv::mcmc::Moves;
using geoinv::mcmc::Settings;

const geoinv::OptionChoices<Moves> kMoveWords{
    {"stretch", Moves::stretch}, {"de", Moves::de}, {"mixture", Moves::mixture}};
const geoinv::OptionChoices<Initial> kInitialWords{{"linearised", Initial::linearised},
                                                   {"relative", Initial::relative},
                                                   {"absolute", Initial::absolute},
                                                   {"prior", Initial::prior}};

// The fixed σ is floored at this fraction of the data's RMS: on noise-free data the pre-fit's residual RMS
// is rounding error, and a σ of 0 would make the likelihood a point mass.
constexpr double kSigmaFloor = 1e-8;

// The options of mcmc bound to Settings, in the order `geoinv describe` lists them (README.md, "Options").
geoinv::OptionBindings<Settings> declare_options() {
  geoinv::OptionBindings<Settings> options;
  options.add("walkers", &Settings::walkers, "ensemble size: even, and more than twice the parameter count")
      .at_least(4);
  options.add("steps", &Settings::steps, "ensemble updates, burn-in included").at_least(1);
  options.add("burn_in", &Settings::burn_in, "first updates not kept as draws; less than steps").at_least(0);
  options.add("thin", &Settings::thin, "keep every thin-th update after the burn-in").at_least(1);
  options.choice("moves", &Settings::moves, kMoveWords,
                 "proposal: stretch (Goodman-Weare), de (differential evolution) or mixture of both");
  options.add("stretch_scale", &Settings::stretch_scale, "a of the stretch move, z in [1/a, a]; emcee's 2")
      .greater_than(1.0);
  options.add("de_fraction", &Settings::de_fraction, "with moves: mixture, the probability of a DE update")
      .at_least(0.0)
      .at_most(1.0);
  options.choice("initial", &Settings::initial, kInitialWords,
                 "initial walkers: ball around the pre-fit (linearised, relative, absolute) or prior draws");
  options.add("initial_scale", &Settings::initial_scale,
              "ball size: x standard error (linearised), x max(|m|, scale) (relative), internal units (absolute)")
      .greater_than(0.0);
  options.add("prefit_iterations", &Settings::prefit_iterations,
              "Levenberg-Marquardt iterations of the least-squares pre-fit from the start")
      .at_least(1);
  return options;
}

void check_settings(const Settings& settings) {
  if (settings.walkers % 2 != 0)
    throw geoinv::Error(geoinv::Error::Category::config,
                        fmt::format("option 'walkers': {} is odd; the ensemble moves in two equal halves",
                                    settings.walkers));
  if (settings.burn_in >= settings.steps)
    throw geoinv::Error(geoinv::Error::Category::config,
                        fmt::format("option 'burn_in': {} must be less than steps ({})", settings.burn_in,
                                    settings.steps));
}

// The likelihood's σ as PosteriorDraws records it, and the σ that divides Problem's residuals.
struct LikelihoodSigma {
  double recorded = std::numeric_limits<double>::quiet_NaN();  // data units; NaN: the data's own σ
  std::string source;                                          // "data" or "prefit_rms"
  double divisor = 1.0;
};

// 1 on residuals Problem has already divided by the data's σ; otherwise the pre-fit's residual RMS,
// √(sse/n), floored.
LikelihoodSigma likelihood_sigma(const geoinv::Problem& problem, const geoinv::mcmc::Prefit& prefit) {
  if (problem.has_sigma()) return {std::numeric_limits<double>::quiet_NaN(), "data", 1.0};
  const auto count = static_cast<double>(problem.num_data());
  const double data_rms = std::sqrt(problem.observed().squaredNorm() / count);
  const double sigma = std::max(std::sqrt(prefit.sse / count), kSigmaFloor * std::max(data_rms, 1.0));
  return {sigma, "prefit_rms", sigma};
}

geoinv::mcmc::InitialBall initial_ball(const geoinv::Problem& problem, const geoinv::mcmc::Prefit& prefit,
                                       const Settings& settings, double sigma) {
  geoinv::mcmc::InitialBall ball{prefit.estimate, Vector(prefit.estimate.size()), problem.lower_bounds(),
                                 problem.upper_bounds()};
  for (Eigen::Index j = 0; j < ball.centre.size(); ++j) {
    const double typical = std::max(std::abs(ball.centre(j)), problem.parameters()[static_cast<std::size_t>(j)].scale);
    switch (settings.initial) {
      case Initial::linearised:
        // Without a linearised error (a singular JᵀJ) the relative rule stands in.
        ball.spread(j) = settings.initial_scale *
                         (prefit.standard_error.size() > 0 ? sigma * prefit.standard_error(j) : typical);
        break;
      case Initial::relative: ball.spread(j) = settings.initial_scale * typical; break;
      case Initial::absolute:
      case Initial::prior: ball.spread(j) = settings.initial_scale; break;
    }
  }
  if (settings.initial == Initial::prior && !(ball.lower.allFinite() && ball.upper.allFinite()))
    throw geoinv::Error(geoinv::Error::Category::config,
                        "option 'initial': prior draws need finite bounds on every parameter");
  return ball;
}

// The posterior median of each parameter over every kept draw.
Vector posterior_median(const geoinv::PosteriorDraws& draws) {
  Vector median(draws.parameters);
  std::vector<double> column(static_cast<std::size_t>(draws.chains * draws.draws));
  for (std::int64_t p = 0; p < draws.parameters; ++p) {
    for (std::size_t i = 0; i < column.size(); ++i)
      column[i] = draws.values[i * static_cast<std::size_t>(draws.parameters) + static_cast<std::size_t>(p)];
    const auto middle = column.begin() + static_cast<std::ptrdiff_t>(column.size() / 2);
    std::nth_element(column.begin(), middle, column.end());
    double value = *middle;
    if (column.size() % 2 == 0) value = 0.5 * (value + *std::max_element(column.begin(), middle));
    median(p) = value;
  }
  return median;
}

double mean_acceptance(const geoinv::PosteriorDraws& draws) {
  double sum = 0.0;
  for (double a : draws.acceptance) sum += a;
  return draws.acceptance.empty() ? 0.0 : sum / static_cast<double>(draws.acceptance.size());
}

class Mcmc final : public geoinv::Solver {
 public:
  geoinv::OptionSpecs options() const override { return bindings_.specs(); }

  void configure(const geoinv::OptionValues& options) override {
    Settings settings = bindings_.fill(options);
    check_settings(settings);
    settings_ = settings;
  }

  geoinv::SolverOutcome solve(geoinv::Problem& problem, const Vector& start,
                              const geoinv::SolveContext& context) override {
    if (settings_.walkers <= 2 * problem.num_parameters())
      throw geoinv::Error(geoinv::Error::Category::config,
                          fmt::format("option 'walkers': {} walkers for {} parameters; use more than {}",
                                      settings_.walkers, problem.num_parameters(), 2 * problem.num_parameters()));
    const geoinv::mcmc::Prefit prefit = geoinv::mcmc::run_prefit(problem, start, settings_.prefit_iterations);
    if (!std::isfinite(prefit.sse)) return failed(prefit, "the residuals are not finite at the pre-fit's estimate");
    const LikelihoodSigma sigma = likelihood_sigma(problem, prefit);
    geoinv::mcmc::LogPosterior density(problem, sigma.divisor, context.prior);
    std::mt19937_64 rng(context.seed);
    geoinv::mcmc::Ensemble ensemble = geoinv::mcmc::make_ensemble(
        initial_ball(problem, prefit, settings_, sigma.divisor), settings_.initial, settings_.walkers, density, rng);
    geoinv::mcmc::SamplerRun run = geoinv::mcmc::sample(ensemble, density, settings_, rng);
    run.draws.sigma = sigma.recorded;
    run.draws.sigma_source = sigma.source;
    return outcome_of(problem, std::move(run));
  }

  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }

  bool samples_posterior() const override { return true; }

 private:
  static geoinv::SolverOutcome failed(const geoinv::mcmc::Prefit& prefit, const std::string& why) {
    geoinv::SolverOutcome outcome;
    outcome.estimate = prefit.estimate;
    outcome.termination = geoinv::Termination::numerical_failure;
    outcome.message = why;
    return outcome;
  }

  // The estimate is the posterior median; when the budget ended sampling it is the best model evaluated,
  // as for every solver the budget stops (the draws so far are kept all the same).
  geoinv::SolverOutcome outcome_of(const geoinv::Problem& problem, geoinv::mcmc::SamplerRun run) const {
    geoinv::SolverOutcome outcome;
    outcome.iterations = static_cast<int>(run.updates);
    const std::string drawn =
        fmt::format("{} draws from {} walkers (burn-in {}, thin {}), mean acceptance {:.3f}", run.draws.draws,
                    run.draws.chains, settings_.burn_in, settings_.thin, mean_acceptance(run.draws));
    if (run.interrupted) {
      outcome.termination = geoinv::Termination::budget_exhausted;
      outcome.estimate = problem.best_model();
      outcome.message = fmt::format("{} after {} of {} updates; kept {}; the estimate is the best model evaluated",
                                    run.interruption, run.updates, settings_.steps, drawn);
    } else {
      outcome.termination = geoinv::Termination::samples_drawn;
      outcome.estimate = posterior_median(run.draws);
      outcome.message = fmt::format("drew all {} updates: {}; the estimate is the posterior median", run.updates,
                                    drawn);
    }
    outcome.trace = std::move(run.trace);
    outcome.posterior = std::move(run.draws);
    return outcome;
  }

  geoinv::OptionBindings<Settings> bindings_ = declare_options();
  Settings settings_;
};

}  // namespace

GEOINV_SOLVER_PLUGIN(Mcmc, "mcmc", "1.0.0",
                     "affine-invariant ensemble sampler (Goodman-Weare stretch, DE moves); posterior median")
