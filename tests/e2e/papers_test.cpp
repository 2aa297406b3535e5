// SPDX-License-Identifier: BSD-3-Clause
// The two paper experiments of docs/papers.md, run by the real geoinv from the shipped configs in
// configs/papers (the wedge in its reduced CI size), asserting the papers' claims as numbers: Russell
// (2019)'s exact deconvolution of a dipole, damping trading resolution for stability, a linear regression
// that keeps the side values, the 1-2-1 network's seeds; Kim & Nakata (2018)'s wedge, where L1 gives a
// sparser and better-resolved reflectivity than Tikhonov.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "cli_runner.hpp"

namespace geoinv_test {
namespace {

fs::path papers_config(const std::string& name) { return source_dir() / "configs" / "papers" / name; }

// The per-solver results of one run's result.json, by label.
std::map<std::string, nlohmann::json> results_by_label(const nlohmann::json& result) {
  std::map<std::string, nlohmann::json> by_label;
  for (const auto& solver : result["results"]) by_label[solver["solver"].get<std::string>()] = solver;
  return by_label;
}

double nrmse_of(const nlohmann::json& solver) { return solver["blocks"]["r"]["nrmse"].get<double>(); }

// Values of the estimated r above 10 % of the wedge's reflector amplitude 0.2 (the resolution rule's
// threshold): the L1 stand-in's smoothed rows leave tiny values everywhere, so non-zeros would not tell.
int significant_values(const nlohmann::json& solver) {
  int count = 0;
  for (const auto& value : solver["estimate"]["r"]) count += std::abs(value.get<double>()) > 0.02;
  return count;
}

class RussellDipole : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    const CliResult run = run_geoinv(
        {"run", papers_config("russell2019_dipole.yaml").string(), "--out", "out", "--quiet"},
        dir_->path());
    ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
    result_ = new nlohmann::json(read_json(dir_->path() / "out" / "result.json"));
  }
  static void TearDownTestSuite() {
    delete result_;
    delete dir_;
  }
  static TempDir* dir_;
  static nlohmann::json* result_;
};
TempDir* RussellDipole::dir_ = nullptr;
nlohmann::json* RussellDipole::result_ = nullptr;

TEST_F(RussellDipole, TheFullInverseRecoversTheDipoleExactly) {
  const auto solvers = results_by_label(*result_);
  const auto& estimate = solvers.at("full_inverse")["estimate"]["r"];
  ASSERT_EQ(estimate.size(), 21u);
  for (std::size_t i = 0; i < estimate.size(); ++i) {
    const double truth = i == 10 ? 0.2 : i == 11 ? -0.2 : 0.0;
    EXPECT_NEAR(estimate[i].get<double>(), truth, 1e-8) << "sample " << i;
  }
  EXPECT_LT(nrmse_of(solvers.at("full_inverse")), 1e-8);
}

TEST_F(RussellDipole, GradientDescentApproachesTheSameInverse) {
  EXPECT_LT(nrmse_of(results_by_label(*result_).at("descent")), 1e-3);
}

// r_i = w0 + w1 s_i sees one sample: the trace's side values (-0.1, +0.1 at samples 9 and 12) map to
// non-zero coefficients whatever w1 is, so the regression cannot be exact.
TEST_F(RussellDipole, LinearRegressionKeepsTheSideValues) {
  const auto regression = results_by_label(*result_).at("regression");
  const auto& estimate = regression["estimate"]["r"];
  EXPECT_GT(std::abs(estimate[9].get<double>()), 0.01);
  EXPECT_GT(std::abs(estimate[12].get<double>()), 0.01);
  EXPECT_GT(nrmse_of(regression), 0.1);
}

TEST_F(RussellDipole, EveryLearningSolverReportsItsFit) {
  const auto solvers = results_by_label(*result_);
  for (const char* label : {"network_1_2_1", "rbf", "grnn"}) {
    ASSERT_TRUE(solvers.count(label)) << label;
    EXPECT_TRUE(std::isfinite(nrmse_of(solvers.at(label)))) << label;
  }
}

// Russell's crossplot: each learner trained on one-sample windows writes its response curve r(s) over the
// data's amplitude range, and the report draws them over the points (s_i, r_i) of the dipole.
TEST_F(RussellDipole, EveryLearnerWritesItsResponseCurveAndTheReportDrawsTheCrossplot) {
  const fs::path out = dir_->path() / "out";
  const CsvTable fit = read_csv(out / "fit.csv");
  const auto solvers = results_by_label(*result_);
  for (const char* label : {"regression", "network_1_2_1", "rbf", "grnn"}) {
    const CsvTable curve = read_csv(out / (std::string("response_curve_") + label + ".csv"));
    ASSERT_EQ(curve.rows.size(), 201u) << label;
    // The grid spans the trace's amplitudes (-0.3 .. 0.3) widened by a tenth of the span at each end.
    EXPECT_NEAR(std::stod(curve.rows.front()[curve.column("amplitude")]), -0.36, 1e-12) << label;
    EXPECT_NEAR(std::stod(curve.rows.back()[curve.column("amplitude")]), 0.36, 1e-12) << label;
    if (std::string(label) != "regression") continue;
    // A straight line through its ends that reproduces the solver's estimate at every sample.
    const double a0 = std::stod(curve.rows.front()[0]), r0 = std::stod(curve.rows.front()[1]);
    const double a1 = std::stod(curve.rows.back()[0]), r1 = std::stod(curve.rows.back()[1]);
    const auto& estimate = solvers.at(label)["estimate"]["r"];
    for (std::size_t i = 0; i < fit.rows.size(); ++i) {
      const double s = std::stod(fit.rows[i][fit.column("observed")]);
      EXPECT_NEAR(r0 + (r1 - r0) * (s - a0) / (a1 - a0), estimate[i].get<double>(), 1e-5) << "sample " << i;
    }
  }
  EXPECT_FALSE(fs::exists(out / "response_curve_full_inverse.csv"));  // not a learner
  const std::string script = read_file(out / "figures" / "crossplot.gp");
  for (const char* label : {"regression", "network_1_2_1", "rbf", "grnn"})
    EXPECT_NE(script.find(std::string("crossplot_") + label + ".dat"), std::string::npos) << label;
  EXPECT_NE(script.find("least-squares line of the points"), std::string::npos);
  EXPECT_TRUE(fs::exists(out / "figures" / "crossplot.dat"));  // the 21 points (s_i, r_i)
  EXPECT_TRUE(fs::exists(out / "figures" / "crossplot.png"));
}

TEST(RussellDamping, LambdaTradesResolutionForStability) {
  TempDir dir;
  const CliResult run = run_geoinv(
      {"campaign", papers_config("russell2019_damping.yaml").string(), "--out", "c", "--quiet", "--no-figures"},
      dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  const CsvTable results = read_csv(dir.path() / "c" / "results.csv");
  const std::size_t c_lambda = results.column("regularization.lambda"),
                    c_sigma = results.column("data.synthetic.noise_sigma"), c_nrmse = results.column("nrmse_r");
  std::map<double, std::map<double, double>> nrmse;  // noise sigma -> lambda -> NRMSE
  for (const auto& row : results.rows)
    nrmse[std::stod(row[c_sigma])][std::stod(row[c_lambda])] = std::stod(row[c_nrmse]);
  ASSERT_EQ(nrmse.size(), 2u);
  const auto& clean = nrmse.at(0.0);
  ASSERT_EQ(clean.size(), 9u);
  EXPECT_LT(clean.at(0.0), 1e-8);  // exact without damping
  double previous = -1;
  for (const auto& [lambda, error] : clean) {  // resolution lost as lambda grows
    EXPECT_GT(error, previous) << "lambda " << lambda;
    previous = error;
  }
  const auto& noisy = nrmse.at(0.01);
  double best_damped = noisy.at(0.0);
  for (const auto& [lambda, error] : noisy) best_damped = std::min(best_damped, error);
  EXPECT_LT(best_damped, 0.8 * noisy.at(0.0));  // some damping beats the raw inverse on noisy data
}

TEST(RussellNetworkSeeds, EverySeedRecordsItsFit) {
  TempDir dir;
  const CliResult run = run_geoinv(
      {"campaign", papers_config("russell2019_network_seeds.yaml").string(), "--out", "c", "--quiet", "--jobs", "2"},
      dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  const CsvTable results = read_csv(dir.path() / "c" / "results.csv");
  ASSERT_EQ(results.rows.size(), 10u);
  std::map<std::string, double> nrmse_by_seed;
  for (const auto& row : results.rows)
    nrmse_by_seed[row[results.column("solvers.0.options.random_state")]] = std::stod(row[results.column("nrmse_r")]);
  EXPECT_EQ(nrmse_by_seed.size(), 10u);  // ten distinct seeds, each its own training
  // From the peer's N(0, 4²) start, one seed sticks in a local minimum worse than the linear regression
  // (NRMSE 0.34 on the dipole, docs/papers.md); the others converge to 0.27-0.29.
  std::vector<std::string> stuck;
  for (const auto& [seed, nrmse] : nrmse_by_seed) {
    if (nrmse > 0.34) stuck.push_back(seed);
    else EXPECT_LT(nrmse, 0.3) << "seed " << seed;
  }
  EXPECT_EQ(stuck, std::vector<std::string>{"7"});
  // The campaign's crossplot draws every seed's response curve and counts the stuck one by its loss.
  const std::string script = read_file(dir.path() / "c" / "figures" / "crossplot.gp");
  EXPECT_NE(script.find("(1 of 10 stuck)"), std::string::npos) << script.substr(0, 200);
  EXPECT_NE(script.find("random_state=7 (stuck)"), std::string::npos);
  EXPECT_TRUE(fs::exists(dir.path() / "c" / "figures" / "crossplot.png"));
}

class KimNakataWedge : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    const CliResult run = run_geoinv({"campaign", papers_config("kim_nakata2018_wedge_ci.yaml").string(), "--out",
                                      "c", "--quiet", "--no-figures", "--jobs", "2"},
                                     dir_->path());
    ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  }
  static void TearDownTestSuite() { delete dir_; }
  static fs::path out() { return dir_->path() / "c"; }
  static TempDir* dir_;
};
TempDir* KimNakataWedge::dir_ = nullptr;

// wedge_summary.csv's resolved thickness of a solver at a noise sigma ("" when unresolved).
std::string resolved_thickness(const CsvTable& summary, const std::string& solver, const std::string& sigma) {
  for (const auto& row : summary.rows)
    if (row[summary.column("solver")] == solver && row[summary.column("data.synthetic.noise_sigma")] == sigma)
      return row[summary.column("resolved_thickness")];
  ADD_FAILURE() << "no wedge_summary row for " << solver << " at sigma " << sigma;
  return "";
}

// Noise-free L1 resolves a thinner bed than Tikhonov (the peer: 3 and 4 samples); at SNR 10 it is at
// least as good (the peer: 4 and 7; the CI's 15 thicknesses and noise draw give 4 and 4).
TEST_F(KimNakataWedge, L1ResolvesThinnerBedsThanTikhonov) {
  const CsvTable summary = read_csv(out() / "wedge_summary.csv");
  for (const std::string sigma : {"0", "0.0039272"}) {
    const std::string tikhonov = resolved_thickness(summary, "tikhonov", sigma),
                      l1 = resolved_thickness(summary, "l1", sigma);
    ASSERT_FALSE(l1.empty()) << "l1 leaves the thickest trace unresolved at sigma " << sigma;
    ASSERT_FALSE(tikhonov.empty()) << "tikhonov leaves the thickest trace unresolved at sigma " << sigma;
    if (sigma == "0")
      EXPECT_LT(std::stoi(l1), std::stoi(tikhonov));
    else
      EXPECT_LE(std::stoi(l1), std::stoi(tikhonov));
    EXPECT_LT(std::stoi(l1), 7) << "sigma " << sigma;  // below the tuning thickness 1/(2.31 f) = 7.2 samples
  }
}

// wedge_summary.csv has readable scalar columns: the noise level and the solver label, not the YAML text
// of the zipped regularization: and solvers: entries (whose commas and flattened block YAML made the file
// hard to read back); the data row pools the runs of its noise level (every method's, each its own draw).
TEST_F(KimNakataWedge, WedgeSummaryHasScalarColumns) {
  const std::string text = read_file(out() / "wedge_summary.csv");
  EXPECT_EQ(text.substr(0, text.find('\n')), "data.synthetic.noise_sigma,solver,traces,resolved_thickness");
  EXPECT_EQ(text.find('{'), std::string::npos) << text;
  EXPECT_EQ(text.find('"'), std::string::npos) << text;
  const CsvTable summary = read_csv(out() / "wedge_summary.csv");
  EXPECT_EQ(summary.rows.size(), 2u * 5u);  // 2 noise levels x (data, tikhonov, l1, mlp, mlp_l1)
  for (const auto& row : summary.rows) {
    const std::string& solver = row[summary.column("solver")];
    EXPECT_EQ(row[summary.column("traces")], solver == "data" ? "45" : "15") << solver;
  }
}

TEST_F(KimNakataWedge, L1IsSparserAndCloserToTheTruthThanTikhonov) {
  const CsvTable results = read_csv(out() / "results.csv");
  const std::size_t c_solver = results.column("solver"), c_run = results.column("run_id"),
                    c_thickness = results.column("data.synthetic.true_model.r.wedge.thickness"),
                    c_corr = results.column("correlation_r");
  int compared = 0;
  for (const auto& row : results.rows) {
    if (row[c_solver] != "l1" || std::stoi(row[c_thickness]) < 10) continue;
    const auto l1 = results_by_label(read_json(out() / "runs" / row[c_run] / "result.json")).at("l1");
    EXPECT_GT(std::stod(row[c_corr]), 0.95) << "run " << row[c_run];
    // The Tikhonov run of the same thickness and noise is the zip entry before: run_id - 1.
    const std::string tikhonov_run = std::to_string(std::stol(row[c_run]) - 1);
    const auto tikhonov =
        results_by_label(read_json(out() / "runs" / tikhonov_run / "result.json")).at("tikhonov");
    EXPECT_LT(significant_values(l1), significant_values(tikhonov))
        << "run " << row[c_run];
    EXPECT_LT(nrmse_of(l1), 0.5 * nrmse_of(tikhonov)) << "run " << row[c_run];
    ++compared;
  }
  EXPECT_EQ(compared, 2 * 5);  // thicknesses 10, 12, 16, 24 and 40, noise-free and at SNR 10
}

}  // namespace
}  // namespace geoinv_test
