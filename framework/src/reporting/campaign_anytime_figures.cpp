// SPDX-License-Identifier: BSD-3-Clause
// A campaign's anytime figures: how fast each solver's misfit approaches the best known, and the ECDF of
// the evaluations it needs to reach each target (COCO's runtime distribution).
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "base/file_io.hpp"
#include "reporting/figure_files.hpp"
#include "reporting/fixed_target_report.hpp"
#include "reporting/gnuplot.hpp"
#include "reporting/solver_palette.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

// The palette repeats after 8 colours: the solvers after the first 8 get dashed lines, so that none shares
// its line style with another.
int dash_type(std::size_t solver) { return 1 + static_cast<int>(solver / 8); }

// The x axis of both figures: forward evaluations on a log scale, from 1 to the longest record.
std::int64_t last_evaluations(const FixedTargetStudy& study) {
  return study.grid.empty() ? 1 : study.grid.back();
}
std::string evaluations_axis(const FixedTargetStudy& study) {
  return fmt::format("set logscale x\nset xrange [1:{}]\nset xlabel 'forward evaluations'\n",
                     std::max<std::int64_t>(last_evaluations(study), 2));
}

std::string targets_text(const FixedTargetStudy& study) {
  std::vector<std::string> words;
  for (double precision : study.precisions) words.push_back(precision_label(precision));
  return fmt::format("{}", fmt::join(words, ", "));
}

std::string instance_text(const FixedTargetStudy& study) {
  return study.instance == "run" ? "its run (every run inverts its own data)"
                                 : "its sweep point (the replicates invert the same data)";
}

void write_excess_figure(const FixedTargetStudy& study, const std::string& name, const fs::path& figures,
                         FigurePlan& plan) {
  const double floor = 0.01 * *std::min_element(study.precisions.begin(), study.precisions.end());
  std::string text;
  for (std::size_t s = 0; s < study.solvers.size(); ++s) {
    text += fmt::format("# solver {}: evaluations median_rms_excess q25 q75 (drawn at least {})\n",
                        study.solvers[s], dat_number(floor));
    bool any = false;
    for (std::size_t g = 0; g < study.grid.size(); ++g) {
      const auto& q = study.excess[s][g];
      if (std::isnan(q[1])) continue;
      any = true;
      text += fmt::format("{} {} {} {}\n", study.grid[g], dat_number(std::max(q[1], floor)),
                          dat_number(std::max(q[0], floor)), dat_number(std::max(q[2], floor)));
    }
    if (!any) text += "NaN NaN NaN NaN\n";  // an empty block would shift the index of the next
    text += "\n\n";
  }
  write_text(figures / "anytime_rms_excess.dat", text);
  Figure figure{
      "anytime_rms_excess", name + ": misfit against forward evaluations",
      fmt::format("Per solver, the median over its runs (line) and the quartiles (band) of the RMS excess "
                  "over the best known, √(best Σ r² so far / best known Σ r²) − 1, against the forward "
                  "evaluations spent (a chain's from its start); the best known is the least misfit any "
                  "solver reached on {}. Values below {} are drawn at {}.",
                  instance_text(study), dat_number(floor), dat_number(floor))};
  std::string body = fmt::format(
      "set title {}\nset grid\nset key outside below horizontal\nset logscale y\nset format y '%g'\n"
      "set ylabel 'RMS excess over the best known'\nset style fill transparent solid 0.12 noborder\n",
      gnuplot_quote(figure.title));
  body += evaluations_axis(study);
  const SolverPalette palette(study.solvers);
  for (std::size_t s = 0; s < study.solvers.size(); ++s)
    body += fmt::format(
        "{0}'anytime_rms_excess.dat' index {1} using 1:3:4 with filledcurves lc rgb '{2}' notitle, \\\n"
        "  'anytime_rms_excess.dat' index {1} using 1:2 with lines lw 2 dt {4} lc rgb '{2}' title {3}",
        s ? ", \\\n  " : "plot ", s, palette.colour(study.solvers[s]), gnuplot_quote(study.solvers[s]),
        dash_type(s));
  body += "\n";
  write_text(figures / "anytime_rms_excess.gp", script(figure, 900, 580, body));
  plan.figures.push_back(figure);
}

void write_ecdf_figure(const FixedTargetStudy& study, const std::string& name, const fs::path& figures,
                       FigurePlan& plan) {
  const std::int64_t last = last_evaluations(study);
  std::string text;
  for (std::size_t s = 0; s < study.solvers.size(); ++s) {
    text += fmt::format("# solver {}: evaluations fraction_of_{}_run_target_pairs_reached\n",
                        study.solvers[s], study.pairs[s]);
    const auto& steps = study.ecdf[s];
    text += fmt::format("1 0\n");
    for (const EcdfStep& step : steps)
      text += fmt::format("{} {}\n", step.evaluations, dat_number(step.fraction));
    text += fmt::format("{} {}\n", std::max(last, steps.empty() ? 1 : steps.back().evaluations),
                        dat_number(steps.empty() ? 0.0 : steps.back().fraction));
    text += "\n\n";
  }
  write_text(figures / "ecdf_evaluations_to_target.dat", text);
  Figure figure{
      "ecdf_evaluations_to_target", name + ": evaluations to target (ECDF)",
      fmt::format("Per solver, the fraction of (run, target) pairs whose target was reached within the "
                  "forward evaluations on x (a chain's counted from its start). Targets: RMS within "
                  "τ ∈ {{{}}} of the best known RMS of {}; a pair never reached stays in the "
                  "denominator, so a line ends at the share reached at all.",
                  targets_text(study), instance_text(study))};
  std::string body = fmt::format(
      "set title {}\nset grid\nset key outside below horizontal\nset yrange [0:1.02]\n"
      "set ylabel 'fraction of (run, target) pairs reached'\n",
      gnuplot_quote(figure.title));
  body += evaluations_axis(study);
  const SolverPalette palette(study.solvers);
  for (std::size_t s = 0; s < study.solvers.size(); ++s)
    body += fmt::format(
        "{}'ecdf_evaluations_to_target.dat' index {} using 1:2 with steps lw 2 dt {} lc rgb '{}' title {}",
        s ? ", \\\n  " : "plot ", s, dash_type(s), palette.colour(study.solvers[s]),
        gnuplot_quote(study.solvers[s]));
  body += "\n";
  write_text(figures / "ecdf_evaluations_to_target.gp", script(figure, 900, 580, body));
  plan.figures.push_back(figure);
}

}  // namespace

void write_fixed_target_figures(const FixedTargetStudy& study, const std::string& campaign_name,
                                const fs::path& figures, FigurePlan& plan) {
  write_excess_figure(study, campaign_name, figures, plan);
  write_ecdf_figure(study, campaign_name, figures, plan);
}

}  // namespace geoinv
