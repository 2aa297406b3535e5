// SPDX-License-Identifier: BSD-3-Clause
// The experiment schema's section readers (configuration/*_section.hpp): each section read from YAML
// alone, with no plugin loaded, its defaults filled in and its errors located at the key.
#include "configuration/experiment_sections.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "base/random.hpp"
#include "configuration/noise_level.hpp"
#include "configuration/sparse_reflectivity.hpp"
#include "geoinv/error.hpp"

namespace geoinv {
namespace {

using ::testing::HasSubstr;

// A root read from `text` through the file t.yaml (in a fresh folder), as the CLI reads an experiment.
ConfigNode root_of(const std::string& text) {
  std::string pattern = (std::filesystem::temp_directory_path() / "geoinv-sections-XXXXXX").string();
  const std::filesystem::path dir = ::mkdtemp(pattern.data());
  std::ofstream(dir / "t.yaml") << text;
  ConfigNode root = load_config_file(dir / "t.yaml", {});
  std::filesystem::remove_all(dir);
  return root;
}

// The node of `text` written as the value of a key (for sections that are not maps).
ConfigNode value_of(const std::string& text) { return root_of("value: " + text)["value"]; }

template <typename Read>
std::string error_of(Read&& read) {
  try {
    read();
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), Error::Category::config);
    return error.what();
  }
  ADD_FAILURE() << "no error";
  return {};
}

TEST(ReadSeed, AbsentKeyGivesTheFallbackAndANegativeSeedIsRefusedAtItsKey) {
  EXPECT_EQ(read_seed(root_of("other: 1"), 77), 77u);
  EXPECT_EQ(read_seed(root_of("seed: 42"), 77), 42u);
  EXPECT_THAT(error_of([] { read_seed(root_of("a: 1\nseed: -3"), 1); }),
              HasSubstr("t.yaml:2:7: seed: seed must be a non-negative integer"));
}

TEST(TopLevelSection, DefaultsAreTheFileNameAndSeedOne) {
  const TopLevelSection top = read_top_level_section(root_of("version: 1"), "dir/my_study.yaml");
  EXPECT_EQ(top.name, "my_study");
  EXPECT_EQ(top.seed, 1u);
  EXPECT_TRUE(top.plugin_paths.empty());
  EXPECT_THAT(error_of([] { read_top_level_section(root_of("version: 2"), "x.yaml"); }),
              HasSubstr("version: unsupported schema version 2; this geoinv reads version 1"));
}

TEST(DataSection, SyntheticNoiseSeedDerivesFromTheExperimentSeed) {
  const DataSection data = read_data_section(root_of("synthetic: {true_model: {a: 1}, noise_sigma: 2.5}"), 9);
  EXPECT_TRUE(data.synthetic);
  EXPECT_EQ(data.noise_sigma, 2.5);
  EXPECT_EQ(data.noise_seed, derive_seed(9, 0) & kSeedMask);  // masked so that it reads back
  EXPECT_TRUE(data.true_model.defined());  // read once the plugin names the parameters
}

TEST(DataSection, FileDefaultsAndRefusals) {
  const DataSection data = read_data_section(root_of("file: p.csv\nunit: mV"), 1);
  EXPECT_FALSE(data.synthetic);
  EXPECT_EQ(data.file, "p.csv");
  EXPECT_EQ(data.unit, "mV");
  EXPECT_FALSE(data.sort);
  EXPECT_EQ(data.duplicates, "error");
  EXPECT_FALSE(data.sigma.has_value());
  EXPECT_THAT(error_of([] { read_data_section(root_of("file: p.csv\nduplicates: mean"), 1); }),
              HasSubstr("duplicates: unknown duplicates policy 'mean'; valid: error, average"));
  EXPECT_THAT(error_of([] { read_data_section(root_of("file: p.csv\nsigma: 0"), 1); }),
              HasSubstr("sigma: sigma must be positive (a standard deviation), got 0"));
  EXPECT_THAT(error_of([] { read_data_section(root_of("unit: mV"), 1); }),
              HasSubstr("give exactly one of 'file' (a CSV profile) or 'synthetic'"));
}

TEST(ForwardSection, StationsDependOnTheDataKind) {
  const StationsSpec range = read_stations(value_of("{from: 0, to: 10, count: 3}"), true);
  EXPECT_EQ(range.kind, StationsSpec::Kind::range);
  EXPECT_EQ(station_positions(range).size(), 3);
  EXPECT_EQ(read_stations(ConfigNode(), false).kind, StationsSpec::Kind::data_file);
  EXPECT_THAT(error_of([] { read_stations(ConfigNode(), true); }), HasSubstr("synthetic data need stations"));
  const ForwardSection forward = read_forward_section(root_of("plugin: sphere\nbackground: linear"));
  EXPECT_EQ(forward.plugin, "sphere");
  EXPECT_EQ(forward.background, Background::linear);
}

TEST(StartSection, DefaultsToAFixedStartAndDerivesTheMultistartSeed) {
  EXPECT_EQ(read_start_section(root_of("model: {a: 1}"), 1).strategy, StartSpec::Strategy::fixed);
  EXPECT_THAT(error_of([] { read_start_section(root_of("strategy: fixed"), 1); }), HasSubstr("model"));
  const StartSection multistart = read_start_section(root_of("{strategy: multistart, count: 4}"), 5);
  EXPECT_EQ(multistart.count, 4);
  EXPECT_EQ(multistart.seed, derive_seed(5, 1000) & kSeedMask);
  EXPECT_THAT(error_of([] { read_start_section(root_of("{strategy: multistart, count: 0}"), 1); }),
              HasSubstr("count must be between 1 and 100000"));
}

TEST(SolversSection, LabelsDefaultToThePluginAndMustBeUnique) {
  const auto solvers =
      read_solvers_section(value_of("[{plugin: dls}, {plugin: dls, label: b, start_from: dls}]"));
  ASSERT_EQ(solvers.size(), 2u);
  EXPECT_EQ(solvers[0].label, "dls");
  EXPECT_EQ(solvers[1].start_from, "dls");
  EXPECT_THAT(error_of([] { read_solvers_section(value_of("[{plugin: dls}, {plugin: dls}]")); }),
              HasSubstr("solver label 'dls' is used twice"));
  EXPECT_THAT(error_of([] { read_solvers_section(value_of("[{plugin: dls, start_from: x}]")); }),
              HasSubstr("start_from names no earlier solver; earlier labels: (none)"));
}

TEST(BudgetAndOutputSections, DefaultsAreUnlimitedAndRunsSlashName) {
  const Budget budget = read_budget_section(ConfigNode());
  EXPECT_EQ(budget.max_forward_evaluations, 0);
  EXPECT_EQ(budget.max_wall_time_s, 0.0);
  EXPECT_THAT(error_of([] { read_budget_section(root_of("max_wall_time_s: -1")); }),
              HasSubstr("must be >= 0 s (0 = unlimited)"));
  const OutputSection output = read_output_section(ConfigNode(), "study");
  EXPECT_EQ(output.dir, "runs/study");
  EXPECT_FALSE(output.overwrite);
}

TEST(ExperimentSections, ParsesAWholeFileWithoutLoadingAPlugin) {
  // No registry exists here: an unknown plugin name is the resolver's to refuse, not the parser's.
  const ExperimentSections sections = read_experiment_sections(root_of(R"(
version: 1
seed: 3
forward: {plugin: no_such_plugin, stations: [0, 1, 2]}
data: {synthetic: {true_model: {a: 1}, noise_sigma: 0}}
start: {model: {a: 1}}
solvers: [{plugin: no_such_solver}]
)"),
                                                               "dir/e.yaml");
  EXPECT_EQ(sections.top.name, "e");
  EXPECT_EQ(sections.forward.plugin, "no_such_plugin");
  EXPECT_EQ(sections.forward.stations.kind, StationsSpec::Kind::list);
  EXPECT_EQ(sections.data.noise_seed, derive_seed(3, 0) & kSeedMask);
  EXPECT_EQ(sections.output.dir, "runs/e");
}

TEST(SparseReflectivitySection, ReadsDensityAndAmplitudeAndRefusesNonsense) {
  const SparseReflectivity prior =
      read_sparse_reflectivity(value_of("{density: 0.1, amplitude: [-0.2, 0.5]}"));
  EXPECT_EQ(prior.density, 0.1);
  EXPECT_EQ(prior.amplitude_low, -0.2);
  EXPECT_EQ(prior.amplitude_high, 0.5);
  EXPECT_THAT(error_of([] { read_sparse_reflectivity(value_of("{density: 0}")); }), HasSubstr("in (0, 1]"));
  EXPECT_THAT(error_of([] { read_sparse_reflectivity(value_of("{amplitude: [0.3, -0.3]}")); }),
              HasSubstr("low must be less than high"));
  EXPECT_THAT(error_of([] { read_sparse_reflectivity(value_of("{spikes: 3}")); }), HasSubstr("spikes"));
}

TEST(NoiseLevelKeys, ReadOneOfSigmaAndSnr) {
  EXPECT_EQ(*read_noise_level(value_of("{snr: 5}"), true).snr, 5.0);
  EXPECT_EQ(*read_noise_level(value_of("{noise_sigma: 0.5}"), true).sigma, 0.5);
  EXPECT_FALSE(read_noise_level(value_of("{seed: 1}"), false).given());
  EXPECT_THAT(error_of([] { read_noise_level(value_of("{snr: 5, noise_sigma: 1}"), false); }),
              HasSubstr("value.snr: give the noise as noise_sigma"));
  EXPECT_THAT(error_of([] { read_noise_level(value_of("{snr: 0}"), false); }), HasSubstr("must be > 0"));
  EXPECT_THAT(error_of([] { read_noise_level(value_of("{seed: 1}"), true); }),
              HasSubstr("the noise is missing"));
}

}  // namespace
}  // namespace geoinv
