// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// A sampler's draws as NetCDF-4 in the layout of ArviZ's InferenceData, so that
// `arviz.from_netcdf(path)` (or `xarray.open_dataset(path, group="posterior")`) reads them:
//
//   group posterior      dims chain, draw; coordinates chain, draw (0-based integers); one double
//                        variable (chain, draw) per parameter, display units (attribute `units`)
//   group sample_stats   dims chain, draw; lp and log_likelihood (chain, draw): the log posterior and the
//                        log likelihood of each draw; acceptance_rate (chain): each chain's acceptance
//   group log_likelihood dims chain, draw, obs (the run's data, in fit.csv's order); one double variable
//                        `data` (chain, draw, obs): log p(yᵢ | θ) of each datum at each draw, the full
//                        Gaussian log density (running/waic.hpp), so that `arviz.waic` and `arviz.loo`
//                        read it; written when the pointwise log likelihood was computed
//   root attributes      created_by (geoinv and its version), sigma and sigma_source (posterior.hpp)
//
// Written with Debian's libnetcdf-c++4 (netCDF-C++4).
#include <filesystem>

#include "geoinv/parameter.hpp"
#include "geoinv/posterior.hpp"
#include "running/waic.hpp"

namespace geoinv {

// Writes `draws` and, when not empty, `pointwise` (one row per draw in PosteriorDraws::index order) to
// `file` (replacing it); an io Error naming the file when NetCDF fails.
void write_posterior_netcdf(const std::filesystem::path& file, const PosteriorDraws& draws,
                            const ParameterSpecs& parameters, const PointwiseLogLikelihood& pointwise);

}  // namespace geoinv
