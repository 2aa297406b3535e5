// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Latin hypercube sampling, shared by multistart starts and learning priors.
#include <cstdint>
#include <vector>

#include "geoinv/forward_model.hpp"
#include "geoinv/parameter.hpp"

namespace geoinv {

// `count` Latin hypercube draws in the box: each range cut into `count` strata, one draw per stratum, the
// strata paired across parameters by independent random permutations (geoinv's own uniform draws, so
// the same seed gives the same samples on every platform).
std::vector<Vector> latin_hypercube_samples(const Vector& lower, const Vector& upper, std::int64_t count,
                                            std::uint64_t seed);

}  // namespace geoinv
