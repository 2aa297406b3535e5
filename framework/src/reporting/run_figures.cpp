// SPDX-License-Identifier: BSD-3-Clause
// The figures of a run folder: the data with each solver's fitted curve, convergence, training losses.
#include <fmt/format.h>

#include <cmath>
#include <set>

#include "base/file_io.hpp"
#include "reporting/figure_files.hpp"
#include "reporting/figures.hpp"
#include "reporting/gnuplot.hpp"
#include "running/result_json.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

// The experiment's name for titles.
std::string experiment_title(const RunRecord& run) { return run.experiment.empty() ? "run" : run.experiment; }

void fit_figure(const fs::path& dir, const RunRecord& run, const fs::path& figures, FigurePlan& plan) {
  const std::string experiment = experiment_title(run);
  const std::string unit = data_unit_label(run.data_unit);
  const fs::path file = dir / "fit.csv";
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    plan.notes.push_back("no fit.csv: no figure of the data and fitted curves");
    return;
  }
  const NumericTable table = read_numeric_table(file);
  const auto x = table.column("x"), observed = table.column("observed"), sigma = table.column("sigma");
  if (!x || !observed || table.rows.empty()) {
    plan.notes.push_back("fit.csv has no x and observed columns, or no rows: no figure of the fit");
    return;
  }
  std::vector<std::size_t> columns{*x, *observed};
  const bool with_sigma = sigma && table.any_finite(*sigma);
  if (with_sigma) columns.push_back(*sigma);
  struct Curve {
    std::string label;
    std::size_t predicted, residual;  // columns of fit.dat, 1-based
    double rms;
  };
  std::vector<Curve> curves;
  for (const auto& entry : run.results) {
    const std::string& label = entry.solver;
    const auto predicted = table.column("predicted_" + label), residual = table.column("residual_" + label);
    if (!predicted || !residual) continue;
    if (!table.any_finite(*predicted)) {
      plan.notes.push_back(
          fmt::format("{}: no predicted data (the solver failed): not in the fit figure", label));
      continue;
    }
    columns.push_back(*predicted);
    columns.push_back(*residual);
    curves.push_back({label, columns.size() - 1, columns.size(), entry.rms});
  }
  write_dat(figures / "fit.dat", table, columns);

  Figure figure{"fit", experiment + ": observed data and fitted curves",
                "Top: the observed data" + std::string(with_sigma ? " with their ±σ error bars" : "") +
                    " and each solver's predicted curve at the stations, with its RMS misfit. Bottom: the "
                    "residuals, predicted − observed."};
  std::string body = fmt::format(
      "set multiplot title {}\n"
      "set grid\n"
      "set lmargin at screen 0.10\nset rmargin at screen 0.71\n"
      "set key at screen 0.99, screen 0.90 right top box opaque\n"
      "set tmargin at screen 0.90\nset bmargin at screen 0.40\n"
      "unset xlabel\n"
      "set ylabel {}\n",
      gnuplot_quote(figure.title), gnuplot_quote("data [" + unit + "]"));
  body += with_sigma ? "plot 'fit.dat' using 1:2:3 with yerrorbars pt 7 ps 0.5 lc rgb '#404040' title "
                       "'observed ± σ'"
                     : "plot 'fit.dat' using 1:2 with points pt 7 ps 0.6 lc rgb '#404040' title 'observed'";
  for (std::size_t i = 0; i < curves.size(); ++i) {
    const std::string title = std::isfinite(curves[i].rms)
                                  ? fmt::format("{} (RMS {:.4g})", curves[i].label, curves[i].rms)
                                  : curves[i].label;
    // Solvers that found the same model draw the same curve: dash types keep each one visible.
    body += fmt::format(", \\\n  'fit.dat' using 1:{} with lines lw 2 dt {} lc rgb '{}' title {}",
                        curves[i].predicted, i % 5 + 1, colour(i), gnuplot_quote(title));
  }
  body +=
      "\nset tmargin at screen 0.36\nset bmargin at screen 0.09\n"
      "set xlabel 'station position x [m]'\n"
      "set ylabel " + gnuplot_quote("residual [" + unit + "]") + "\n"
      "plot 0 with lines dt 2 lc rgb '#808080' notitle";
  for (std::size_t i = 0; i < curves.size(); ++i)
    body += fmt::format(", \\\n  'fit.dat' using 1:{} with linespoints pt 7 ps 0.4 lw 1 lc rgb '{}' notitle",
                        curves[i].residual, colour(i));
  body += "\nunset multiplot\n";
  write_text(figures / "fit.gp", script(figure, 1000, 700, body));
  plan.figures.push_back(figure);
}

// The convergence figure's data and plot commands, gathered solver by solver.
struct ConvergencePlot {
  std::string text;   // convergence.dat: blocks of (x, sse)
  std::string plots;  // the plot command's terms
  int block = 0;      // blocks written so far
  std::size_t drawn = 0;
  bool log_scale = true;
  double last_x = 1;
  std::string x_name;
};

// Adds one solver's trace (its `sse` column against the iteration): the start and accepted steps as
// one block, the rejected trial steps as another.
void add_trace(const NumericTable& table, std::size_t sse, const std::string& label, ConvergencePlot& plot) {
  const std::size_t x = table.column("iteration").value_or(0);
  if (plot.x_name.empty()) plot.x_name = table.header[x];
  const auto accepted = table.column("accepted");
  std::string kept = fmt::format("# {}: {} sse (accepted steps and the start)\n", label, table.header[x]),
              rejected = fmt::format("# {}: {} sse (rejected trial steps)\n", label, table.header[x]);
  std::size_t rejected_rows = 0;
  for (const auto& row : table.rows) {
    if (!std::isfinite(row[sse])) continue;  // a trial step that left the domain: nothing to draw
    if (row[sse] <= 0) plot.log_scale = false;
    plot.last_x = std::max(plot.last_x, row[x]);
    const std::string line = dat_number(row[x]) + " " + dat_number(row[sse]) + "\n";
    if (accepted && row[*accepted] == 0) {
      rejected += line;
      ++rejected_rows;
    } else {
      kept += line;
    }
  }
  const std::string c = colour(plot.drawn++);
  if (kept.find('\n') == kept.size() - 1) kept += "NaN NaN\n";  // an empty block would shift the indices
  plot.text += kept + "\n\n";
  plot.plots += fmt::format(
      "{}'convergence.dat' index {} using 1:2 with linespoints pt 7 ps 0.6 lw 2 lc rgb '{}' "
      "title {}",
      plot.plots.empty() ? "plot " : ", \\\n  ", plot.block++, c,
      gnuplot_quote(accepted ? label + ": start and accepted steps" : label));
  if (rejected_rows > 0) {
    plot.text += rejected + "\n\n";
    plot.plots += fmt::format(
        ", \\\n  'convergence.dat' index {} using 1:2 with points pt 6 ps 0.9 lc rgb '{}' title {}",
        plot.block++, c, gnuplot_quote(label + ": rejected trial steps"));
  }
}

void convergence_figure(const fs::path& dir, const RunRecord& run, const fs::path& figures, FigurePlan& plan) {
  const std::string experiment = experiment_title(run);
  const bool weighted = run.sigma_known;
  ConvergencePlot plot;
  std::vector<std::string> without;
  for (const auto& entry : run.results) {
    const std::string& label = entry.solver;
    const fs::path file = dir / ("trace_" + label + ".csv");
    std::error_code ec;
    if (!fs::exists(file, ec)) {
      without.push_back(label);
      continue;
    }
    const NumericTable table = read_numeric_table(file);
    const auto sse = table.column("sse");
    if (!sse || table.rows.empty() || !table.any_finite(*sse)) {
      without.push_back(label);
      continue;
    }
    add_trace(table, *sse, label, plot);
  }
  if (plot.drawn == 0) {
    plan.notes.push_back(
        "no iterative solver (no trace_<solver>.csv with an sse column): no convergence figure");
    return;
  }
  if (!without.empty())
    plan.notes.push_back(
        fmt::format("not in the convergence figure (no per-iteration trace): {}", fmt::join(without, ", ")));
  write_text(figures / "convergence.dat", plot.text);
  Figure figure{
      "convergence", experiment + ": convergence",
      std::string(weighted ? "χ², the sum of squared residuals weighted by 1/σ, "
                           : "The sum of squared residuals (SSE) ") +
          "of each iterative solver's model against the iteration (from trace_<solver>.csv): filled "
          "points the start and the accepted steps, open points the rejected trial steps." +
          (plot.log_scale ? " Logarithmic scale." : "")};
  std::string body =
      fmt::format("set title {}\nset grid\nset key top right box opaque\n", gnuplot_quote(figure.title));
  body += fmt::format("set xlabel {}\n", gnuplot_quote(plot.x_name == "iteration" ? "iteration" : plot.x_name));
  body += count_tics("x", plot.last_x);
  body += weighted ? "set ylabel 'χ² = Σ ((predicted − observed)/σ)²'\n"
                   : "set ylabel " + gnuplot_quote("SSE = Σ (predicted − observed)² [(" + data_unit_label(run.data_unit) + ")²]") + "\n";
  if (plot.log_scale) body += "set logscale y\nset format y '%g'\n";
  body += plot.plots + "\n";
  write_text(figures / "convergence.gp", script(figure, 900, 560, body));
  plan.figures.push_back(figure);
}

void loss_figures(const fs::path& dir, const RunRecord& run, const fs::path& figures, FigurePlan& plan,
                  std::set<std::string>& stems) {
  for (const auto& entry : run.results) {
    if (!entry.trained) continue;
    const std::string& label = entry.solver;
    const fs::path file = dir / ("loss_" + label + ".csv");
    std::error_code ec;
    if (!fs::exists(file, ec)) {
      plan.notes.push_back(
          fmt::format("{}: no loss_{}.csv (the model was loaded, not trained, in this run): no loss figure",
                      label, label));
      continue;
    }
    const NumericTable table = read_numeric_table(file);
    if (table.rows.empty() || table.header.size() < 2) {
      plan.notes.push_back(fmt::format("{}: loss_{}.csv has no epochs: no loss figure", label, label));
      continue;
    }
    // The first column counts epochs; the curves are the columns that measure a loss (loss, mse).
    std::vector<std::size_t> columns{0};
    bool log_scale = true;
    for (std::size_t c = 1; c < table.header.size(); ++c) {
      const std::string& name = table.header[c];
      if (name.find("loss") == std::string::npos && name.find("mse") == std::string::npos) continue;
      if (!table.any_finite(c)) continue;
      columns.push_back(c);
      log_scale = log_scale && table.positive_where_finite(c);
    }
    if (columns.size() == 1) {
      plan.notes.push_back(
          fmt::format("{}: loss_{}.csv has no finite loss column: no loss figure", label, label));
      continue;
    }
    const std::string stem = file_stem("loss_", label, stems);
    write_dat(figures / (stem + ".dat"), table, columns);
    const std::string& description = entry.training_description;
    Figure figure{stem, label + ": training loss per epoch",
                  "The training and validation losses of " + label + "'s network per epoch (loss_" + label +
                      ".csv; the columns are the plugin's own, see its README)" +
                      (description.empty() ? std::string(".") : "; " + description + ".") +
                      (log_scale ? " Logarithmic scale." : "")};
    std::string body = fmt::format("set title {}\nset grid\nset key top right box opaque\nset xlabel {}\n",
                                   gnuplot_quote(figure.title), gnuplot_quote(table.header[0]));
    body += count_tics("x", table.rows.back()[0]);
    body += "set ylabel 'loss (standardised targets, no unit)'\n";
    if (log_scale) body += "set logscale y\nset format y '%g'\n";
    for (std::size_t k = 1; k < columns.size(); ++k)
      body += fmt::format("{}'{}.dat' using 1:{} with lines lw 2 lc rgb '{}' title {}",
                          k == 1 ? "plot " : ", \\\n  ", stem, k + 1, colour(k - 1),
                          gnuplot_quote(table.header[columns[k]]));
    body += "\n";
    write_text(figures / (stem + ".gp"), script(figure, 900, 560, body));
    plan.figures.push_back(figure);
  }
}

}  // namespace

FigurePlan write_run_figures(const fs::path& dir, const RunRecord& run, const fs::path& figures) {
  FigurePlan plan;
  std::set<std::string> stems{"fit", "convergence"};
  fit_figure(dir, run, figures, plan);
  convergence_figure(dir, run, figures, plan);
  loss_figures(dir, run, figures, plan, stems);
  write_posterior_figures(dir, run, figures, plan, stems);
  return plan;
}

}  // namespace geoinv
