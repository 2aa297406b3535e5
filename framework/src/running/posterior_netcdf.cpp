// SPDX-License-Identifier: BSD-3-Clause
#include "running/posterior_netcdf.hpp"

#include <ncDim.h>
#include <ncDouble.h>
#include <ncException.h>
#include <ncFile.h>
#include <ncGroup.h>
#include <ncInt64.h>
#include <ncVar.h>

#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "geoinv/error.hpp"
#include "geoinv/version.hpp"

namespace geoinv {

namespace {

// The dims chain and draw of `group`, with their integer coordinates.
std::vector<netCDF::NcDim> chain_and_draw(netCDF::NcGroup& group, const PosteriorDraws& draws) {
  const netCDF::NcDim chain = group.addDim("chain", static_cast<std::size_t>(draws.chains));
  const netCDF::NcDim draw = group.addDim("draw", static_cast<std::size_t>(draws.draws));
  for (const auto& [dim, size] : {std::pair{chain, draws.chains}, std::pair{draw, draws.draws}}) {
    std::vector<long long> index(static_cast<std::size_t>(size));
    std::iota(index.begin(), index.end(), 0LL);
    group.addVar(dim.getName(), netCDF::ncInt64, dim).putVar(index.data());
  }
  return {chain, draw};
}

void write_posterior_group(netCDF::NcGroup group, const PosteriorDraws& draws, const ParameterSpecs& parameters) {
  const std::vector<netCDF::NcDim> dims = chain_and_draw(group, draws);
  std::vector<double> values(static_cast<std::size_t>(draws.chains * draws.draws));
  for (std::int64_t p = 0; p < draws.parameters; ++p) {
    const ParameterSpec& spec = parameters[static_cast<std::size_t>(p)];
    for (std::int64_t c = 0; c < draws.chains; ++c)
      for (std::int64_t d = 0; d < draws.draws; ++d) values[draws.index(c, d)] = to_display(spec, draws.value(c, d, p));
    netCDF::NcVar variable = group.addVar(spec.name, netCDF::ncDouble, dims);
    variable.putVar(values.data());
    variable.putAtt("units", display_unit(spec));
  }
}

void write_sample_stats_group(netCDF::NcGroup group, const PosteriorDraws& draws) {
  const std::vector<netCDF::NcDim> dims = chain_and_draw(group, draws);
  group.addVar("lp", netCDF::ncDouble, dims).putVar(draws.log_prob.data());
  group.addVar("log_likelihood", netCDF::ncDouble, dims).putVar(draws.log_likelihood.data());
  group.addVar("acceptance_rate", netCDF::ncDouble, dims.front()).putVar(draws.acceptance.data());
}

// Row-major (chain, draw, obs) is the matrix's row order with each row's data contiguous.
void write_log_likelihood_group(netCDF::NcGroup group, const PosteriorDraws& draws,
                                const PointwiseLogLikelihood& pointwise) {
  std::vector<netCDF::NcDim> dims = chain_and_draw(group, draws);
  dims.push_back(group.addDim("obs", static_cast<std::size_t>(pointwise.cols())));
  std::vector<long long> index(static_cast<std::size_t>(pointwise.cols()));
  std::iota(index.begin(), index.end(), 0LL);
  group.addVar("obs", netCDF::ncInt64, dims.back()).putVar(index.data());
  const Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rows = pointwise;
  netCDF::NcVar variable = group.addVar("data", netCDF::ncDouble, dims);
  variable.setCompression(true, true, 1);  // shuffle + deflate 1: chains·draws·n doubles
  variable.putVar(rows.data());
}

}  // namespace

void write_posterior_netcdf(const std::filesystem::path& file, const PosteriorDraws& draws,
                            const ParameterSpecs& parameters, const PointwiseLogLikelihood& pointwise) {
  try {
    netCDF::NcFile out(file.string(), netCDF::NcFile::replace, netCDF::NcFile::nc4);
    out.putAtt("created_by", "geoinv " + version());
    if (std::isfinite(draws.sigma)) out.putAtt("sigma", netCDF::ncDouble, draws.sigma);
    out.putAtt("sigma_source", draws.sigma_source);
    write_posterior_group(out.addGroup("posterior"), draws, parameters);
    write_sample_stats_group(out.addGroup("sample_stats"), draws);
    if (pointwise.size() > 0) write_log_likelihood_group(out.addGroup("log_likelihood"), draws, pointwise);
  } catch (const netCDF::exceptions::NcException& error) {
    throw Error(Error::Category::io, std::string("cannot write the posterior as NetCDF: ") + error.what(),
                {file.string()});
  }
}

}  // namespace geoinv
