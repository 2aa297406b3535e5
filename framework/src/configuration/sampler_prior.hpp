// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The prior of a sampling solver (solvers[].prior of a solver whose samples_posterior() is true, e.g.
// mcmc; plugins/solver/mcmc/README.md, "Likelihood, σ and prior"): the prior density of the parameters, one
// entry per parameter it names, each a distribution spelled as campaigns spell theirs, {name: [a, b]}:
//
//   prior:
//     h: {normal: [40, 5]}        # m: mean 40 m, sd 5 m, truncated to h's bounds
//     theta: {normal: [310, 10]}  # deg, converted to radians here
//
// A parameter the prior does not name keeps the default, uniform within its bounds. normal: [mean, sd] in
// display units (degrees for angles); sd > 0; mean finite. The same key `prior` of a learning solver holds
// its training distribution (prior_section.hpp): which one is read follows from the plugin.
#include <yaml-cpp/yaml.h>

#include "configuration/config_node.hpp"
#include "geoinv/parameter.hpp"
#include "geoinv/prior.hpp"

namespace geoinv {

// One entry per parameter, in the model's order. A located config error names an unknown parameter (and
// the valid ones), an unknown distribution, a malformed pair or an sd <= 0.
ParameterPriors read_sampler_prior(const ConfigNode& prior, const ParameterSpecs& parameters);

// {name: {normal: [mean, sd]}, ...} in display units, for the parameters that are not uniform.
void emit_sampler_prior(YAML::Emitter& out, const ParameterPriors& prior, const ParameterSpecs& parameters);

}  // namespace geoinv
