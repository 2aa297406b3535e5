// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The stretch move of Goodman & Weare (2010), as emcee's StretchMove: a walker x moves along the line
// through a partner y of the other half of the ensemble, to y + z·(x − y), with z drawn from
// g(z) ∝ 1/√z on [1/a, a]. The proposal is accepted with probability min(1, z^(d−1) p(x')/p(x)); the
// returned log factor is (d − 1)·ln z.
#include <cmath>
#include <random>

#include "geoinv/forward_model.hpp"  // Vector

namespace geoinv::mcmc {

// z = ((a − 1)·u + 1)² / a with u uniform on [0, 1): the inverse of g's distribution function.
template <typename Rng>
double draw_stretch(double a, Rng& rng) {
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  const double root = (a - 1.0) * uniform(rng) + 1.0;
  return root * root / a;
}

// Writes the proposal for `walker` with partner `partner` into `proposal`; returns the log of the
// proposal's factor in the acceptance ratio.
template <typename Rng>
double stretch_proposal(const Eigen::Ref<const Vector>& walker, const Eigen::Ref<const Vector>& partner, double a,
                        Rng& rng, Vector& proposal) {
  const double z = draw_stretch(a, rng);
  proposal = partner + z * (walker - partner);
  return static_cast<double>(walker.size() - 1) * std::log(z);
}

}  // namespace geoinv::mcmc
