// SPDX-License-Identifier: BSD-3-Clause
#include <fmt/format.h>

#include <cmath>

#include "base/file_io.hpp"
#include "reporting/figure_files.hpp"
#include "reporting/figures.hpp"
#include "reporting/gnuplot.hpp"
#include "reporting/solver_palette.hpp"
#include "running/block_summary.hpp"
#include "running/result_json.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

bool any_finite(const std::vector<double>& values, Eigen::Index offset, Eigen::Index size) {
  for (Eigen::Index i = 0; i < size; ++i)
    if (std::isfinite(values[static_cast<std::size_t>(offset + i)])) return true;
  return false;
}

// block_<name>.dat: the sample index, the truth (NaN without one), then each drawn solver's estimate.
void block_figure(const RunRecord& run, const ParameterLayout& layout, std::size_t block, const fs::path& figures,
                  FigurePlan& plan, std::set<std::string>& stems) {
  const ParameterSpec& spec = layout.specs()[block];
  const Eigen::Index offset = layout.offset(block), size = layout.size(block);
  std::vector<const SolverRecord*> drawn;
  for (const auto& entry : run.results)
    if (entry.estimate.size() == run.parameters.size() && any_finite(entry.estimate, offset, size))
      drawn.push_back(&entry);
  std::string text = "# index truth";
  for (const SolverRecord* entry : drawn) text += " " + entry->solver;
  text += "\n";
  for (Eigen::Index i = 0; i < size; ++i) {
    const auto j = static_cast<std::size_t>(offset + i);
    text += fmt::format("{} {}", i, run.true_model ? dat_number((*run.true_model)[j]) : "NaN");
    for (const SolverRecord* entry : drawn) text += " " + dat_number(entry->estimate[j]);
    text += "\n";
  }
  const std::string stem = file_stem("block_", spec.name, stems);
  write_text(figures / (stem + ".dat"), text);
  const std::string experiment = run.experiment.empty() ? "run" : run.experiment;
  const Figure figure{stem, fmt::format("{}: block {} against sample index", experiment, spec.name),
                      fmt::format("The {} values of {} estimated by each solver{}; the table summarises each "
                                  "estimate (norm, non-zeros, correlation and NRMSE against the truth).",
                                  size, spec.name, run.true_model ? ", with the true block in black" : "")};
  std::vector<std::string> labels;
  for (const auto& entry : run.results) labels.push_back(entry.solver);
  const SolverPalette palette(labels);
  std::string body = fmt::format(
      "set grid\nset key top right box opaque\nset autoscale xfix\nset offsets 0, 0, graph 0.05, graph 0.05\n"
      "set xlabel 'sample index'\n"
      "set ylabel {}\nplot 0 with lines dt 2 lc rgb '#808080' notitle",
      gnuplot_quote(spec.name + (spec.unit.empty() ? "" : " [" + spec.unit + "]")));
  const std::string data = gnuplot_quote(stem + ".dat");
  if (run.true_model)
    body += fmt::format(", \\\n  {} using 1:2 with steps lw 2 lc rgb '#000000' title 'truth'", data);
  for (std::size_t k = 0; k < drawn.size(); ++k)
    body += fmt::format(", \\\n  {} using 1:{} with lines lw 1.5 lc rgb '{}' title {}", data, k + 3,
                        palette.colour(drawn[k]->solver), gnuplot_quote(drawn[k]->solver));
  body += "\n";
  write_text(figures / (stem + ".gp"), script(figure, 1000, 520, body));
  plan.figures.push_back(figure);
}

}  // namespace

void write_block_figures(const RunRecord& run, const fs::path& figures, FigurePlan& plan,
                         std::set<std::string>& stems) {
  const ParameterLayout layout = run_layout(run);
  for (std::size_t p = 0; p < layout.count(); ++p)
    if (layout.is_block(p)) block_figure(run, layout, p, figures, plan, stems);
}

}  // namespace geoinv
