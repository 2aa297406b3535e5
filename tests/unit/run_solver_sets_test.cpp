// SPDX-License-Identifier: BSD-3-Clause
// Each run's solvers (campaigns/run_solver_sets.hpp): found from the run id by the solver axes' positions,
// written to campaign.json and read back, and a damaged solver_sets refused naming the file.
#include "campaigns/run_solver_sets.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "geoinv/error.hpp"

namespace geoinv {
namespace {

using json = nlohmann::ordered_json;

// Axes of 2, 3 and 2 values, replicates 2; axes 0 and 2 change the solvers.
RunSolverSets two_solver_axes() {
  return RunSolverSets({2, 3, 2}, 2, {0, 2}, {{"a"}, {"b", "a"}, {"a"}, {"c"}});
}

TEST(RunSolverSets, ARunsLabelsFollowItsPositionsOnTheSolverAxes) {
  const RunSolverSets sets = two_solver_axes();
  EXPECT_FALSE(sets.uniform());
  EXPECT_EQ(sets.all(), (std::vector<std::string>{"a", "b", "c"}));  // in order of first appearance
  EXPECT_EQ(sets.sets().size(), 3u);
  for (std::int64_t run = 0; run < 24; ++run) {
    const std::int64_t point = run / 2, first = point / 6, last = point % 2;
    const std::vector<std::vector<std::string>> expected{{"a"}, {"b", "a"}, {"a"}, {"c"}};
    EXPECT_EQ(sets.of_run(run), expected[static_cast<std::size_t>(first * 2 + last)]) << "run " << run;
  }
}

TEST(RunSolverSets, TheSameLabelsEverywhereAreUniform) {
  const RunSolverSets same({2, 2}, 1, {1}, {{"a", "b"}, {"a", "b"}});
  EXPECT_TRUE(same.uniform());
  EXPECT_EQ(same.of_run(3), (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(RunSolverSets(std::vector<std::string>{"a"}).uniform());
}

TEST(RunSolverSets, CampaignJsonGivesThemBack) {
  const RunSolverSets sets = two_solver_axes();
  json info = {{"solvers", sets.all()}, {"solver_sets", sets.to_json()}};
  const RunSolverSets back = RunSolverSets::from_campaign_json(info, "campaign.json");
  EXPECT_EQ(back.all(), sets.all());
  for (std::int64_t run = 0; run < 24; ++run) EXPECT_EQ(back.of_run(run), sets.of_run(run));
  EXPECT_EQ(RunSolverSets::from_campaign_json(json{{"solvers", {"x", "y"}}}, "campaign.json").of_run(7),
            (std::vector<std::string>{"x", "y"}));

  info["solver_sets"]["set_of"] = {0, 1, 0};  // one entry short
  EXPECT_THROW(RunSolverSets::from_campaign_json(info, "campaign.json"), Error);
  info["solver_sets"]["set_of"] = {0, 1, 0, 9};
  EXPECT_THROW(RunSolverSets::from_campaign_json(info, "campaign.json"), Error);
  info["solver_sets"]["set_of"] = {0, 1, 0, 2};
  info["solvers"] = {"a", "b"};  // c is missing
  EXPECT_THROW(RunSolverSets::from_campaign_json(info, "campaign.json"), Error);
}

}  // namespace
}  // namespace geoinv
