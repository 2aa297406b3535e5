// SPDX-License-Identifier: BSD-3-Clause
// One test per class of bad input (issue: bad input gets a clear error): the real binary must name the
// file, line and key, say what is valid, exit with the documented code, and leave no result behind.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_runner.hpp"
#include "geoinv/version.hpp"

namespace geoinv_test {
namespace {

using ::testing::HasSubstr;

// A valid synthetic experiment; each test breaks one thing in it.
const char* const kValid = R"(version: 1
name: bad_input
forward:
  plugin: sphere
  options: {convention: minus}
  stations: {from: 0, to: 150, count: 101}
data:
  synthetic:
    true_model: {x0: 77.07, theta: 309.37, h: 41.81, K: 94686}
    noise_sigma: 3.1622776601683795
    seed: 1
start:
  model: {x0: 20, theta: 300, h: 40, K: 94500}
solvers:
  - plugin: dls
    options: {max_iterations: 100}
)";

std::string replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

class BadInput : public ::testing::Test {
 protected:
  // Runs `geoinv run` on `yaml`; the run must fail and leave no output folder.
  CliResult run_failing(const std::string& yaml, int expected_exit_code) {
    const fs::path file = dir_.write("experiment.yaml", yaml);
    const CliResult result = run_geoinv({"run", file.string(), "--out", "out"}, dir_.path());
    EXPECT_EQ(result.exit_code, expected_exit_code) << result.err;
    EXPECT_FALSE(fs::exists(dir_.path() / "out")) << "a failed run left an output folder";
    EXPECT_THAT(result.err, HasSubstr("geoinv: error: "));
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << "one clear line: " << result.err;
    return result;
  }
  fs::path file() const { return dir_.path() / "experiment.yaml"; }
  TempDir dir_;
};

TEST_F(BadInput, TheValidBaseExperimentRuns) {
  const fs::path path = dir_.write("experiment.yaml", kValid);
  const CliResult result = run_geoinv({"run", path.string(), "--out", "out"}, dir_.path());
  EXPECT_EQ(result.exit_code, 0) << result.err;
}

TEST_F(BadInput, MalformedYamlNamesLineAndColumn) {
  const CliResult r = run_failing(replace(kValid, "  model: {x0: 20,", "  model: {x0: 20,,]"), 3);
  EXPECT_THAT(r.err, HasSubstr(file().string() + ":13:"));
  EXPECT_THAT(r.err, HasSubstr("malformed YAML"));
}

TEST_F(BadInput, UnknownKeySuggestsTheNearestAndListsValidKeys) {
  const CliResult r = run_failing(replace(kValid, "solvers:", "solverz:"), 3);
  EXPECT_THAT(r.err, HasSubstr(file().string() + ":14:1: solverz: unknown key 'solverz' (did you mean 'solvers'?)"));
  EXPECT_THAT(r.err, HasSubstr("valid keys here: version, name"));
}

TEST_F(BadInput, UnknownPluginOptionSuggestsTheNearest) {
  const CliResult r = run_failing(replace(kValid, "max_iterations: 100", "max_iteration: 100"), 3);
  EXPECT_THAT(r.err, HasSubstr("solvers.0.options.max_iteration: unknown key 'max_iteration' (did you mean "
                               "'max_iterations'?)"));
}

TEST_F(BadInput, WrongTypeSaysWhatIsExpected) {
  const CliResult r = run_failing(replace(kValid, "max_iterations: 100", "max_iterations: lots"), 3);
  EXPECT_THAT(r.err, HasSubstr(file().string() + ":16:"));
  EXPECT_THAT(r.err, HasSubstr("solvers.0.options.max_iterations: 'lots' is not an integer"));
}

TEST_F(BadInput, ChoiceOutsideTheListNamesTheChoices) {
  const CliResult r = run_failing(replace(kValid, "convention: minus", "convention: sideways"), 3);
  EXPECT_THAT(r.err, HasSubstr("forward.options.convention: invalid value 'sideways': expected one of: plus, minus"));
}

TEST_F(BadInput, MissingRequiredKey) {
  const CliResult r = run_failing(replace(kValid, "start:\n  model: {x0: 20, theta: 300, h: 40, K: 94500}\n", ""), 3);
  EXPECT_THAT(r.err, HasSubstr("start: missing required key 'start'"));
}

TEST_F(BadInput, MissingParameterInTheStartModel) {
  const CliResult r = run_failing(replace(kValid, "{x0: 20, theta: 300, h: 40, K: 94500}", "{x0: 20, theta: 300, h: 40}"), 3);
  EXPECT_THAT(r.err, HasSubstr("start.model.K: missing required key 'K'"));
}

TEST_F(BadInput, UnknownPluginListsAvailableAndNearest) {
  const CliResult r = run_failing(replace(kValid, "plugin: sphere", "plugin: sphre"), 5);
  EXPECT_THAT(r.err, HasSubstr(file().string() + ":4:11: forward.plugin: unknown forward plugin 'sphre' "
                               "(did you mean 'sphere'?); available: "));
  EXPECT_THAT(r.err, HasSubstr("sphere"));
}

TEST_F(BadInput, AFileThatIsNotAGeoinvPluginIsRefused) {
  const std::string yaml = std::string("plugin_paths: [") + GEOINV_FIXTURE_NOT_A_PLUGIN_FILE + "]\n" + kValid;
  const CliResult r = run_failing(yaml, 5);
  EXPECT_THAT(r.err, HasSubstr("plugin_paths.0"));
  EXPECT_THAT(r.err, HasSubstr("not a geoinv plugin"));
  EXPECT_THAT(r.err, HasSubstr("not_a_plugin.so"));
}

TEST_F(BadInput, APluginBuiltForAnotherApiVersionIsRefusedNamingBothVersions) {
  const std::string yaml = std::string("plugin_paths: [") + GEOINV_FIXTURE_WRONG_API_FILE + "]\n" + kValid;
  const CliResult r = run_failing(yaml, 5);
  EXPECT_THAT(r.err, HasSubstr("API 99.0"));
  EXPECT_THAT(r.err, HasSubstr("this geoinv has API " + std::to_string(geoinv::kApiMajor) + "." +
                               std::to_string(geoinv::kApiMinor)));
}

TEST_F(BadInput, MissingDataFile) {
  std::string yaml = replace(kValid, "  stations: {from: 0, to: 150, count: 101}\n", "");
  yaml = replace(yaml,
                 "  synthetic:\n    true_model: {x0: 77.07, theta: 309.37, h: 41.81, K: 94686}\n"
                 "    noise_sigma: 3.1622776601683795\n    seed: 1\n",
                 "  file: no_such_profile.csv\n");
  const CliResult r = run_failing(yaml, 4);
  EXPECT_THAT(r.err, HasSubstr("data.file"));
  EXPECT_THAT(r.err, HasSubstr("no_such_profile.csv: data file not found"));
}

// An experiment on a CSV written next to it (`name`, relative to the experiment file).
std::string with_data_file(const std::string& name = "profile.csv") {
  std::string yaml = replace(kValid, "  stations: {from: 0, to: 150, count: 101}\n", "");
  return replace(yaml,
                 "  synthetic:\n    true_model: {x0: 77.07, theta: 309.37, h: 41.81, K: 94686}\n"
                 "    noise_sigma: 3.1622776601683795\n    seed: 1\n",
                 "  file: " + name + "\n");
}

TEST_F(BadInput, NonNumericCellNamesTheLineAndColumn) {
  dir_.write("profile.csv", "# a comment\nx_m,sp_mV\n0,1.5\n1.5,2.5\n3,abc\n4.5,1\n6,1\n");
  const CliResult r = run_failing(with_data_file(), 4);
  EXPECT_THAT(r.err, HasSubstr("profile.csv:5: column 2 ('sp_mV'): 'abc' is not a finite number"));
}

TEST_F(BadInput, NanCellIsRefused) {
  dir_.write("profile.csv", "x,v\n0,1.5\n1.5,nan\n3,2\n4.5,1\n6,1\n");
  const CliResult r = run_failing(with_data_file(), 4);
  EXPECT_THAT(r.err, HasSubstr("profile.csv:3: column 2 ('v'): 'nan' is not a finite number"));
}

TEST_F(BadInput, FewerDataThanParameters) {
  dir_.write("profile.csv", "x,v\n0,1.5\n1.5,2\n3,2\n");
  const CliResult r = run_failing(with_data_file(), 4);
  EXPECT_THAT(r.err, HasSubstr("3 data for 4 parameters"));
}

TEST_F(BadInput, StartModelOutsideTheBounds) {
  const CliResult r = run_failing(replace(kValid, "solvers:", "bounds:\n  h: [1, 30]\nsolvers:"), 3);
  EXPECT_THAT(r.err, HasSubstr("start.model.h: start value 40 m lies outside the bounds [1, 30]"));
}

TEST_F(BadInput, BoundOutsideWhatThePluginAllows) {
  const CliResult r = run_failing(replace(kValid, "solvers:", "bounds:\n  h: [-5, 30]\nsolvers:"), 3);
  EXPECT_THAT(r.err, HasSubstr("bounds.h"));
  EXPECT_THAT(r.err, HasSubstr("outside what plugin 'sphere' allows for h"));
}

TEST_F(BadInput, NegativeNoiseSigma) {
  const CliResult r = run_failing(replace(kValid, "noise_sigma: 3.1622776601683795", "noise_sigma: -1"), 3);
  EXPECT_THAT(r.err, HasSubstr("data.synthetic.noise_sigma: noise_sigma must be >= 0"));
}

TEST_F(BadInput, NoiseAsBothSigmaAndSnrOrAsNeither) {
  const CliResult both =
      run_failing(replace(kValid, "    seed: 1\nstart", "    snr: 10\n    seed: 1\nstart"), 3);
  EXPECT_THAT(both.err, HasSubstr("data.synthetic.snr: give the noise as noise_sigma"));
  const CliResult neither = run_failing(replace(kValid, "    noise_sigma: 3.1622776601683795\n", ""), 3);
  EXPECT_THAT(neither.err, HasSubstr("data.synthetic: the noise is missing: give noise_sigma"));
  const CliResult zero = run_failing(replace(kValid, "noise_sigma: 3.1622776601683795", "snr: 0"), 3);
  EXPECT_THAT(zero.err, HasSubstr("data.synthetic.snr: snr is RMS(signal) / RMS(noise)"));
}

TEST_F(BadInput, DataUnitThatIsNotAShortLabel) {
  const CliResult empty = run_failing(replace(kValid, "data:\n", "data:\n  unit: ''\n"), 3);
  EXPECT_THAT(empty.err, HasSubstr("experiment.yaml:8:"));
  EXPECT_THAT(empty.err, HasSubstr("data.unit: unit must be a short label on one line (1 to 32 bytes), e.g. mV"));
  const CliResult list = run_failing(replace(kValid, "data:\n", "data:\n  unit: [mV]\n"), 3);
  EXPECT_THAT(list.err, HasSubstr("data.unit"));
}

TEST_F(BadInput, NegativeSigmaColumn) {
  dir_.write("profile.csv", "x,v,s\n0,1.5,1\n1.5,2,1\n3,2,-0.5\n4.5,1,1\n6,1,1\n");
  const CliResult r = run_failing(with_data_file(), 4);
  EXPECT_THAT(r.err, HasSubstr("profile.csv:4: sigma must be positive, found -0.5"));
}

TEST_F(BadInput, NegativeConstantSigma) {
  dir_.write("profile.csv", "x,v\n0,1.5\n1.5,2\n3,2\n4.5,1\n6,1\n");
  const CliResult r = run_failing(replace(with_data_file(), "  file: profile.csv\n", "  file: profile.csv\n  sigma: -2\n"), 3);
  EXPECT_THAT(r.err, HasSubstr("data.sigma: sigma must be positive"));
}

TEST_F(BadInput, NonMonotonicX) {
  dir_.write("profile.csv", "x,v\n0,1.5\n3,2\n1.5,2\n4.5,1\n6,1\n");
  const CliResult r = run_failing(with_data_file(), 4);
  EXPECT_THAT(r.err, HasSubstr("profile.csv:4: x must increase: x = 1.5 follows x = 3 on line 3"));
}

TEST_F(BadInput, UnsupportedSchemaVersion) {
  const CliResult r = run_failing(replace(kValid, "version: 1", "version: 7"), 3);
  EXPECT_THAT(r.err, HasSubstr("version: unsupported schema version 7; this geoinv reads version 1"));
}

TEST_F(BadInput, BadOverrideNamesTheOverride) {
  const fs::path path = dir_.write("experiment.yaml", kValid);
  const CliResult r = run_geoinv({"run", path.string(), "--out", "out", "--set", "solvers.0.options.max_iterations=-3"},
                                 dir_.path());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("--set solvers.0.options.max_iterations: solvers.0.options.max_iterations: invalid value"));
  EXPECT_FALSE(fs::exists(dir_.path() / "out"));
}

TEST_F(BadInput, MissingExperimentFile) {
  const CliResult r = run_geoinv({"run", "nowhere.yaml"}, dir_.path());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_THAT(r.err, HasSubstr("nowhere.yaml: cannot open the experiment file"));
}

TEST_F(BadInput, UnknownCommandAndOption) {
  const CliResult command = run_geoinv({"rn"}, dir_.path());
  EXPECT_EQ(command.exit_code, 2);
  EXPECT_THAT(command.err, HasSubstr("unknown command 'rn' (did you mean 'run'?)"));
  const CliResult option = run_geoinv({"run", "x.yaml", "--frobnicate"}, dir_.path());
  EXPECT_EQ(option.exit_code, 2);
  EXPECT_THAT(option.err, HasSubstr("frobnicate"));
}

// Issue 16: limits, overflows and user mistakes that used to end as internal errors or crashes.

TEST_F(BadInput, AFolderAsTheExperimentFileIsAConfigError) {
  const CliResult r = run_geoinv({"run", "."}, dir_.path());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(
      r.err, HasSubstr("geoinv: error: .: cannot open the experiment file: it is a folder, not a YAML file"));
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("internal error")));
}

TEST_F(BadInput, AnOverrideBelowAScalarNamesTheOverride) {
  const fs::path path = dir_.write("experiment.yaml", kValid);
  const CliResult r =
      run_geoinv({"run", path.string(), "--out", "out", "--set", "version.sub=1"}, dir_.path());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(r.err,
              HasSubstr("geoinv: error: --set version.sub=1: version holds the value '1', not a map of "
                        "keys, so it has no key 'sub'"));
  EXPECT_FALSE(fs::exists(dir_.path() / "out"));
  const CliResult index = run_geoinv(
      {"validate", path.string(), "--set", "solvers.99999999999999999999999.plugin=dls"}, dir_.path());
  EXPECT_EQ(index.exit_code, 2) << index.err;
  EXPECT_THAT(index.err, HasSubstr("'99999999999999999999999' is not an index of the list"));
}

TEST_F(BadInput, TooManyStationsAreRefusedWithTheLimit) {
  const CliResult r = run_failing(replace(kValid, "count: 101}", "count: 1000000000}"), 3);
  EXPECT_THAT(r.err, HasSubstr(file().string() + ":6:"));
  EXPECT_THAT(r.err,
              HasSubstr("forward.stations.count: count must be between 2 and 10000000 (10^7 stations)"));
}

TEST_F(BadInput, AFolderAsTheDataFileSaysItIsAFolder) {
  fs::create_directories(dir_.path() / "profiles");
  const CliResult r = run_failing(with_data_file("profiles"), 4);
  EXPECT_THAT(r.err, HasSubstr("data.file"));
  EXPECT_THAT(r.err, HasSubstr("profiles: this is a folder, not a data file"));
}

TEST_F(BadInput, AMissingModelFileIsAConfigErrorNamingTheKeyAndTheFile) {
  const std::string yaml = replace(kValid, "  - plugin: dls\n    options: {max_iterations: 100}\n",
                                   "  - plugin: mlp\n    model_file: models/mlp.model.json\n");
  const CliResult r = run_failing(yaml, 3);
  EXPECT_THAT(r.err, HasSubstr(file().string() + ":16:17: solvers.0.model_file: " +
                               (dir_.path() / "models/mlp.model.json").string() + ": no such file"));
}

// A campaign of a small sphere base: `replicates` replicates of two noise levels.
class BadCampaign : public ::testing::Test {
 protected:
  BadCampaign() { dir_.write("base.yaml", kValid); }
  void write_campaign(const std::string& replicates) const {
    dir_.write("c.yaml",
               "version: 1\nname: c\nbase: base.yaml\nsweep:\n  grid:\n"
               "    data.synthetic.noise_sigma: [1, 2, 3, 4]\n  replicates: " +
                   replicates + "\n");
  }
  // Runs the campaign into `out` and returns its folder.
  fs::path campaign(const std::string& out) const {
    write_campaign("2");
    const CliResult r = run_geoinv(
        {"campaign", "c.yaml", "--jobs", "1", "--quiet", "--no-figures", "--out", out}, dir_.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return dir_.path() / out;
  }
  CliResult collect(const std::string& folder) const {
    return run_geoinv({"collect", folder, "--out", "merged", "--no-figures"}, dir_.path());
  }
  TempDir dir_;
};

TEST_F(BadCampaign, JobsAboveTheLimitAreRefused) {
  write_campaign("1");
  const CliResult r = run_geoinv({"campaign", "c.yaml", "--jobs", "100000", "--out", "out"}, dir_.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("--jobs 100000 is above the limit of"));
  EXPECT_THAT(r.err, HasSubstr("GEOINV_MAX_JOBS"));
  EXPECT_FALSE(fs::exists(dir_.path() / "out"));
  const CliResult lowered = run_geoinv_under(
      {"env", "GEOINV_MAX_JOBS=2"}, {"campaign", "c.yaml", "--jobs", "3", "--out", "out"}, dir_.path());
  EXPECT_EQ(lowered.exit_code, 2) << lowered.err;
  EXPECT_THAT(lowered.err, HasSubstr("--jobs 3 is above the limit of 2 threads"));
}

// Root ignores the process limit (ulimit -u), so the refusal is provoked by a stack limit instead: every
// thread's stack is as large as `ulimit -s`, and the address space (`ulimit -v`) holds few of them. Solver
// threads: worker processes have an address space each.
TEST_F(BadCampaign, AThreadTheSystemRefusesIsAnErrorNamingJobs) {
  write_campaign("4");
  const CliResult r = run_geoinv_under(
      {"sh", "-c", "ulimit -s 1048576 && ulimit -v 4194304 && exec \"$0\" \"$@\""},
      {"campaign", "c.yaml", "--executor", "threads", "--jobs", "8", "--quiet", "--no-figures", "--out", "out"},
      dir_.path());
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("geoinv: error: --jobs: the system refused to start solver thread"));
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("terminate called")));
}

TEST_F(BadCampaign, HugeReplicatesAreRefusedBeforeAnyFolderIsCreated) {
  write_campaign("9000000000000000000");
  const CliResult r = run_geoinv({"campaign", "c.yaml", "--out", "out"}, dir_.path());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_THAT(
      r.err,
      HasSubstr("c.yaml:7:15: sweep.replicates: 4 sweep points × 9000000000000000000 replicates is more than "
                "10^9 runs, the limit of a campaign"));
  EXPECT_FALSE(fs::exists(dir_.path() / "out"));
}

TEST_F(BadCampaign, CollectRefusesAResultsHeaderWithoutTheSolverColumn) {
  const fs::path folder = campaign("a");
  std::string results = read_file(folder / "results.csv");
  results.replace(results.find(",solver,"), 8, ",solvers,");
  std::ofstream(folder / "results.csv", std::ios::trunc) << results;
  const CliResult r = collect("a");
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_THAT(r.err, HasSubstr("a/results.csv: no column 'solver'"));
  EXPECT_FALSE(fs::exists(dir_.path() / "merged"));
}

TEST_F(BadCampaign, CollectCountsDroppedLinesAndRefusesARunItCannotRead) {
  const fs::path folder = campaign("a");
  std::ofstream(folder / "results.csv", std::ios::app) << "garbage\n\"unterminated,\n";
  const CliResult dropped = collect("a");
  EXPECT_EQ(dropped.exit_code, 0) << dropped.err;
  EXPECT_THAT(dropped.err,
              HasSubstr("geoinv: warning: dropped 2 unreadable line(s) of results.csv (the first: "
                        "a/results.csv:10)"));
  // Run 3's rows, one of them cut in the middle: the run is needed and unreadable.
  std::string results = read_file(folder / "results.csv");
  const auto row = results.find("\n3,");
  results.erase(results.find(',', row + 10), results.find('\n', row + 1) - results.find(',', row + 10));
  std::ofstream(folder / "results.csv", std::ios::trunc) << results;
  fs::remove_all(dir_.path() / "merged");
  const CliResult refused = collect("a");
  EXPECT_EQ(refused.exit_code, 7) << refused.err;
  EXPECT_THAT(refused.err,
              HasSubstr("a/results.csv:5: run 3: this line cannot be read (28 fields expected, with "
                        "a solver of the campaign: dls) and no folder holds all the run's rows"));
  EXPECT_FALSE(fs::exists(dir_.path() / "merged"));
}

TEST_F(BadCampaign, CollectRefusesATruncatedManifest) {
  const fs::path folder = campaign("a");
  const std::string manifest = read_file(folder / "manifest.csv");
  std::ofstream(folder / "manifest.csv", std::ios::trunc) << manifest.substr(0, manifest.size() - 3);
  const CliResult cut = collect("a");
  EXPECT_EQ(cut.exit_code, 7) << cut.err;
  EXPECT_THAT(cut.err, HasSubstr("a/manifest.csv:9: the last line is cut short: the manifest is truncated"));
  std::ofstream(folder / "manifest.csv", std::ios::trunc) << manifest.substr(0, manifest.find('\n') + 1);
  const CliResult empty = collect("a");
  EXPECT_EQ(empty.exit_code, 7) << empty.err;
  EXPECT_THAT(empty.err, HasSubstr("the manifest lists no runs"));
  EXPECT_FALSE(fs::exists(dir_.path() / "merged"));
}

TEST_F(BadCampaign, CollectNamesTheMissingResultsFileAndLeavesNoOutput) {
  const fs::path folder = campaign("a");
  fs::remove(folder / "results.csv");
  const CliResult r = collect("a");
  EXPECT_EQ(r.exit_code, 7) << r.err;
  EXPECT_THAT(r.err, HasSubstr("a/results.csv: no folder has a results.csv with a header"));
  EXPECT_FALSE(fs::exists(dir_.path() / "merged"));
  for (const auto& entry : fs::directory_iterator(dir_.path()))
    EXPECT_EQ(entry.path().filename().string().find("geoinv-collect"), std::string::npos) << entry.path();
}

// forward.sum (docs/experiment-schema.md, "Summed bodies"): each bad form fails at its key.
TEST_F(BadInput, EmptySumIsRefusedAtItsKey) {
  const CliResult r = run_failing(replace(kValid, "plugin: sphere\n  options: {convention: minus}", "sum: []"), 3);
  EXPECT_THAT(r.err, HasSubstr(file().string() + ":4:"));
  EXPECT_THAT(r.err, HasSubstr("forward.sum: expected a non-empty list of bodies"));
}

TEST_F(BadInput, UnknownPluginInASumListsAvailableAndNearest) {
  const CliResult r = run_failing(
      replace(kValid, "plugin: sphere\n  options: {convention: minus}", "sum: [{plugin: sphere}, {plugin: sphre}]"), 5);
  EXPECT_THAT(r.err, HasSubstr("forward.sum.1.plugin: unknown forward plugin 'sphre' (did you mean 'sphere'?); "
                               "available: "));
}

TEST_F(BadInput, NestedSumIsRefused) {
  const CliResult r = run_failing(
      replace(kValid, "plugin: sphere\n  options: {convention: minus}", "sum: [{sum: [{plugin: sphere}]}]"), 3);
  EXPECT_THAT(r.err, HasSubstr("forward.sum.0.sum: a sum cannot be nested"));
}

TEST_F(BadInput, SumBesidePluginIsRefused) {
  const CliResult r = run_failing(replace(kValid, "plugin: sphere\n", "plugin: sphere\n  sum: [{plugin: sphere}]\n"), 3);
  EXPECT_THAT(r.err, HasSubstr("forward.plugin: give either 'plugin' (one body) or 'sum'"));
}

TEST_F(BadInput, UnsuffixedParameterOfASumNamesTheSuffixedOnes) {
  const CliResult r = run_failing(replace(kValid, "plugin: sphere\n  options: {convention: minus}",
                                          "sum: [{plugin: sphere}, {plugin: sphere}]"),
                                  3);
  EXPECT_THAT(r.err, HasSubstr("x0_1"));
}

// data.window: a window too narrow for the parameters, reversed, or not a pair fails at its key.
TEST_F(BadInput, WindowKeepingTooFewStationsIsRefusedAtItsKey) {
  const CliResult r = run_failing(replace(kValid, "data:\n", "data:\n  window: [10, 13]\n"), 4);
  EXPECT_THAT(r.err, HasSubstr(file().string() + ":8:"));
  EXPECT_THAT(r.err, HasSubstr("data.window: the window [10, 13] keeps 2 stations for 4 parameters"));
}

TEST_F(BadInput, ReversedWindowIsRefused) {
  const CliResult r = run_failing(replace(kValid, "data:\n", "data:\n  window: [100, 10]\n"), 3);
  EXPECT_THAT(r.err, HasSubstr("data.window: x_min must be less than x_max, got [100, 10]"));
}

TEST_F(BadInput, WindowThatIsNotAPairIsRefused) {
  const CliResult r = run_failing(replace(kValid, "data:\n", "data:\n  window: 10\n"), 3);
  EXPECT_THAT(r.err, HasSubstr("data.window: expected [x_min, x_max]"));
}

TEST_F(BadInput, UnknownBackgroundListsEveryKind) {
  const CliResult r = run_failing(replace(kValid, "  stations:", "  background: cubic\n  stations:"), 3);
  EXPECT_THAT(r.err, HasSubstr("forward.background: unknown background 'cubic'; valid: none, constant, linear, "
                               "quadratic"));
}

}  // namespace
}  // namespace geoinv_test
