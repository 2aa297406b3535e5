// SPDX-License-Identifier: BSD-3-Clause
// The fixed-target table of a campaign's report.html.
#include <fmt/format.h>

#include <cmath>

#include "base/binomial_interval.hpp"
#include "reporting/fixed_target_report.hpp"
#include "reporting/html_text.hpp"

namespace geoinv {

namespace {

// At most this many rows (sweep points × solvers) are shown; fixed_target.csv holds them all.
constexpr std::size_t kMaxRows = 2000;

std::string evaluations_cell(double median) {
  if (std::isnan(median)) return "–";
  return std::isinf(median) ? "not reached by half" : fmt::format("{:.0f}", median);
}

std::string header_row(const FixedTargetStudy& study) {
  std::string html = "<tr>";
  for (const auto& axis : study.axis_columns) html += "<th>" + escape(axis) + "</th>";
  html += "<th>solver</th><th>runs</th><th>best RMS</th>";
  for (double precision : study.precisions)
    html += fmt::format("<th>reached τ = {0} [95 % CI]</th><th>median evaluations to τ = {0}</th>",
                        escape(precision_label(precision)));
  return html + "<th>median wall time [s]</th></tr>\n";
}

}  // namespace

std::string fixed_target_html(const FixedTargetStudy& study) {
  std::string html = "<h2>Fixed-target comparison</h2>\n";
  html += fmt::format(
      "<p>A run reaches target τ when its RMS is within τ of the best known RMS (√(Σ r²) ≤ (1 + τ)·√(best "
      "known Σ r²)); the best known is the least misfit any solver reached on {} in this campaign. "
      "Evaluations are forward evaluations, a chain's (<code>start_from</code>) counted from the start of "
      "the "
      "chain; a run that never reached a target counts as not reached (censored). Wall time is the solver's "
      "own. fixed_target.csv holds these numbers unrounded.</p>\n",
      study.instance == "run" ? "each run" : "each sweep point");
  html += "<div class=\"scroll\"><table>\n" + header_row(study);
  std::size_t shown = 0;
  for (const FixedTargetGroup& group : study.groups) {
    if (++shown > kMaxRows) break;
    html += "<tr>";
    for (const auto& value : group.values) html += "<td>" + escape(csv_cell(value)) + "</td>";
    html += fmt::format("<td>{}</td><td>{}</td><td>{}</td>", escape(study.solvers[group.solver]), group.runs,
                        std::isnan(group.best_rms) ? "–" : fmt::format("{:.4g}", group.best_rms));
    for (std::size_t t = 0; t < study.precisions.size(); ++t) {
      const ProportionInterval interval = wilson_interval(group.reached[t], group.runs);
      html += fmt::format("<td>{:.3f} [{:.3f}, {:.3f}]</td><td>{}</td>",
                          static_cast<double>(group.reached[t]) / static_cast<double>(group.runs),
                          interval.low, interval.high, evaluations_cell(group.median_evaluations[t]));
    }
    html += fmt::format("<td>{}</td></tr>\n", std::isnan(group.median_wall_time_s)
                                                  ? std::string("–")
                                                  : fmt::format("{:.4g}", group.median_wall_time_s));
  }
  html += "</table></div>\n";
  if (shown > kMaxRows)
    html += fmt::format("<p>The first {} rows of {}; fixed_target.csv holds them all.</p>\n", kMaxRows,
                        study.groups.size());
  return html;
}

}  // namespace geoinv
