// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// One particle's step in the generational swarm (generational_swarm.hpp): the velocity update of pagmo's
// pso_gen `variant` 1..6, then the move. Positions are points of the unit cube of the search box. pagmo
// 2.18, called once per generation, starts every particle at its memory m (the best position it has
// evaluated), so its position x equals m when the velocity is updated. With b the best memory among the
// particle's informants (swarm_topology.hpp), r uniform draws in [0, 1), ω = omega, η₁ = eta1,
// η₂ = eta2, pagmo's rules
//
//   1  v_d = ω·v_d + η₁·r₁·(m_d − x_d) + η₂·r₂·(b_d − x_d)     r₁, r₂ for every component d
//   2  the same with r₂ = r₁
//   3  as 1, r₁ and r₂ drawn once for the whole particle
//   4  as 3 with r₂ = r₁
//   5  v_d = ω·(v_d + η₁·r₁·(m_d − x_d) + η₂·r₂·(b_d − x_d))   Clerc's constriction
//   6  v_d = ω·(v_d + Σ_k r_k·(η₁ + η₂)·(m_k,d − x_d) / K)      FIPS: over the particle's K informants k,
//                                                                 one r_k per informant and component
//
// become, at x = m (the η₁ term is η₁·r₁·0, and adding it changes no bit of a velocity but the sign of
// a zero, which moves no particle):
//
//   1, 2  v_d = ω·v_d + η₂·r·(b_d − m_d)        one r per component
//   3, 4  v_d = ω·v_d + η₂·r·(b_d − m_d)        one r per particle
//   5     v_d = ω·(v_d + η₂·r·(b_d − m_d))      one r per component
//   6     as above with x = m
//
// so η₁ acts only through FIPS, and r₁, which multiplies zero, is not drawn. Draws are taken component
// by component, and the products are formed as pagmo forms them. The move (move_particle) clamps each
// component of v to ±max_vel (a fraction of the box's side, which is 1 in the unit cube), adds it to x,
// and stops a particle that would leave the cube on its face: x_d = 0 or 1 and v_d = 0.
#include <algorithm>
#include <cstddef>
#include <type_traits>

#include "swarm_random.hpp"

namespace geoinv::swarm {

struct VelocityRule {
  int variant = 5;       // 1..6, above
  double omega = 0.7298;  // inertia weight (1-4) or constriction factor (5-6)
  double eta1 = 2.05;     // pull towards the particle's memory (FIPS alone, above)
  double eta2 = 2.05;     // pull towards its informants' best memory
};

namespace detail {

// The next `count` (<= SwarmRandom::kMaxTake) draws of `random`, in order: SwarmRandom's own array, or
// uniform() called `count` times into `buffer` for any other generator (the tests' scripted draws).
template <typename Random>
const double* draws(Random& random, std::size_t count, double* buffer) {
  for (std::size_t k = 0; k < count; ++k) buffer[k] = random.uniform();
  return buffer;
}
inline const double* draws(SwarmRandom& random, std::size_t count, double*) { return random.take(count); }

}  // namespace detail

// Variants 1..5 as kVariant 1 (for 1 and 2), 3 (for 3 and 4) or 5: the new velocity `v` (n components)
// of a particle at its memory `m`, informed by `b`. Variants 1 and 5 draw a number per component and
// treat components alike, so `v`, `m` and `b` may also be the whole swarm's rows one after the other
// (generational_swarm.hpp). The swarm picks kVariant once per generation (with_velocity_form, below).
// Per-component draws are taken SwarmRandom::kMaxTake at a time.
template <int kVariant, typename Random>
void update_velocity_as(const VelocityRule& rule, Random& random, const double* m, const double* b,
                        double* __restrict v, std::size_t n) {
  static_assert(kVariant == 1 || kVariant == 3 || kVariant == 5, "variants 1..5 as 1, 3 or 5");
  const double omega = rule.omega, eta2 = rule.eta2;
  if constexpr (kVariant == 3) {
    const double r = random.uniform();
    for (std::size_t d = 0; d < n; ++d) v[d] = omega * v[d] + eta2 * r * (b[d] - m[d]);
  } else {
    double buffer[SwarmRandom::kMaxTake];
    for (std::size_t first = 0; first < n; first += SwarmRandom::kMaxTake) {
      const std::size_t count = std::min(SwarmRandom::kMaxTake, n - first);
      const double* r = detail::draws(random, count, buffer);
      for (std::size_t k = 0, d = first; k < count; ++k, ++d) {
        if constexpr (kVariant == 1)
          v[d] = omega * v[d] + eta2 * r[k] * (b[d] - m[d]);
        else
          v[d] = omega * (v[d] + eta2 * r[k] * (b[d] - m[d]));
      }
    }
  }
}

// Calls body(std::integral_constant<int, kVariant>{}) with the update form of `variant` 1..5: 1 for
// variants 1 and 2, 3 for 3 and 4, 5 for 5. The one place the variants map to their forms: the swarm picks
// its form once per generation through it (so no loop has a switch), and the tests through it too.
template <typename Body>
void with_velocity_form(int variant, Body body) {
  switch (variant) {
    case 1:
    case 2:
      return body(std::integral_constant<int, 1>{});
    case 3:
    case 4:
      return body(std::integral_constant<int, 3>{});
    default:
      return body(std::integral_constant<int, 5>{});
  }
}

// Variant 6 (FIPS): the new velocity `v` of a particle at `x`, informed by the memories of the particles
// [first, last) (row i of `memories` at memories + i·n).
template <typename Random>
void update_velocity_fips(const VelocityRule& rule, Random& random, const double* x, const double* memories,
                          const std::size_t* first, const std::size_t* last, double* v, std::size_t n) {
  const double acceleration = rule.eta1 + rule.eta2;
  const auto informants = static_cast<double>(last - first);
  for (std::size_t d = 0; d < n; ++d) {
    double pull = 0.0;
    for (const std::size_t* k = first; k != last; ++k)
      pull += random.uniform() * acceleration * (memories[*k * n + d] - x[d]);
    v[d] = rule.omega * (v[d] + pull / informants);
  }
}

// The move of a particle from `from` with velocity `v` (n components) to `x`, above; `x` may be `from`
// (a move in place). Written as clamps and a select, which compile without branches: a clamp fires at
// random.
inline void move_particle(double max_vel, const double* from, double* x, double* v, std::size_t n) {
  for (std::size_t d = 0; d < n; ++d) {
    const double velocity = std::clamp(v[d], -max_vel, max_vel);
    const double moved = from[d] + velocity;
    const double placed = std::clamp(moved, 0.0, 1.0);
    x[d] = placed;
    v[d] = placed == moved ? velocity : 0.0;  // stopped on the face it would have crossed
  }
}

}  // namespace geoinv::swarm
