// SPDX-License-Identifier: BSD-3-Clause
// `geoinv compare` of sampler runs (docs/outputs.md, "Comparing runs"): one and two spheres sampled by
// mcmc on the seed profile are ranked by WAIC, read from each run's result.json (posterior.waic), with
// waic, waic_se and dwaic columns; a run without draws (dls) among them sends the ranking back to BIC and
// the footer says why.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "cli_runner.hpp"

namespace geoinv_test {
namespace {

using ::testing::HasSubstr;

std::string experiment(int spheres, const std::string& solver) {
  std::string yaml = "version: 1\nname: spheres_" + std::to_string(spheres) + "\nforward:\n  sum:\n";
  for (int k = 0; k < spheres; ++k) yaml += "    - plugin: sphere\n      options: {convention: minus}\n";
  yaml += "  stations: data\ndata: {unit: mV, file: " + seed_data_file().string() + "}\nstart:\n  model: {";
  const char* bodies[] = {"x0_{0}: 77, theta_{0}: 309, h_{0}: 42, K_{0}: 94000",
                          "x0_{0}: 130, theta_{0}: 300, h_{0}: 30, K_{0}: 5000"};
  for (int k = 0; k < spheres; ++k) {
    std::string body = bodies[k];
    for (std::size_t at = body.find("{0}"); at != std::string::npos; at = body.find("{0}"))
      body.replace(at, 3, std::to_string(k + 1));
    yaml += (k ? ", " : "") + body;
  }
  yaml += "}\nbudget: {max_forward_evaluations: 100000}\nsolvers:\n  - plugin: " + solver + "\n";
  if (solver == "mcmc") yaml += "    options: {walkers: 24, steps: 600, burn_in: 200}\n";
  return yaml;
}

void run(const TempDir& dir, int spheres, const std::string& solver, const std::string& out) {
  const fs::path file = dir.write(out + ".yaml", experiment(spheres, solver));
  const CliResult result =
      run_geoinv({"run", file.string(), "--out", out, "--no-figures", "--quiet"}, dir.path());
  ASSERT_EQ(result.exit_code, 0) << result.err;
}

TEST(CompareWaic, RanksSamplerRunsByWaicWithADeltaColumn) {
  TempDir dir;
  run(dir, 1, "mcmc", "one");
  run(dir, 2, "mcmc", "two");
  const auto waic_one = read_json(dir.path() / "one/result.json")["results"][0]["posterior"]["waic"];
  const auto waic_two = read_json(dir.path() / "two/result.json")["results"][0]["posterior"]["waic"];
  for (const auto& w : {waic_one, waic_two}) {
    ASSERT_TRUE(w["waic"].is_number()) << w.dump();
    EXPECT_NEAR(w["waic"].get<double>(), -2.0 * w["elpd_waic"].get<double>(), 1e-9);
    EXPECT_GT(w["p_waic"].get<double>(), 0.0);
    EXPECT_GT(w["se"].get<double>(), 0.0);
    EXPECT_EQ(w["data_points"], 101);
  }
  const CliResult table = run_geoinv({"compare", "one", "two"}, dir.path());
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("dwaic"));
  EXPECT_THAT(table.out, HasSubstr("lowest WAIC first (every row has posterior draws)"));

  const CliResult json = run_geoinv({"compare", "one", "two", "--format", "json"}, dir.path());
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto ranked = nlohmann::json::parse(json.out);
  EXPECT_EQ(ranked["order"], "lowest WAIC first (every row has posterior draws)");
  const auto& rows = ranked["rows"];
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_LE(rows[0]["waic"].get<double>(), rows[1]["waic"].get<double>());
  EXPECT_EQ(rows[0]["dwaic"].get<double>(), 0.0);
  EXPECT_NEAR(rows[1]["dwaic"].get<double>(), rows[1]["waic"].get<double>() - rows[0]["waic"].get<double>(),
              1e-9);
  const double best = std::min(waic_one["waic"].get<double>(), waic_two["waic"].get<double>());
  EXPECT_EQ(rows[0]["waic"].get<double>(), best);
  // waic_se is on the deviance scale: twice the se of elpd_waic in result.json.
  const auto& first_waic = rows[0]["run"] == "one" ? waic_one : waic_two;
  EXPECT_NEAR(rows[0]["waic_se"].get<double>(), 2.0 * first_waic["se"].get<double>(), 1e-9);
}

TEST(CompareWaic, ARunWithoutDrawsSendsTheRankingBackToBic) {
  TempDir dir;
  run(dir, 1, "mcmc", "sampled");
  run(dir, 2, "dls", "fitted");
  const CliResult csv = run_geoinv({"compare", "sampled", "fitted", "--format", "csv"}, dir.path());
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_THAT(csv.out,
              HasSubstr("rank,experiment,forward,solver,status,k,rms,aic,bic,dbic,waic,waic_se,dwaic,run,"));
  const CliResult table = run_geoinv({"compare", "sampled", "fitted"}, dir.path());
  EXPECT_THAT(table.out, HasSubstr("lowest BIC first (not every row has a WAIC)"));
}

TEST(CompareWaic, RunsWithoutDrawsKeepTheBicTableAsItWas) {
  TempDir dir;
  run(dir, 1, "dls", "a");
  run(dir, 2, "dls", "b");
  const CliResult table = run_geoinv({"compare", "a", "b"}, dir.path());
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_THAT(table.out, ::testing::Not(HasSubstr("waic")));
  EXPECT_THAT(table.out, HasSubstr("lowest BIC first; dbic > 10"));
}

}  // namespace
}  // namespace geoinv_test
