// SPDX-License-Identifier: BSD-3-Clause
// The figures of a run folder: the data with each solver's fitted curve, convergence, training losses.
#include <fmt/format.h>

#include <cmath>
#include <set>

#include "base/file_io.hpp"
#include "reporting/figure_files.hpp"
#include "reporting/figures.hpp"
#include "reporting/gnuplot.hpp"
#include "reporting/solver_palette.hpp"
#include "running/result_json.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

// The experiment's name for titles.
std::string experiment_title(const RunRecord& run) { return run.experiment.empty() ? "run" : run.experiment; }

// The run's solver labels in the experiment's order: the palette's list (solver_palette.hpp).
std::vector<std::string> solver_labels(const RunRecord& run) {
  std::vector<std::string> labels;
  for (const auto& entry : run.results) labels.push_back(entry.solver);
  return labels;
}

// The fit figure's top panel: a curve per solver (and the truth, and the band), from fit_curves.dat when
// the run recorded the dense curves, else through the stations from fit.dat.
struct FitCurves {
  std::string file = "fit.dat";
  std::size_t truth = 0;                // column in `file`, 1-based; 0 when absent
  std::size_t band_low = 0, band_high = 0;  // columns in `file`; 0 when absent
  std::string band_label;
  // Samplers' 95 % posterior predictive bands, from fit_posterior_band.dat (running/posterior_band.hpp).
  struct PredictiveBand {
    std::string label;
    std::size_t low, high;  // columns in fit_posterior_band.dat
  };
  std::vector<PredictiveBand> predictive;
  std::size_t points = 0;  // rows of `file`
  struct Curve {
    std::string label;
    std::size_t column;  // in `file`
    double rms;
  };
  std::vector<Curve> solvers;
};

// fit_curves.dat from fit_curves.csv (running/fit_curves.hpp): the dense grid, the truth, each solver
// drawn in the fit figure, the band. Returns false when the run did not record the curves.
bool dense_curves(const fs::path& dir, const std::vector<FitCurves::Curve>& drawn, const fs::path& figures,
                  FitCurves& curves) {
  const fs::path file = dir / "fit_curves.csv";
  std::error_code ec;
  if (!fs::exists(file, ec)) return false;
  const NumericTable table = read_numeric_table(file);
  const auto x = table.column("x");
  if (!x || table.rows.empty()) return false;
  std::vector<std::size_t> columns{*x};
  if (const auto truth = table.column("true"); truth && table.any_finite(*truth)) {
    columns.push_back(*truth);
    curves.truth = columns.size();
  }
  for (const auto& [label, ignored, rms] : drawn) {
    const auto predicted = table.column("predicted_" + label);
    if (!predicted || !table.any_finite(*predicted)) continue;
    columns.push_back(*predicted);
    curves.solvers.push_back({label, columns.size(), rms});
    const auto low = table.column("band_low_" + label), high = table.column("band_high_" + label);
    if (!low || !high || !table.any_finite(*low)) continue;
    columns.push_back(*low);
    columns.push_back(*high);
    curves.band_low = columns.size() - 1;
    curves.band_high = columns.size();
    curves.band_label = label;
  }
  write_dat(figures / "fit_curves.dat", table, columns);
  curves.file = "fit_curves.dat";
  curves.points = table.rows.size();
  return true;
}

// fit_posterior_band.dat from fit_posterior_band.csv, when the run has one: each drawn sampler's band.
void predictive_bands(const fs::path& dir, const fs::path& figures, FitCurves& curves) {
  const fs::path file = dir / "fit_posterior_band.csv";
  std::error_code ec;
  if (!fs::exists(file, ec)) return;
  const NumericTable table = read_numeric_table(file);
  const auto x = table.column("x");
  if (!x || table.rows.empty()) return;
  std::vector<std::size_t> columns{*x};
  for (const auto& solver : curves.solvers) {
    const auto low = table.column("ppd_low_" + solver.label), high = table.column("ppd_high_" + solver.label);
    if (!low || !high || !table.any_finite(*low)) continue;
    columns.insert(columns.end(), {*low, *high});
    curves.predictive.push_back({solver.label, columns.size() - 1, columns.size()});
  }
  if (!curves.predictive.empty()) write_dat(figures / "fit_posterior_band.dat", table, columns);
}

// The top panel's plot command: the bands behind, the data, the truth, the solvers' curves.
std::string fit_plot(const FitCurves& curves, bool with_sigma, const SolverPalette& palette) {
  std::vector<std::string> terms;
  for (const auto& [label, low, high] : curves.predictive)
    terms.push_back(
        fmt::format("'fit_posterior_band.dat' using 1:{}:{} with filledcurves fc rgb '{}' fs "
                    "transparent pattern 4 border lc rgb '{}' title {}",
                    low, high, palette.colour(label), palette.colour(label),
                    gnuplot_quote(label + ": 95 % posterior predictive band (new data)")));
  if (curves.band_low)
    terms.push_back(fmt::format("'{}' using 1:{}:{} with filledcurves fc rgb '{}' fs transparent solid 0.2 "
                                "noborder title {}",
                                curves.file, curves.band_low, curves.band_high, palette.colour(curves.band_label),
                                gnuplot_quote(curves.band_label + ": 95 % prediction band")));
  terms.push_back(with_sigma ? "'fit.dat' using 1:2:3 with yerrorbars pt 7 ps 0.5 lc rgb '#404040' title "
                               "'observed ± σ'"
                             : "'fit.dat' using 1:2 with points pt 7 ps 0.6 lc rgb '#404040' title 'observed'");
  if (curves.truth)
    terms.push_back(fmt::format("'{}' using 1:{} with lines lw 1.5 dt 3 lc rgb '#000000' title 'true model'",
                                curves.file, curves.truth));
  for (std::size_t i = 0; i < curves.solvers.size(); ++i) {
    const auto& [label, column, rms] = curves.solvers[i];
    const std::string title = std::isfinite(rms) ? fmt::format("{} (RMS {:.4g})", label, rms) : label;
    // Solvers that found the same model draw the same curve: dash types keep each one visible.
    terms.push_back(fmt::format("'{}' using 1:{} with lines lw 2 dt {} lc rgb '{}' title {}", curves.file,
                                column, i % 5 + 1, palette.colour(label), gnuplot_quote(title)));
  }
  return fmt::format("plot {}\n", fmt::join(terms, ", \\\n  "));
}

// What the fit figure shows, for the report.
std::string fit_caption(const FitCurves& curves, bool with_sigma) {
  std::string caption = "Top: the observed data";
  if (with_sigma) caption += " with their ±σ error bars";
  if (curves.truth) caption += ", the true model's curve (synthetic data)";
  caption += " and each solver's predicted curve";
  caption += curves.points ? fmt::format(" on {} points across the profile", curves.points) : " at the stations";
  caption += ", with its RMS misfit";
  if (curves.band_low)
    caption += ", and the 95 % prediction band of the best solver, " + curves.band_label +
               " (linearised: fit_curves.csv in docs/outputs.md)";
  for (const auto& band : curves.predictive)
    caption += ", and " + band.label +
               "'s 95 % posterior predictive band of new data: parameter uncertainty and the likelihood's "
               "noise σ, from its draws (hatched; fit_posterior_band.csv in docs/outputs.md)";
  return caption + ". Bottom: the residuals at the stations, predicted − observed.";
}

void fit_figure(const fs::path& dir, const RunRecord& run, const fs::path& figures, FigurePlan& plan) {
  const std::string experiment = experiment_title(run);
  const std::string unit = data_unit_label(run_data_unit(run));
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
  const SolverPalette palette(solver_labels(run));
  FitCurves stations;  // the curves through the stations, in fit.dat
  std::vector<std::pair<std::string, std::size_t>> residuals;
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
    stations.solvers.push_back({label, columns.size(), entry.rms});
    columns.push_back(*residual);
    residuals.emplace_back(label, columns.size());
  }
  write_dat(figures / "fit.dat", table, columns);
  FitCurves dense;
  const bool smooth = dense_curves(dir, stations.solvers, figures, dense);
  if (!smooth)
    plan.notes.push_back("no fit_curves.csv (an older run folder, or a model with a value per station such as a trace): the "
                         "fitted curves join the stations");
  FitCurves& curves = smooth ? dense : stations;
  if (smooth) predictive_bands(dir, figures, curves);

  const std::string quantity = run.data_quantity.empty() ? "data" : run.data_quantity;
  const Figure figure{"fit", experiment + ": observed data and fitted curves",
                      fit_caption(curves, with_sigma)};
  // The key sits below the panels, across the figure's width, so the panels use the whole width.
  const std::size_t entries = 1 + (curves.truth ? 1 : 0) + (curves.band_low ? 1 : 0) +
                              curves.predictive.size() + curves.solvers.size();
  const double key_height = 0.035 * static_cast<double>((entries + 2) / 3);
  std::string body = fmt::format(
      "set multiplot title {}\n"
      "set grid\nset autoscale xfix\n"
      "set lmargin at screen 0.09\nset rmargin at screen 0.97\n"
      "set key at screen 0.5, screen 0.01 center bottom horizontal maxcols 3 box opaque\n"
      "set tmargin at screen 0.92\nset bmargin at screen {:.3f}\n"
      "set format x ''\nunset xlabel\n"
      "set ylabel {}\n",
      gnuplot_quote(figure.title), 0.42 + key_height, gnuplot_quote(quantity + " [" + unit + "]"));
  body += fit_plot(curves, with_sigma, palette);
  body += fmt::format(
      "unset key\nset format x '% h'\n"
      "set tmargin at screen {:.3f}\nset bmargin at screen {:.3f}\n"
      "set xlabel 'station position x [m]'\n"
      "set ylabel {}\n"
      "plot 0 with lines dt 2 lc rgb '#808080' notitle",
      0.40 + key_height, 0.085 + key_height, gnuplot_quote("residual [" + unit + "]"));
  for (const auto& [label, column] : residuals)
    body += fmt::format(", \\\n  'fit.dat' using 1:{} with linespoints pt 7 ps 0.4 lw 1 lc rgb '{}' notitle",
                        column, palette.colour(label));
  body += "\nunset multiplot\n";
  write_text(figures / "fit.gp", script(figure, 1000, 760, body));
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
void add_trace(const NumericTable& table, std::size_t sse, const std::string& label, const std::string& c,
               ConvergencePlot& plot) {
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
  ++plot.drawn;
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
  const SolverPalette palette(solver_labels(run));
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
    add_trace(table, *sse, label, palette.colour(label), plot);
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
      fmt::format("set title {}\nset grid\nset key below horizontal maxcols 2 box\n",
                  gnuplot_quote(figure.title));
  body += fmt::format("set xlabel {}\n", gnuplot_quote(plot.x_name == "iteration" ? "iteration" : plot.x_name));
  body += count_tics("x", plot.last_x);
  body += weighted ? "set ylabel 'χ² = Σ ((predicted − observed)/σ)²'\n"
                   : "set ylabel " + gnuplot_quote("SSE = Σ (predicted − observed)² [(" + data_unit_label(run_data_unit(run)) + ")²]") + "\n";
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
  write_lambda_figures(dir, run, figures, plan, stems);
  if (run_layout(run).has_blocks()) {
    write_block_figures(run, figures, plan, stems);
    write_run_crossplot(dir, run, figures, plan, stems);
    // A corner plot of hundreds of values would not be read: the block figure shows the estimates.
    for (const auto& entry : run.results)
      if (!entry.posterior_csv.empty())
        plan.notes.push_back(entry.solver + ": a model with parameter blocks: no corner or chain plots");
  } else {
    write_posterior_figures(dir, run, figures, plan, stems);
  }
  return plan;
}

}  // namespace geoinv
