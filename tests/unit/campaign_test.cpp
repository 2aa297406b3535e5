// SPDX-License-Identifier: BSD-3-Clause
// Campaign files: sweep expansion (grid, zip, range, replicates, random), seeds, located errors.
#include "campaigns/campaign.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include "base/random.hpp"

namespace geoinv {
namespace {

namespace fs = std::filesystem;

constexpr const char* kBase = R"(version: 1
name: base
forward:
  plugin: sphere
  stations: {from: 0, to: 150, count: 21}
data:
  synthetic:
    true_model: {x0: 77.07, theta: 309.37, h: 41.81, K: 94686}
    noise_sigma: 1
start:
  model: {x0: 20, theta: 300, h: 40, K: 94500}
solvers:
  - plugin: dls
)";

class CampaignFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "geoinv-campaign-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
    write("base.yaml", kBase);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name) << text;
    return dir_ / name;
  }
  std::string load_error(const std::string& text) {
    try {
      load_campaign(write("c.yaml", text));
    } catch (const Error& error) {
      return error.what();
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(CampaignFiles, GridZipRangeAndReplicatesExpand) {
  const CampaignPlan plan = load_campaign(write("c.yaml", R"(version: 1
name: expand
seed: 7
base: base.yaml
sweep:
  grid:
    data.synthetic.noise_sigma: [1, 3, 5]
    solvers.0.options.max_iterations: {from: 10, to: 40, count: 4}
  zip:
    start.model.x0: [10, 20]
    start.model.h: [30, 50]
  replicates: 5
)"));
  EXPECT_EQ(plan.axes.size(), 3u);
  EXPECT_EQ(plan.points, 3 * 4 * 2);
  EXPECT_EQ(plan.runs, 3 * 4 * 2 * 5);
  EXPECT_EQ(plan.value_columns(),
            (std::vector<std::string>{"data.synthetic.noise_sigma", "solvers.0.options.max_iterations",
                                      "start.model.x0", "start.model.h"}));
  // Replicates vary fastest, then the last axis (the zip group), then the grid keys in file order.
  const RunSpec first = make_run_spec(plan, 0);
  EXPECT_EQ(first.values, (std::vector<std::string>{"1", "10", "10", "30"}));
  const RunSpec sixth = make_run_spec(plan, 5);
  EXPECT_EQ(sixth.point, 1);
  EXPECT_EQ(sixth.replicate, 0);
  EXPECT_EQ(sixth.values, (std::vector<std::string>{"1", "10", "20", "50"}));
  const RunSpec last = make_run_spec(plan, plan.runs - 1);
  EXPECT_EQ(last.values, (std::vector<std::string>{"5", "40", "20", "50"}));
  EXPECT_EQ(last.replicate, 4);
  // Seeds derive from the campaign seed and the run id, and are applied as overrides.
  std::set<std::uint64_t> seeds;
  for (std::int64_t id = 0; id < plan.runs; ++id) {
    const RunSpec spec = make_run_spec(plan, id);
    EXPECT_EQ(spec.seed, derive_seed(7, static_cast<std::uint64_t>(id)) & ((std::uint64_t{1} << 53) - 1));
    seeds.insert(spec.seed);
    bool seed_set = false, noise_seed_set = false;
    for (const auto& [assignment, where] : run_overrides(plan, spec)) {
      seed_set = seed_set || assignment == "seed=" + std::to_string(spec.seed);
      noise_seed_set = noise_seed_set || assignment.rfind("data.synthetic.seed=", 0) == 0;
    }
    EXPECT_TRUE(seed_set && noise_seed_set);
  }
  EXPECT_EQ(seeds.size(), static_cast<std::size_t>(plan.runs));
}

TEST_F(CampaignFiles, RangeSpacingAndRandomDraws) {
  const CampaignPlan plan = load_campaign(write("c.yaml", R"(version: 1
base: base.yaml
sweep:
  grid:
    data.synthetic.noise_sigma: {from: 1, to: 100, count: 3, spacing: log}
  random:
    data.synthetic.true_model.x0: {uniform: [50, 100]}
  replicates: 2
)"));
  EXPECT_EQ(plan.name, "c");
  EXPECT_EQ(plan.runs, 6);
  EXPECT_EQ(make_run_spec(plan, 2).values.front(), "10");
  EXPECT_EQ(make_run_spec(plan, 5).values.front(), "100");
  const RunSpec a = make_run_spec(plan, 0), b = make_run_spec(plan, 1);
  const double x0 = std::stod(a.values.back());
  EXPECT_GE(x0, 50.0);
  EXPECT_LT(x0, 100.0);
  EXPECT_NE(a.values.back(), b.values.back());
  EXPECT_EQ(make_run_spec(plan, 0).values, a.values);  // drawn from the run seed: reproducible
}

TEST_F(CampaignFiles, ValidationReadsSolversAndParameters) {
  CampaignPlan plan = load_campaign(write("c.yaml", R"(version: 1
base: base.yaml
solvers:
  - {plugin: dls, label: first}
  - {plugin: dls, label: second, options: {max_iterations: 5}}
sweep: {replicates: 2}
)"));
  validate_campaign(plan);
  EXPECT_EQ(plan.solvers.all(), (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ(plan.parameter_names, (std::vector<std::string>{"x0", "theta", "h", "K"}));
}

TEST_F(CampaignFiles, BadFilesGiveLocatedErrors) {
  using ::testing::HasSubstr;
  EXPECT_THAT(load_error("version: 1\nbase: base.yaml\nswep: {replicates: 2}\n"),
              HasSubstr("c.yaml:3:1: swep: unknown key 'swep' (did you mean 'sweep'?)"));
  EXPECT_THAT(load_error("version: 1\nbase: base.yaml\nsweep: {replicates: two}\n"),
              HasSubstr("c.yaml:3:21: sweep.replicates: 'two' is not an integer"));
  EXPECT_THAT(
      load_error("version: 1\nbase: base.yaml\nsweep:\n  zip:\n    a.b: [1, 2]\n    c.d: [1, 2, 3]\n"),
      HasSubstr("zipped lists must have the same length"));
  EXPECT_THAT(load_error("version: 1\nbase: missing.yaml\n"), HasSubstr("c.yaml:2:7: base:"));
  EXPECT_THAT(load_error("version: 1\nbase: base.yaml\nsweep:\n  grid:\n    seed: [1, 2]\n"),
              HasSubstr("cannot be swept"));
  EXPECT_THAT(load_error("version: 1\nbase: base.yaml\nkeep_details: some\n"),
              HasSubstr("c.yaml:3:15: keep_details: unknown keep_details 'some'"));
  EXPECT_THAT(load_error("version: 1\nbase: base.yaml\nsweep:\n  grid:\n    a: {from: 1, to: 2}\n"),
              HasSubstr("missing required key 'count'"));

  // A value the base experiment refuses is reported at the sweep value, before anything runs.
  CampaignPlan plan = load_campaign(write("c.yaml",
                                          "version: 1\nbase: base.yaml\nsweep:\n  grid:\n"
                                          "    data.synthetic.noise_sigma: [1, -2]\n"));
  try {
    validate_campaign(plan);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_THAT(std::string(error.what()),
                HasSubstr("c.yaml:5:37: data.synthetic.noise_sigma: noise_sigma must be >= 0"));
  }
  // The campaign's solvers are located in the campaign file.
  CampaignPlan solvers = load_campaign(write("c.yaml",
                                             "version: 1\nbase: base.yaml\nsolvers:\n  - plugin: dls\n"
                                             "    options: {max_iteration: 5}\n"));
  try {
    validate_campaign(solvers);
    FAIL() << "expected an error";
  } catch (const Error& error) {
    EXPECT_THAT(std::string(error.what()), HasSubstr("c.yaml:5:"));
    EXPECT_THAT(std::string(error.what()), HasSubstr("solvers.0.options.max_iteration: unknown key"));
  }
}

// Issue 16: sizes are checked before anything is allocated, by division, so no product overflows.
// fixed_target: the precisions of the fixed-target comparison (campaigns/fixed_target.hpp), default
// 0.1, 0.01, 0.001; without the key no comparison and no anytime column.
TEST_F(CampaignFiles, FixedTargetPrecisionsDefaultAndAreChecked) {
  EXPECT_FALSE(load_campaign(write("c.yaml", "version: 1\nbase: base.yaml\n")).has_fixed_target());
  const CampaignPlan defaults = load_campaign(write("c.yaml", "version: 1\nbase: base.yaml\nfixed_target: {}\n"));
  EXPECT_EQ(defaults.target_precisions, (std::vector<double>{0.1, 0.01, 0.001}));
  EXPECT_STREQ(defaults.target_instance(), "run");  // synthetic data: every run its own instance
  EXPECT_THAT(results_header(defaults), ::testing::EndsWith(",message,anytime\n"));
  const CampaignPlan given =
      load_campaign(write("c.yaml", "version: 1\nbase: base.yaml\nfixed_target: {precisions: [0.05]}\n"));
  EXPECT_EQ(given.target_precisions, std::vector<double>{0.05});
  EXPECT_THAT(load_error("version: 1\nbase: base.yaml\nfixed_target: {precisions: [0.1, 0]}\n"),
              ::testing::HasSubstr("c.yaml:3:34: fixed_target.precisions.1: a precision is a relative RMS excess in (0, 1]"));
  EXPECT_THAT(load_error("version: 1\nbase: base.yaml\nfixed_target: {precisions: [0.1, 0.1]}\n"),
              ::testing::HasSubstr("the precision is given twice"));
  EXPECT_THAT(load_error("version: 1\nbase: base.yaml\nfixed_target: {precisions: []}\n"),
              ::testing::HasSubstr("give at least one precision"));
  EXPECT_THAT(load_error("version: 1\nbase: base.yaml\nfixed_target: {targets: [0.1]}\n"),
              ::testing::HasSubstr("fixed_target"));
}

TEST_F(CampaignFiles, MoreThanABillionRunsFailAtTheKeyThatPassesTheLimit) {
  using ::testing::HasSubstr;
  // Ranges of 10^5 values: the second makes 10^10 points and is refused before its values are made.
  EXPECT_THAT(
      load_error("version: 1\nbase: base.yaml\nsweep:\n  grid:\n"
                 "    a.b: {from: 1, to: 2, count: 100000}\n    a.c: {from: 1, to: 2, count: 100000}\n"
                 "    a.d: {from: 1, to: 2, count: 100000}\n"),
      HasSubstr(
          "c.yaml:6:34: sweep.grid.a.c.count: 100000 sweep points × 100000 values is more than 10^9 runs"));
  // Replicates whose product with the points overflows 64 bits.
  EXPECT_THAT(
      load_error("version: 1\nbase: base.yaml\nsweep:\n  grid:\n    a.b: [1, 2, 3]\n"
                 "  replicates: 6148914691236517206\n"),
      HasSubstr("c.yaml:6:15: sweep.replicates: 3 sweep points × 6148914691236517206 replicates is more "
                "than 10^9 runs, the limit of a campaign"));
  // Exactly 10^9 runs is allowed.
  EXPECT_EQ(load_error("version: 1\nbase: base.yaml\nsweep:\n  grid:\n    a.b: [1, 2]\n"
                       "  replicates: 500000000\n"),
            "");
}

TEST(CampaignCsv, SplitsQuotedFields) {
  EXPECT_EQ(split_csv_line("1,\"a, b\",\"say \"\"hi\"\"\",,x"),
            (std::vector<std::string>{"1", "a, b", "say \"hi\"", "", "x"}));
  // Reusing a vector of longer rows: the fields are replaced, the count follows the line; \r outside
  // quotes is dropped (CRLF files), inside kept as written.
  std::vector<std::string> fields{"old", "longer old field", "x", "y", "z", "w"};
  split_csv_line(std::string_view("a,\"b\r\",c\r"), fields);
  EXPECT_EQ(fields, (std::vector<std::string>{"a", "b\r", "c"}));
  split_csv_line(std::string_view(""), fields);
  EXPECT_EQ(fields, (std::vector<std::string>{""}));
}

// CsvFields splits plain fields with memchr up to the first quote or carriage return and character by
// character from there: every mix must read as the reference splitting (by hand below).
TEST(CampaignCsv, CsvFieldsAgreesAcrossItsFastAndCarefulPaths) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"", {""}},
      {",", {"", ""}},
      {"a,b,", {"a", "b", ""}},
      {"1,2.5,nan,converged", {"1", "2.5", "nan", "converged"}},
      {"1,2,\"stopped: a, b\"", {"1", "2", "stopped: a, b"}},
      {"1,\"x\"\"y\",3,\"z\"", {"1", "x\"y", "3", "z"}},
      {"1,ab\"c,d\"e,f", {"1", "abc,de", "f"}},
      {"1,2\r", {"1", "2"}},
      {"a,b\r,\"c\r\",d", {"a", "b", "c\r", "d"}},
      {"\"\"", {""}},
      {"a,\"\"", {"a", ""}},
  };
  CsvFields fields;
  for (const auto& [line, expected] : cases) {
    fields.split(line);
    std::vector<std::string> got;
    for (std::size_t i = 0; i < fields.size(); ++i) got.emplace_back(fields[i]);
    EXPECT_EQ(got, expected) << "line: " << line;
  }
  // Views stay valid while later quoted fields are unescaped into more storage.
  fields.split("\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\",\"i\",\"j\",\"k\",\"l\",\"m\",\"n\",\"o\",\"p\",\"q\"");
  ASSERT_EQ(fields.size(), 17u);
  for (std::size_t i = 0; i < fields.size(); ++i) EXPECT_EQ(fields[i], std::string(1, static_cast<char>('a' + i)));
}

TEST(CampaignCsv, ParsesNumbersAsWritten) {
  for (const double value : {0.0, -0.0, 1.0, 0.1, 3.1622776601683795, -2.5e-300, 1.7976931348623157e308, 5e-324}) {
    const std::string text = csv_number(value);
    const double back = parse_csv_number(text);
    EXPECT_EQ(std::memcmp(&back, &value, sizeof value), 0) << text;
  }
  EXPECT_TRUE(std::isnan(parse_csv_number("nan")));
  EXPECT_TRUE(std::isnan(parse_csv_number("")));
  EXPECT_TRUE(std::isnan(parse_csv_number("converged")));
  EXPECT_EQ(parse_csv_number("12abc"), 12.0);  // as strtod: the number it starts with
}

TEST(CampaignKeepDetails, Selects) {
  KeepDetails keep;
  keep.kind = KeepDetails::Kind::first;
  keep.first = 3;
  EXPECT_TRUE(keep.selects(2, false));
  EXPECT_FALSE(keep.selects(3, true));
  keep.kind = KeepDetails::Kind::failures;
  EXPECT_TRUE(keep.selects(100, true));
  EXPECT_FALSE(keep.selects(0, false));
}

}  // namespace
}  // namespace geoinv
