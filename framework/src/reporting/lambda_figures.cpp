// SPDX-License-Identifier: BSD-3-Clause
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "base/csv.hpp"
#include "base/file_io.hpp"
#include "campaigns/campaign_io.hpp"
#include "reporting/figure_files.hpp"
#include "reporting/figures.hpp"
#include "reporting/gnuplot.hpp"
#include "running/result_json.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

// Each solver's rows of lambda_choice.csv as .dat lines: lambda misfit R gcv curvature chosen.
std::map<std::string, std::string> curves_by_solver(const fs::path& file) {
  std::map<std::string, std::string> curves;
  std::vector<std::size_t> columns;
  std::size_t c_solver = 0;
  for_each_csv_row(
      file,
      [&](const std::vector<std::string>& header) {
        c_solver = required_column(header, "solver", file);
        for (const char* name : {"lambda", "misfit", "regularization", "gcv", "curvature", "chosen"})
          columns.push_back(required_column(header, name, file));
      },
      [&](const std::vector<std::string>& fields) {
        std::string& text = curves[fields[c_solver]];
        for (std::size_t k = 0; k < columns.size(); ++k)
          text +=
              (k ? " " : "") + dat_number(parse_csv_number(fields[columns[k]], CsvNumberRule::whole_cell));
        text += "\n";
      });
  return curves;
}

// One curve of <stem>.dat, log-log: column `y` against column `x` (1-based), with the chosen point marked
// and `extra` plotted between (discrepancy's target line).
std::string curve_plot(const SolverRecord& entry, const std::string& data, int x, int y,
                       const std::string& axes, const std::string& title, const std::string& extra = "") {
  return fmt::format(
      "set logscale xy\n{0}plot {1} using {2}:{3} with linespoints pt 6 lc rgb '#0072B2' title {4}, "
      "\\\n{5}  {1} using {2}:($6 == 1 ? ${3} : 1/0) with points pt 7 ps 1.8 lc rgb '#D55E00' "
      "title {6}\n",
      axes, data, x, y, gnuplot_quote(title), extra,
      gnuplot_quote(fmt::format("chosen: lambda = {:.4g}", entry.chosen_lambda)));
}

// The gnuplot commands of one rule's figure over <stem>.dat (lambda misfit R gcv curvature chosen), and
// its caption.
std::pair<std::string, std::string> rule_plot(const SolverRecord& entry, const std::string& data) {
  const std::string misfit = "'misfit ||W(d - f(m))||^2'";
  if (entry.lambda_rule == "lcurve")
    return {
        curve_plot(entry, data, 2, 3, "set xlabel " + misfit + "\nset ylabel 'R(m)'\n", "L-curve"),
        "The L-curve: R(m) against the weighted misfit over the lambda grid, log-log; the corner (largest "
        "Menger curvature of three neighbouring points) is the chosen lambda."};
  if (entry.lambda_rule == "gcv")
    return {curve_plot(entry, data, 1, 4, "set xlabel 'lambda'\nset ylabel 'GCV(lambda)'\n", "GCV"),
            "Generalised cross-validation, N·misfit/(N − tr H)², against lambda; its minimum is the chosen "
            "lambda."};
  const std::string target = fmt::format(
      "  {} with lines dt 2 lw 2 lc rgb '#000000' title {}, \\\n", dat_number(entry.lambda_target),
      gnuplot_quote(fmt::format("target tau*N = {:.4g}", entry.lambda_target)));
  return {curve_plot(entry, data, 1, 2, "set xlabel 'lambda'\nset ylabel " + misfit + "\n", "misfit", target),
          "The discrepancy principle: the weighted misfit against lambda and the target tau·N (dashed); the "
          "chosen lambda meets it."};
}

}  // namespace

void write_lambda_figures(const fs::path& dir, const RunRecord& run, const fs::path& figures,
                          FigurePlan& plan, std::set<std::string>& stems) {
  const bool any = std::any_of(run.results.begin(), run.results.end(), [](const SolverRecord& entry) {
    return !entry.lambda_rule.empty() && entry.lambda_inherited_from.empty();
  });
  if (!any) return;
  if (!fs::exists(dir / "lambda_choice.csv")) {
    plan.notes.push_back("lambda_choice.csv is missing: no lambda-choice figure");
    return;
  }
  const std::map<std::string, std::string> curves = curves_by_solver(dir / "lambda_choice.csv");
  for (const SolverRecord& entry : run.results) {
    const auto curve = curves.find(entry.solver);
    if (entry.lambda_rule.empty() || !entry.lambda_inherited_from.empty() || curve == curves.end()) continue;
    const std::string stem = file_stem("lambda_", entry.solver, stems);
    write_text(figures / (stem + ".dat"), "# lambda misfit R gcv curvature chosen\n" + curve->second);
    const auto [body, caption] = rule_plot(entry, gnuplot_quote(stem + ".dat"));
    const Figure figure{stem, fmt::format("{}: lambda chosen by {}", entry.solver, entry.lambda_rule),
                        caption};
    write_text(figures / (stem + ".gp"), script(figure, 900, 560,
                                                "set grid\nset key top left box opaque\nset format x '%g'\n"
                                                "set format y '%g'\n" +
                                                    body));
    plan.figures.push_back(figure);
  }
}

}  // namespace geoinv
