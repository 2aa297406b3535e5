// SPDX-License-Identifier: BSD-3-Clause
// Parameter blocks end to end (docs/experiment-schema.md, "Parameter blocks"), through the real geoinv
// and the `convolution` plugin, whose reflectivity r is a block of one value per trace sample: a block's
// true model, start and bounds as a broadcast number, a list or a file; result.json's arrays and its
// "blocks" summary; the console's one-line summary; the resolved YAML read back; located errors.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "cli_runner.hpp"

namespace geoinv_test {
namespace {

// An 8-sample trace of the three-point wavelet, noise-free, with the blocks' keys spliced in.
std::string trace_experiment(const std::string& true_r, const std::string& start_r, const std::string& bounds) {
  return "version: 1\n"
         "name: blocks\n"
         "forward:\n"
         "  plugin: convolution\n"
         "  options: {wavelet: three_point}\n"
         "  stations: {from: 0, to: 0.014, count: 8}\n"
         "data:\n"
         "  synthetic:\n"
         "    true_model: {r: " + true_r + "}\n"
         "    noise_sigma: 0\n"
         "    seed: 5\n"  // a derived default seed does not read back from the resolved YAML (its own bug)
         "start:\n"
         "  model: {r: " + start_r + "}\n" +
         (bounds.empty() ? "" : "bounds: {r: " + bounds + "}\n") +
         "solvers:\n"
         "  - plugin: dls\n";
}

const char* const kTrueList = "[0, 0, 0.2, -0.2, 0, 0, 0.1, 0]";

TEST(ParameterBlocks, ListTruthBroadcastStartAndArraysInResultJson) {
  TempDir dir;
  const auto file = dir.write("e.yaml", trace_experiment(kTrueList, "0", ""));
  const CliResult run = run_geoinv({"run", file.string(), "--out", "out", "--no-figures"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  const auto result = read_json(dir.path() / "out" / "result.json");
  EXPECT_EQ(result["parameters"].size(), 1u);
  EXPECT_EQ(result["parameters"][0]["name"], "r");
  EXPECT_EQ(result["parameters"][0]["size"], 8);
  EXPECT_EQ(result["true_model"]["r"], nlohmann::json::parse(kTrueList));
  EXPECT_EQ(result["start_model"]["r"], nlohmann::json::array({0, 0, 0, 0, 0, 0, 0, 0}));
  const auto& solver = result["results"][0];
  ASSERT_EQ(solver["estimate"]["r"].size(), 8u);
  EXPECT_NEAR(solver["estimate"]["r"][2].get<double>(), 0.2, 1e-6);
  EXPECT_EQ(solver["num_parameters"], 8);
  EXPECT_EQ(solver["blocks"]["r"]["size"], 8);
  EXPECT_EQ(solver["blocks"]["r"]["nonzeros"], 3);
  EXPECT_NEAR(solver["blocks"]["r"]["correlation"].get<double>(), 1.0, 1e-9);
  EXPECT_NEAR(solver["blocks"]["r"]["nrmse"].get<double>(), 0.0, 1e-6);
  // A trace has no curve between its samples (r has one value per station): no fit_curves.csv, whose
  // 500-point grid made the plugin read past the 8 values of r (uninitialised memory in the file).
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "out" / "fit.csv"));
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "out" / "fit_curves.csv"));
  // The console summarises the block on one line instead of printing 8 columns.
  EXPECT_NE(run.out.find("r[8 values]"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("nz 3 corr 1 nrmse"), std::string::npos) << run.out;
  // The resolved YAML writes the block back (a list, the broadcast start as one number) and runs.
  const std::string resolved = read_file(dir.path() / "out" / "config.resolved.yaml");
  EXPECT_NE(resolved.find("true_model: {r: [0, 0, 0.2, -0.2, 0, 0, 0.1, 0]}"), std::string::npos) << resolved;
  EXPECT_NE(resolved.find("model: {r: 0}"), std::string::npos) << resolved;
  EXPECT_NE(resolved.find("r: [-1, 1]"), std::string::npos) << resolved;
  const CliResult again = run_geoinv(
      {"run", (dir.path() / "out" / "config.resolved.yaml").string(), "--out", "again", "--no-figures"}, dir.path());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(read_json(dir.path() / "again" / "result.json")["results"][0]["estimate"], solver["estimate"]);
}

TEST(ParameterBlocks, FileTruthAndPerValueBoundsReadAndWriteBack) {
  TempDir dir;
  dir.write("r_true.txt", "# the true reflectivity\n0 0 0.2 -0.2\n0, 0, 0.1, 0\n");
  const auto file = dir.write(
      "e.yaml", trace_experiment("{file: r_true.txt}", "0",
                                 "{lower: -0.5, upper: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4]}"));
  const CliResult run = run_geoinv({"run", file.string(), "--out", "out", "--no-figures"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  const auto result = read_json(dir.path() / "out" / "result.json");
  EXPECT_EQ(result["true_model"]["r"], nlohmann::json::parse(kTrueList));
  const std::string resolved = read_file(dir.path() / "out" / "config.resolved.yaml");
  EXPECT_NE(resolved.find("lower: -0.5"), std::string::npos) << resolved;
  EXPECT_NE(resolved.find("upper: [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.4]"), std::string::npos) << resolved;
}

TEST(ParameterBlocks, BadBlockValuesAreLocatedErrors) {
  TempDir dir;
  struct Case {
    std::string true_r, start_r, bounds, expected;
  };
  for (const Case& c : {Case{"[0, 0.2]", "0", "", "block r has 8 values; 2 given"},
                        Case{"{file: missing.txt}", "0", "", "cannot read the block file"},
                        Case{"{path: r.txt}", "0", "", "path"},
                        Case{kTrueList, "0.9", "[-0.5, 0.5]", "r[0] = 0.9"},
                        Case{kTrueList, "0", "[0.5, -0.5]", "lower bound must be below the upper bound"},
                        Case{kTrueList, "0", "[-2, 1]", "lies outside what plugin 'convolution' allows for r[0]"}}) {
    const auto file = dir.write("bad.yaml", trace_experiment(c.true_r, c.start_r, c.bounds));
    const CliResult run = run_geoinv({"validate", file.string()}, dir.path());
    EXPECT_NE(run.exit_code, 0) << c.expected;
    EXPECT_NE(run.err.find(c.expected), std::string::npos) << "expected '" << c.expected << "' in:\n" << run.err;
    EXPECT_NE(run.err.find("bad.yaml:"), std::string::npos) << "not located:\n" << run.err;
  }
}

// A 64-sample trace with a wedge at sample 20 inverted by dls (trace.yaml) and the campaign that sweeps
// its thickness over `thicknesses` keeping every run folder (wedge.yaml).
void write_wedge_campaign(TempDir& dir, const std::string& wavelet, const std::string& dls_options,
                          const std::string& thicknesses) {
  dir.write("trace.yaml",
            "version: 1\n"
            "name: trace\n"
            "forward:\n"
            "  plugin: convolution\n"
            "  options: {wavelet: " + wavelet + "}\n"
            "  stations: {from: 0, to: 0.126, count: 64}\n"
            "data:\n"
            "  synthetic:\n"
            "    true_model: {r: {wedge: {top: 20, thickness: 0}}}\n"
            "    noise_sigma: 0\n"
            "start:\n"
            "  model: {r: 0}\n"
            "solvers:\n"
            "  - plugin: dls\n" +
            (dls_options.empty() ? "" : "    options: " + dls_options + "\n"));
  dir.write("wedge.yaml",
            "version: 1\n"
            "name: wedge\n"
            "base: trace.yaml\n"
            "sweep:\n"
            "  grid:\n"
            "    data.synthetic.true_model.r.wedge.thickness: [" + thicknesses + "]\n"
            "  replicates: 1\n"
            "keep_details: all\n");
}

// A wedge section through a campaign: results.csv carries the block's correlation and NRMSE (not one
// column per value), the kept run folders its values, and wedge_summary.csv the resolved thickness.
TEST(ParameterBlocks, WedgeCampaignReportsBlockMetricsAndTheResolvedThickness) {
  TempDir dir;
  write_wedge_campaign(dir, "three_point", "", "0, 2, 4, 8");
  const CliResult run =
      run_geoinv({"campaign", "wedge.yaml", "--out", "out", "--jobs", "2", "--no-figures", "--quiet"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  const std::string header = read_file(dir.path() / "out" / "results.csv").substr(0, 400);
  EXPECT_NE(header.find(",correlation_r,nrmse_r,rms,"), std::string::npos) << header;
  EXPECT_EQ(header.find("estimate_r"), std::string::npos) << header;
  const auto table = read_csv(dir.path() / "out" / "results.csv");
  ASSERT_EQ(table.rows.size(), 4u);
  for (const auto& row : table.rows) {
    const std::string& thickness = row[table.column("data.synthetic.true_model.r.wedge.thickness")];
    if (thickness == "0") continue;  // the wedge's two spikes cancel: a zero truth has no NRMSE
    EXPECT_NEAR(std::stod(row[table.column("correlation_r")]), 1.0, 1e-9) << thickness;
    EXPECT_NEAR(std::stod(row[table.column("nrmse_r")]), 0.0, 1e-4) << thickness;  // dls's tolerances
  }
  EXPECT_EQ(read_json(dir.path() / "out" / "runs" / "1" / "result.json")["true_model"]["r"][22], -0.2);
  // The data's own row (the rule on the noise-free data trace: the three-point wavelet resolves 2 samples).
  EXPECT_EQ(read_file(dir.path() / "out" / "wedge_summary.csv"),
            "solver,traces,resolved_thickness\ndata,4,2\ndls,4,2\n");
}

// A wedge campaign's report shows the sections as images (the true block, the data, each solver's
// estimate), with the Ricker tuning thickness 1/(2.31 f) = 7.215 samples at 30 Hz and 2 ms marked.
TEST(ParameterBlocks, WedgeCampaignDrawsTheSectionsWithTheTuningThickness) {
  TempDir dir;
  write_wedge_campaign(dir, "ricker, frequency_hz: 30", "{max_iterations: 5}", "0, 4, 8, 12");
  const CliResult run = run_geoinv({"campaign", "wedge.yaml", "--out", "out", "--jobs", "2", "--quiet"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  const fs::path figures = dir.path() / "out" / "figures";
  for (const char* stem : {"wedge_truth", "wedge_data", "wedge_dls"}) {
    const std::string script = read_file(figures / (std::string(stem) + ".gp"));
    EXPECT_NE(script.find("with image"), std::string::npos) << stem;
    EXPECT_NE(script.find("set arrow from first 7.21500721500"), std::string::npos) << script;
  }
  const std::string data = read_file(figures / "wedge_truth.dat");
  EXPECT_NE(data.find("12 32 -0.2\n"), std::string::npos);  // the base of the thickest trace
  if (std::system("gnuplot --version >/dev/null 2>&1") == 0) {
    const std::string report = read_file(dir.path() / "out" / "report.html");
    EXPECT_NE(report.find("Wedge section: true r"), std::string::npos) << report;
    EXPECT_NE(report.find("Wedge section: data"), std::string::npos);
    EXPECT_NE(report.find("Wedge section: dls&#39;s r"), std::string::npos);
  }
}

// A wedge campaign draws its correlation and NRMSE against thickness (issue 13, section 3): one line per
// solver from results.csv, the tuning thickness 1/(2.31 f) = 7.215 samples dashed, and the solver's
// resolved thickness from wedge_summary.csv marked on the top edge.
TEST(ParameterBlocks, WedgeCampaignDrawsCorrelationAndNrmseAgainstThickness) {
  TempDir dir;
  write_wedge_campaign(dir, "ricker, frequency_hz: 30", "", "0, 4, 8, 12");
  const CliResult run = run_geoinv({"campaign", "wedge.yaml", "--out", "out", "--jobs", "2", "--quiet"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  const fs::path out = dir.path() / "out", figures = out / "figures";
  const auto summary = read_csv(out / "wedge_summary.csv");
  std::string resolved;
  for (const auto& row : summary.rows)
    if (row[summary.column("solver")] == "dls") resolved = row[summary.column("resolved_thickness")];
  ASSERT_FALSE(resolved.empty()) << read_file(out / "wedge_summary.csv");
  for (const std::string stem : {"wedge_correlation", "wedge_nrmse"}) {
    const std::string script = read_file(figures / (stem + ".gp"));
    EXPECT_NE(script.find("set arrow 1 from first 7.21500721500"), std::string::npos) << script;
    EXPECT_NE(script.find("'" + stem + ".dat' index 0 using 1:2 with linespoints"), std::string::npos) << script;
    EXPECT_NE(script.find("title 'dls'"), std::string::npos) << script;
    EXPECT_NE(script.find("set label '' at first " + resolved + ", graph 0.97 point"), std::string::npos) << script;
  }
  // Thickness 0 has no correlation (the truth is zero); a noise-free dls recovers the thicker wedges.
  const std::string data = read_file(figures / "wedge_correlation.dat");
  EXPECT_NE(data.find("\n0 NaN 0\n"), std::string::npos) << data;
  for (const char* k : {"\n4 ", "\n8 ", "\n12 "}) EXPECT_NE(data.find(k), std::string::npos) << k << data;
  if (std::system("gnuplot --version >/dev/null 2>&1") == 0) {
    const std::string report = read_file(out / "report.html");
    EXPECT_NE(report.find("wedge: correlation against wedge thickness"), std::string::npos) << report;
    EXPECT_NE(report.find("wedge: NRMSE against wedge thickness"), std::string::npos);
  }
}

// The convolution plugin is linear (linear_operator(): a banded Toeplitz G): linear_lsq factors its band
// and, without regularisation (lambda 0), recovers a noise-free reflectivity exactly.
TEST(ParameterBlocks, LinearLsqFactorsTheConvolutionBandAndRecoversTheReflectivity) {
  TempDir dir;
  std::string experiment = trace_experiment(kTrueList, "0", "");
  experiment.replace(experiment.find("  - plugin: dls\n"), std::string::npos,
                     "  - plugin: linear_lsq\n    options: {method: banded_cholesky}\n");
  const auto file = dir.write("e.yaml", experiment);
  const CliResult run = run_geoinv({"run", file.string(), "--out", "out", "--no-figures"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  const auto result = read_json(dir.path() / "out" / "result.json");
  const auto& solver = result["results"][0];
  ASSERT_NE(solver["status"], "failed") << solver.dump();
  const auto truth = nlohmann::json::parse(kTrueList);
  for (std::size_t i = 0; i < truth.size(); ++i)
    EXPECT_NEAR(solver["estimate"]["r"][i].get<double>(), truth[i].get<double>(), 1e-12) << i;
}

// The report and the figures summarise a block (size, norm, non-zeros, error against the truth) and
// draw it against its sample index, instead of 256 columns r[0] ... r[255].
TEST(ParameterBlocks, ReportSummarisesTheBlockAndDrawsIt) {
  TempDir dir;
  const auto experiment = source_dir() / "configs" / "experiments" / "wedge_trace_dls.yaml";
  const CliResult run = run_geoinv({"run", experiment.string(), "--out", "out"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  const std::string report = read_file(dir.path() / "out" / "report.html");
  EXPECT_EQ(report.find("r[17]"), std::string::npos);
  EXPECT_EQ(report.find("r[0]"), std::string::npos);
  EXPECT_NE(report.find("block of 256 values: norm, non-zeros, correlation and NRMSE against the truth"),
            std::string::npos) << report;
  EXPECT_NE(report.find("r = block of 256 values (norm 0.2828 nz 2)"), std::string::npos) << report;
  EXPECT_NE(report.find(" corr "), std::string::npos) << report;
  EXPECT_NE(report.find(" nrmse "), std::string::npos) << report;
  EXPECT_TRUE(fs::exists(dir.path() / "out" / "figures" / "block_r.gp"));
  if (std::system("gnuplot --version >/dev/null 2>&1") == 0) {
    EXPECT_TRUE(fs::exists(dir.path() / "out" / "figures" / "block_r.svg"));
    EXPECT_NE(report.find("id=\"block_r\""), std::string::npos) << report;
  }
}

}  // namespace
}  // namespace geoinv_test
