// SPDX-License-Identifier: BSD-3-Clause
// The figures of a campaign folder: box plots of relative errors per solver, and the error and success
// rate against the noise level.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <deque>
#include <cstdlib>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include "campaigns/campaign.hpp"  // split_csv_line, campaign_memory_budget
#include "campaigns/result_row.hpp"
#include "geoinv/termination.hpp"
#include "base/csv.hpp"
#include "base/external_sort.hpp"
#include "base/file_io.hpp"
#include "geoinv/error.hpp"
#include "reporting/gnuplot.hpp"
#include "reporting/solver_palette.hpp"
#include "base/quantiles.hpp"
#include "reporting/figure_files.hpp"
#include "reporting/figures.hpp"

namespace geoinv {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {
//
// Drawn from results.csv and summary.csv in memory bounded by the campaign's budget, whatever the number
// of runs (docs/campaigns.md, "Memory"): each solver's relative errors go to a BoundedValues (spilled to a
// temporary file beyond its share), and the |relative errors| for the error figure are sorted by noise
// level and solver through an ExternalSorter, then reduced one group at a time.

// Whether every value of each sweep axis is a number, read from `file` (summary.csv, a row per condition,
// or results.csv before there is one); no axis is when the file has no rows.
std::vector<bool> numeric_axes(const fs::path& file, const std::vector<std::string>& axes) {
  std::vector<bool> numeric(axes.size(), true);
  std::vector<std::size_t> columns;
  bool any_row = false;
  for_each_csv_row(
      file,
      [&](const std::vector<std::string>& header) {
        for (const auto& name : axes) columns.push_back(required_column(header, name, file));
      },
      [&](const std::vector<std::string>& fields) {
        any_row = true;
        for (std::size_t a = 0; a < axes.size(); ++a)
          if (numeric[a] && !std::isfinite(parse_csv_number(fields[columns[a]], CsvNumberRule::whole_cell))) numeric[a] = false;
      });
  if (!any_row) numeric.assign(axes.size(), false);
  return numeric;
}

// The sweep axis the error and success figures are drawn against; an empty key when there is none (`why`).
struct NoiseAxis {
  std::string key;
  std::string why;
};

NoiseAxis choose_axis(const std::vector<std::string>& axes, const std::vector<bool>& numeric_axis) {
  NoiseAxis axis;
  if (axes.empty()) {
    axis.why = "the campaign has no sweep axis";
    return axis;
  }
  const std::string suffix = "noise_sigma";
  std::vector<std::string> numeric;
  for (std::size_t a = 0; a < axes.size(); ++a) {
    const std::string& key = axes[a];
    if (key.size() >= suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0 &&
        numeric_axis[a]) {
      axis.key = key;
      return axis;
    }
    if (numeric_axis[a]) numeric.push_back(key);
  }
  if (numeric.size() == 1) {
    axis.key = numeric.front();
    return axis;
  }
  axis.why = numeric.empty() ? fmt::format("no sweep axis is numeric ({})", fmt::join(axes, ", "))
                             : fmt::format(
                                   "no sweep axis ends in noise_sigma and {} are numeric ({}): which "
                                   "one to draw against is ambiguous",
                                   numeric.size(), fmt::join(numeric, ", "));
  return axis;
}

struct CampaignData {
  std::vector<std::string> solvers, parameters, axes;
  std::string unit;  // of the data, for labels
  std::vector<std::int64_t> rows, failed;  // per solver
  std::deque<BoundedValues> errors;  // per solver: relative errors (%) of its runs that did not fail (a
                                    // deque: BoundedValues holds a file and does not move)
  bool any_error = false;
};

// One pass over results.csv: per solver its rows, failures and relative errors; with a noise axis, every
// row's |relative errors| (NaN for a failed run) into `by_noise`, keyed (axis value, solver).
CampaignData read_results(const fs::path& dir, const json& campaign, const fs::path& scratch,
                          std::size_t budget, const std::string& axis_key, ExternalSorter* by_noise) {
  CampaignData data;
  data.solvers = campaign.at("solvers").get<std::vector<std::string>>();
  data.parameters = campaign.at("parameters").get<std::vector<std::string>>();
  data.axes = campaign.at("axis_columns").get<std::vector<std::string>>();
  data.unit = data_unit_label(campaign.value("data_unit", std::string()));
  const std::size_t solvers = data.solvers.size(), parameters = data.parameters.size();
  data.rows.assign(solvers, 0);
  data.failed.assign(solvers, 0);
  for (std::size_t s = 0; s < solvers; ++s)
    data.errors.emplace_back(parameters, budget / std::max<std::size_t>(solvers, 1),
                             scratch / fmt::format(".geoinv-figure-{}-{}.tmp", static_cast<long>(::getpid()), s));
  const fs::path file = dir / "results.csv";
  std::optional<ResultColumns> columns;
  std::size_t c_axis = 0;
  const std::string failed_status = to_string(RunStatus::failed);
  std::vector<double> row(parameters), magnitudes(parameters);
  for_each_csv_row(
      file,
      [&](const std::vector<std::string>& header) {
        columns.emplace(header, data.parameters, file);
        if (by_noise) c_axis = columns->named(axis_key);
      },
      [&](const std::vector<std::string>& fields) {
        const auto solver = std::find(data.solvers.begin(), data.solvers.end(), fields[columns->solver()]);
        if (solver == data.solvers.end()) return;
        const auto s = static_cast<std::size_t>(solver - data.solvers.begin());
        ++data.rows[s];
        const bool failed = fields[columns->status()] == failed_status;
        if (failed) ++data.failed[s];
        for (std::size_t p = 0; p < parameters; ++p) {
          const double value =
              failed ? kNaN : parse_csv_number(fields[columns->relative_error(p)], CsvNumberRule::whole_cell);
          row[p] = std::isfinite(value) ? 100.0 * value : kNaN;
          magnitudes[p] = std::abs(row[p]);
          data.any_error = data.any_error || std::isfinite(value);
        }
        if (!failed) data.errors[s].add(row.data());
        if (by_noise) {
          const double level = parse_csv_number(fields[c_axis], CsvNumberRule::whole_cell);
          if (std::isfinite(level))
            by_noise->add({signed_order_key(level), s, 0},
                          std::string_view(reinterpret_cast<const char*>(magnitudes.data()),
                                           parameters * sizeof(double)));
        }
      });
  return data;
}

// Tukey's box of one parameter's values: quartiles (as summary.csv computes them), whiskers at the most
// extreme values within 1.5 IQR of the box, and how many values lie beyond.
struct Box {
  std::size_t count = 0, outliers = 0;
  double whisker_low = kNaN, q1 = kNaN, median = kNaN, q3 = kNaN, whisker_high = kNaN;
  bool outside(double v) const {
    const double reach = 1.5 * (q3 - q1);
    return v < q1 - reach || v > q3 + reach;
  }
};

// The boxes of every parameter of one solver: the quartiles, then one pass for the whiskers.
std::vector<Box> boxes_of(BoundedValues& values, std::size_t parameters) {
  const std::vector<std::array<double, 3>> q = values.quartiles();
  std::vector<Box> boxes(parameters);
  for (std::size_t p = 0; p < parameters; ++p) {
    boxes[p].q1 = boxes[p].whisker_low = q[p][0];
    boxes[p].median = q[p][1];
    boxes[p].q3 = boxes[p].whisker_high = q[p][2];
  }
  values.for_each([&](const double* row) {
    for (std::size_t p = 0; p < parameters; ++p) {
      const double v = row[p];
      if (std::isnan(v)) continue;
      Box& box = boxes[p];
      ++box.count;
      if (box.outside(v)) {
        ++box.outliers;
      } else {
        box.whisker_low = std::min(box.whisker_low, v);
        box.whisker_high = std::max(box.whisker_high, v);
      }
    }
  });
  return boxes;
}

// Per parameter, the axis range: outliers are drawn as far as one whisker span beyond the whiskers and
// the axis stops there, so that a diverged run does not squash every box into a line. How many are
// beyond is written on the figure.
struct BoxPanel {
  bool drawn = false;
  double low = INFINITY, high = -INFINITY, span = 0, reach_low = 0, reach_high = 0;
  std::size_t clipped = 0;
  std::string stem;
  std::unique_ptr<AtomicFileWriter> outliers;
};

// The box plot of parameter `p`: its boxes' .dat file and its script.
void write_box_figure(const CampaignData& data, const std::vector<std::vector<Box>>& boxes, std::size_t p,
                      BoxPanel& panel, const std::string& name, const fs::path& figures, FigurePlan& plan) {
  const std::size_t solvers = data.solvers.size();
  panel.outliers->commit();
  const std::string& parameter = data.parameters[p];
  std::string boxes_text =
      "# position solver_index runs whisker_low q25 median q75 whisker_high (relative error, %)\n";
  std::string tics, counts;
  for (std::size_t s = 0; s < solvers; ++s) {
    const Box& box = boxes[s][p];
    tics += fmt::format("{}{} {}", s ? ", " : "", gnuplot_quote(data.solvers[s]), s + 1);
    counts += fmt::format("{}{}: {} runs{}", s ? ", " : "", data.solvers[s], box.count,
                          data.failed[s] ? fmt::format(" ({} failed, left out)", data.failed[s]) : std::string());
    if (box.count == 0) continue;
    boxes_text += fmt::format("{} {} {} {} {} {} {} {}\n", s + 1, s, box.count, dat_number(box.whisker_low),
                              dat_number(box.q1), dat_number(box.median), dat_number(box.q3),
                              dat_number(box.whisker_high));
  }
  const double pad = 0.08 * std::max(panel.high - panel.low, panel.span);
  write_text(figures / (panel.stem + ".dat"), boxes_text);
  Figure figure{panel.stem, name + ": relative error of " + parameter + " per solver",
                "Relative error (estimate − true)/|true| of " + parameter +
                    " in %, over every run of the campaign that the solver did not fail (" + counts +
                    "). Box: quartiles (as summary.csv computes them); thick line: median; whiskers: the "
                    "most extreme values within 1.5 IQR of the box; points: the runs beyond." +
                    (panel.clipped ? fmt::format(" {} outliers lie beyond the plotted range.", panel.clipped)
                                   : "")};
  std::string body = fmt::format(
      "set title {}\nset grid ytics\nset key off\n"
      "set xlabel 'solver'\nset ylabel {}\n"
      "set xrange [0.4:{}]\nset yrange [{}:{}]\n"
      "set xtics ({}) nomirror\n"
      "set boxwidth 0.5 absolute\nset style fill solid 0.25 border\n"
      "set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead dt 2 lc rgb '#808080'\n",
      gnuplot_quote(figure.title), gnuplot_quote("relative error of " + parameter + " [%]"), solvers + 0.6,
      dat_number(panel.low - pad), dat_number(panel.high + pad), tics);
  if (panel.clipped)
    body += fmt::format("set label 1 {} at graph 0.01, graph 0.97 left front\n",
                        gnuplot_quote(fmt::format("{} outliers beyond the plotted range", panel.clipped)));
  std::vector<std::string> colours;  // each box in its solver's colour (solver_palette.hpp), by column 2
  const SolverPalette palette(data.solvers);
  for (const auto& label : data.solvers) colours.push_back("0x" + palette.colour(label).substr(1));
  body += fmt::format(
      "array solver_colour[{1}] = [{2}]\n"
      "plot '{0}.dat' using 1:5:4:8:7:(solver_colour[int($2) + 1]) with candlesticks whiskerbars 0.5 lw 1.5 "
      "lc rgb variable, \\\n"
      "  '{0}.dat' using 1:6:6:6:6 with candlesticks lw 3 lc rgb '#000000', \\\n"
      "  '{0}_outliers.dat' using 1:2 with points pt 6 ps 0.7 lc rgb '#404040'\n",
      panel.stem, colours.size(), fmt::join(colours, ", "));
  write_text(figures / (panel.stem + ".gp"),
             script(figure, std::max(640, 140 * static_cast<int>(solvers) + 260), 540, body));
  plan.figures.push_back(figure);
}

void box_figures(CampaignData& data, const std::string& name, const fs::path& figures, FigurePlan& plan,
                 std::set<std::string>& stems) {
  const std::size_t solvers = data.solvers.size(), parameters = data.parameters.size();
  std::vector<std::vector<Box>> boxes;  // [solver][parameter]
  for (std::size_t s = 0; s < solvers; ++s) boxes.push_back(boxes_of(data.errors[s], parameters));

  std::vector<BoxPanel> panels(parameters);
  for (std::size_t p = 0; p < parameters; ++p) {
    BoxPanel& panel = panels[p];
    for (std::size_t s = 0; s < solvers; ++s)
      if (boxes[s][p].count > 0) {
        panel.low = std::min(panel.low, boxes[s][p].whisker_low);
        panel.high = std::max(panel.high, boxes[s][p].whisker_high);
      }
    if (!std::isfinite(panel.low)) {
      plan.notes.push_back("no relative errors of " + data.parameters[p] + ": no box plot");
      continue;
    }
    panel.drawn = true;
    panel.span = std::max(panel.high - panel.low, 1e-9 * std::max(1.0, std::abs(panel.high)));
    panel.reach_low = panel.low - panel.span;
    panel.reach_high = panel.high + panel.span;
    panel.stem = file_stem("relative_error_", data.parameters[p], stems);
    panel.outliers = std::make_unique<AtomicFileWriter>(figures / (panel.stem + "_outliers.dat"));
    panel.outliers->write("# position relative_error_percent (outliers within the axis range)\n");
  }
  // One more pass per solver: its outliers within each parameter's range, streamed to the files.
  for (std::size_t s = 0; s < solvers; ++s)
    data.errors[s].for_each([&](const double* row) {
      for (std::size_t p = 0; p < parameters; ++p) {
        BoxPanel& panel = panels[p];
        const double v = row[p];
        if (!panel.drawn || std::isnan(v) || !boxes[s][p].outside(v)) continue;
        if (v < panel.reach_low || v > panel.reach_high) {
          ++panel.clipped;
          continue;
        }
        panel.low = std::min(panel.low, v);
        panel.high = std::max(panel.high, v);
        panel.outliers->write(fmt::format("{} {}\n", s + 1, dat_number(v)));
      }
    });

  for (std::size_t p = 0; p < parameters; ++p)
    if (panels[p].drawn) write_box_figure(data, boxes, p, panels[p], name, figures, plan);
}

std::string pooled_note(const CampaignData& data, const std::string& key) {
  std::vector<std::string> others;
  for (const auto& axis : data.axes)
    if (axis != key) others.push_back(axis);
  return others.empty() ? std::string()
                        : fmt::format(" Pooled over the other sweep axes ({}).", fmt::join(others, ", "));
}

std::string axis_label(const std::string& key, const std::string& unit) {
  const std::string suffix = "noise_sigma";
  if (key.size() >= suffix.size() && key.compare(key.size() - suffix.size(), suffix.size(), suffix) == 0)
    return "noise σ (" + key + ") [" + unit + "]";
  return key;
}

void error_figure(const CampaignData& data, ExternalSorter& by_noise, const std::string& name,
                  const std::string& key, const fs::path& figures, std::size_t budget, FigurePlan& plan) {
  const std::size_t parameters = data.parameters.size();
  // (axis value, solver) -> median |relative error| (%) per parameter, pooled over the points with that
  // value: the groups come out of the sort one after the other.
  std::map<std::pair<double, std::size_t>, std::vector<double>> medians;
  BoundedValues group(parameters, budget,
                      figures / fmt::format(".geoinv-figure-{}-group.tmp", static_cast<long>(::getpid())));
  std::optional<SortKey> current;
  const auto finish_group = [&] {
    if (!current) return;
    std::vector<double>& median = medians[{from_signed_order_key(current->a), current->b}];
    for (const auto& q : group.quartiles()) median.push_back(q[1]);
    group.clear();
  };
  std::vector<double> row(parameters);
  by_noise.merge([&](const SortKey& sort_key, std::string_view payload) {
    if (!current || sort_key.a != current->a || sort_key.b != current->b) {
      finish_group();
      current = sort_key;
    }
    std::memcpy(row.data(), payload.data(), parameters * sizeof(double));
    group.add(row.data());
  });
  finish_group();

  std::string text;
  std::vector<bool> log_scale(parameters, true), drawn(parameters, false);
  for (std::size_t s = 0; s < data.solvers.size(); ++s) {
    text += fmt::format("# solver {}: {}", data.solvers[s], key);
    for (const auto& p : data.parameters) text += " median_abs_relative_error_" + p + "_percent";
    text += "\n";
    bool any = false;
    for (const auto& [pool_key, median] : medians) {
      if (pool_key.second != s) continue;
      any = true;
      text += dat_number(pool_key.first);
      for (std::size_t p = 0; p < parameters; ++p) {
        if (std::isfinite(median[p])) drawn[p] = true;
        if (std::isfinite(median[p]) && median[p] <= 0) log_scale[p] = false;
        text += " " + dat_number(median[p]);
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
      "error_vs_noise", name + ": median |relative error| against " + key,
      "Median over the runs of |estimate − true|/|true| in % of each parameter, per solver, against " + key +
          "; failed runs left out." + pooled_note(data, key)};
  std::string body = fmt::format("set multiplot layout {},{} title {}\nset grid\nset key below horizontal\n",
                                 rows, columns, gnuplot_quote(figure.title));
  body += fmt::format("set xlabel {}\n", gnuplot_quote(axis_label(key, data.unit)));
  for (std::size_t p : panels) {
    body += fmt::format("set title {}\nset ylabel {}\n", gnuplot_quote(data.parameters[p]),
                        gnuplot_quote("median |relative error| of " + data.parameters[p] + " [%]"));
    body += log_scale[p] ? "set logscale y\nset format y '%g'\n" : "unset logscale y\nset format y '%g'\n";
    for (std::size_t s = 0; s < data.solvers.size(); ++s)
      body += fmt::format(
          "{}'error_vs_noise.dat' index {} using 1:{} with linespoints pt 7 ps 0.8 lw 2 lc rgb '{}' "
          "title {}",
          s ? ", \\\n  " : "plot ", s, p + 2, SolverPalette(data.solvers).colour(data.solvers[s]),
          gnuplot_quote(data.solvers[s]));
    body += "\n";
  }
  body += "unset multiplot\n";
  write_text(figures / "error_vs_noise.gp", script(figure, columns == 1 ? 760 : 1100,
                                                   std::max<int>(440, 380 * static_cast<int>(rows)), body));
  plan.figures.push_back(figure);
}

void success_figure(const fs::path& dir, const json& campaign, const CampaignData& data,
                    const std::string& name, const std::string& key, const fs::path& figures,
                    FigurePlan& plan) {
  const fs::path file = dir / "summary.csv";
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    plan.notes.push_back(
        "no summary.csv (the campaign has not finished; `geoinv collect DIR` writes it): no "
        "success-rate figure");
    return;
  }
  std::map<std::pair<double, std::size_t>, std::pair<double, double>> pooled;  // -> (succeeded, runs)
  std::size_t c_axis = 0, c_solver = 0, c_runs = 0, c_succeeded = 0;
  for_each_csv_row(
      file,
      [&](const std::vector<std::string>& header) {
        auto column = [&](const std::string& name) { return required_column(header, name, file); };
        c_axis = column(key);
        c_solver = column("solver");
        c_runs = column("runs");
        c_succeeded = column("succeeded");
      },
      [&](const std::vector<std::string>& fields) {
        const auto solver = std::find(data.solvers.begin(), data.solvers.end(), fields[c_solver]);
        const double level = parse_csv_number(fields[c_axis], CsvNumberRule::whole_cell);
        if (solver == data.solvers.end() || !std::isfinite(level)) return;
        auto& sums = pooled[{level, static_cast<std::size_t>(solver - data.solvers.begin())}];
        sums.first += parse_csv_number(fields[c_succeeded], CsvNumberRule::whole_cell);
        sums.second += parse_csv_number(fields[c_runs], CsvNumberRule::whole_cell);
      });
  if (pooled.empty()) {
    plan.notes.push_back("summary.csv has no rows: no success-rate figure");
    return;
  }
  std::string text;
  for (std::size_t s = 0; s < data.solvers.size(); ++s) {
    text += fmt::format("# solver {}: {} success_rate_percent runs\n", data.solvers[s], key);
    bool any = false;
    for (const auto& [pool_key, sums] : pooled)
      if (pool_key.second == s) {
        any = true;
        text +=
            fmt::format("{} {} {}\n", dat_number(pool_key.first),
                        dat_number(sums.second > 0 ? 100.0 * sums.first / sums.second : kNaN), sums.second);
      }
    if (!any) text += "NaN NaN NaN\n";  // an empty block would shift the index of the next
    text += "\n\n";
  }
  write_text(figures / "success_vs_noise.dat", text);
  std::string definition = "status != failed";
  if (campaign.contains("success") && campaign["success"].contains("definition"))
    definition = campaign["success"]["definition"].get<std::string>();
  Figure figure{"success_vs_noise", name + ": success rate against " + key,
                "The share of runs in which each solver succeeded (" + definition +
                    "), from summary.csv, against " + key + "." + pooled_note(data, key)};
  std::string body = fmt::format(
      "set title {}\nset grid\nset key below horizontal\nset xlabel {}\n"
      "set ylabel 'success rate [%]'\nset yrange [0:105]\n",
      gnuplot_quote(figure.title) + ".\"\\n\"." + gnuplot_quote("success: " + definition),
      gnuplot_quote(axis_label(key, data.unit)));
  for (std::size_t s = 0; s < data.solvers.size(); ++s)
    body += fmt::format(
        "{}'success_vs_noise.dat' index {} using 1:2 with linespoints pt 7 ps 0.8 lw 2 lc rgb '{}' "
        "title {}",
        s ? ", \\\n  " : "plot ", s, SolverPalette(data.solvers).colour(data.solvers[s]),
        gnuplot_quote(data.solvers[s]));
  body += "\n";
  write_text(figures / "success_vs_noise.gp", script(figure, 900, 560, body));
  plan.figures.push_back(figure);
}

}  // namespace


FigurePlan write_campaign_figures(const fs::path& dir, const json& campaign, const fs::path& figures) {
  FigurePlan plan;
  const std::string name = campaign.value("name", dir.filename().string());
  // The axis first (from summary.csv when there is one: a row per condition, not per run), so that one
  // pass over results.csv gathers everything. The budget: half to each solver's values, half to the sort
  // by noise level (and then to one group of it at a time).
  const auto axes = campaign.at("axis_columns").get<std::vector<std::string>>();
  std::error_code ec;
  const fs::path axis_source = fs::exists(dir / "summary.csv", ec) ? dir / "summary.csv" : dir / "results.csv";
  const NoiseAxis axis = choose_axis(axes, numeric_axes(axis_source, axes));
  const std::size_t budget = campaign_memory_budget();
  remove_stale_temporaries(figures);
  std::optional<ExternalSorter> by_noise;
  if (!axis.key.empty()) by_noise.emplace(figures, budget / 2);
  CampaignData data =
      read_results(dir, campaign, figures, budget / 2, axis.key, by_noise ? &*by_noise : nullptr);
  if (std::all_of(data.rows.begin(), data.rows.end(), [](std::int64_t rows) { return rows == 0; })) {
    plan.notes.push_back("results.csv has no rows yet: no campaign figures");
    return plan;
  }
  std::set<std::string> stems{"error_vs_noise", "success_vs_noise"};
  if (data.any_error)
    box_figures(data, name, figures, plan, stems);
  else
    plan.notes.push_back(
        "results.csv has no relative errors (no true model: the base's data come from a file, or every "
        "run failed): no box plots and no error figure");
  data.errors.clear();  // their memory and files: the error figure's turn
  if (axis.key.empty()) {
    plan.notes.push_back("no error and success-rate figures against the noise level: " + axis.why);
    return plan;
  }
  if (data.any_error) error_figure(data, *by_noise, name, axis.key, figures, budget / 2, plan);
  success_figure(dir, campaign, data, name, axis.key, figures, plan);
  return plan;
}

}  // namespace geoinv
