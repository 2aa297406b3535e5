// SPDX-License-Identifier: BSD-3-Clause
// The pieces of pso's generational swarm on tiny hand-checked cases: each velocity variant of pagmo's
// pso_gen at the particle's memory (velocity_update.hpp) with scripted draws, the move and its clamps, each
// topology's lists and best informants (swarm_topology.hpp), and the generator (swarm_random.hpp).
#include <gtest/gtest.h>

#include <cstddef>
#include <limits>
#include <vector>

#include "swarm_random.hpp"
#include "swarm_topology.hpp"
#include "velocity_update.hpp"

namespace geoinv::swarm {
namespace {

// Hands out 0.25, 0.5, 0.75, 0.125, then again.
struct ScriptedRandom {
  double uniform() { return kDraws[next++ % 4]; }
  static constexpr double kDraws[4] = {0.25, 0.5, 0.75, 0.125};
  std::size_t next = 0;
};

// The particle at its memory m = (0.2, 0.6), informants' best b = (0.8, 0.1), v = (0.1, −0.2); ω = 0.5,
// η₁ = 2 (which the rule multiplies by m − x = 0), η₂ = 1. The expected velocities are worked out by hand.
std::vector<double> velocity_after(int variant) {
  const double m[2] = {0.2, 0.6}, b[2] = {0.8, 0.1};
  std::vector<double> v = {0.1, -0.2};
  ScriptedRandom random;
  const VelocityRule rule{variant, 0.5, 2.0, 1.0};
  with_velocity_form(variant, [&](auto form) {
    update_velocity_as<decltype(form)::value>(rule, random, m, b, v.data(), 2);
  });
  return v;
}

TEST(SwarmVelocity, Variants1And2DrawOneNumberPerComponent) {
  for (int variant : {1, 2}) {
    const auto v = velocity_after(variant);
    EXPECT_DOUBLE_EQ(v[0], 0.5 * 0.1 + 1 * 0.25 * 0.6);    // 0.2
    EXPECT_DOUBLE_EQ(v[1], 0.5 * -0.2 + 1 * 0.5 * -0.5);  // −0.35
  }
}

TEST(SwarmVelocity, Variants3And4DrawOneNumberPerParticle) {
  for (int variant : {3, 4}) {
    const auto v = velocity_after(variant);
    EXPECT_DOUBLE_EQ(v[0], 0.2);     // 0.05 + 0.25·0.6
    EXPECT_DOUBLE_EQ(v[1], -0.225);  // −0.1 + 0.25·(−0.5)
  }
}

TEST(SwarmVelocity, Variant5ConstrictsTheWholeSum) {
  const auto v = velocity_after(5);
  EXPECT_DOUBLE_EQ(v[0], 0.125);   // 0.5·(0.1 + 0.25·0.6)
  EXPECT_DOUBLE_EQ(v[1], -0.225);  // 0.5·(−0.2 + 0.5·(−0.5))
}

TEST(SwarmVelocity, Variant6PullsTowardsEveryInformantsMemory) {
  const double x[2] = {0.2, 0.6};
  const double memories[4] = {0.4, 0.5, 0.0, 1.0};  // particle 0's memory, particle 1's
  const std::size_t informants[2] = {0, 1};
  double v[2] = {0.1, -0.2};
  ScriptedRandom random;
  update_velocity_fips(VelocityRule{6, 0.5, 2.0, 1.0}, random, x, memories, informants, informants + 2, v, 2);
  // (η₁ + η₂) = 3; d = 0: (0.25·3·0.2 + 0.5·3·(−0.2)) / 2 = −0.075; d = 1: (0.75·3·(−0.1) + 0.125·3·0.4) / 2.
  EXPECT_DOUBLE_EQ(v[0], 0.5 * (0.1 - 0.075));
  EXPECT_DOUBLE_EQ(v[1], 0.5 * (-0.2 - 0.0375));
}

TEST(SwarmMove, ClampsTheVelocityAndStopsAParticleOnTheCubesFace) {
  double x[4] = {0.2, 0.6, 0.9, 0.1}, v[4] = {0.45, -0.1, 0.2, -0.25};
  move_particle(0.3, x, x, v, 4);  // in place
  EXPECT_DOUBLE_EQ(v[0], 0.3);  // clamped to max_vel
  EXPECT_DOUBLE_EQ(x[0], 0.5);
  EXPECT_DOUBLE_EQ(v[1], -0.1);
  EXPECT_DOUBLE_EQ(x[1], 0.5);
  EXPECT_EQ(x[2], 1.0);  // 1.1 leaves the cube: on the face, stopped
  EXPECT_EQ(v[2], 0.0);
  EXPECT_EQ(x[3], 0.0);  // −0.15 likewise
  EXPECT_EQ(v[3], 0.0);
}

std::vector<std::size_t> informants_of(const Topology& topology, std::size_t p) {
  return {topology.begin(p), topology.end(p)};
}

using Lists = std::vector<std::vector<std::size_t>>;

TEST(SwarmTopology, LbestRingListsLeftThenRightNeighbours) {
  SwarmRandom random(1);
  const Topology four(TopologyKind::lbest, 4, 5, false, random), three(TopologyKind::lbest, 3, 5, false, random);
  EXPECT_EQ(informants_of(four, 0), (std::vector<std::size_t>{3, 4, 1, 2}));
  EXPECT_EQ(informants_of(four, 2), (std::vector<std::size_t>{0, 1, 3, 4}));
  EXPECT_EQ(informants_of(three, 0), (std::vector<std::size_t>{4, 1}));  // k = 3 / 2 = 1
  const Topology one(TopologyKind::lbest, 1, 5, false, random);         // k = 0: itself
  EXPECT_EQ(informants_of(one, 3), (std::vector<std::size_t>{3}));
}

TEST(SwarmTopology, VonNeumannListsWestEastNorthSouthOnTheLattice) {
  SwarmRandom random(1);
  const Topology lattice(TopologyKind::von_neumann, 4, 6, false, random);  // 2 rows × 3 columns
  EXPECT_EQ(informants_of(lattice, 0), (std::vector<std::size_t>{2, 1, 3, 3}));
  EXPECT_EQ(informants_of(lattice, 4), (std::vector<std::size_t>{3, 5, 1, 1}));
}

TEST(SwarmTopology, GbestListsEveryParticleForFipsAndNoneOtherwise) {
  SwarmRandom random(1);
  const Topology fips(TopologyKind::gbest, 4, 3, true, random), plain(TopologyKind::gbest, 4, 3, false, random);
  for (std::size_t p = 0; p < 3; ++p) {
    EXPECT_EQ(informants_of(fips, p), (std::vector<std::size_t>{0, 1, 2}));
    EXPECT_EQ(plain.count(p), 0u);
  }
}

// Each particle informs itself, then neighb_param − 1 particles drawn in turn; a list holds its informants
// in the order they were added, which is increasing.
Lists adaptive_lists(SwarmRandom random, std::size_t particles, std::size_t parameter) {
  Lists lists(particles);
  for (std::size_t p = 0; p < particles; ++p) {
    lists[p].push_back(p);
    for (std::size_t j = 1; j < parameter; ++j) lists[random.below(particles)].push_back(p);
  }
  return lists;
}

TEST(SwarmTopology, AdaptiveRandomInformsItselfAndDrawnParticlesAndRewires) {
  SwarmRandom random(7);
  const Lists first = adaptive_lists(random, 6, 3);
  Topology topology(TopologyKind::adaptive_random, 3, 6, false, random);
  for (std::size_t p = 0; p < 6; ++p) EXPECT_EQ(informants_of(topology, p), first[p]) << p;
  const Lists second = adaptive_lists(random, 6, 3);
  topology.rewire(random);
  for (std::size_t p = 0; p < 6; ++p) EXPECT_EQ(informants_of(topology, p), second[p]) << p;
  EXPECT_NE(first, second);
}

// The last of the best in each list, read off the lists: what pagmo picks.
std::vector<std::size_t> best_by_lists(const Lists& lists, const std::vector<double>& scores) {
  std::vector<std::size_t> best;
  for (const auto& list : lists) {
    std::size_t chosen = list.front();
    for (std::size_t q : list)
      if (scores[q] <= scores[chosen]) chosen = q;
    best.push_back(chosen);
  }
  return best;
}

TEST(SwarmTopology, BestInformantsAreTheLastOfTheBestInEachList) {
  // Few distinct scores and +inf (a rejected memory), so that most lists hold ties.
  const double inf = std::numeric_limits<double>::infinity();
  SwarmRandom draws(11);
  std::vector<double> scores(20);
  for (double& score : scores) score = draws.below(4) == 0 ? inf : static_cast<double>(draws.below(3));
  for (const TopologyKind kind :
       {TopologyKind::adaptive_random, TopologyKind::lbest, TopologyKind::von_neumann}) {
    SwarmRandom random(5);
    Topology topology(kind, 4, 20, false, random);
    for (int graph = 0; graph < 3; ++graph) {
      Lists lists;
      for (std::size_t p = 0; p < 20; ++p) lists.push_back(informants_of(topology, p));
      std::vector<std::size_t> best(20);
      topology.best_informants(scores.data(), best.data());
      EXPECT_EQ(best, best_by_lists(lists, scores)) << static_cast<int>(kind) << ", graph " << graph;
      topology.rewire(random);
    }
  }
  // Rewired without its lists, the adaptive graph still gives the best informants of its new draws.
  SwarmRandom random(5), replay(5);
  Topology topology(TopologyKind::adaptive_random, 4, 20, false, random),
      lists(TopologyKind::adaptive_random, 4, 20, false, replay);
  topology.rewire(random, false);
  lists.rewire(replay);
  std::vector<std::size_t> best(20), expected(20);
  topology.best_informants(scores.data(), best.data());
  lists.best_informants(scores.data(), expected.data());
  Lists drawn;
  for (std::size_t p = 0; p < 20; ++p) drawn.push_back(informants_of(lists, p));
  EXPECT_EQ(best, best_by_lists(drawn, scores));
  EXPECT_EQ(best, expected);
}

TEST(SwarmRandomDraws, OneSeedOneSequenceInTheUnitInterval) {
  SwarmRandom a(42), b(42), c(43);
  bool differs = false;
  for (int i = 0; i < 1000; ++i) {
    const double u = a.uniform();
    EXPECT_EQ(u, b.uniform());
    EXPECT_GE(u, 0.0);
    EXPECT_LT(u, 1.0);
    differs = differs || u != c.uniform();
    EXPECT_LT(a.below(5), 5u);
    b.below(5);
    c.below(5);
  }
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace geoinv::swarm
