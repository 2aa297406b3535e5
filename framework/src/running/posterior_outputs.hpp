// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// A sampler's outputs in the run directory (docs/outputs.md, "Posterior"): the draws as NetCDF-4 for
// ArviZ (posterior_netcdf.hpp) and as CSV (posterior_<solver>.nc/.csv, or posterior.nc/.csv when one
// solver of the run sampled), the posterior summary in
// result.json's entry of the solver, and its table and warnings on the console.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "configuration/experiment.hpp"
#include "running/run_result.hpp"

namespace geoinv {

// Moves the draws of the run's winning start into `result` and summarises them (posterior_summary.hpp);
// nothing when the solver returned no draws.
void summarise_posterior_of(const Experiment& experiment, SolverRunResult& result);

// The pointwise log likelihood of the draws in `result` at the run's data, and their WAIC (waic.hpp);
// nothing when the solver returned no draws.
void assess_pointwise_fit(const Problem& problem, SolverRunResult& result);

// result.json's "posterior" object of one solver: chains, draws, σ, acceptance, warnings and the summary
// of each parameter.
nlohmann::ordered_json posterior_json(const PosteriorSummary& summary);

// The stem of a sampler's draws files: "posterior" when one solver of the run sampled, else
// "posterior_<solver>".
std::string posterior_file_stem(const SolverRunResult& result, const std::vector<SolverRunResult>& results);

// Adds to each sampler's entry of result.json's "results" (`entries`, one per result, in order) its
// "posterior" object, with "files": the names of its draws files; "waic": {elpd_waic, p_waic, waic, se,
// data_points, draws} (waic.hpp; null members when not finite) when it was computed; and "prior": the
// prior density the sampler drew under, {name: {normal: [mean, sd]}} in display units, for the
// parameters that are not uniform within their bounds (absent when all are).
void add_posterior_json(const Experiment& experiment, const std::vector<SolverRunResult>& results,
                        nlohmann::ordered_json& entries);

// One line per draw: chain, draw, each parameter (display units), log_prob, log_likelihood.
std::string posterior_draws_csv(const PosteriorDraws& draws, const ParameterSpecs& parameters);

// The draws files (.nc and .csv) of each sampling solver of `results`, into `folder`.
void write_posterior_files(const std::filesystem::path& folder, const Experiment& experiment,
                           const std::vector<SolverRunResult>& results);

// The console's posterior table and warnings of each sampling solver; empty when none sampled.
std::string posterior_tables(const std::vector<SolverRunResult>& results);

}  // namespace geoinv
