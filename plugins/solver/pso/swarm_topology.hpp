// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Who informs whom in the generational swarm (generational_swarm.hpp): the four topologies of pagmo's
// pso_gen, `neighb_type` 1..4 with `neighb_param`, built as pagmo 2.18 builds them so that the option
// means what plugins/solver/pso/README.md says:
//
//   1 gbest            every particle is informed by the swarm's best position ever (tracked by the loop,
//                      not here); for FIPS (variant 6) its neighbours are all particles, 0..S-1.
//   2 lbest ring       particle p is informed by p-k..p-1 then p+1..p+k (indices modulo S), k =
//                      neighb_param / 2. neighb_param 1 gives k = 0, which pagmo leaves undefined (it reads
//                      past an empty list); here the particle is then informed by itself alone.
//   3 Von Neumann      the swarm as a lattice of r rows and c = S / r columns, r the largest divisor of S
//                      not above √S; p at (p mod c, p div c) is informed by its west, east, north and south
//                      neighbours, wrapping, in that order.
//   4 adaptive random  Clerc's Standard PSO 2011: each particle p informs itself, then neighb_param − 1
//                      particles drawn uniformly (with repetition); a particle's list holds its informants
//                      in increasing order. The loop calls rewire() after every generation (pagmo 2.18's
//                      pso_gen drew a new graph at every call, and geoinv called it once per generation).
//
// The order of a list matters: the best informant is the last of the equally good (pagmo's `<=`), and
// FIPS draws one number per informant in list order. The lists are one flat array with offsets, sized
// once: rewiring allocates nothing.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "swarm_random.hpp"

namespace geoinv::swarm {

enum class TopologyKind : int { gbest = 1, lbest = 2, von_neumann = 3, adaptive_random = 4 };

class Topology {
 public:
  // A topology of `particles` (>= 1) particles; `parameter` is neighb_param (>= 1); `fips` whether the
  // velocity update is FIPS (variant 6), which needs gbest's list of all particles. `random` draws the
  // first adaptive random graph.
  Topology(TopologyKind kind, std::size_t parameter, std::size_t particles, bool fips, SwarmRandom& random)
      : kind_(kind), parameter_(parameter), particles_(particles), offsets_(particles + 1, 0) {
    switch (kind) {
      case TopologyKind::gbest:
        if (fips) build_all();
        break;
      case TopologyKind::lbest:
        build_ring();
        break;
      case TopologyKind::von_neumann:
        build_lattice();
        break;
      case TopologyKind::adaptive_random:
        informed_.resize(particles * (parameter - 1));
        informants_.resize(particles * parameter);
        offsets_.resize(particles + 2);  // one more than the lists need: rewire's counting sort
        rewire(random);
        break;
    }
  }

  TopologyKind kind() const { return kind_; }

  // The informants of particle p: [begin(p), end(p)).
  const std::size_t* begin(std::size_t p) const { return informants_.data() + offsets_[p]; }
  const std::size_t* end(std::size_t p) const { return informants_.data() + offsets_[p + 1]; }
  std::size_t count(std::size_t p) const { return offsets_[p + 1] - offsets_[p]; }

  // A new adaptive random graph (4); the other topologies never change. Without `lists`, only the draws
  // are made: best_informants() reads them, and begin(), end() and count() keep the previous graph's
  // lists until a rewire with lists (the swarm needs the lists themselves only for FIPS).
  void rewire(SwarmRandom& random, bool lists = true) {
    if (kind_ != TopologyKind::adaptive_random) return;
    for (std::size_t first = 0; first < informed_.size();
         first += SwarmRandom::kMaxTake) {  // random.below(particles_) each
      const std::size_t count = std::min(SwarmRandom::kMaxTake, informed_.size() - first);
      const double* draws = random.take(count);
      for (std::size_t k = 0; k < count; ++k)
        informed_[first + k] = SwarmRandom::scaled(draws[k], particles_);
    }
    if (!lists) return;
    // A counting sort: the lists' lengths at offsets_[p + 2], summed into their starts at offsets_[p + 1],
    // which then serve as fill cursors and end as the lists' ends, that is the starts of the next.
    offsets_[0] = offsets_[1] = 0;
    std::fill(offsets_.begin() + 2, offsets_.end(), 1);  // itself
    for (std::size_t target : informed_) ++offsets_[target + 2];
    for (std::size_t p = 2; p < offsets_.size(); ++p) offsets_[p] += offsets_[p - 1];
    const std::size_t drawn = parameter_ - 1;
    for (std::size_t p = 0; p < particles_; ++p) {  // p informs itself first, then its drawn particles
      informants_[offsets_[p + 1]++] = p;
      for (std::size_t j = 0; j < drawn; ++j) {
        const std::size_t target = informed_[p * drawn + j];
        informants_[offsets_[target + 1]++] = p;
      }
    }
  }

  // Every particle's best informant by `scores` (one per particle, none NaN): the last of the equally good
  // in its list, as pagmo picks it; into best[0, particles). Not for gbest without FIPS, which has no
  // lists. The adaptive random graph's lists hold, in increasing order, each particle that informs them
  // (repeated as often as it drew them), so one pass over the particles in order, each offered to itself
  // and to the particles it drew, picks the same informants without the lists.
  void best_informants(const double* scores, std::size_t* best) {
    if (kind_ != TopologyKind::adaptive_random) {
      for (std::size_t p = 0; p < particles_; ++p) best[p] = best_in_list(scores, p);
      return;
    }
    best_scores_.assign(particles_, std::numeric_limits<double>::infinity());
    const std::size_t drawn = parameter_ - 1;
    for (std::size_t p = 0; p < particles_; ++p) {
      offer(scores[p], p, p, best);
      for (std::size_t j = 0; j < drawn; ++j) offer(scores[p], p, informed_[p * drawn + j], best);
    }
  }

 private:
  // The best of particle p's list: a mask and a min, not a branch (which GCC keeps for a ?:), since which
  // informant wins is a coin toss the branch predictor would lose half the time.
  std::size_t best_in_list(const double* scores, std::size_t p) const {
    const std::size_t* k = begin(p);
    std::size_t chosen = *k;
    double best = scores[chosen];
    for (++k; k != end(p); ++k) {
      const double candidate = scores[*k];
      const std::size_t take = 0 - static_cast<std::size_t>(candidate <= best);  // all ones or zero
      chosen ^= (chosen ^ *k) & take;
      best = std::min(best, candidate);
    }
    return chosen;
  }

  // Particle `informant`, of score `score`, offered to `target`'s list: taken when not worse (the last of
  // equals wins); best_scores_ starts at +inf, which every score is not worse than.
  void offer(double score, std::size_t informant, std::size_t target, std::size_t* best) {
    const std::size_t take = 0 - static_cast<std::size_t>(score <= best_scores_[target]);  // as best_in_list
    best[target] ^= (best[target] ^ informant) & take;
    best_scores_[target] = std::min(best_scores_[target], score);
  }

  void append(std::size_t p, std::size_t informant) {
    informants_.push_back(informant);
    offsets_[p + 1] = informants_.size();
  }

  void build_all() {
    for (std::size_t p = 0; p < particles_; ++p)
      for (std::size_t q = 0; q < particles_; ++q) append(p, q);
  }

  void build_ring() {
    const std::size_t reach = parameter_ / 2, n = particles_;
    for (std::size_t p = 0; p < n; ++p) {
      if (reach == 0) append(p, p);
      for (std::size_t j = reach; j > 0; --j) append(p, (p + n - j % n) % n);
      for (std::size_t j = 1; j <= reach; ++j) append(p, (p + j) % n);
    }
  }

  void build_lattice() {
    const auto n = static_cast<std::int64_t>(particles_);
    auto rows = static_cast<std::int64_t>(std::sqrt(static_cast<double>(n)));
    while (n % rows != 0) --rows;
    const std::int64_t columns = n / rows;
    const auto wrap = [](std::int64_t value, std::int64_t size) { return ((value % size) + size) % size; };
    constexpr std::int64_t kSteps[4][2] = {{-1, 0}, {1, 0}, {0, -1}, {0, 1}};
    for (std::int64_t p = 0; p < n; ++p)
      for (const auto& step : kSteps) {
        const std::int64_t x = wrap(p % columns + step[0], columns), y = wrap(p / columns + step[1], rows);
        append(static_cast<std::size_t>(p), static_cast<std::size_t>(y * columns + x));
      }
  }

  TopologyKind kind_;
  std::size_t parameter_, particles_;
  std::vector<std::size_t> offsets_;     // particle p's informants are informants_[offsets_[p], offsets_[p+1])
  std::vector<std::size_t> informants_;  // all lists, one after the other
  std::vector<std::size_t> informed_;    // adaptive random: the particles each particle informs, drawn
  std::vector<double> best_scores_;      // adaptive random: best_informants' scratch
};

}  // namespace geoinv::swarm
