// SPDX-License-Identifier: BSD-3-Clause
// A campaign's error and success rate against its sweep axis (docs/campaigns.md, "Figures"): the median
// |relative error| with its interquartile band, and the success rate with its Wilson 95 % interval, so
// that a difference the runs cannot support is seen not to be one.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "base/binomial_interval.hpp"
#include "base/csv.hpp"
#include "base/file_io.hpp"
#include "campaigns/campaign_io.hpp"  // required_column
#include "reporting/campaign_figure_data.hpp"
#include "reporting/figure_files.hpp"
#include "reporting/gnuplot.hpp"
#include "reporting/solver_palette.hpp"
#include "reporting/sweep_axis.hpp"

namespace geoinv {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// The x axis of both figures: the sweep key's label, a log scale when its values are log-spaced, and a
// tic at each value when there are few.
std::string x_axis(const CampaignData& data, const std::vector<double>& levels, bool log_axis) {
  std::string text = fmt::format("set xlabel {}\n",
                                 gnuplot_quote(sweep_key_label(data.axis_key, data.data_unit).axis_label()));
  text += log_axis ? "set logscale x\n" : "unset logscale x\n";
  text += "set xrange " + sweep_range(levels.front(), levels.back(), log_axis) + "\n";
  if (levels.size() <= 12) {
    std::vector<std::string> tics;
    for (double level : levels)
      tics.push_back(fmt::format("{} {}", gnuplot_quote(fmt::format("{:.4g}", level)), dat_number(level)));
    text += fmt::format("set xtics ({})\n", fmt::join(tics, ", "));
  }
  return text;
}

std::string scale_note(bool log_axis) {
  return log_axis ? " The sweep values are log-spaced, so the x axis is logarithmic." : "";
}

// (sweep value, solver) -> (succeeded, runs) from summary.csv, pooled over the points that share the
// value.
using SuccessCounts = std::map<std::pair<double, std::size_t>, std::pair<std::int64_t, std::int64_t>>;

SuccessCounts success_counts(const fs::path& file, const CampaignData& data) {
  SuccessCounts pooled;
  std::size_t c_axis = 0, c_solver = 0, c_runs = 0, c_succeeded = 0;
  for_each_csv_row(
      file,
      [&](const std::vector<std::string>& header) {
        auto column = [&](const std::string& name) { return required_column(header, name, file); };
        c_axis = column(data.axis_key);
        c_solver = column("solver");
        c_runs = column("runs");
        c_succeeded = column("succeeded");
      },
      [&](const std::vector<std::string>& fields) {
        const auto solver = std::find(data.solvers.begin(), data.solvers.end(), fields[c_solver]);
        const double level = parse_csv_number(fields[c_axis], CsvNumberRule::whole_cell);
        const auto succeeded = parse_integer(fields[c_succeeded]), runs = parse_integer(fields[c_runs]);
        if (solver == data.solvers.end() || !std::isfinite(level) || !succeeded || !runs) return;
        auto& sums = pooled[{level, static_cast<std::size_t>(solver - data.solvers.begin())}];
        sums.first += *succeeded;
        sums.second += *runs;
      });
  return pooled;
}

}  // namespace

void write_error_figure(const CampaignData& data, const std::vector<SweepGroup>& groups,
                        const fs::path& figures, FigurePlan& plan) {
  const std::size_t parameters = data.parameters.size();
  const std::vector<double> levels = sweep_levels(groups);
  const bool log_axis = log_spaced(levels);
  std::string text;
  std::vector<bool> log_scale(parameters, true), drawn(parameters, false);
  for (std::size_t s = 0; s < data.solvers.size(); ++s) {
    text += fmt::format("# solver {}: {}", data.solvers[s], data.axis_key);
    for (const auto& p : data.parameters)
      text += fmt::format(" median_abs_relative_error_{0}_percent q25_{0} q75_{0}", p);
    text += "\n";
    bool any = false;
    for (const SweepGroup& group : groups) {
      if (group.solver != s) continue;
      any = true;
      text += dat_number(group.level);
      for (std::size_t p = 0; p < parameters; ++p) {
        const auto& q = group.magnitudes[p];
        if (std::isfinite(q[1])) drawn[p] = true;
        for (double value : {q[1], q[0], q[2]}) {
          if (std::isfinite(value) && value <= 0) log_scale[p] = false;
          text += " " + dat_number(value);
        }
      }
      text += "\n";
    }
    if (!any) text += "NaN NaN\n";  // an empty block would shift the index of the next
    text += "\n\n";
  }
  write_text(figures / "error_vs_noise.dat", text);
  std::vector<std::size_t> panels;  // parameters with at least one median (gnuplot refuses an empty panel)
  for (std::size_t p = 0; p < parameters; ++p)
    if (drawn[p]) panels.push_back(p);
  const std::size_t n = panels.size();
  const std::size_t columns = n <= 2 ? n : n <= 4 ? 2 : 3;
  const std::size_t rows = (n + columns - 1) / columns;
  Figure figure{
      "error_vs_noise",
      data.name + ": median |relative error| against " + sweep_key_label(data.axis_key, data.data_unit).name,
      "Median over the runs of |estimate − true|/|true| in % of each parameter, per solver, against " +
          data.axis_key +
          "; the band spans the quartiles (25 % to 75 % of the runs); failed runs "
          "left out." +
          pooled_note(data) + scale_note(log_axis)};
  std::string body = fmt::format(
      "set multiplot layout {},{} title {}\nset grid\nset key outside below horizontal\n"
      "set style fill transparent solid 0.12 noborder\n",
      rows, columns, gnuplot_quote(figure.title));
  body += x_axis(data, levels, log_axis);
  for (std::size_t p : panels) {
    body += fmt::format("set title {}\nset ylabel {}\n", gnuplot_quote(data.parameters[p]),
                        gnuplot_quote("median |relative error| of " + data.parameters[p] + " [%]"));
    body += log_scale[p] ? "set logscale y\nset format y '%g'\n" : "unset logscale y\nset format y '%g'\n";
    const std::size_t median = 2 + 3 * p;
    for (std::size_t s = 0; s < data.solvers.size(); ++s)
      body += fmt::format(
          "{0}'error_vs_noise.dat' index {1} using 1:{2}:{3} with filledcurves lc rgb '{4}' notitle, \\\n"
          "  'error_vs_noise.dat' index {1} using 1:{5} with linespoints pt 7 ps 0.8 lw 2 lc rgb '{4}' "
          "title {6}",
          s ? ", \\\n  " : "plot ", s, median + 1, median + 2,
          SolverPalette(data.solvers).colour(data.solvers[s]), median, gnuplot_quote(data.solvers[s]));
    body += "\n";
  }
  body += "unset multiplot\n";
  write_text(figures / "error_vs_noise.gp", script(figure, columns == 1 ? 760 : 1100,
                                                   std::max<int>(460, 400 * static_cast<int>(rows)), body));
  plan.figures.push_back(figure);
}

void write_success_figure(const fs::path& dir, const json& campaign, const CampaignData& data,
                          const fs::path& figures, FigurePlan& plan) {
  const fs::path file = dir / "summary.csv";
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    plan.notes.push_back(
        "no summary.csv (the campaign has not finished; `geoinv collect DIR` writes it): no "
        "success-rate figure");
    return;
  }
  const SuccessCounts pooled = success_counts(file, data);
  if (pooled.empty()) {
    plan.notes.push_back("summary.csv has no rows: no success-rate figure");
    return;
  }
  std::vector<double> levels;
  for (const auto& entry : pooled) levels.push_back(entry.first.first);
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());  // the map's keys are sorted
  const bool log_axis = log_spaced(levels);
  std::string text;
  for (std::size_t s = 0; s < data.solvers.size(); ++s) {
    text += fmt::format(
        "# solver {}: {} success_rate_percent ci95_low_percent ci95_high_percent succeeded runs x_drawn\n",
        data.solvers[s], data.axis_key);
    bool any = false;
    for (const auto& [pool_key, sums] : pooled)
      if (pool_key.second == s) {
        any = true;
        const auto [succeeded, runs] = sums;
        const ProportionInterval interval = wilson_interval(succeeded, runs);
        text += fmt::format(
            "{} {} {} {} {} {} {}\n", dat_number(pool_key.first),
            dat_number(runs > 0 ? 100.0 * static_cast<double>(succeeded) / static_cast<double>(runs) : kNaN),
            dat_number(100.0 * interval.low), dat_number(100.0 * interval.high), succeeded, runs,
            dat_number(
                dodged(pool_key.first, s, data.solvers.size(), levels.front(), levels.back(), log_axis)));
      }
    if (!any) text += "NaN NaN NaN NaN 0 0 NaN\n";  // an empty block would shift the index of the next
    text += "\n\n";
  }
  write_text(figures / "success_vs_noise.dat", text);
  std::string definition = "status != failed";
  if (campaign.contains("success") && campaign["success"].contains("definition"))
    definition = campaign["success"]["definition"].get<std::string>();
  Figure figure{
      "success_vs_noise",
      data.name + ": success rate against " + sweep_key_label(data.axis_key, data.data_unit).name,
      "The share of runs in which each solver succeeded (" + definition + "), from summary.csv, against " +
          data.axis_key +
          ", with its Wilson 95 % confidence interval: rates whose bars overlap are not shown to "
          "differ by these runs. The points of the solvers are set slightly apart so that their bars "
          "do not hide each other." +
          pooled_note(data) + scale_note(log_axis)};
  std::string body = fmt::format(
      "set title {}\nset grid\nset key outside below horizontal\nset ylabel 'success rate [%]'\n"
      "set yrange [0:105]\n",
      gnuplot_quote(figure.title) + ".\"\\n\"." + gnuplot_quote("success: " + definition));
  body += x_axis(data, levels, log_axis);
  for (std::size_t s = 0; s < data.solvers.size(); ++s)
    body += fmt::format(
        "{}'success_vs_noise.dat' index {} using 7:2:3:4 with yerrorlines pt 7 ps 0.8 lw 2 lc rgb '{}' "
        "title {}",
        s ? ", \\\n  " : "plot ", s, SolverPalette(data.solvers).colour(data.solvers[s]),
        gnuplot_quote(data.solvers[s]));
  body += "\n";
  write_text(figures / "success_vs_noise.gp", script(figure, 900, 580, body));
  plan.figures.push_back(figure);
}

}  // namespace geoinv
