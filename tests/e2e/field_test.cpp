// SPDX-License-Identifier: BSD-3-Clause
// The field experiments in configs/field/: every profile inverted with the inclined sheet and the
// free-shape-factor body converges to a physically valid model, and `geoinv compare` ranks them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "cli_runner.hpp"

namespace geoinv_test {
namespace {

using ::testing::HasSubstr;

constexpr double kDegree = 3.14159265358979323846 / 180.0;

class FieldExperiment : public ::testing::TestWithParam<const char*> {};

TEST_P(FieldExperiment, BothModelsConvergeToPhysicallyValidBodiesAndAreCompared) {
  const std::string profile = GetParam();
  TempDir dir;
  // The configs as written: each names its profile in data/field/ relative to itself.
  for (const char* model : {"inclined_sheet", "polarized_body"}) {
    const fs::path config = source_dir() / "configs/field" / (profile + "_" + model + ".yaml");
    const CliResult run = run_geoinv({"run", config.string(), "--out", model}, dir.path());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const auto result = read_json(dir.path() / model / "result.json");
    const auto& r = result["results"][0];
    EXPECT_EQ(r["status"], "converged") << model << ": " << r["message"];
    const auto& e = r["estimate"];
    if (std::string(model) == "inclined_sheet") {
      const double top = e["h"].get<double>() - e["a"].get<double>() * std::abs(std::sin(e["alpha"].get<double>() * kDegree));
      EXPECT_GT(top, 0.0) << "the sheet's top must lie below ground";
    } else {
      EXPECT_GT(e["q"].get<double>(), 0.1);
      EXPECT_LT(e["q"].get<double>(), 3.0);
      EXPECT_GT(e["h"].get<double>(), 0.0);
    }
    EXPECT_TRUE(r["aic"].is_number());
    EXPECT_TRUE(r["bic"].is_number());
    // The digitizing defects were handled as the config asks, and the reader said so.
    EXPECT_TRUE(result["data"].contains("notes")) << profile;
  }
  const CliResult compare = run_geoinv({"compare", "inclined_sheet", "polarized_body"}, dir.path());
  ASSERT_EQ(compare.exit_code, 0) << compare.err;
  EXPECT_THAT(compare.out, HasSubstr("inclined_sheet+linear"));
  EXPECT_THAT(compare.out, HasSubstr("polarized_body+linear"));
  EXPECT_THAT(compare.out, HasSubstr("lowest BIC first"));
}

INSTANTIATE_TEST_SUITE_P(Profiles, FieldExperiment, ::testing::Values("surda", "kalava", "bavarian_woods"));

}  // namespace
}  // namespace geoinv_test
