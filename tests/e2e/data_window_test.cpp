// SPDX-License-Identifier: BSD-3-Clause
// data.window (docs/experiment-schema.md, "Data"): only the stations inside [x_min, x_max] are inverted,
// of a CSV profile (the file untouched) or of synthetic stations, and the window is recorded.
#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace geoinv_test {
namespace {

fs::path seed_config() { return source_dir() / "configs" / "seed_sphere_dls.yaml"; }

TEST(DataWindow, KeepsTheCsvStationsInsideAndRecordsTheWindow) {
  TempDir dir;
  const CliResult run =
      run_geoinv({"run", seed_config().string(), "--out", "out", "--set", "data.window=[30, 130]"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = read_json(dir.path() / "out" / "result.json");
  // The seed profile has x = 0, 1.5, ..., 150: 30 to 129 inclusive are inside.
  EXPECT_EQ(result["data"]["count"], 67);
  EXPECT_EQ(result["data"]["window"], nlohmann::json::array({30.0, 130.0}));
  EXPECT_EQ(result["results"][0]["status"], "converged");
  // The resolved configuration keeps the window and runs on the same stations.
  const CliResult again =
      run_geoinv({"run", (dir.path() / "out" / "config.resolved.yaml").string(), "--out", "again"}, dir.path());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(read_json(dir.path() / "again" / "result.json")["data"]["count"], 67);
}

TEST(DataWindow, KeepsTheSyntheticStationsInside) {
  TempDir dir;
  const fs::path example = source_dir() / "plugins" / "forward" / "sphere" / "example.yaml";
  // 101 stations from 0 to 150 (1.5 m apart): 45 to 105 inclusive are 41 of them.
  const CliResult run =
      run_geoinv({"run", example.string(), "--out", "out", "--set", "data.window=[45, 105]"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = read_json(dir.path() / "out" / "result.json");
  EXPECT_EQ(result["data"]["count"], 41);
  EXPECT_EQ(result["data"]["window"], nlohmann::json::array({45.0, 105.0}));
}

TEST(DataWindow, WithoutAWindowNothingIsRecorded) {
  TempDir dir;
  const CliResult run = run_geoinv({"run", seed_config().string(), "--out", "out"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = read_json(dir.path() / "out" / "result.json");
  EXPECT_EQ(result["data"]["count"], 101);
  EXPECT_FALSE(result["data"].contains("window"));
}

}  // namespace
}  // namespace geoinv_test
