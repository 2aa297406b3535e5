// SPDX-License-Identifier: BSD-3-Clause
// A wedge campaign's correlation and NRMSE against thickness (figures.hpp: write_wedge_metric_figures),
// as issue 13 asks of the Kim & Nakata wedge: per noise level and solver, with the tuning thickness and
// each solver's resolved thickness marked.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include "base/csv.hpp"
#include "base/file_io.hpp"
#include "campaigns/campaign_io.hpp"  // required_column
#include "campaigns/result_row.hpp"   // is_failed_status
#include "campaigns/wedge_summary.hpp"
#include "reporting/figure_files.hpp"
#include "reporting/gnuplot.hpp"
#include "reporting/solver_palette.hpp"
#include "reporting/sweep_axis.hpp"

namespace geoinv {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

struct Mean {
  double sum = 0;
  int count = 0;
  void add(double value) {
    if (!std::isfinite(value)) return;
    sum += value;
    ++count;
  }
  double value() const { return count ? sum / count : kNaN; }
};

// Per noise level, solver label and thickness: the means of the two metrics.
struct WedgeMetrics {
  std::string noise_key;          // the panels' sweep key; empty: one panel
  std::vector<std::string> solvers;  // in results.csv's order of first appearance
  std::map<double, std::map<std::string, std::map<long long, std::pair<Mean, Mean>>>> levels;
  fs::path kept_run;  // a kept run folder, for the tuning thickness; empty: none
};

WedgeMetrics read_wedge_metrics(const fs::path& dir, const WedgeSweep& sweep, const std::string& noise_key) {
  const fs::path file = dir / "results.csv";
  WedgeMetrics metrics;
  metrics.noise_key = noise_key;
  std::size_t c_thickness = 0, c_solver = 0, c_status = 0, c_corr = 0, c_nrmse = 0, c_run = 0;
  std::optional<std::size_t> c_noise;
  for_each_csv_row(
      file,
      [&](const std::vector<std::string>& header) {
        const auto column = [&](const std::string& name) { return required_column(header, name, file); };
        c_thickness = column(sweep.thickness_key);
        c_solver = column("solver");
        c_status = column("status");
        c_run = column("run_id");
        c_corr = column("correlation_" + sweep.block);
        c_nrmse = column("nrmse_" + sweep.block);
        if (!noise_key.empty()) c_noise = column(noise_key);
      },
      [&](const std::vector<std::string>& fields) {
        if (is_failed_status(fields[c_status])) return;
        const double level = c_noise ? parse_csv_number(fields[*c_noise], CsvNumberRule::whole_cell) : 0.0;
        const double k = parse_csv_number(fields[c_thickness], CsvNumberRule::whole_cell);
        if (!std::isfinite(level) || !std::isfinite(k)) return;
        const std::string& solver = fields[c_solver];
        if (std::find(metrics.solvers.begin(), metrics.solvers.end(), solver) == metrics.solvers.end())
          metrics.solvers.push_back(solver);
        auto& means = metrics.levels[level][solver][std::llround(k)];
        means.first.add(parse_csv_number(fields[c_corr], CsvNumberRule::whole_cell));
        means.second.add(parse_csv_number(fields[c_nrmse], CsvNumberRule::whole_cell));
        std::error_code ec;
        if (metrics.kept_run.empty() && fs::exists(dir / "runs" / fields[c_run] / "config.resolved.yaml", ec))
          metrics.kept_run = dir / "runs" / fields[c_run];
      });
  return metrics;
}

// (noise level, solver) -> resolved thickness, from wedge_summary.csv; empty without the file.
std::map<std::pair<double, std::string>, long long> resolved_thicknesses(const fs::path& file,
                                                                         const std::string& noise_key) {
  std::map<std::pair<double, std::string>, long long> resolved;
  std::error_code ec;
  if (!fs::exists(file, ec)) return resolved;
  std::size_t c_solver = 0, c_resolved = 0;
  std::optional<std::size_t> c_noise;
  for_each_csv_row(
      file,
      [&](const std::vector<std::string>& header) {
        c_solver = required_column(header, "solver", file);
        c_resolved = required_column(header, "resolved_thickness", file);
        const auto noise = std::find(header.begin(), header.end(), noise_key);
        if (!noise_key.empty() && noise != header.end()) c_noise = static_cast<std::size_t>(noise - header.begin());
      },
      [&](const std::vector<std::string>& fields) {
        const double k = parse_csv_number(fields[c_resolved], CsvNumberRule::whole_cell);
        const double level = c_noise ? parse_csv_number(fields[*c_noise], CsvNumberRule::whole_cell) : 0.0;
        if (std::isfinite(k) && std::isfinite(level)) resolved[{level, fields[c_solver]}] = std::llround(k);
      });
  return resolved;
}

std::string panel_title(const WedgeMetrics& metrics, double level, const std::string& data_unit) {
  if (metrics.noise_key.empty()) return "";
  const SweepKeyLabel label = sweep_key_label(metrics.noise_key, data_unit);
  if (level == 0 && label.name == sweep_key_label("noise_sigma", "").name) return "noise-free";
  return fmt::format("{} = {:.5g}{}", label.name, level, label.unit.empty() ? "" : " " + label.unit);
}

struct MetricFigure {
  const char* stem;
  const char* name;    // for the title and y label
  const char* yrange;  // gnuplot's
  bool correlation;    // the first of the pair, else the second
};

void write_metric_figure(const MetricFigure& what, const WedgeMetrics& metrics, const std::string& campaign_name,
                         const std::string& data_unit, double tuning,
                         const std::map<std::pair<double, std::string>, long long>& resolved,
                         const fs::path& figures, FigurePlan& plan) {
  const SolverPalette palette(metrics.solvers);
  std::string text, body;
  std::size_t index = 0;
  for (const auto& [level, by_solver] : metrics.levels) {
    body += fmt::format("set title {}\nunset label\n", gnuplot_quote(panel_title(metrics, level, data_unit)));
    std::string plots;
    int row = 0;
    for (const auto& solver : metrics.solvers) {
      text += fmt::format("# level {} solver {}: thickness mean_{} traces\n", dat_number(level), solver, what.name);
      const auto traces = by_solver.find(solver);
      if (traces == by_solver.end()) text += "NaN NaN 0\n";  // an empty block would shift the next index
      else
        for (const auto& [k, means] : traces->second) {
          const Mean& mean = what.correlation ? means.first : means.second;
          text += fmt::format("{} {} {}\n", k, dat_number(mean.value()), mean.count);
        }
      text += "\n\n";
      const auto mark = resolved.find({level, solver});
      if (mark != resolved.end() && traces != by_solver.end())  // one row per solver: marks at one k stay apart
        body += fmt::format("set label '' at first {}, graph {} point pt 11 ps 1.4 lc rgb '{}' front\n",
                            mark->second, dat_number(0.97 - 0.045 * static_cast<double>(row++)),
                            palette.colour(solver));
      plots += fmt::format("{}'{}.dat' index {} using 1:2 with linespoints pt 7 ps 0.6 lw 2 lc rgb '{}' title {}",
                           plots.empty() ? "plot " : ", \\\n  ", what.stem, index++, palette.colour(solver),
                           gnuplot_quote(solver));
    }
    if (std::isfinite(tuning))  // the key's entry of the tuning line (set arrow 1)
      plots += fmt::format(", \\\n  NaN with lines dt 2 lw 2 lc rgb '#000000' title {}",
                           gnuplot_quote(fmt::format("tuning thickness {:.4g}", tuning)));
    body += plots + "\n";
  }
  write_text(figures / (std::string(what.stem) + ".dat"), text);
  const std::size_t panels = metrics.levels.size();
  Figure figure{what.stem, fmt::format("{}: {} against wedge thickness", campaign_name, what.name),
                fmt::format("The {} of each solver's estimate against the true reflectivity, per wedge thickness "
                            "(mean over the traces of that thickness: a grid may repeat one, each repeat with "
                            "its own noise draw; failed solvers left out), one panel per noise level.",
                            what.name)};
  if (std::isfinite(tuning))
    figure.caption += fmt::format(" The dashed line marks the Ricker tuning thickness 1/(2.31 f), {:.4g} samples.",
                                  tuning);
  if (!resolved.empty())
    figure.caption += " The triangles near the top edge mark each solver's resolved thickness (wedge_summary.csv), a row per "
                      "solver so that equal ones stay apart.";
  std::string head = fmt::format(
      "set multiplot layout 1,{} title {}\nset grid\nset key outside below horizontal\n"
      "set xlabel 'wedge thickness [samples]'\nset ylabel {}\nset yrange {}\nset xrange [*:*]\n",
      panels, gnuplot_quote(figure.title), gnuplot_quote(what.name), what.yrange);
  if (std::isfinite(tuning))
    head += fmt::format("set arrow 1 from first {0}, graph 0 to first {0}, graph 1 nohead dt 2 lw 2 lc rgb '#000000'\n",
                        dat_number(tuning));
  write_text(figures / (std::string(what.stem) + ".gp"),
             script(figure, std::max(760, 520 * static_cast<int>(panels)), 520, head + body + "unset multiplot\n"));
  plan.figures.push_back(figure);
}

}  // namespace

void write_wedge_metric_figures(const fs::path& dir, const json& campaign, const fs::path& figures,
                                FigurePlan& plan) {
  const auto axes = campaign.at("axis_columns").get<std::vector<std::string>>();
  const auto sweep = find_wedge_sweep(axes);
  if (!sweep) return;
  const auto metric_columns = campaign.value("metric_columns", std::vector<std::string>());
  if (std::find(metric_columns.begin(), metric_columns.end(), "correlation_" + sweep->block) ==
      metric_columns.end()) {
    plan.notes.push_back("results.csv has no correlation_" + sweep->block + ": no figures against wedge thickness");
    return;
  }
  std::vector<std::string> others;
  for (const auto& axis : axes)
    if (axis != sweep->thickness_key) others.push_back(axis);
  const fs::path results = dir / "results.csv";
  const std::string noise_key = choose_sweep_axis(others, numeric_sweep_keys(results, others)).key;
  const WedgeMetrics metrics = read_wedge_metrics(dir, *sweep, noise_key);
  if (metrics.levels.empty()) return;
  const double tuning = metrics.kept_run.empty() ? kNaN : wedge_tuning_thickness(metrics.kept_run);
  const auto resolved = resolved_thicknesses(dir / "wedge_summary.csv", noise_key);
  const std::string name = campaign.value("name", dir.filename().string());
  const std::string unit = campaign.value("data_unit", std::string());
  write_metric_figure({"wedge_correlation", "correlation", "[*:1.05]", true}, metrics, name, unit, tuning, resolved,
                      figures, plan);
  write_metric_figure({"wedge_nrmse", "NRMSE", "[0:*]", false}, metrics, name, unit, tuning, resolved, figures,
                      plan);
}

}  // namespace geoinv
