// SPDX-License-Identifier: BSD-3-Clause
// Russell's (2019) crossplots: the data against the true block, sample by sample, with each window-1
// learner's response curve (running/response_curve.hpp) over it, for a run and across a campaign's runs.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "base/file_io.hpp"
#include "campaigns/wedge_summary.hpp"  // observed_trace
#include "reporting/figure_files.hpp"
#include "reporting/figures.hpp"
#include "reporting/gnuplot.hpp"
#include "reporting/solver_palette.hpp"
#include "running/result_json.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

constexpr const char* kConverged = "#0072b2";
constexpr const char* kStuck = "#d55e00";
// A campaign run is stuck when its final training loss exceeds this many times the least one among the
// campaign's runs. The peer (bench/peers/seismic_peer.py russell) uses 10 on a network trained on the 21
// points of one trace, which it fits almost exactly (MSE ~1e-7); a network trained on a prior's cloud of
// windows keeps a loss far from 0 at its best (Russell's 1-2-1: 0.072 in standardised units), and a
// local minimum ends a few times above it (0.23 for its stuck seed, docs/papers.md).
constexpr double kStuckLossRatio = 2.0;

// The points (s_i, r_i): a run's observed data against its true block, when the run has a truth and one
// block with one value per datum.
struct Cloud {
  Eigen::VectorXd amplitude, desired;
  std::string block;
};

std::optional<Cloud> crossplot_cloud(const fs::path& run_dir, const RunRecord& run) {
  const auto observed = observed_trace(run_dir);
  if (!observed || !run.true_model) return std::nullopt;
  const ParameterLayout layout = run_layout(run);
  for (std::size_t p = 0; p < layout.count(); ++p)
    if (layout.is_block(p) && layout.size(p) == observed->size())
      return Cloud{
          *observed,
          Eigen::Map<const Eigen::VectorXd>(run.true_model->data() + layout.offset(p), layout.size(p)),
          layout.specs()[p].name};
  return std::nullopt;
}

// The cloud's .dat file and its plot terms: the points, and their least-squares line r = w0 + w1 s (the
// regression of r on s that Russell draws).
std::string cloud_terms(const Cloud& cloud, const std::string& stem, const fs::path& figures) {
  std::string text = "# amplitude desired\n";
  for (Eigen::Index i = 0; i < cloud.amplitude.size(); ++i)
    text += dat_number(cloud.amplitude[i]) + " " + dat_number(cloud.desired[i]) + "\n";
  write_text(figures / (stem + ".dat"), text);
  const Eigen::ArrayXd s = cloud.amplitude.array() - cloud.amplitude.mean();
  const double slope =
      s.matrix().squaredNorm() > 0 ? s.matrix().dot(cloud.desired) / s.matrix().squaredNorm() : 0.0;
  const double intercept = cloud.desired.mean() - slope * cloud.amplitude.mean();
  return fmt::format(
      "{0} using 1:2 with points pt 7 ps 1.3 lc rgb '#000000' title 'data against true {1}', \\\n"
      "  {2} + {3}*x with lines dt 2 lw 2 lc rgb '#808080' title {4}",
      gnuplot_quote(stem + ".dat"), cloud.block, dat_number(intercept), dat_number(slope),
      gnuplot_quote(fmt::format("least-squares line of the points, {} = {:.3g} + {:.3g} s", cloud.block,
                                intercept, slope)));
}

// A response curve's .dat file (amplitude, prediction) from response_curve_<label>.csv; false without one.
bool curve_dat(const fs::path& run_dir, const std::string& label, const fs::path& file) {
  std::error_code ec;
  const fs::path csv = run_dir / ("response_curve_" + label + ".csv");
  if (!fs::exists(csv, ec)) return false;
  const NumericTable table = read_numeric_table(csv);
  const auto amplitude = table.column("amplitude"), prediction = table.column("prediction");
  if (!amplitude || !prediction || !table.any_finite(*prediction)) return false;
  write_dat(file, table, {*amplitude, *prediction});
  return true;
}

// The last train_loss of loss_<label>.csv; NaN without one.
double final_training_loss(const fs::path& run_dir, const std::string& label) {
  std::error_code ec;
  const fs::path csv = run_dir / ("loss_" + label + ".csv");
  if (!fs::exists(csv, ec)) return kNaN;
  const NumericTable table = read_numeric_table(csv);
  const auto loss = table.column("train_loss");
  return loss && !table.rows.empty() ? table.rows.back()[*loss] : kNaN;
}

// `key`: where the legend goes ("top left", in the corner a rising cloud leaves empty; "outside right top"
// for a campaign's many curves).
std::string crossplot_body(const std::string& unit, const std::string& block, const std::string& terms,
                           const char* key) {
  return fmt::format(
      "set grid\nset key {} box opaque\nset offsets graph 0.02, graph 0.02, graph 0.05, graph 0.05\n"
      "set xlabel {}\nset ylabel {}\nplot {}\n",
      key, gnuplot_quote("computed amplitude s [" + data_unit_label(unit) + "]"),
      gnuplot_quote("desired " + block + ", and each solver's prediction"), terms);
}

// A campaign run with a response curve.
struct SeedCurve {
  long long run_id = 0;
  fs::path run_dir;
  std::string label, dat;
  double final_loss = kNaN;
};

// The campaign's runs with response curves, by run id; `first_run` is the first one's folder.
std::vector<SeedCurve> campaign_curves(const fs::path& dir, const std::vector<std::string>& axes,
                                       const fs::path& figures, fs::path& first_run) {
  std::vector<SeedCurve> curves;
  std::vector<std::string> header;
  std::set<std::string> stems;
  for_each_csv_row(
      dir / "results.csv", [&](const std::vector<std::string>& names) { header = names; },
      [&](const std::vector<std::string>& row) {
        const auto at = [&](const std::string& name) {
          const auto it = std::find(header.begin(), header.end(), name);
          return it == header.end() ? std::string() : row[static_cast<std::size_t>(it - header.begin())];
        };
        const std::string run_id = at("run_id"), solver = at("solver");
        const fs::path run_dir = dir / "runs" / run_id;
        std::string label = solver;
        for (const auto& axis : axes)
          label += fmt::format(", {}={}", axis.substr(axis.find_last_of('.') + 1), at(axis));
        const std::string stem = file_stem("crossplot_run", run_id, stems);
        if (run_id.empty() || !curve_dat(run_dir, solver, figures / (stem + ".dat"))) return;
        curves.push_back({std::strtoll(run_id.c_str(), nullptr, 10), run_dir, label, stem + ".dat",
                          final_training_loss(run_dir, solver)});
      });
  // By run, not by the order the workers finished in: the same campaign draws the same script.
  std::stable_sort(curves.begin(), curves.end(),
                   [](const SeedCurve& a, const SeedCurve& b) { return a.run_id < b.run_id; });
  if (!curves.empty()) first_run = curves.front().run_dir;
  return curves;
}

}  // namespace

void write_run_crossplot(const fs::path& dir, const RunRecord& run, const fs::path& figures, FigurePlan& plan,
                         std::set<std::string>& stems) {
  std::vector<std::string> labels, drawn;
  for (const auto& entry : run.results) labels.push_back(entry.solver);
  const std::string stem = file_stem("crossplot", "", stems);
  for (const auto& label : labels)
    if (curve_dat(dir, label, figures / (stem + "_" + label + ".dat"))) drawn.push_back(label);
  if (drawn.empty()) return;
  const auto cloud = crossplot_cloud(dir, run);
  const std::string block = cloud ? cloud->block : "value";
  const SolverPalette palette(labels);
  std::string terms = cloud ? cloud_terms(*cloud, stem, figures) : "";
  for (const auto& label : drawn)
    terms +=
        fmt::format("{}{} using 1:2 with lines lw 2 lc rgb '{}' title {}", terms.empty() ? "" : ", \\\n  ",
                    gnuplot_quote(stem + "_" + label + ".dat"), palette.colour(label), gnuplot_quote(label));
  const Figure figure{stem,
                      fmt::format("{}: crossplot of the data against the true {}",
                                  run.experiment.empty() ? "run" : run.experiment, block),
                      "Each datum s_i against the true value r_i at its sample (black points) with their "
                      "least-squares line (dashed), and the response r(s) of each learning solver trained on "
                      "one-sample windows over the data's amplitude range (response_curve_<solver>.csv)."};
  write_text(figures / (stem + ".gp"),
             script(figure, 1000, 620, crossplot_body(run_data_unit(run), block, terms, "top left")));
  plan.figures.push_back(figure);
}

void write_campaign_crossplot(const fs::path& dir, const nlohmann::json& campaign, const fs::path& figures,
                              FigurePlan& plan) {
  fs::path first_run;
  const auto axes = campaign.at("axis_columns").get<std::vector<std::string>>();
  const std::vector<SeedCurve> curves = campaign_curves(dir, axes, figures, first_run);
  if (curves.empty()) return;
  double least = kNaN;
  for (const auto& curve : curves)
    if (std::isfinite(curve.final_loss) && !(curve.final_loss >= least)) least = curve.final_loss;
  std::optional<Cloud> cloud;
  std::string unit;
  if (fs::exists(first_run / "result.json")) {
    const RunRecord run = read_run_record(first_run / "result.json");
    cloud = crossplot_cloud(first_run, run);
    unit = run_data_unit(run);
  }
  std::string terms = cloud ? cloud_terms(*cloud, "crossplot", figures) : "";
  int stuck = 0;
  for (const auto& curve : curves) {
    const bool is_stuck = std::isfinite(least) && curve.final_loss > kStuckLossRatio * least;
    stuck += is_stuck;
    terms +=
        fmt::format("{}{} using 1:2 with lines lw 1.5 lc rgb '{}' title {}", terms.empty() ? "" : ", \\\n  ",
                    gnuplot_quote(curve.dat), is_stuck ? kStuck : kConverged,
                    gnuplot_quote(curve.label + (is_stuck ? " (stuck)" : "")));
  }
  const std::string block = cloud ? cloud->block : "value";
  const Figure figure{
      "crossplot", fmt::format("Crossplot: each run's response curve ({} of {} stuck)", stuck, curves.size()),
      fmt::format(
          "The data of the first run against its true {} (black points, dashed least-squares line) and "
          "the response r(s) of every run's learning solver (response_curve_<solver>.csv of the kept "
          "run folders): blue converged, orange stuck, a run counting as stuck when its final "
          "training loss (loss_<solver>.csv) exceeds {:g} times the least one.",
          block, kStuckLossRatio)};
  write_text(figures / "crossplot.gp",
             script(figure, 1100, 620, crossplot_body(unit, block, terms, "outside right top")));
  plan.figures.push_back(figure);
}

}  // namespace geoinv
