// SPDX-License-Identifier: BSD-3-Clause
// Several bodies on one profile (docs/experiment-schema.md, "Summed bodies"): the shipped two-sphere
// experiment is inverted by the real binary and both bodies are recovered.
#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace geoinv_test {
namespace {

fs::path two_spheres() { return source_dir() / "configs" / "experiments" / "two_spheres_dls.yaml"; }

// Runs geoinv on the two-sphere experiment with `extra` arguments; the parsed result.json.
nlohmann::json run_two_spheres(const TempDir& dir, std::vector<std::string> extra) {
  std::vector<std::string> args{"run", two_spheres().string(), "--out", "out"};
  args.insert(args.end(), extra.begin(), extra.end());
  const CliResult run = run_geoinv(args, dir.path());
  EXPECT_EQ(run.exit_code, 0) << run.err << run.out;
  return read_json(dir.path() / "out" / "result.json");
}

void expect_both_spheres_recovered(const nlohmann::json& result) {
  ASSERT_FALSE(result["results"].empty());
  const nlohmann::json& row = result["results"][0];
  EXPECT_EQ(row["status"], "converged") << row["message"];
  EXPECT_EQ(row["num_parameters"], 8);
  const nlohmann::json& estimate = row["estimate"];
  EXPECT_NEAR(estimate["x0_1"].get<double>(), 90.0, 2.0);
  EXPECT_NEAR(estimate["h_1"].get<double>(), 30.0, 2.0);
  EXPECT_NEAR(estimate["x0_2"].get<double>(), 210.0, 2.0);
  EXPECT_NEAR(estimate["h_2"].get<double>(), 40.0, 2.0);
  EXPECT_NEAR(estimate["K_1"].get<double>(), 60000.0, 6000.0);
  EXPECT_NEAR(estimate["K_2"].get<double>(), 90000.0, 9000.0);
}

TEST(MultiSource, DlsRecoversBothSpheresOfTheShippedExample) {
  TempDir dir;
  const nlohmann::json result = run_two_spheres(dir, {});
  EXPECT_EQ(result["forward"]["plugin"], "sphere+sphere");
  expect_both_spheres_recovered(result);
  // The resolved configuration writes the sum back and runs as it is.
  const CliResult again = run_geoinv(
      {"run", (dir.path() / "out" / "config.resolved.yaml").string(), "--out", "again"}, dir.path());
  EXPECT_EQ(again.exit_code, 0) << again.err;
}

// Started with the bodies the other way round, dls finds them in that order; the exchangeable spheres
// are reported sorted by x0, so the estimate compares with the truth.
TEST(MultiSource, ExchangedBodiesAreReportedSortedByX0) {
  TempDir dir;
  const nlohmann::json result = run_two_spheres(
      dir, {"--set", "start.model.x0_1=200", "--set", "start.model.x0_2=80", "--set", "start.model.K_1=80000",
            "--set", "start.model.K_2=50000"});
  expect_both_spheres_recovered(result);
}

}  // namespace
}  // namespace geoinv_test
