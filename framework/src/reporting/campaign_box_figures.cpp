// SPDX-License-Identifier: BSD-3-Clause
// The box plots of a campaign's relative errors: per parameter, one box per solver at each value of the
// sweep axis (boxes of one value side by side), so that a solver's errors at low noise are not mixed
// with its errors at high noise, and each solver's outliers are counted in the legend.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <memory>

#include "base/file_io.hpp"
#include "reporting/campaign_figure_data.hpp"
#include "reporting/figure_files.hpp"
#include "reporting/gnuplot.hpp"
#include "reporting/solver_palette.hpp"
#include "reporting/sweep_axis.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

// One parameter's figure: its axis range and outlier file. Outliers are drawn as far as one whisker span
// beyond the whiskers and the axis stops there, so that a diverged run does not squash every box into a
// line; how many lie beyond is counted per box.
struct BoxPanel {
  bool drawn = false;
  double low = INFINITY, high = -INFINITY, span = 0, reach_low = 0, reach_high = 0;
  std::vector<std::size_t> beyond;  // per group: outliers beyond the plotted range
  std::string stem;
  std::unique_ptr<AtomicFileWriter> outliers;
};

// Where the boxes stand: the values of the sweep axis from left to right, a slot per solver in each and
// an empty slot between values.
struct BoxLayout {
  std::vector<double> levels;
  std::size_t solvers = 0;
  std::size_t slots() const { return levels.size() * (solvers + 1); }
  double position(const SweepGroup& group) const {
    const auto level = std::lower_bound(levels.begin(), levels.end(), group.level) - levels.begin();
    return static_cast<double>(static_cast<std::size_t>(level) * (solvers + 1) + group.solver + 1);
  }
  double centre(std::size_t level) const {
    return static_cast<double>(level * (solvers + 1)) + 0.5 * static_cast<double>(solvers + 1);
  }
};

// A solver's outliers of parameter `p`, over its groups: all, and those beyond the plotted range.
std::pair<std::size_t, std::size_t> solver_outliers(const std::vector<SweepGroup>& groups,
                                                    const BoxPanel& panel, std::size_t s, std::size_t p) {
  std::size_t all = 0, beyond = 0;
  for (std::size_t g = 0; g < groups.size(); ++g)
    if (groups[g].solver == s) {
      all += groups[g].boxes[p].outliers;
      beyond += panel.beyond[g];
    }
  return {all, beyond};
}

// The legend entry of solver `s`: its label and outlier count.
std::string legend_title(const std::string& solver, std::pair<std::size_t, std::size_t> outliers) {
  if (outliers.second == 0) return fmt::format("{}: {} outliers", solver, outliers.first);
  return fmt::format("{}: {} outliers, {} beyond the axis", solver, outliers.first, outliers.second);
}

std::string xtics(const CampaignData& data, const BoxLayout& layout) {
  std::vector<std::string> tics;
  if (data.axis_key.empty()) {
    for (std::size_t s = 0; s < data.solvers.size(); ++s)
      tics.push_back(fmt::format("{} {}", gnuplot_quote(data.solvers[s]), s + 1));
  } else {
    for (std::size_t l = 0; l < layout.levels.size(); ++l)
      tics.push_back(fmt::format("{} {}", gnuplot_quote(fmt::format("{:.4g}", layout.levels[l])),
                                 dat_number(layout.centre(l))));
  }
  return fmt::format("set xtics ({}) nomirror\n", fmt::join(tics, ", "));
}

std::string box_caption(const CampaignData& data, const std::string& parameter) {
  std::vector<std::string> counts;
  for (std::size_t s = 0; s < data.solvers.size(); ++s)
    counts.push_back(
        fmt::format("{}: {} runs{}", data.solvers[s], data.rows[s] - data.failed[s],
                    data.failed[s] ? fmt::format(" ({} failed, left out)", data.failed[s]) : ""));
  const std::string grouping = data.axis_key.empty() ? "one box per solver over every run of the campaign"
                                                     : "one box per solver at each value of " +
                                                           data.axis_key + "." + pooled_note(data);
  return "Relative error (estimate − true)/|true| of " + parameter + " in %, " + grouping + " (" +
         fmt::format("{}", fmt::join(counts, ", ")) +
         "). Box: quartiles (as summary.csv computes them); thick line: median; whiskers: the most "
         "extreme values within 1.5 IQR of the box; points: the runs beyond (outliers), as far as one "
         "whisker span past the whiskers; the legend counts each solver's outliers and those beyond the "
         "plotted range.";
}

// The box plot of parameter `p`: its boxes' .dat file (a block per solver) and its script.
void write_box_figure(const CampaignData& data, const std::vector<SweepGroup>& groups,
                      const BoxLayout& layout, std::size_t p, BoxPanel& panel, const fs::path& figures,
                      FigurePlan& plan) {
  panel.outliers->commit();
  const std::string& parameter = data.parameters[p];
  const std::string axis = data.axis_key.empty() ? std::string("-") : data.axis_key;
  std::string boxes_text;
  std::string plots;
  for (std::size_t s = 0; s < data.solvers.size(); ++s) {
    boxes_text += fmt::format(
        "# solver {}: position {} runs whisker_low q25 median q75 whisker_high outliers beyond_axis "
        "(relative error, %)\n",
        data.solvers[s], axis);
    bool any = false;
    for (std::size_t g = 0; g < groups.size(); ++g) {
      const SweepGroup& group = groups[g];
      const Box& box = group.boxes[p];
      if (group.solver != s || box.count == 0) continue;
      any = true;
      boxes_text += fmt::format("{} {} {} {} {} {} {} {} {} {}\n", dat_number(layout.position(group)),
                                dat_number(group.level), box.count, dat_number(box.whisker_low),
                                dat_number(box.q1), dat_number(box.median), dat_number(box.q3),
                                dat_number(box.whisker_high), box.outliers, panel.beyond[g]);
    }
    if (!any) boxes_text += "NaN NaN 0 NaN NaN NaN NaN NaN 0 0\n";  // an empty block would shift the next
    boxes_text += "\n\n";
    plots += fmt::format(
        "{0}'{1}.dat' index {2} using 1:5:4:8:7 with candlesticks whiskerbars 0.5 lw 1.5 lc rgb '{3}' "
        "title {4}, \\\n  '{1}.dat' index {2} using 1:6:6:6:6 with candlesticks lw 3 lc rgb '{3}' notitle",
        s ? ", \\\n  " : "plot ", panel.stem, s, SolverPalette(data.solvers).colour(data.solvers[s]),
        gnuplot_quote(legend_title(data.solvers[s], solver_outliers(groups, panel, s, p))));
  }
  plots += fmt::format(
      ", \\\n  '{}_outliers.dat' using 1:2 with points pt 6 ps 0.7 lc rgb '#404040' notitle\n", panel.stem);
  write_text(figures / (panel.stem + ".dat"), boxes_text);
  Figure figure{
      panel.stem,
      data.name + ": relative error of " + parameter +
          (data.axis_key.empty() ? " per solver"
                                 : " per solver and " + sweep_key_label(data.axis_key, data.data_unit).name),
      box_caption(data, parameter)};
  const double pad = 0.08 * std::max(panel.high - panel.low, panel.span);
  std::string body = fmt::format(
      "set title {}\nset grid ytics\nset key outside below horizontal Left reverse\nset xlabel {}\nset "
      "ylabel {}\n"
      "set xrange [0.4:{}]\nset yrange [{}:{}]\n{}"
      "set boxwidth 0.7 absolute\nset style fill solid 0.25 border\n"
      "set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead dt 2 lc rgb '#808080'\n",
      gnuplot_quote(figure.title),
      gnuplot_quote(data.axis_key.empty() ? "solver"
                                          : sweep_key_label(data.axis_key, data.data_unit).axis_label()),
      gnuplot_quote("relative error of " + parameter + " [%]"),
      dat_number(static_cast<double>(layout.slots()) - 0.4), dat_number(panel.low - pad),
      dat_number(panel.high + pad), xtics(data, layout));
  const int width = std::max(700, 34 * static_cast<int>(layout.slots()) + 260);
  write_text(figures / (panel.stem + ".gp"), script(figure, width, 560, body + plots));
  plan.figures.push_back(figure);
}

}  // namespace

void write_box_figures(const CampaignData& data, const std::vector<SweepGroup>& groups,
                       BoundedValues& outliers, const fs::path& figures, FigurePlan& plan,
                       std::set<std::string>& stems) {
  const std::size_t parameters = data.parameters.size();
  BoxLayout layout{sweep_levels(groups), data.solvers.size()};
  std::vector<BoxPanel> panels(parameters);
  for (std::size_t p = 0; p < parameters; ++p) {
    BoxPanel& panel = panels[p];
    for (const SweepGroup& group : groups)
      if (group.boxes[p].count > 0) {
        panel.low = std::min(panel.low, group.boxes[p].whisker_low);
        panel.high = std::max(panel.high, group.boxes[p].whisker_high);
      }
    if (!std::isfinite(panel.low)) {
      plan.notes.push_back("no relative errors of " + data.parameters[p] + ": no box plot");
      continue;
    }
    panel.drawn = true;
    panel.span = std::max(panel.high - panel.low, 1e-9 * std::max(1.0, std::abs(panel.high)));
    panel.reach_low = panel.low - panel.span;
    panel.reach_high = panel.high + panel.span;
    panel.beyond.assign(groups.size(), 0);
    panel.stem = file_stem("relative_error_", data.parameters[p], stems);
    panel.outliers = std::make_unique<AtomicFileWriter>(figures / (panel.stem + "_outliers.dat"));
    panel.outliers->write(
        "# position relative_error_percent solver_index (outliers within the axis range)\n");
  }
  outliers.for_each([&](const double* row) {
    const auto g = static_cast<std::size_t>(row[0]), p = static_cast<std::size_t>(row[1]);
    const double v = row[2];
    BoxPanel& panel = panels[p];
    if (!panel.drawn) return;
    if (v < panel.reach_low || v > panel.reach_high) {
      ++panel.beyond[g];
      return;
    }
    panel.low = std::min(panel.low, v);
    panel.high = std::max(panel.high, v);
    panel.outliers->write(
        fmt::format("{} {} {}\n", dat_number(layout.position(groups[g])), dat_number(v), groups[g].solver));
  });
  for (std::size_t p = 0; p < parameters; ++p)
    if (panels[p].drawn) write_box_figure(data, groups, layout, p, panels[p], figures, plan);
}

}  // namespace geoinv
