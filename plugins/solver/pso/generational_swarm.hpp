// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// pso's generational swarm (`generational: true`): pagmo 2.18's pso_gen as geoinv ran it, one generation
// per call with `memory` on, written for geoinv's evaluation path.
//
// pagmo 2.18's pso_gen keeps only the particles' velocities from one call to the next: each call starts
// the particles from the population it is given, which holds their memories (the best position each has
// evaluated), and draws its topology afresh. Called once per generation, that is the generation here:
//
//   1. every particle's velocity is updated (velocity_update.hpp) at its memory m, so the pull towards
//      m vanishes (x = m); b is its informants' best memory (swarm_topology.hpp) or, with gbest, the
//      swarm's best memory (the first of the best);
//   2. every particle moves from its memory by its clamped velocity (move_particle);
//   3. the swarm is scored as one batch (geoinv_population/batch_fitness.hpp: predictions on
//      SolveContext::threads threads, accounting through Problem in the swarm's order);
//   4. a particle whose new score is not worse than its memory's (pagmo's `<=`) remembers its position;
//   5. adaptive random draws a new graph for the next generation.
//
// Around it, as the pagmo loop (geoinv_pagmo/evolution.hpp) gives every pagmo plugin:
//   - the search box (geoinv_population/search_box.hpp) seen as the unit cube; the start, projected into
//     it, is the first particle, the others are drawn uniformly in it; initial velocities are uniform in
//     ±max_vel; the initial swarm is scored as one batch too;
//   - the rule for models that cannot be scored (geoinv_population/fitness.hpp): +inf; an objective that
//     is NaN (which only a regularisation could give: Problem rejects a non-finite misfit) counts as +inf
//     too, so scores compare as numbers: pagmo's `<=` ranks NaN below every number, +inf alike;
//   - the trace, one row per generation (0: the initial swarm): the champion's sse (the best score so far,
//     the first of equals) and the forward evaluations so far;
//   - ChampionStall (geoinv_pagmo/stop_tests.hpp) after each generation, `generations` at most, in the
//     generation loop the pagmo plugins share (geoinv_pagmo/evolution.hpp, run_generations); the
//     host's budget throws BudgetExhausted from the batch, which passes through to the host.
//
// Every draw comes from one SwarmRandom seeded by SolveContext::seed, on the calling thread, in an order
// the algorithm fixes; with the batch's in-order accounting a seed gives the same bits for any thread
// count. The swarm lives in row-major matrices (one particle per row) sized once: a generation allocates
// nothing.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "geoinv/problem.hpp"
#include "geoinv/solver.hpp"
#include "geoinv_pagmo/evolution.hpp"
#include "geoinv_pagmo/stop_tests.hpp"
#include "geoinv_population/batch_fitness.hpp"
#include "geoinv_population/search_box.hpp"
#include "swarm_random.hpp"
#include "swarm_topology.hpp"
#include "velocity_update.hpp"

namespace geoinv::swarm {

struct SwarmSettings {
  pagmo_glue::EvolutionSettings evolution;  // population_size (particles), generations, ftol, xtol, search_radius
  VelocityRule rule;
  double max_vel = 0.5;  // fraction of each side of the search box
  TopologyKind topology = TopologyKind::adaptive_random;
  std::size_t neighb_param = 4;
  std::int64_t stall_generations = 300;
};

namespace detail {

using Rows = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

class Swarm {
 public:
  Swarm(const SwarmSettings& settings, Problem& problem, const population::SearchBox& box,
        const Vector& start, int threads, SwarmRandom& random)
      : settings_(settings),
        random_(&random),
        particles_(static_cast<std::size_t>(settings.evolution.population_size)),
        n_(static_cast<std::size_t>(box.lower.size())),
        batch_(problem, box, threads),
        x_(particles_, n_),
        v_(particles_, n_),
        memory_(particles_, n_),
        informed_(particles_, n_),
        informers_(particles_),
        score_(particles_),
        memory_score_(particles_),
        champion_(n_) {
    const Vector first = box.to_unit(start);
    for (std::size_t d = 0; d < n_; ++d) x_(0, d) = std::clamp(first(d), 0.0, 1.0);
    for (std::size_t p = 1; p < particles_; ++p)
      for (std::size_t d = 0; d < n_; ++d) x_(p, d) = random.uniform();
    score_batch();
    memory_ = x_;
    memory_score_ = score_;
    for (std::size_t p = 0; p < particles_; ++p)
      for (std::size_t d = 0; d < n_; ++d) v_(p, d) = (2.0 * random.uniform() - 1.0) * settings.max_vel;
    champion_ = x_.row(0);
    champion_score_ = score_(0);
    update_champion();
    topology_.emplace(settings.topology, settings.neighb_param, particles_, settings.rule.variant == 6, random);
  }

  void step() {
    if (settings_.rule.variant == 6)
      move_particles_fips();
    else  // the form chosen once per generation, not per particle
      with_velocity_form(settings_.rule.variant, [this](auto form) { move_particles<decltype(form)::value>(); });
    score_batch();
    for (std::size_t p = 0; p < particles_; ++p) {
      if (!(score_(p) <= memory_score_(p))) continue;
      memory_score_(p) = score_(p);
      memory_.row(p) = x_.row(p);
    }
    update_champion();
    topology_->rewire(*random_, settings_.rule.variant == 6);  // only FIPS reads the lists themselves
  }

  const double* champion() const { return champion_.data(); }
  double champion_score() const { return champion_score_; }
  std::size_t dimension() const { return n_; }

 private:
  void score_batch() {
    batch_(x_.data(), particles_, score_.data());
    for (double& score : score_)
      if (std::isnan(score)) score = population::kRejected;
  }

  // pagmo's population champion: the best score so far, the first of equals.
  void update_champion() {
    for (std::size_t p = 0; p < particles_; ++p)
      if (score_(p) < champion_score_) {
        champion_score_ = score_(p);
        champion_ = x_.row(p);
      }
  }

  // The swarm's best memory, the first of the best (pagmo's population best_idx): gbest's leader.
  std::size_t best_memory() const {
    std::size_t best = 0;
    for (std::size_t p = 1; p < particles_; ++p)
      if (memory_score_(p) < memory_score_(best)) best = p;
    return best;
  }

  // Every particle's velocity, updated at its memory (above: x = m), informed by the swarm's best memory
  // (gbest) or its best informant's; then every particle's move. Variants 1, 2 and 5 draw a number per
  // component and treat components alike, so with each particle's informer copied into its row of
  // informed_, the swarm's rows are updated and moved as one run of particles·n components (the draws in
  // the same order: particle by particle, component by component), in loops long enough to vectorise.
  template <int kVariant>
  void move_particles() {
    find_informers();
    const std::size_t components = particles_ * n_;
    if constexpr (kVariant == 3) {  // one draw per particle
      for (std::size_t p = 0; p < particles_; ++p)
        update_velocity_as<3>(settings_.rule, *random_, &memory_(p, 0), &memory_(informer(p), 0), &v_(p, 0),
                              n_);
    } else {
      for (std::size_t p = 0; p < particles_; ++p)
        std::copy_n(&memory_(informer(p), 0), n_, &informed_(p, 0));
      update_velocity_as<kVariant>(settings_.rule, *random_, memory_.data(), informed_.data(), v_.data(),
                                   components);
    }
    move_particle(settings_.max_vel, memory_.data(), x_.data(), v_.data(), components);
  }

  // Whose memory informs each particle: gbest's leader, the swarm's best memory, or each particle's best
  // informant (swarm_topology.hpp, Topology::best_informants: the last of the equally good, as pagmo).
  void find_informers() {
    if (settings_.topology == TopologyKind::gbest) {
      leader_ = best_memory();
      return;
    }
    topology_->best_informants(memory_score_.data(), informers_.data());
  }
  Eigen::Index informer(std::size_t p) const {
    return static_cast<Eigen::Index>(settings_.topology == TopologyKind::gbest ? leader_ : informers_[p]);
  }

  void move_particles_fips() {
    for (std::size_t p = 0; p < particles_; ++p)
      update_velocity_fips(settings_.rule, *random_, &memory_(p, 0), memory_.data(), topology_->begin(p),
                           topology_->end(p), &v_(p, 0), n_);
    move_particle(settings_.max_vel, memory_.data(), x_.data(), v_.data(), particles_ * n_);
  }

  const SwarmSettings& settings_;
  SwarmRandom* random_;
  std::size_t particles_, n_;
  population::BatchFitness batch_;
  Rows x_, v_, memory_;         // per particle: position, velocity, memory (best position it evaluated)
  Rows informed_;               // per particle: the memory that informs its velocity (move_particles)
  std::vector<std::size_t> informers_;  // per particle: whose memory that is (find_informers)
  std::size_t leader_ = 0;              // gbest: the swarm's best memory
  Vector score_, memory_score_;  // per particle: the score of its position, of its memory
  Vector champion_;  // the best position scored so far, reported as the estimate
  double champion_score_ = 0.0;
  std::optional<Topology> topology_;
};

}  // namespace detail

// Minimises `problem` from `start` with the generational swarm of `settings`, seeded by `seed`, batches
// predicted on `threads` (>= 1) threads.
inline SolverOutcome solve_generational(const SwarmSettings& settings, Problem& problem, const Vector& start,
                                        std::uint64_t seed, int threads) {
  const population::SearchBox box = population::search_box(problem, start, settings.evolution.search_radius);
  SwarmRandom random(seed);
  detail::Swarm swarm(settings, problem, box, start, threads, random);
  pagmo_glue::ChampionStall stop(settings.evolution.xtol, settings.evolution.ftol, settings.stall_generations);

  SolverOutcome outcome = pagmo_glue::run_generations(
      problem, settings.evolution.generations, [&] { swarm.step(); }, [&] { return swarm.champion_score(); },
      [&](Termination* termination, std::string* message) {
        return stop.fire(swarm.champion(), swarm.dimension(), swarm.champion_score(), termination, message);
      });
  outcome.estimate = box.to_model(swarm.champion());
  return outcome;
}

}  // namespace geoinv::swarm
