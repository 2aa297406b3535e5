// SPDX-License-Identifier: BSD-3-Clause
// End-to-end tests of a sampler's outputs (docs/outputs.md, "Posterior"): the real `geoinv` binary runs
// the mcmc solver on the seed sphere, and the run folder holds posterior.nc (read here with python3's
// xarray, as ArviZ reads it), posterior.csv and the posterior summary in result.json and on the console.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "e2e/cli_runner.hpp"

namespace {

namespace fs = std::filesystem;
using geoinv_test::TempDir;

const char* kExperiment = R"(version: 1
name: posterior_e2e
forward: {plugin: sphere, options: {convention: minus}, stations: {from: 0, to: 150, count: 101}}
data:
  synthetic: {true_model: {x0: 77.07, theta: 309.37, h: 41.81, K: 94686}, noise_sigma: 3.16, seed: 1}
start: {model: {x0: 20, theta: 300, h: 40, K: 94500}}
budget: {max_forward_evaluations: 100000}
solvers:
  - plugin: mcmc
    options: {walkers: 16, steps: 300, burn_in: 100, thin: 2}
)";

class PosteriorOutputs : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("experiment.yaml", kExperiment);
    run_ = geoinv_test::run_geoinv({"run", "experiment.yaml", "--out", "out"}, dir_.path());
    ASSERT_EQ(run_.exit_code, 0) << run_.err << run_.out;
  }
  fs::path out() const { return dir_.path() / "out"; }

  TempDir dir_;
  geoinv_test::CliResult run_;
};

TEST_F(PosteriorOutputs, ResultJsonHoldsTheSummaryOfEveryParameter) {
  const auto result = geoinv_test::read_json(out() / "result.json");
  const auto& entry = result["results"][0];
  EXPECT_EQ(entry["termination"], "samples_drawn");
  const auto& posterior = entry["posterior"];
  EXPECT_EQ(posterior["chains"], 16);
  EXPECT_EQ(posterior["draws"], 100);  // updates 100, 102, ..., 298
  // Synthetic data carry their noise σ, so the likelihood takes it (σ null: the data's own).
  EXPECT_EQ(posterior["sigma_source"], "data");
  EXPECT_TRUE(posterior["sigma"].is_null());
  EXPECT_EQ(posterior["files"]["netcdf"], "posterior.nc");
  EXPECT_EQ(posterior["files"]["csv"], "posterior.csv");
  for (const char* name : {"x0", "theta", "h", "K"})
    for (const char* key : {"mean", "sd", "hdi_3%", "hdi_97%", "median", "r_hat", "ess_bulk", "ess_tail", "tau"})
      EXPECT_TRUE(posterior["parameters"][name][key].is_number()) << name << "." << key;
  // 100 draws per chain cannot reach 400 effective samples: the warnings say so.
  EXPECT_FALSE(posterior["warnings"].empty());
  EXPECT_NE(run_.out.find("posterior of mcmc"), std::string::npos) << run_.out;
  EXPECT_NE(run_.out.find("warning:"), std::string::npos) << run_.out;
}

TEST_F(PosteriorOutputs, DrawsCsvHasOneRowPerDrawOfEveryChain) {
  const auto table = geoinv_test::read_csv(out() / "posterior.csv");
  const std::vector<std::string> header{"chain", "draw", "x0", "theta", "h", "K", "log_prob", "log_likelihood"};
  EXPECT_EQ(table.header, header);
  EXPECT_EQ(table.rows.size(), 16u * 100u);
}

// The check ArviZ's from_netcdf relies on: each group opens with xarray and has the dims and variables.
TEST_F(PosteriorOutputs, XarrayOpensPosteriorNcWithChainDrawAndEveryParameter) {
  if (std::system("/usr/bin/python3 -c 'import xarray, netCDF4' 2>/dev/null") != 0)
    GTEST_SKIP() << "python3-xarray or python3-netcdf4 is not installed (tools/bootstrap.sh installs them)";
  const std::string script =
      "import sys, xarray\n"
      "p = xarray.open_dataset(sys.argv[1], group='posterior')\n"
      "assert dict(p.sizes) == {'chain': 16, 'draw': 100}, dict(p.sizes)\n"
      "for name in ['x0', 'theta', 'h', 'K']:\n"
      "    assert p[name].dims == ('chain', 'draw'), (name, p[name].dims)\n"
      "assert abs(float(p['theta'].median()) - 310) < 5, float(p['theta'].median())\n"
      "s = xarray.open_dataset(sys.argv[1], group='sample_stats')\n"
      "assert s['lp'].dims == ('chain', 'draw') and s['log_likelihood'].dims == ('chain', 'draw')\n"
      "assert s['acceptance_rate'].dims == ('chain',)\n"
      "l = xarray.open_dataset(sys.argv[1], group='log_likelihood')\n"
      "assert l['data'].dims == ('chain', 'draw', 'obs') and dict(l.sizes) == {'chain': 16, 'draw': 100, "
      "'obs': 101}\n"
      "total = l['data'].sum('obs')\n"
      // The pointwise values sum to the draw's log likelihood and the Gaussian's constant, σᵢ = 3.16.
      "import math\n"
      "constant = -101 * (math.log(3.16) + 0.5 * math.log(2 * math.pi))\n"
      "assert float(abs(total - constant - s['log_likelihood']).max()) < 1e-9 * 101, 'pointwise sum'\n";
  dir_.write("check.py", script);
  const std::string command = "/usr/bin/python3 " + (dir_.path() / "check.py").string() + " " +
                              (out() / "posterior.nc").string() + " > " + (dir_.path() / "check.log").string() +
                              " 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << geoinv_test::read_file(dir_.path() / "check.log");
}

TEST_F(PosteriorOutputs, ResultJsonHoldsTheWaicAndTheFolderThePredictiveBand) {
  const auto waic = geoinv_test::read_json(out() / "result.json")["results"][0]["posterior"]["waic"];
  EXPECT_EQ(waic["data_points"], 101);
  EXPECT_EQ(waic["draws"], 1600);
  EXPECT_NEAR(waic["waic"].get<double>(), -2.0 * waic["elpd_waic"].get<double>(), 1e-9);
  // Four well-determined parameters: the effective number of parameters is near 4.
  EXPECT_GT(waic["p_waic"].get<double>(), 2.0);
  EXPECT_LT(waic["p_waic"].get<double>(), 8.0);
  const auto band = geoinv_test::read_csv(out() / "fit_posterior_band.csv");
  EXPECT_EQ(band.header, (std::vector<std::string>{"x", "ppd_low_mcmc", "ppd_high_mcmc"}));
  ASSERT_EQ(band.rows.size(), 500u);
  const auto fit = geoinv_test::read_csv(out() / "fit.csv");
  // About 95 % of the observed data fall inside the predictive band at their stations (x = 1.5·k).
  std::size_t inside = 0;
  for (std::size_t i = 0; i < fit.rows.size(); ++i) {
    const double x = std::stod(fit.rows[i][0]), observed = std::stod(fit.rows[i][1]);
    std::size_t nearest = 0;
    for (std::size_t k = 0; k < band.rows.size(); ++k)
      if (std::abs(std::stod(band.rows[k][0]) - x) < std::abs(std::stod(band.rows[nearest][0]) - x))
        nearest = k;
    const double low = std::stod(band.rows[nearest][1]), high = std::stod(band.rows[nearest][2]);
    EXPECT_LT(low, high);
    inside += (low <= observed && observed <= high) ? 1 : 0;
  }
  EXPECT_GE(inside, 90u);
  EXPECT_LE(inside, 101u);
}

// A Gaussian prior on h, written in the solver's entry: the run records it and the posterior narrows.
TEST(PosteriorWithPrior, AGaussianPriorIsRecordedAndNarrowsThePosterior) {
  TempDir dir;
  std::string yaml = kExperiment;
  yaml += "    prior: {h: {normal: [41.81, 0.3]}, theta: {normal: [309.37, 20]}}\n";
  dir.write("experiment.yaml", yaml);
  const auto run =
      geoinv_test::run_geoinv({"run", "experiment.yaml", "--out", "out", "--no-figures"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto posterior =
      geoinv_test::read_json(dir.path() / "out" / "result.json")["results"][0]["posterior"];
  EXPECT_EQ(posterior["prior"]["h"]["normal"][0], 41.81);
  EXPECT_EQ(posterior["prior"]["h"]["normal"][1], 0.3);
  EXPECT_DOUBLE_EQ(posterior["prior"]["theta"]["normal"][0].get<double>(), 309.37);  // degrees, as written
  EXPECT_FALSE(posterior["prior"].contains("x0"));
  EXPECT_LT(posterior["parameters"]["h"]["sd"].get<double>(), 0.35);
  const std::string resolved = geoinv_test::read_file(dir.path() / "out" / "config.resolved.yaml");
  EXPECT_NE(resolved.find("h: {normal: [41.81, 0.3]}"), std::string::npos) << resolved;
  EXPECT_NE(resolved.find("theta: {normal: [309.37, 20]}"), std::string::npos) << resolved;
  // log_prob carries the prior, log_likelihood does not.
  const auto table = geoinv_test::read_csv(dir.path() / "out" / "posterior.csv");
  EXPECT_NE(table.rows[0][6], table.rows[0][7]);
}

TEST(PosteriorWithPrior, BadPriorsAreLocatedErrors) {
  TempDir dir;
  const std::pair<const char*, const char*> cases[] = {
      {"    prior: {depth: {normal: [1, 2]}}\n",
       "experiment.yaml:11:13: solvers.0.prior.depth: unknown key 'depth'; valid keys here: x0, theta, h, K"},
      {"    prior: {h: {normal: [40, 0]}}\n", "sd must be > 0"},
      {"    prior: {h: {normal: 40}}\n", "[mean, sd]"},
  };
  for (const auto& [line, expected] : cases) {
    dir.write("experiment.yaml", std::string(kExperiment) + line);
    const auto run = geoinv_test::run_geoinv({"run", "experiment.yaml", "--out", "out"}, dir.path());
    EXPECT_NE(run.exit_code, 0) << line;
    EXPECT_NE(run.err.find(expected), std::string::npos) << line << run.err;
  }
  std::string dls = kExperiment;
  dls.replace(dls.find("  - plugin: mcmc"), std::string::npos,
              "  - plugin: dls\n    prior: {h: {normal: [40, 1]}}\n");
  dir.write("experiment.yaml", dls);
  const auto refused = geoinv_test::run_geoinv({"run", "experiment.yaml", "--out", "out"}, dir.path());
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("'prior' applies to learning and sampling solvers"), std::string::npos)
      << refused.err;
}

TEST(PosteriorOutputsOfOtherSolvers, ARunWithoutASamplerWritesNoPosteriorFiles) {
  TempDir dir;
  std::string yaml = kExperiment;
  yaml.replace(yaml.find("  - plugin: mcmc"), std::string::npos, "  - plugin: dls\n");
  dir.write("experiment.yaml", yaml);
  const auto run = geoinv_test::run_geoinv({"run", "experiment.yaml", "--out", "out"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_FALSE(fs::exists(dir.path() / "out" / "posterior.nc"));
  EXPECT_FALSE(fs::exists(dir.path() / "out" / "posterior.csv"));
  EXPECT_FALSE(fs::exists(dir.path() / "out" / "fit_posterior_band.csv"));
  EXPECT_FALSE(geoinv_test::read_json(dir.path() / "out" / "result.json")["results"][0].contains("posterior"));
}

}  // namespace
