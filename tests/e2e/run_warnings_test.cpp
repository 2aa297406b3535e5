// SPDX-License-Identifier: BSD-3-Clause
// What `geoinv run` must tell the user beside the numbers, on the console and in report.html as well as
// in result.json: why a solver that did not converge has no uncertainty (no "±" computed where it
// stopped), strongly correlated parameters, and the rows the data reader sorted.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <regex>

#include "cli_runner.hpp"

namespace geoinv_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string synthetic_experiment(const std::string& stations, const std::string& extra = "") {
  return "version: 1\nname: warnings\nforward: {plugin: sphere, options: {convention: minus}, stations: " +
         stations +
         "}\ndata:\n  synthetic:\n    true_model: {x0: 77.07, theta: 309.37, h: 41.81, K: 94686}\n"
         "    noise_sigma: 1\n    seed: 1\nstart: {model: {x0: 60, theta: 300, h: 40, K: 94500}}\n"
         "solvers:\n  - plugin: dls\n" +
         extra;
}

// A number, " ± ", a number: a standard error shown beside an estimate.
bool shows_standard_error(const std::string& text) {
  return std::regex_search(text, std::regex("[0-9] ?±[0-9 ]"));
}

TEST(RunWarnings, ARunThatDidNotConvergeShowsNoStandardErrorAndSaysWhy) {
  TempDir dir;
  const fs::path file = dir.write("e.yaml", synthetic_experiment("{from: 0, to: 150, count: 101}",
                                                                 "budget: {max_forward_evaluations: 4}\n"));
  const CliResult run = run_geoinv({"run", file.string(), "--out", "out"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string why = "no uncertainty: budget exhausted before convergence";
  EXPECT_FALSE(shows_standard_error(run.out)) << run.out;
  EXPECT_THAT(run.out, HasSubstr("dls: " + why));
  const auto r = read_json(dir.path() / "out/result.json")["results"][0];
  EXPECT_EQ(r["status"], "not_converged");
  ASSERT_TRUE(r.contains("std_error"));
  EXPECT_TRUE(r["std_error"].is_null());
  EXPECT_EQ(r["uncertainty_note"], why);
  // report.html is written whether or not gnuplot draws the figures.
  const std::string report = read_file(dir.path() / "out/report.html");
  EXPECT_THAT(report, HasSubstr(why));
  EXPECT_FALSE(shows_standard_error(report));
}

TEST(RunWarnings, StrongCorrelationsAndDataNotesReachTheConsoleAndTheReport) {
  TempDir dir;
  // Eleven stations over the anomaly's peak resolve depth and strength only together.
  const fs::path file = dir.write("e.yaml", synthetic_experiment("{from: 70, to: 85, count: 11}"));
  const CliResult run = run_geoinv({"run", file.string(), "--out", "out"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.out, HasSubstr("dls: warning: strong correlation: h and K correlate at r = 0.99"));
  const auto r = read_json(dir.path() / "out/result.json")["results"][0];
  EXPECT_THAT(r["warnings"].dump(), HasSubstr("strong correlation: h and K"));
  EXPECT_THAT(read_file(dir.path() / "out/report.html"), HasSubstr("strong correlation: h and K"));

  dir.write("profile.csv", "x,v\n0,-1\n2,-3\n1,-2\n3,-2\n4,-1\n5,-0.5\n6,-0.2\n");
  const fs::path sorted = dir.write("sorted.yaml",
                                    "version: 1\nname: sorted\nforward: {plugin: sphere}\n"
                                    "data: {file: profile.csv, sort: true}\nstart: {strategy: data_driven}\n"
                                    "solvers:\n  - plugin: dls\n");
  const CliResult notes = run_geoinv({"run", sorted.string(), "--out", "notes"}, dir.path());
  ASSERT_EQ(notes.exit_code, 0) << notes.err;
  EXPECT_THAT(notes.out, HasSubstr("data: sorted by x: lines"));
  EXPECT_THAT(read_file(dir.path() / "notes/report.html"), HasSubstr("sorted by x: lines"));
}

}  // namespace
}  // namespace geoinv_test
