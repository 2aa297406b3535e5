// SPDX-License-Identifier: BSD-3-Clause
// Figures and report.html through the real binary: `geoinv run` and `geoinv campaign` draw them (gnuplot,
// PNG and SVG), `geoinv plot DIR` draws them again, a folder that is not geoinv's is refused clearly, and a
// missing gnuplot warns after a run but fails `geoinv plot`.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "campaigns/campaign.hpp"  // split_csv_line
#include "e2e/cli_runner.hpp"

namespace geoinv_test {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// Two iterative solvers and a small network (trained in well under a second) on a short synthetic profile.
constexpr const char* kExperiment = R"(version: 1
name: plotted
forward: {plugin: sphere, options: {convention: minus}, stations: {from: 0, to: 150, count: 41}}
data:
  unit: mV
  synthetic:
    true_model: {x0: 77.07, theta: 309.37, h: 41.81, K: 94686}
    noise_sigma: 3.1622776601683795
    seed: 1
start: {model: {x0: 20, theta: 300, h: 40, K: 94500}}
solvers:
  - plugin: dls
  - plugin: gauss_newton
    label: gn
  - plugin: mlp
    label: net
    options: {hidden_layer_sizes: [8], activation: tanh, solver: adam, batch_size: 32, max_iter: 12, tol: 0}
    prior:
      sampling: latin_hypercube
      ranges: {x0: [50, 100], theta: [260, 340], h: [7, 75], K: [70000, 110000]}
      samples: 150
      seed: 3
)";

constexpr const char* kBase = R"(version: 1
name: base
forward: {plugin: sphere, stations: {from: 0, to: 150, count: 31}}
data:
  unit: mV
  synthetic:
    true_model: {x0: 77.07, theta: 309.37, h: 41.81, K: 94686}
    noise_sigma: 3.1622776601683795
start: {model: {x0: 20, theta: 300, h: 40, K: 94500}}
solvers:
  - plugin: dls
)";

constexpr const char* kCampaign = R"(version: 1
name: small
seed: 5
base: base.yaml
solvers:
  - {plugin: dls, label: dls}
  - {plugin: dls, label: dls_short, options: {max_iterations: 3}}
success: {parameter: h, relative_error: 0.2}
sweep:
  grid:
    data.synthetic.noise_sigma: [1, 10]
  replicates: 4
keep_details: first:1
)";

// `geoinv campaign` of `campaign_text` on kBase in `dir`, with `jobs` workers, into dir/camp.
CliResult run_campaign(TempDir& dir, const std::string& campaign_text, const std::string& jobs) {
  dir.write("base.yaml", kBase);
  dir.write("c.yaml", campaign_text);
  return run_geoinv({"campaign", "c.yaml", "--jobs", jobs, "--out", "camp", "--quiet"}, dir.path());
}

bool gnuplot_available() { return std::system("gnuplot --version >/dev/null 2>&1") == 0; }

// A PNG starts with its 8-byte signature.
void expect_png(const fs::path& file) {
  const std::string bytes = read_file(file);
  ASSERT_GE(bytes.size(), 8u) << file;
  EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << file;
}

// An SVG is XML whose root is <svg>: every tag closed in order (a small well-formedness check).
void expect_svg(const fs::path& file) {
  const std::string text = read_file(file);
  ASSERT_THAT(text, HasSubstr("<svg")) << file;
  std::vector<std::string> open;
  bool root_seen = false;
  for (std::size_t at = text.find('<'); at != std::string::npos; at = text.find('<', at + 1)) {
    if (text.compare(at, 4, "<!--") == 0) {
      at = text.find("-->", at);
      ASSERT_NE(at, std::string::npos) << file << ": unterminated comment";
      continue;
    }
    if (text.compare(at, 9, "<![CDATA[") == 0) {
      at = text.find("]]>", at);
      ASSERT_NE(at, std::string::npos) << file << ": unterminated CDATA";
      continue;
    }
    const std::size_t end = text.find('>', at);
    ASSERT_NE(end, std::string::npos) << file << ": unterminated tag";
    const std::string tag = text.substr(at + 1, end - at - 1);
    if (tag.empty() || tag[0] == '?' || tag[0] == '!') continue;
    if (tag[0] == '/') {
      ASSERT_FALSE(open.empty()) << file << ": </" << tag << " closes nothing";
      EXPECT_EQ(open.back(), tag.substr(1, tag.find_first_of(" \t\n", 1) - 1)) << file;
      open.pop_back();
      continue;
    }
    const std::string name = tag.substr(0, tag.find_first_of(" \t\n/"));
    if (open.empty()) {
      EXPECT_FALSE(root_seen) << file << ": a second root element <" << name << ">";
      EXPECT_EQ(name, "svg") << file;
      root_seen = true;
    }
    if (tag.back() != '/') open.push_back(name);
  }
  EXPECT_TRUE(root_seen) << file;
  EXPECT_TRUE(open.empty()) << file << ": <" << (open.empty() ? "" : open.back()) << "> is not closed";
}

void expect_figure(const fs::path& dir, const std::string& name, const std::string& report) {
  SCOPED_TRACE(name);
  expect_png(dir / "figures" / (name + ".png"));
  expect_svg(dir / "figures" / (name + ".svg"));
  EXPECT_TRUE(fs::exists(dir / "figures" / (name + ".gp")));
  EXPECT_THAT(report, HasSubstr("figures/" + name + ".svg"));
  EXPECT_THAT(report, HasSubstr("figures/" + name + ".png"));
}

TEST(Plot, RunDrawsFitConvergenceAndLossAndPlotDrawsThemAgain) {
  if (!gnuplot_available())
    GTEST_SKIP() << "gnuplot is not installed (tools/bootstrap.sh installs gnuplot-nox)";
  TempDir dir;
  dir.write("e.yaml", kExperiment);
  const CliResult run = run_geoinv({"run", "e.yaml", "--out", "out"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  const fs::path out = dir.path() / "out";
  const std::vector<std::string> figures{"fit", "convergence", "loss_net"};
  for (const auto& name : figures) expect_figure(out, name, read_file(out / "report.html"));
  // The data's unit (data.unit) labels the axes and the report.
  EXPECT_THAT(read_file(out / "figures" / "fit.gp"), HasSubstr("set ylabel 'SP [mV]'"));
  EXPECT_THAT(read_file(out / "figures" / "fit.gp"), HasSubstr("set ylabel 'residual [mV]'"));
  EXPECT_THAT(read_file(out / "report.html"), HasSubstr("<th>RMS [mV]</th>"));
  EXPECT_THAT(read_file(out / "report.html"), HasSubstr("noise σ = 3.16228 mV"));
  // The figures were drawn before the run folder was renamed into place: no staging folder is left.
  for (const auto& entry : fs::directory_iterator(dir.path()))
    EXPECT_EQ(entry.path().filename().string().find(".out.partial"), std::string::npos);

  // Drawn again from the files alone.
  fs::remove_all(out / "figures");
  fs::remove(out / "report.html");
  const CliResult plot = run_geoinv({"plot", "out"}, dir.path());
  ASSERT_EQ(plot.exit_code, 0) << plot.err;
  EXPECT_THAT(plot.out, HasSubstr("out (run folder):"));
  EXPECT_THAT(plot.out, HasSubstr("out/report.html"));
  const std::string report = read_file(out / "report.html");
  for (const auto& name : figures) {
    expect_figure(out, name, report);
    EXPECT_THAT(plot.out, HasSubstr("out/figures/" + name + ".png"));
    EXPECT_TRUE(fs::exists(out / "figures" / (name + ".dat")));
  }
  // The per-solver table: every solver's row, with its termination, and the truth row.
  for (const char* solver : {"dls", "gn", "net"})
    EXPECT_THAT(report, HasSubstr(std::string("<tr><td class=\"text\">") + solver + "</td>"));
  EXPECT_THAT(report, HasSubstr("true model (synthetic data)"));
  EXPECT_THAT(report, HasSubstr("no_iterations"));  // the network's termination
  EXPECT_THAT(report, HasSubstr("<h1>Run: plotted</h1>"));
  // The scripts draw again by themselves, with their data beside them.
  EXPECT_EQ(std::system(("cd " + shell_quote((out / "figures").string()) + " && gnuplot fit.gp").c_str()), 0);
}

TEST(Plot, CampaignDrawsBoxPlotsErrorAndSuccessAgainstNoiseAndKeptRuns) {
  if (!gnuplot_available())
    GTEST_SKIP() << "gnuplot is not installed (tools/bootstrap.sh installs gnuplot-nox)";
  TempDir dir;
  const CliResult campaign = run_campaign(dir, kCampaign, "1");
  ASSERT_EQ(campaign.exit_code, 0) << campaign.err;
  EXPECT_THAT(campaign.out, HasSubstr("report: camp/report.html"));
  const fs::path camp = dir.path() / "camp";
  ASSERT_TRUE(fs::exists(camp / "report.html"));

  fs::remove_all(camp / "figures");
  fs::remove(camp / "report.html");
  const CliResult plot = run_geoinv({"plot", "camp"}, dir.path());
  ASSERT_EQ(plot.exit_code, 0) << plot.err;
  EXPECT_THAT(plot.out, HasSubstr("camp (campaign folder):"));
  const std::string report = read_file(camp / "report.html");
  for (const char* name : {"relative_error_x0", "relative_error_theta", "relative_error_h",
                           "relative_error_K", "error_vs_noise", "success_vs_noise"})
    expect_figure(camp, name, report);
  // The sweep key's label and unit, not its dotted path, on the x axis of each figure against it.
  for (const char* name : {"error_vs_noise", "success_vs_noise", "relative_error_h"}) {
    const std::string script = read_file(camp / "figures" / (std::string(name) + ".gp"));
    EXPECT_THAT(script, HasSubstr("set xlabel 'noise σ [mV]'")) << name;
    EXPECT_THAT(script, Not(HasSubstr("set xlabel 'data.synthetic"))) << name;
  }
  // The kept run (run 0) has its own report and figures, shown on the campaign's page.
  expect_figure(camp / "runs" / "0", "fit", read_file(camp / "runs" / "0" / "report.html"));
  EXPECT_THAT(report, HasSubstr("runs/0/report.html"));
  EXPECT_THAT(report, HasSubstr("runs/0/figures/fit.svg"));

  // Every row of summary.csv is a row of the table.
  std::istringstream summary(read_file(camp / "summary.csv"));
  std::string line;
  std::getline(summary, line);
  int rows = 0;
  while (std::getline(summary, line)) {
    const auto fields = geoinv::split_csv_line(line);
    ASSERT_GE(fields.size(), 3u);
    EXPECT_THAT(report, HasSubstr("<tr><td>" + fields[0] + "</td><td>" + fields[1] +
                                  "</td><td class=\"text\">" + fields[2] + "</td>"));
    ++rows;
  }
  EXPECT_EQ(rows, 4);  // two noise levels x two solvers
  EXPECT_THAT(report, HasSubstr("status != failed and |relative_error_h| &lt;= 0.2"));  // escaped
}

// The pivot of report.html: a row per sweep point, a column per solver, each cell the success rate with
// its Wilson 95 % interval (computed here by the formula from summary.csv's counts) and the median
// |relative error| of the success parameter; the success definition stated once above the tables.
TEST(Plot, CampaignReportPivotsSuccessWithItsIntervalPerSolverAndSweepPoint) {
  if (!gnuplot_available())
    GTEST_SKIP() << "gnuplot is not installed (tools/bootstrap.sh installs gnuplot-nox)";
  TempDir dir;
  const CliResult campaign = run_campaign(dir, kCampaign, "1");
  ASSERT_EQ(campaign.exit_code, 0) << campaign.err;
  const std::string report = read_file(dir.path() / "camp" / "report.html");
  const CsvTable summary = read_csv(dir.path() / "camp" / "summary.csv");
  ASSERT_EQ(summary.rows.size(), 4u);
  const std::string pivot_header =
      "<tr><th>point</th><th>data.synthetic.noise_sigma</th><th>dls</th><th>dls_short</th></tr>";
  const auto pivot = report.find(pivot_header);
  ASSERT_NE(pivot, std::string::npos) << report;
  for (const std::string point : {"0", "1"}) {
    std::string row = "<tr><td>" + point + "</td><td>" + (point == "0" ? "1" : "10") + "</td>";
    for (const auto& fields : summary.rows) {
      if (fields[summary.column("point")] != point) continue;
      const double n = std::stod(fields[summary.column("runs")]), k = std::stod(fields[summary.column("succeeded")]);
      const double p = k / n, z = 1.959963984540054;
      const double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
      const double half = z / (1 + z * z / n) * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n));
      char cell[96];
      std::snprintf(cell, sizeof cell, "<td>%.3f [%.3f, %.3f]<br>%.3g %%</td>", p, std::max(0.0, centre - half),
                    std::min(1.0, centre + half),
                    100 * std::stod(fields[summary.column("median_abs_relative_error_h")]));
      row += cell;
    }
    EXPECT_THAT(report.substr(pivot), HasSubstr(row + "</tr>"));
  }
  // In the summary section, once above the tables, not in every row of the table.
  const std::string definition = "status != failed and |relative_error_h| &lt;= 0.2";
  const auto section = report.find("<h2>Summary</h2>");
  const std::string summary_section = report.substr(section, report.find("<h2>Figures</h2>") - section);
  std::size_t count = 0;
  for (auto at = summary_section.find(definition); at != std::string::npos; at = summary_section.find(definition, at + 1))
    ++count;
  EXPECT_EQ(count, 1u);
  EXPECT_LT(report.find("succeeds when <code>" + definition), pivot);
}

// The campaign figures read results.csv in bounded memory (docs/campaigns.md, "Memory"): their data
// must be the exact statistics of the rows, and the same bytes whatever the budget (1 KB forces every
// group's values and the sort by noise level through temporary files).
TEST(Plot, CampaignFigureDataAreExactInAnyMemoryBudget) {
  if (!gnuplot_available())
    GTEST_SKIP() << "gnuplot is not installed (tools/bootstrap.sh installs gnuplot-nox)";
  TempDir dir;
  std::string campaign_text = kCampaign;
  campaign_text.replace(campaign_text.find("replicates: 4"), 13, "replicates: 40");
  const CliResult campaign = run_campaign(dir, campaign_text, "2");
  ASSERT_EQ(campaign.exit_code, 0) << campaign.err;
  const fs::path figures = dir.path() / "camp" / "figures";
  const std::vector<std::string> data_files = {
      "relative_error_h.dat", "relative_error_h_outliers.dat", "relative_error_K.dat",
      "relative_error_K_outliers.dat", "error_vs_noise.dat", "success_vs_noise.dat"};
  std::vector<std::string> default_budget;
  for (const auto& name : data_files) default_budget.push_back(read_file(figures / name));

  ::setenv("GEOINV_CAMPAIGN_MEMORY_BYTES", "1024", 1);
  const CliResult plot = run_geoinv({"plot", "camp"}, dir.path());
  ::unsetenv("GEOINV_CAMPAIGN_MEMORY_BYTES");
  ASSERT_EQ(plot.exit_code, 0) << plot.err;
  for (std::size_t i = 0; i < data_files.size(); ++i)
    EXPECT_EQ(read_file(figures / data_files[i]), default_budget[i]) << data_files[i];
  for (const auto& entry : fs::directory_iterator(figures))
    EXPECT_NE(entry.path().extension(), ".tmp") << "temporary file left: " << entry.path();

  // Tukey's box of h per solver and noise level, computed here from results.csv: quartiles by linear
  // interpolation between order statistics, whiskers at the most extreme values within 1.5 IQR, the rest
  // outliers, counted per solver.
  const CsvTable results = read_csv(dir.path() / "camp" / "results.csv");
  std::map<std::pair<std::string, double>, std::vector<double>> errors;  // (solver, noise) -> 100 × error of h
  for (const auto& fields : results.rows) {
    if (fields[results.column("status")] == "failed") continue;
    const double value = std::stod(fields[results.column("relative_error_h")]);
    const double noise = std::stod(fields[results.column("data.synthetic.noise_sigma")]);
    if (std::isfinite(value)) errors[{fields[results.column("solver")], noise}].push_back(100.0 * value);
  }
  const auto quantile = [](const std::vector<double>& sorted, double q) {
    const double position = q * static_cast<double>(sorted.size() - 1);
    const auto below = static_cast<std::size_t>(std::floor(position));
    const std::size_t above = std::min(below + 1, sorted.size() - 1);
    return sorted[below] + (position - static_cast<double>(below)) * (sorted[above] - sorted[below]);
  };
  // The .dat file: a block per solver, a line per noise level.
  std::map<std::pair<std::string, double>, std::vector<double>> lines;  // (solver, noise) -> its columns
  {
    std::istringstream boxes(default_budget[0]);
    std::string line, solver;
    while (std::getline(boxes, line)) {
      if (line.rfind("# solver ", 0) == 0) {
        solver = line.substr(9, line.find(':') - 9);
        continue;
      }
      if (line.empty()) continue;
      std::istringstream row(line);
      std::vector<double> columns(10);
      for (double& c : columns) row >> c;
      lines[{solver, columns[1]}] = columns;
    }
  }
  const std::string script = read_file(figures / "relative_error_h.gp");
  std::map<std::string, std::size_t> outliers;  // per solver, counted here
  for (const auto& [group, unsorted] : errors) {
    std::vector<double> values = unsorted;
    std::sort(values.begin(), values.end());
    ASSERT_GT(values.size(), 20u) << group.first << " " << group.second;
    const double q1 = quantile(values, 0.25), median = quantile(values, 0.5), q3 = quantile(values, 0.75);
    double low = q1, high = q3;
    std::size_t beyond = 0;
    for (double v : values) {
      if (v < q1 - 1.5 * (q3 - q1) || v > q3 + 1.5 * (q3 - q1)) {
        ++beyond;
      } else {
        low = std::min(low, v);
        high = std::max(high, v);
      }
    }
    outliers[group.first] += beyond;
    ASSERT_EQ(lines.count(group), 1u) << group.first << " " << group.second;
    const std::vector<double>& box = lines[group];
    EXPECT_EQ(box[2], static_cast<double>(values.size())) << group.first;
    EXPECT_EQ(box[3], low) << group.first;
    EXPECT_EQ(box[4], q1) << group.first;
    EXPECT_EQ(box[5], median) << group.first;
    EXPECT_EQ(box[6], q3) << group.first;
    EXPECT_EQ(box[7], high) << group.first;
    EXPECT_EQ(box[8], static_cast<double>(beyond)) << group.first;
  }
  EXPECT_EQ(lines.size(), 4u);  // two solvers at two noise levels, no pooling
  // Each solver's outliers: in its legend entry, and every one drawn or counted as beyond the axis.
  std::string line;
  for (const auto& [solver, count] : outliers) {
    const auto entry = script.find("'" + solver + ": " + std::to_string(count) + " outliers");
    EXPECT_NE(entry, std::string::npos) << solver << " " << count << "\n" << script;
    std::size_t drawn = 0, clipped = 0;
    std::istringstream drawn_points(default_budget[1]);
    const std::size_t index = solver == "dls" ? 0 : 1;
    while (std::getline(drawn_points, line)) {
      std::istringstream row(line);
      double position, value, solver_index;
      if (!line.empty() && line[0] != '#' && row >> position >> value >> solver_index && solver_index == index) ++drawn;
    }
    for (const auto& [group, box] : lines)
      if (group.first == solver) clipped += static_cast<std::size_t>(box[9]);
    EXPECT_EQ(drawn + clipped, count) << solver;
  }
}

TEST(Plot, RefusesAFolderThatIsNotGeoinvsAndContinuesWithTheOthers) {
  TempDir dir;
  dir.write("stuff/notes.txt", "not a result\n");
  const CliResult plot = run_geoinv({"plot", "stuff"}, dir.path());
  EXPECT_EQ(plot.exit_code, 7);
  EXPECT_THAT(plot.err, HasSubstr("stuff: not a geoinv run or campaign folder: expected result.json"));
  EXPECT_THAT(plot.err, HasSubstr("campaign.json and results.csv"));
  EXPECT_FALSE(fs::exists(dir.path() / "stuff" / "report.html"));
  const CliResult missing = run_geoinv({"plot", "nowhere", "stuff"}, dir.path());
  EXPECT_EQ(missing.exit_code, 7);
  EXPECT_THAT(missing.err, HasSubstr("nowhere: no such folder"));
  EXPECT_THAT(missing.err, HasSubstr("stuff: not a geoinv run or campaign folder"));
  EXPECT_EQ(run_geoinv({"plot"}, dir.path()).exit_code, 2);
}

// A damaged result.json or campaign.json (a file edited by hand, a copy cut short) is an error that names
// the file; the other folders are still drawn.
TEST(Plot, DamagedJsonIsAnErrorNamingTheFile) {
  TempDir dir;
  dir.write("e.yaml", kBase);
  ASSERT_EQ(run_geoinv({"run", "e.yaml", "--out", "good", "--no-figures"}, dir.path()).exit_code, 0);
  dir.write("run/result.json", "{\"experiment\": ");
  dir.write("campaign/campaign.json", "[1, 2");
  dir.write("campaign/results.csv", "run_id\n");
  const CliResult plot = run_geoinv({"plot", "run", "campaign", "good"}, dir.path());
  EXPECT_EQ(plot.exit_code, 7) << plot.err;
  EXPECT_THAT(plot.err, HasSubstr("not a geoinv result.json: "));
  EXPECT_THAT(plot.err, HasSubstr((fs::path("run") / "result.json").string()));
  EXPECT_THAT(plot.err, HasSubstr("not a geoinv campaign.json: "));
  EXPECT_THAT(plot.err, HasSubstr((fs::path("campaign") / "campaign.json").string()));
  EXPECT_TRUE(fs::exists(dir.path() / "good" / "report.html"));
}

TEST(Plot, MissingGnuplotWarnsAfterARunAndFailsPlot) {
  TempDir dir;
  dir.write("e.yaml", kBase);
  ::setenv("GEOINV_GNUPLOT", "/nonexistent/gnuplot", 1);
  const CliResult run = run_geoinv({"run", "e.yaml", "--out", "out"}, dir.path());
  const CliResult plot = run_geoinv({"plot", "out"}, dir.path());
  ::unsetenv("GEOINV_GNUPLOT");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(run.err, HasSubstr("warning: figures of out not drawn: "));
  EXPECT_THAT(run.err, HasSubstr("gnuplot not found: install gnuplot-nox (tools/bootstrap.sh does)"));
  EXPECT_THAT(run.err, Not(HasSubstr(".partial")));
  EXPECT_TRUE(fs::exists(dir.path() / "out" / "result.json"));
  // The scripts, data and report are there; the report says why the figures are missing.
  EXPECT_TRUE(fs::exists(dir.path() / "out" / "figures" / "fit.gp"));
  EXPECT_THAT(read_file(dir.path() / "out" / "report.html"),
              HasSubstr("The figures were not drawn: gnuplot not found"));
  EXPECT_EQ(plot.exit_code, 7);
  EXPECT_THAT(plot.err, HasSubstr("gnuplot not found: install gnuplot-nox (tools/bootstrap.sh does)"));
}

TEST(Plot, NoFiguresWritesNone) {
  TempDir dir;
  dir.write("e.yaml", kBase);
  const CliResult run = run_geoinv({"run", "e.yaml", "--out", "out", "--no-figures"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(fs::exists(dir.path() / "out" / "result.json"));
  EXPECT_FALSE(fs::exists(dir.path() / "out" / "figures"));
  EXPECT_FALSE(fs::exists(dir.path() / "out" / "report.html"));
}


// Every file under `dir` (relative path -> bytes).
std::map<std::string, std::string> folder_bytes(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file()) files[fs::relative(entry.path(), dir).string()] = read_file(entry.path());
  return files;
}

// The colour (`lc rgb '#rrggbb'`, or `fc rgb` of a filled area) of the first plot term whose title starts
// with `title` in a gnuplot script.
std::string colour_of(const std::string& script, const std::string& title) {
  const std::size_t at = script.find("title '" + title);
  if (at == std::string::npos) return "no term titled " + title;
  const std::size_t line = script.rfind('\n', at);
  const std::size_t colour = script.find("c rgb '", line == std::string::npos ? 0 : line);
  if (colour == std::string::npos || colour > at) return "no colour for " + title;
  return script.substr(colour + 7, 7);
}

// `geoinv plot` draws into a staging folder and replaces the figures only when gnuplot succeeds: a
// gnuplot that fails leaves the old figures and report.html byte for byte.
TEST(Plot, FailingGnuplotLeavesTheOldFiguresAndReportAsTheyWere) {
  if (!gnuplot_available())
    GTEST_SKIP() << "gnuplot is not installed (tools/bootstrap.sh installs gnuplot-nox)";
  TempDir dir;
  dir.write("e.yaml", kBase);
  ASSERT_EQ(run_geoinv({"run", "e.yaml", "--out", "out"}, dir.path()).exit_code, 0);
  const fs::path out = dir.path() / "out";
  const auto before = folder_bytes(out);
  ASSERT_GT(before.count("figures/fit.png"), 0u);

  const fs::path fake = dir.write("bin/gnuplot", "#!/bin/sh\necho 'fake gnuplot: failing on purpose' >&2\nexit 1\n");
  fs::permissions(fake, fs::perms::owner_all);
  const std::string path = std::getenv("PATH") ? std::getenv("PATH") : "";
  ::setenv("PATH", ((dir.path() / "bin").string() + ":" + path).c_str(), 1);
  const CliResult plot = run_geoinv({"plot", "out"}, dir.path());
  ::setenv("PATH", path.c_str(), 1);
  EXPECT_EQ(plot.exit_code, 7);
  EXPECT_THAT(plot.err, HasSubstr("gnuplot failed (exit code 1)"));
  EXPECT_THAT(plot.err, HasSubstr("fake gnuplot: failing on purpose"));
  EXPECT_EQ(folder_bytes(out), before);  // same files, same bytes, no staging folder left
}

// The fit figure draws each model on a dense grid across the profile (fit_curves.csv, written by the run),
// with the true curve of synthetic data and the best solver's 95 % prediction band; its axis names the
// quantity the forward model declares (result.json forward.quantity, forward.unit).
TEST(Plot, FitFigureDrawsDenseCurvesTheTruthAndABandOfTheDeclaredQuantity) {
  if (!gnuplot_available())
    GTEST_SKIP() << "gnuplot is not installed (tools/bootstrap.sh installs gnuplot-nox)";
  TempDir dir;
  dir.write("e.yaml", kExperiment);
  const CliResult run = run_geoinv({"run", "e.yaml", "--out", "out"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const fs::path out = dir.path() / "out";
  const nlohmann::json result = read_json(out / "result.json");
  EXPECT_EQ(result["forward"]["quantity"], "SP");
  EXPECT_EQ(result["forward"]["unit"], "mV");

  const CsvTable curves = read_csv(out / "fit_curves.csv");
  ASSERT_GE(curves.rows.size(), 500u);
  const double first = std::stod(curves.rows.front()[curves.column("x")]);
  const double last = std::stod(curves.rows.back()[curves.column("x")]);
  EXPECT_EQ(first, 0.0);
  EXPECT_EQ(last, 150.0);
  for (const char* column : {"true", "predicted_dls", "predicted_gn", "predicted_net"}) curves.column(column);
  // The band is the best solver's (an iterative one here: the network fits worse) and holds its curve.
  const auto band = std::find_if(curves.header.begin(), curves.header.end(),
                                 [](const std::string& name) { return name.rfind("band_low_", 0) == 0; });
  ASSERT_NE(band, curves.header.end());
  const std::string best = band->substr(9);
  EXPECT_THAT(best, ::testing::AnyOf("dls", "gn"));
  const std::size_t low = curves.column("band_low_" + best), high = curves.column("band_high_" + best),
                    predicted = curves.column("predicted_" + best);
  for (const auto& row : curves.rows) {
    EXPECT_LT(std::stod(row[low]), std::stod(row[predicted]));
    EXPECT_GT(std::stod(row[high]), std::stod(row[predicted]));
  }

  const std::string script = read_file(out / "figures" / "fit.gp");
  EXPECT_THAT(script, HasSubstr("set ylabel 'SP [mV]'"));
  EXPECT_THAT(script, HasSubstr("'fit_curves.dat' using 1:2 with lines lw 1.5 dt 3 lc rgb '#000000' title 'true model'"));
  EXPECT_THAT(script, HasSubstr("with filledcurves"));
  EXPECT_THAT(script, HasSubstr(best + ": 95 % prediction band"));
  std::istringstream data(read_file(out / "figures" / "fit_curves.dat"));
  std::string line;
  std::size_t points = 0;
  while (std::getline(data, line))
    if (!line.empty() && line[0] != '#') ++points;
  EXPECT_GE(points, 500u);
}

// One colour per solver label in every figure of a run and of a campaign: the network draws no
// convergence curve, and dls keeps its own colour there instead of taking the network's.
TEST(Plot, ASolverHasTheSameColourInTheRunAndCampaignFigures) {
  if (!gnuplot_available())
    GTEST_SKIP() << "gnuplot is not installed (tools/bootstrap.sh installs gnuplot-nox)";
  TempDir dir;
  dir.write("base.yaml", kBase);
  const std::string experiment = kExperiment;
  const std::string network = experiment.substr(experiment.find("  - plugin: mlp"));  // kExperiment's
  dir.write("c.yaml", "version: 1\nname: colours\nseed: 5\nbase: base.yaml\nsolvers:\n" + network +
                          "  - {plugin: dls, label: dls}\n"
                          "sweep:\n  grid:\n    data.synthetic.noise_sigma: [1, 10]\n  replicates: 1\n"
                          "keep_details: first:1\n");
  const CliResult campaign =
      run_geoinv({"campaign", "c.yaml", "--jobs", "1", "--out", "camp", "--quiet"}, dir.path());
  ASSERT_EQ(campaign.exit_code, 0) << campaign.err;
  const fs::path camp = dir.path() / "camp", run = camp / "runs" / "0" / "figures";
  const std::string dls = colour_of(read_file(camp / "figures" / "error_vs_noise.gp"), "dls");
  const std::string net = colour_of(read_file(camp / "figures" / "error_vs_noise.gp"), "net");
  EXPECT_NE(dls, net);
  EXPECT_EQ(colour_of(read_file(camp / "figures" / "success_vs_noise.gp"), "dls"), dls);
  EXPECT_EQ(colour_of(read_file(run / "fit.gp"), "dls"), dls);
  EXPECT_EQ(colour_of(read_file(run / "fit.gp"), "net"), net);
  EXPECT_EQ(colour_of(read_file(run / "convergence.gp"), "dls"), dls);
  // The box plots draw each solver's boxes as one term, titled by the solver, in the same colours.
  const std::string boxes = read_file(camp / "figures" / "relative_error_h.gp");
  EXPECT_EQ(colour_of(boxes, "dls"), dls);
  EXPECT_EQ(colour_of(boxes, "net"), net);
}

// --figure-formats png,svg,pdf draws PDFs beside the PNGs and SVGs (on run and plot); an unknown format is
// a usage error that lists the valid ones.
TEST(Plot, FigureFormatsDrawPdfOnRequestAndRefuseUnknownFormats) {
  if (!gnuplot_available())
    GTEST_SKIP() << "gnuplot is not installed (tools/bootstrap.sh installs gnuplot-nox)";
  TempDir dir;
  dir.write("e.yaml", kBase);
  const CliResult run =
      run_geoinv({"run", "e.yaml", "--out", "out", "--figure-formats", "png,svg,pdf"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const fs::path out = dir.path() / "out";
  for (const char* name : {"fit", "convergence"}) {
    SCOPED_TRACE(name);
    expect_figure(out, name, read_file(out / "report.html"));
    EXPECT_EQ(read_file(out / "figures" / (std::string(name) + ".pdf")).substr(0, 5), "%PDF-");
    EXPECT_THAT(read_file(out / "report.html"), HasSubstr("figures/" + std::string(name) + ".pdf"));
  }

  // plot with the default formats draws no PDF again; with pdf alone, only PDFs.
  const CliResult pdf = run_geoinv({"plot", "out", "--figure-formats", "pdf"}, dir.path());
  ASSERT_EQ(pdf.exit_code, 0) << pdf.err;
  EXPECT_THAT(pdf.out, HasSubstr("out/figures/fit.pdf"));
  EXPECT_FALSE(fs::exists(out / "figures" / "fit.png"));
  EXPECT_EQ(read_file(out / "figures" / "fit.pdf").substr(0, 5), "%PDF-");

  const CliResult unknown = run_geoinv({"plot", "out", "--figure-formats", "png,gif"}, dir.path());
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown figure format 'gif'"));
  EXPECT_THAT(unknown.err, HasSubstr("valid formats are png, svg, pdf"));
  EXPECT_EQ(read_file(out / "figures" / "fit.pdf").substr(0, 5), "%PDF-");  // untouched
}

}  // namespace
}  // namespace geoinv_test
