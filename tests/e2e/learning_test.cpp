// SPDX-License-Identifier: BSD-3-Clause
// Learning solvers through the real binary: the host makes the training set from the prior, trains once,
// saves the model as an artifact, reuses it by file, refuses it for another station layout, and chains
// the network's estimate into damped least squares.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cli_runner.hpp"

namespace geoinv_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A small network on a small prior keeps the test fast; the mlp plugin's own tests cover accuracy.
const char* const kExperiment = R"(version: 1
name: learning
forward: {plugin: sphere, options: {convention: minus}, stations: {from: 0, to: 150, count: 101}}
data:
  synthetic:
    true_model: {x0: 77.07, theta: 309.37, h: 41.81, K: 94686}
    noise_sigma: 3.1622776601683795
    seed: 1
start: {model: {x0: 20, theta: 300, h: 40, K: 94500}}
solvers:
  - plugin: mlp
    options: {hidden_layer_sizes: [16, 16], activation: tanh, solver: adam, batch_size: 64, max_iter: 30, tol: 0}
    prior:
      sampling: latin_hypercube
      ranges: {x0: [50, 100], theta: [260, 340], h: [7, 75], K: [70000, 110000]}
      samples: 800
      seed: 7
  - plugin: mlp
    label: mlp_again
    options: {hidden_layer_sizes: [16, 16], activation: tanh, solver: adam, batch_size: 64, max_iter: 30, tol: 0}
    prior:
      sampling: latin_hypercube
      ranges: {x0: [50, 100], theta: [260, 340], h: [7, 75], K: [70000, 110000]}
      samples: 800
      seed: 7
  - plugin: dls
    label: mlp_dls
    start_from: mlp
)";

TEST(Learning, TrainsOnceChainsIntoDlsAndKeepsTheModel) {
  TempDir dir;
  const fs::path file = dir.write("e.yaml", kExperiment);
  const CliResult run = run_geoinv({"run", file.string(), "--out", "out"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = read_json(dir.path() / "out/result.json");
  const auto& mlp = result["results"][0];
  const auto& again = result["results"][1];
  const auto& chain = result["results"][2];
  EXPECT_EQ(mlp["termination"], "no_iterations");
  EXPECT_TRUE(mlp["training"]["trained_now"].get<bool>());
  EXPECT_GT(mlp["training"]["training_time_s"].get<double>(), 0.0);
  EXPECT_TRUE(mlp["training"]["validation_relative_error"].contains("h"));
  // The same training spec trains once: the second entry reuses the model, and predicts the same.
  EXPECT_FALSE(again["training"]["trained_now"].get<bool>());
  EXPECT_EQ(mlp["estimate"], again["estimate"]);
  // The chain is its own row, starts from the network's estimate and reaches the least-squares fit.
  EXPECT_EQ(chain["start_from"], "mlp");
  EXPECT_EQ(chain["status"], "converged");
  EXPECT_LE(chain["rms"].get<double>(), mlp["rms"].get<double>());
  EXPECT_TRUE(fs::exists(dir.path() / "out/models/mlp.model.json"));
  EXPECT_TRUE(fs::exists(dir.path() / "out/loss_mlp.csv"));
  const std::string loss = read_file(dir.path() / "out/loss_mlp.csv");
  EXPECT_THAT(loss.substr(0, loss.find('\n')), HasSubstr("epoch,train_loss"));
  EXPECT_EQ(std::count(loss.begin(), loss.end(), '\n'), 31);
}

TEST(Learning, TrainCommandSavesAModelThatRunsReuseAndThatIsRefusedForOtherStations) {
  TempDir dir;
  const fs::path file = dir.write("e.yaml", kExperiment);
  const CliResult train = run_geoinv({"train", file.string(), "--out", "models"}, dir.path());
  ASSERT_EQ(train.exit_code, 0) << train.err;
  EXPECT_TRUE(fs::exists(dir.path() / "models/mlp.model.json"));
  EXPECT_TRUE(read_json(dir.path() / "models/training.json")["models"][0].contains("training_time_s"));

  const std::string reuse = std::string(kExperiment).substr(0, std::string(kExperiment).find("solvers:")) +
                            "solvers:\n  - plugin: mlp\n    model_file: models/mlp.model.json\n";
  const fs::path reuse_file = dir.write("reuse.yaml", reuse);
  const CliResult run = run_geoinv({"run", reuse_file.string(), "--out", "out"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_FALSE(read_json(dir.path() / "out/result.json")["results"][0]["training"]["trained_now"].get<bool>());
  EXPECT_THAT(run.out, Not(HasSubstr("are ignored")));

  // Options beside model_file shape nothing: the run says so, naming them.
  const CliResult with_options = run_geoinv(
      {"run", reuse_file.string(), "--out", "with_options", "--set", "solvers.0.options={hidden_layer_sizes: [8], max_iter: 5}"},
      dir.path());
  ASSERT_EQ(with_options.exit_code, 0) << with_options.err;
  EXPECT_THAT(with_options.out, HasSubstr("mlp: warning: model_file is given, so the options hidden_layer_sizes, "
                                          "max_iter are ignored"));
  EXPECT_THAT(read_json(dir.path() / "with_options/result.json")["results"][0]["warnings"].dump(),
              HasSubstr("hidden_layer_sizes, max_iter are ignored"));

  const CliResult other = run_geoinv(
      {"run", reuse_file.string(), "--out", "other", "--set", "forward.stations={from: 0, to: 150, count: 51}"},
      dir.path());
  EXPECT_EQ(other.exit_code, 3);
  EXPECT_THAT(other.err, HasSubstr("mlp.model.json"));
  EXPECT_THAT(other.err, HasSubstr("this model was trained for"));
  EXPECT_THAT(other.err, HasSubstr("stations=51"));
  // In words, not only hashes: the count, the first and last position and the spacing of both.
  EXPECT_THAT(other.err, HasSubstr("stations: the model has 101 stations, 0..150 step 1.5; the experiment has 51 "
                                   "stations, 0..150 step 3"));
  EXPECT_FALSE(fs::exists(dir.path() / "other"));
}

TEST(Learning, PriorErrorsAreLocated) {
  TempDir dir;
  std::string yaml = kExperiment;
  yaml.replace(yaml.find("sampling: latin_hypercube"), 25, "sampling: sobol");
  const fs::path file = dir.write("e.yaml", yaml);
  const CliResult run = run_geoinv({"validate", file.string()}, dir.path());
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_THAT(run.err, HasSubstr("solvers.0.prior.sampling: unknown sampling 'sobol'; valid: uniform, grid, latin_hypercube"));
  const fs::path no_learning = dir.write("d.yaml", std::string(kExperiment) + "    prior: {sampling: uniform}\n");
  const CliResult wrong = run_geoinv({"validate", no_learning.string()}, dir.path());
  EXPECT_EQ(wrong.exit_code, 3);
  EXPECT_THAT(wrong.err, HasSubstr("solver 'dls' does not learn"));
}

// mlp's init (the initial weights' distribution): a word it does not know, or a scale that is not
// positive, is refused where it is written, with what is valid.
TEST(Learning, MlpInitErrorsAreLocated) {
  TempDir dir;
  std::string yaml = kExperiment;
  const std::size_t at = yaml.find("activation: tanh,");
  yaml.insert(at, "init: gaussian, ");
  const CliResult run = run_geoinv({"validate", dir.write("e.yaml", yaml).string()}, dir.path());
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_THAT(run.err, HasSubstr("e.yaml:12"));
  EXPECT_THAT(run.err, HasSubstr("solvers.0.options.init"));
  EXPECT_THAT(run.err, HasSubstr("gaussian"));
  EXPECT_THAT(run.err, HasSubstr("glorot_uniform, normal, uniform"));
  std::string scale = kExperiment;
  scale.insert(scale.find("activation: tanh,"), "init: normal, init_scale: 0, ");
  const CliResult zero = run_geoinv({"validate", dir.write("z.yaml", scale).string()}, dir.path());
  EXPECT_EQ(zero.exit_code, 3);
  EXPECT_THAT(zero.err, HasSubstr("z.yaml:12"));
  EXPECT_THAT(zero.err, HasSubstr("solvers.0.options.init_scale"));
  EXPECT_THAT(zero.err, HasSubstr("> 0"));
}

// Issue 16: the trained models' cache folder (geoinv-models-<pid>-XXXXXX in the temporary folder) is
// gone after the run, and a stale one of a process that no longer runs is removed by the next training.
TEST(Learning, TheModelCacheFolderIsRemovedAfterTheRunAndStaleOnesWithIt) {
  TempDir dir;
  const fs::path file = dir.write("e.yaml", kExperiment);
  const fs::path temp = dir.path() / "tmp";
  // A pid above the kernel's pid_max (2^22) belongs to no process.
  const fs::path stale = temp / "geoinv-models-99999999-AbC123";
  fs::create_directories(stale);
  dir.write("tmp/geoinv-models-99999999-AbC123/0123456789abcdef.model.json", "{}");
  const CliResult run = run_geoinv_under({"env", "TMPDIR=" + temp.string()},
                                         {"run", file.string(), "--out", "out"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(fs::exists(dir.path() / "out/models/mlp.model.json"));
  EXPECT_FALSE(fs::exists(stale));
  for (const auto& entry : fs::directory_iterator(temp)) ADD_FAILURE() << "left behind: " << entry.path();
}

}  // namespace
}  // namespace geoinv_test

namespace geoinv_test {
namespace {

TEST(Learning, MlpThenDlsReachesTheSeedMinimumOnTheSeedProfile) {
  TempDir dir;
  const fs::path file = dir.write("e.yaml", R"(version: 1
name: mlp_dls_seed
forward: {plugin: sphere, options: {convention: minus}}
data: {file: )" + seed_data_file().string() + R"(}
start: {model: {x0: 20, theta: 300, h: 40, K: 94500}}
solvers:
  - plugin: mlp
    options: {hidden_layer_sizes: [32, 32], activation: tanh, solver: adam, batch_size: 64, max_iter: 40, tol: 0}
    prior:
      sampling: uniform
      ranges: {x0: [50, 100], theta: [260, 340], h: [7, 75], K: [70000, 110000]}
      samples: 2000
      seed: 3
      noise_sigma: 3.1622776601683795   # the data file has no sigma column: the study's noise
  - {plugin: dls, label: mlp_dls, start_from: mlp}
)");
  const CliResult run = run_geoinv({"run", file.string(), "--out", "out"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto result = read_json(dir.path() / "out/result.json");
  const auto& chain = result["results"][1];
  EXPECT_EQ(chain["status"], "converged");
  EXPECT_NEAR(chain["estimate"]["x0"].get<double>(), 76.2434, 1e-3);
  EXPECT_NEAR(chain["estimate"]["theta"].get<double>(), 310.302, 1e-3);
  EXPECT_NEAR(chain["estimate"]["h"].get<double>(), 42.7766, 1e-3);
  EXPECT_NEAR(chain["estimate"]["K"].get<double>(), 99102.1, 0.5);
  EXPECT_NEAR(chain["rms"].get<double>(), 3.2814, 1e-3);
}

}  // namespace
}  // namespace geoinv_test
