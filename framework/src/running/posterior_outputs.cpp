// SPDX-License-Identifier: BSD-3-Clause
#include "running/posterior_outputs.hpp"

#include <fmt/format.h>

#include <cmath>

#include "base/csv.hpp"
#include "base/file_io.hpp"
#include "running/posterior_netcdf.hpp"
#include "running/posterior_summary.hpp"

namespace geoinv {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

json number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

// {name: {normal: [mean, sd]}} in display units for the solver labelled `label`; empty when uniform.
json prior_json(const Experiment& experiment, const std::string& label) {
  json prior = json::object();
  for (const SolverSpec& solver : experiment.solvers) {
    if (solver.label != label) continue;
    for (std::size_t j = 0; j < solver.sampler_prior.size(); ++j) {
      const ParameterPrior& p = solver.sampler_prior[j];
      if (p.kind != ParameterPrior::Kind::normal) continue;
      const ParameterSpec& spec = experiment.parameters[j];
      prior[spec.name] = {{"normal", {to_display(spec, p.mean), to_display(spec, p.sd)}}};
    }
  }
  return prior;
}

}  // namespace

void summarise_posterior_of(const Experiment& experiment, SolverRunResult& result) {
  if (result.starts.empty() || !result.starts[result.best_start].posterior) return;
  result.posterior = std::move(result.starts[result.best_start].posterior);
  result.starts[result.best_start].posterior.reset();
  result.posterior_summary = summarise_posterior(*result.posterior, experiment.parameters);
}

void assess_pointwise_fit(const Problem& problem, SolverRunResult& result) {
  if (!result.posterior) return;
  result.pointwise_log_likelihood = pointwise_log_likelihood(problem, *result.posterior);
  result.waic = waic_of(result.pointwise_log_likelihood);
}

std::string posterior_file_stem(const SolverRunResult& result, const std::vector<SolverRunResult>& results) {
  std::size_t samplers = 0;
  for (const auto& r : results) samplers += r.posterior.has_value() ? 1 : 0;
  return samplers == 1 ? "posterior" : "posterior_" + result.label;
}

void add_posterior_json(const Experiment& experiment, const std::vector<SolverRunResult>& results,
                        json& entries) {
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!results[i].posterior_summary) continue;
    json posterior = posterior_json(*results[i].posterior_summary);
    const std::string stem = posterior_file_stem(results[i], results);
    posterior["files"] = {{"netcdf", stem + ".nc"}, {"csv", stem + ".csv"}};
    if (const auto& w = results[i].waic)
      posterior["waic"] = {{"elpd_waic", number(w->elpd_waic)}, {"p_waic", number(w->p_waic)},
                           {"waic", number(w->waic)},           {"se", number(w->se)},
                           {"data_points", w->data_points},     {"draws", w->draws}};
    if (const json prior = prior_json(experiment, results[i].label); !prior.empty())
      posterior["prior"] = prior;
    entries[i]["posterior"] = posterior;
  }
}

json posterior_json(const PosteriorSummary& summary) {
  json parameters = json::object();
  for (const ParameterSummary& s : summary.parameters)
    parameters[s.name] = {{"mean", number(s.mean)},         {"sd", number(s.sd)},
                          {"hdi_3%", number(s.hdi_low)},    {"hdi_97%", number(s.hdi_high)},
                          {"median", number(s.median)},     {"r_hat", number(s.r_hat)},
                          {"ess_bulk", number(s.ess_bulk)}, {"ess_tail", number(s.ess_tail)},
                          {"tau", number(s.tau)}};
  return {{"chains", summary.chains},
          {"draws", summary.draws},
          {"sigma", number(summary.sigma)},
          {"sigma_source", summary.sigma_source},
          {"acceptance", number(summary.acceptance)},
          {"parameters", parameters},
          {"warnings", summary.warnings}};
}

std::string posterior_draws_csv(const PosteriorDraws& draws, const ParameterSpecs& parameters) {
  std::string text = "chain,draw";
  for (const ParameterSpec& p : parameters) text += "," + p.name;
  text += ",log_prob,log_likelihood\n";
  for (std::int64_t c = 0; c < draws.chains; ++c)
    for (std::int64_t d = 0; d < draws.draws; ++d) {
      text += fmt::format("{},{}", c, d);
      for (std::int64_t p = 0; p < draws.parameters; ++p)
        text += "," + csv_number(to_display(parameters[static_cast<std::size_t>(p)], draws.value(c, d, p)));
      text += "," + csv_number(draws.log_prob[draws.index(c, d)]) + "," +
              csv_number(draws.log_likelihood[draws.index(c, d)]) + "\n";
    }
  return text;
}

void write_posterior_files(const fs::path& folder, const Experiment& experiment,
                           const std::vector<SolverRunResult>& results) {
  for (const SolverRunResult& r : results) {
    if (!r.posterior) continue;
    const std::string stem = posterior_file_stem(r, results);
    write_text(folder / (stem + ".csv"), posterior_draws_csv(*r.posterior, experiment.parameters));
    write_posterior_netcdf(folder / (stem + ".nc"), *r.posterior, experiment.parameters,
                           r.pointwise_log_likelihood);
  }
}

std::string posterior_tables(const std::vector<SolverRunResult>& results) {
  std::string text;
  for (const SolverRunResult& r : results) {
    if (!r.posterior_summary) continue;
    const PosteriorSummary& s = *r.posterior_summary;
    text += fmt::format("posterior of {}: {} chains x {} draws, acceptance {:.3f}, sigma {} ({})\n", r.label,
                        s.chains, s.draws, s.acceptance, std::isfinite(s.sigma) ? fmt::format("{:.6g}", s.sigma) : "of the data",
                        s.sigma_source);
    text += fmt::format("  {:<10} {:>12} {:>12} {:>12} {:>12} {:>12} {:>8} {:>9} {:>9} {:>8}\n", "parameter", "mean", "sd",
                        "hdi_3%", "hdi_97%", "median", "r_hat", "ess_bulk", "ess_tail", "tau");
    for (const ParameterSummary& p : s.parameters)
      text += fmt::format("  {:<10} {:>12.6g} {:>12.4g} {:>12.6g} {:>12.6g} {:>12.6g} {:>8.4f} {:>9.0f} {:>9.0f} {:>8.1f}\n",
                          p.name, p.mean, p.sd, p.hdi_low, p.hdi_high, p.median, p.r_hat, p.ess_bulk, p.ess_tail, p.tau);
    for (const std::string& warning : s.warnings) text += "  warning: " + warning + "\n";
  }
  return text;
}

}  // namespace geoinv
