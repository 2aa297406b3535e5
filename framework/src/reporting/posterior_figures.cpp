// SPDX-License-Identifier: BSD-3-Clause
// The figures of a sampler's draws (posterior_<solver>.csv or posterior.csv, named in result.json): a
// corner plot (each parameter's marginal histogram on the diagonal, each pair's draws below it, the true
// model marked for synthetic data) and trace plots (each parameter against the draw, one line per chain).
#include <fmt/format.h>

#include <algorithm>
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

constexpr std::size_t kMaxScatterPoints = 4000;  // per pair: enough for the shape, small enough for SVG
constexpr std::size_t kMaxTraceDraws = 500;      // per chain
constexpr int kHistogramBins = 30;

// The draws of one sampler: the parameter columns of its CSV and the chain column.
struct Draws {
  NumericTable table;
  std::size_t chain = 0;
  std::vector<std::size_t> parameters;  // columns, in RunRecord::parameters' order
};

std::optional<Draws> read_draws(const fs::path& file, const RunRecord& run) {
  Draws draws;
  draws.table = read_numeric_table(file);
  const auto chain = draws.table.column("chain");
  if (!chain || draws.table.rows.empty()) return std::nullopt;
  draws.chain = *chain;
  for (const auto& parameter : run.parameters) {
    const auto column = draws.table.column(parameter.name);
    if (!column) return std::nullopt;
    draws.parameters.push_back(*column);
  }
  return draws;
}

std::string axis_label(const RunParameterRecord& parameter) {
  return parameter.unit.empty() ? parameter.name : parameter.name + " [" + parameter.unit + "]";
}

// Every k-th row, so that at most `limit` rows remain.
NumericTable thinned(const NumericTable& table, std::size_t limit) {
  NumericTable out{table.header, {}};
  const std::size_t step = std::max<std::size_t>(1, (table.rows.size() + limit - 1) / limit);
  for (std::size_t row = 0; row < table.rows.size(); row += step) out.rows.push_back(table.rows[row]);
  return out;
}

std::pair<double, double> range_of(const NumericTable& table, std::size_t column) {
  double low = INFINITY, high = -INFINITY;
  for (const auto& row : table.rows)
    if (std::isfinite(row[column])) low = std::min(low, row[column]), high = std::max(high, row[column]);
  return {low, high};
}

// One panel of the corner plot at row i, column j of an n × n grid (screen coordinates).
std::string panel_margins(std::size_t i, std::size_t j, std::size_t n) {
  const double size = 0.86 / static_cast<double>(n), left = 0.1 + size * static_cast<double>(j),
               top = 0.95 - size * static_cast<double>(i);
  return fmt::format("set lmargin at screen {:.4f}\nset rmargin at screen {:.4f}\nset tmargin at screen {:.4f}\n"
                     "set bmargin at screen {:.4f}\n",
                     left, left + size * 0.92, top, top - size * 0.92);
}

std::string histogram_panel(const RunRecord& run, const Draws& draws, const std::string& stem, std::size_t i) {
  const auto [low, high] = range_of(draws.table, draws.parameters[i]);
  const double width = high > low ? (high - low) / kHistogramBins : 1.0;
  std::string body = "unset ytics\nset xtics auto\n";
  if (run.true_model && i < run.true_model->size() && std::isfinite((*run.true_model)[i]))
    body += fmt::format("set arrow from first {0}, graph 0 to first {0}, graph 1 nohead lw 2 lc rgb '#D55E00'\n",
                        dat_number((*run.true_model)[i]));
  body += fmt::format("plot '{}_all.dat' using ({}*floor(${}/{})+{}):(1) smooth frequency with boxes fs solid 0.5 "
                      "lc rgb '{}' notitle\nunset arrow\nset ytics auto\n",
                      stem, dat_number(width), i + 1, dat_number(width), dat_number(width / 2), colour(0));
  return body;
}

std::string scatter_panel(const RunRecord& run, const std::string& stem, std::size_t i, std::size_t j) {
  std::string body = fmt::format("plot '{}_scatter.dat' using {}:{} with points pt 7 ps 0.15 lc rgb '#C00072B2' notitle",
                                 stem, j + 1, i + 1);
  if (run.true_model && std::isfinite((*run.true_model)[i]) && std::isfinite((*run.true_model)[j]))
    body += fmt::format(", \\\n  '+' using ({}):({}) every ::0::0 with points pt 3 ps 2 lw 2 lc rgb '#D55E00' notitle",
                        dat_number((*run.true_model)[j]), dat_number((*run.true_model)[i]));
  return body + "\n";
}

void corner_figure(const RunRecord& run, const Draws& draws, const std::string& label, const std::string& stem,
                   const fs::path& figures, FigurePlan& plan) {
  write_dat(figures / (stem + "_all.dat"), draws.table, draws.parameters);
  write_dat(figures / (stem + "_scatter.dat"), thinned(draws.table, kMaxScatterPoints), draws.parameters);
  const std::size_t n = draws.parameters.size();
  Figure figure{stem, label + ": posterior corner plot",
                "The draws of " + label + " (the draws file named in result.json): on the diagonal each "
                "parameter's marginal histogram, below it the draws of each pair (at most " +
                    std::to_string(kMaxScatterPoints) + ", evenly thinned), darker where they are dense" +
                    (run.true_model ? "; the true model in orange." : ".")};
  std::string body = fmt::format("set multiplot title {}\nset grid\nset key off\n", gnuplot_quote(figure.title));
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t j = 0; j <= i; ++j) {
      body += panel_margins(i, j, n);
      body += i + 1 == n ? fmt::format("set xlabel {}\nset format x '%g'\nset xtics rotate by 35 right\n", gnuplot_quote(axis_label(run.parameters[j])))
                         : "unset xlabel\nset format x ''\n";
      body += j == 0 && i > 0 ? fmt::format("set ylabel {}\nset format y '%g'\n", gnuplot_quote(axis_label(run.parameters[i])))
                              : "unset ylabel\nset format y ''\n";
      body += i == j ? histogram_panel(run, draws, stem, i) : scatter_panel(run, stem, i, j);
    }
  body += "unset multiplot\n";
  const int size = static_cast<int>(std::max<std::size_t>(700, 220 * n));
  write_text(figures / (stem + ".gp"), script(figure, size, size, body));
  plan.figures.push_back(figure);
}

// The trace data: one block per chain (blank-line separated, so each chain is its own line), columns
// draw and each parameter, at most kMaxTraceDraws draws per chain.
void write_trace_blocks(const Draws& draws, const fs::path& file) {
  std::string text;
  double last_chain = NAN;
  std::vector<const std::vector<double>*> chain_rows;
  auto flush = [&] {
    const std::size_t step = std::max<std::size_t>(1, (chain_rows.size() + kMaxTraceDraws - 1) / kMaxTraceDraws);
    for (std::size_t k = 0; k < chain_rows.size(); k += step) {
      text += std::to_string(k);
      for (std::size_t c : draws.parameters) text += " " + dat_number((*chain_rows[k])[c]);
      text += "\n";
    }
    if (!chain_rows.empty()) text += "\n";
    chain_rows.clear();
  };
  for (const auto& row : draws.table.rows) {
    if (row[draws.chain] != last_chain) flush();
    last_chain = row[draws.chain];
    chain_rows.push_back(&row);
  }
  flush();
  write_text(file, text);
}

void trace_figure(const RunRecord& run, const Draws& draws, const std::string& label, const std::string& stem,
                  const fs::path& figures, FigurePlan& plan) {
  write_trace_blocks(draws, figures / (stem + ".dat"));
  const std::size_t n = draws.parameters.size();
  Figure figure{stem, label + ": trace plots",
                "Each parameter of " + label + "'s kept draws against the draw index, one line per chain "
                "(walker); at most " + std::to_string(kMaxTraceDraws) + " draws per chain, evenly thinned."};
  std::string body = fmt::format("set multiplot layout {},1 title {}\nset grid\nset key off\n", n,
                                 gnuplot_quote(figure.title));
  for (std::size_t i = 0; i < n; ++i) {
    body += fmt::format("set ylabel {}\n", gnuplot_quote(axis_label(run.parameters[i])));
    body += i + 1 == n ? "set xlabel 'draw'\n" : "unset xlabel\n";
    body += fmt::format("plot '{}.dat' using 1:{} with lines lw 0.5 lc rgb '#A00072B2' notitle\n", stem, i + 2);
  }
  body += "unset multiplot\n";
  write_text(figures / (stem + ".gp"), script(figure, 1000, static_cast<int>(180 * n + 80), body));
  plan.figures.push_back(figure);
}

}  // namespace

void write_posterior_figures(const fs::path& dir, const RunRecord& run, const fs::path& figures, FigurePlan& plan,
                             std::set<std::string>& stems) {
  for (const auto& entry : run.results) {
    if (entry.posterior_csv.empty()) continue;
    std::error_code ec;
    const fs::path file = dir / entry.posterior_csv;
    if (!fs::exists(file, ec)) {
      plan.notes.push_back(fmt::format("{}: no {}: no posterior figures", entry.solver, entry.posterior_csv));
      continue;
    }
    const std::optional<Draws> draws = read_draws(file, run);
    if (!draws) {
      plan.notes.push_back(fmt::format("{}: {} has no draws of every parameter: no posterior figures",
                                       entry.solver, entry.posterior_csv));
      continue;
    }
    corner_figure(run, *draws, entry.solver, file_stem("corner_", entry.solver, stems), figures, plan);
    trace_figure(run, *draws, entry.solver, file_stem("chains_", entry.solver, stems), figures, plan);
  }
}

}  // namespace geoinv
