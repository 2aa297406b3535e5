// SPDX-License-Identifier: BSD-3-Clause
// Several bodies on one profile (docs/experiment-schema.md, "Summed bodies"): the shipped two-sphere
// experiment is inverted by the real binary and both bodies are recovered; `geoinv compare` ranks 1, 2
// and 3 sources on the same data by BIC.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

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

// An experiment of `count` minus-convention spheres on data.csv, started from `start`.
std::string spheres_on_file(int count, const std::string& start) {
  std::string yaml = "version: 1\nname: spheres_" + std::to_string(count) + "\nforward:\n  sum:\n";
  for (int k = 0; k < count; ++k) yaml += "    - {plugin: sphere, options: {convention: minus}}\n";
  return yaml + "data: {file: data.csv, unit: mV}\nstart:\n  model: {" + start + "}\nsolvers:\n  - plugin: dls\n";
}

// The two-sphere profile's x, observed and sigma columns (fit.csv) as a data file of its own.
void write_profile(const fs::path& fit, const fs::path& data) {
  std::ifstream in(fit);
  std::ofstream out(data);
  std::string line;
  std::getline(in, line);
  out << "x,value,sigma\n";
  while (std::getline(in, line)) {
    std::istringstream cells(line);
    std::string x, value, sigma;
    std::getline(cells, x, ',');
    std::getline(cells, value, ',');
    std::getline(cells, sigma, ',');
    out << x << ',' << value << ',' << sigma << '\n';
  }
}

// Runs with 1, 2 and 3 bodies on the same two-sphere data: BIC puts the true count first, the count
// that cannot fit last, and the table shows each run's parameter count (k).
TEST(MultiSource, CompareRanksSourceCountsByBic) {
  TempDir dir;
  run_two_spheres(dir, {});
  write_profile(dir.path() / "out" / "fit.csv", dir.path() / "data.csv");
  const std::string one = "x0_1: 200, theta_1: 300, h_1: 35, K_1: 80000";
  const std::string two = "x0_1: 80, theta_1: 300, h_1: 35, K_1: 50000, x0_2: 200, theta_2: 300, h_2: 35, K_2: 80000";
  const std::string three = two + ", x0_3: 150, theta_3: 300, h_3: 35, K_3: 1000";
  int count = 0;
  for (const std::string& start : {one, two, three}) {
    ++count;
    const fs::path file = dir.write("spheres_" + std::to_string(count) + ".yaml", spheres_on_file(count, start));
    const CliResult run = run_geoinv({"run", file.string(), "--out", "n" + std::to_string(count)}, dir.path());
    ASSERT_EQ(run.exit_code, 0) << run.err;
  }
  const CliResult compare = run_geoinv({"compare", "n1", "n2", "n3"}, dir.path());
  ASSERT_EQ(compare.exit_code, 0) << compare.err;
  EXPECT_THAT(compare.out, ::testing::Not(::testing::HasSubstr("not on the same data"))) << compare.out;
  const auto row_of = [&](const std::string& name) { return compare.out.find(name + " "); };
  ASSERT_NE(row_of("spheres_2"), std::string::npos) << compare.out;
  EXPECT_LT(row_of("spheres_2"), row_of("spheres_3")) << compare.out;
  EXPECT_LT(row_of("spheres_3"), row_of("spheres_1")) << compare.out;
  EXPECT_THAT(compare.out, ::testing::ContainsRegex("spheres_2 +sphere\\+sphere +dls +converged +8 ")) << compare.out;
  EXPECT_THAT(compare.out, ::testing::ContainsRegex("spheres_3 +sphere\\+sphere\\+sphere +dls +[a-z_]+ +12 "))
      << compare.out;
  EXPECT_THAT(compare.out, ::testing::ContainsRegex("spheres_1 +sphere +dls +[a-z_]+ +4 ")) << compare.out;
}

}  // namespace
}  // namespace geoinv_test
