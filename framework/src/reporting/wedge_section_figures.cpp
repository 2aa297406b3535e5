// SPDX-License-Identifier: BSD-3-Clause
#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>

#include "base/csv.hpp"
#include "base/file_io.hpp"
#include "campaigns/wedge_summary.hpp"
#include "reporting/figure_files.hpp"
#include "reporting/figures.hpp"
#include "reporting/gnuplot.hpp"
#include "running/result_json.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

// One section: a trace per thickness (the first kept run of each), for one combination of the other
// sweep keys.
struct WedgeSection {
  std::string group;                         // the other sweep keys' values, "key=value, ..."
  std::string label;                         // the same of the keys with scalar values (a title's)
  std::map<long long, std::string> run_ids;  // by thickness
};

// The sections of a wedge campaign from results.csv, grouped by the other sweep keys.
std::vector<WedgeSection> wedge_sections(const fs::path& dir, const std::vector<std::string>& axes,
                                         const WedgeSweep& sweep) {
  std::ifstream results(dir / "results.csv");
  std::string line;
  std::getline(results, line);
  const std::vector<std::string> header = split_csv_line(line);
  const auto column = [&](const std::string& name) {
    return static_cast<std::size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  const std::size_t run_id = column("run_id"), thickness = column(sweep.thickness_key);
  if (run_id == header.size() || thickness == header.size()) return {};
  std::map<std::string, WedgeSection> sections;
  CsvFields row;
  while (std::getline(results, line)) {
    row.split(line);
    if (row.size() != header.size()) continue;  // a torn tail
    std::string group, label;  // a map or list value (a zipped solvers: entry) groups, but is no label
    for (const auto& axis : axes)
      if (axis != sweep.thickness_key && column(axis) < header.size()) {
        const std::string value(row[column(axis)]);
        group += (group.empty() ? "" : ", ") + axis + "=" + value;
        if (scalar_cell(value)) label += (label.empty() ? "" : ", ") + axis + "=" + value;
      }
    WedgeSection& section = sections[group];
    section.group = group;
    section.label = label;
    const auto k = std::llround(parse_csv_number(row[thickness], CsvNumberRule::whole_cell));
    if (!section.run_ids.count(k) && fs::exists(dir / "runs" / std::string(row[run_id]) / "result.json"))
      section.run_ids[k] = std::string(row[run_id]);
  }
  std::vector<WedgeSection> list;
  for (auto& [group, section] : sections) list.push_back(std::move(section));
  return list;
}

// One image of a section: `traces` by thickness, sample index down, a diverging palette centred on 0.
void section_figure(const std::string& stem, const std::string& title, const std::string& caption,
                    const std::map<long long, Eigen::VectorXd>& traces, double tuning, const fs::path& figures,
                    FigurePlan& plan) {
  std::string text = "# thickness sample value\n";
  double largest = 0.0;
  for (const auto& [k, trace] : traces) {
    for (Eigen::Index i = 0; i < trace.size(); ++i) {
      text += fmt::format("{} {} {}\n", k, i, dat_number(trace[i]));
      if (std::isfinite(trace[i])) largest = std::max(largest, std::abs(trace[i]));
    }
    text += "\n";
  }
  write_text(figures / (stem + ".dat"), text);
  const Figure figure{stem, title, caption};
  std::string body = fmt::format(
      "set xlabel 'wedge thickness [samples]'\nset ylabel 'sample'\nset yrange [*:*] reverse\n"
      "set autoscale xfix\nset autoscale yfix\n"
      "set palette defined (-1 '#2166ac', 0 '#f7f7f7', 1 '#b2182b')\nset cbrange [{0}:{1}]\n",
      dat_number(-(largest > 0 ? largest : 1.0)), dat_number(largest > 0 ? largest : 1.0));
  if (std::isfinite(tuning))
    body += fmt::format(
        "set arrow from first {0}, graph 0 to first {0}, graph 1 nohead front dt 2 lw 2 lc rgb '#000000'\n"
        "set label 'tuning' at first {0}, graph 1.02 center\n",
        dat_number(tuning));
  body += fmt::format("plot {} using 1:2:3 with image notitle\n", gnuplot_quote(stem + ".dat"));
  write_text(figures / (stem + ".gp"), script(figure, 900, 620, body));
  plan.figures.push_back(figure);
}

}  // namespace

namespace {

// The thickness below which a Ricker wavelet of peak frequency f cannot separate two reflectors (the
// tuning thickness, Kallweit and Wood 1982: 1/(2.31 f) in time), in samples of `dt` seconds.
double ricker_tuning_thickness(double frequency_hz, double dt) { return 1.0 / (2.31 * frequency_hz * dt); }

// The sample times of a run folder (fit.csv's x column).
Eigen::VectorXd sample_times(const fs::path& run_dir) {
  std::ifstream file(run_dir / "fit.csv");
  std::string line;
  std::getline(file, line);
  std::vector<double> x;
  while (std::getline(file, line)) x.push_back(parse_csv_number(line, CsvNumberRule::leading));
  return Eigen::Map<const Eigen::VectorXd>(x.data(), static_cast<Eigen::Index>(x.size()));
}

}  // namespace

double wedge_tuning_thickness(const fs::path& run_dir) {
  try {
    const YAML::Node forward = YAML::LoadFile((run_dir / "config.resolved.yaml").string())["forward"];
    const YAML::Node options = forward["options"];
    if (forward["plugin"].as<std::string>() != "convolution" || !options["wavelet"] ||
        options["wavelet"].as<std::string>() != "ricker" || !options["frequency_hz"])
      return kNaN;
    const Eigen::VectorXd times = sample_times(run_dir);
    if (times.size() < 2) return kNaN;
    return ricker_tuning_thickness(options["frequency_hz"].as<double>(), times[1] - times[0]);
  } catch (const YAML::Exception&) {
    return kNaN;
  }
}

void write_wedge_section_figures(const fs::path& dir, const nlohmann::json& campaign, const fs::path& figures,
                                 FigurePlan& plan) {
  const auto axes = campaign.at("axis_columns").get<std::vector<std::string>>();
  const auto sweep = find_wedge_sweep(axes);
  if (!sweep) return;
  std::set<std::string> stems;
  std::size_t index = 0;
  for (const WedgeSection& section : wedge_sections(dir, axes, *sweep)) {
    std::map<long long, Eigen::VectorXd> truth, data;
    std::map<std::string, std::map<long long, Eigen::VectorXd>> estimates;
    double tuning = kNaN;
    for (const auto& [k, run_id] : section.run_ids) {
      const fs::path run_dir = dir / "runs" / run_id;
      const RunRecord record = read_run_record(run_dir / "result.json");
      const ParameterLayout layout = run_layout(record);
      const auto block = layout.find(sweep->block);
      if (block && record.true_model)
        truth[k] = Eigen::Map<const Eigen::VectorXd>(record.true_model->data() + layout.offset(*block),
                                                     layout.size(*block));
      if (const auto observed = observed_trace(run_dir)) data[k] = *observed;
      for (const SolverRecord& result : record.results)  // the run's own: a campaign may sweep `solvers`
        if (const auto estimate = block_estimate(record, result.solver, sweep->block))
          estimates[result.solver][k] = *estimate;
      if (!std::isfinite(tuning)) tuning = wedge_tuning_thickness(run_dir);
    }
    std::vector<std::string> solvers;  // the section's runs' solvers: what tells zipped groups apart
    for (const auto& entry : estimates) solvers.push_back(entry.first);
    std::string where = section.label;
    if (section.label != section.group)
      where += fmt::format("{}runs of {}", where.empty() ? "" : ", ", fmt::join(solvers, ", "));
    where = where.empty() ? "" : " (" + where + ")";
    const std::string prefix = section.group.empty() ? "wedge_" : fmt::format("wedge{}_", index);
    std::string caption = "One trace per wedge thickness, sample index downwards; blue negative, red positive.";
    if (std::isfinite(tuning))
      caption += fmt::format(" The dashed line marks the Ricker tuning thickness 1/(2.31 f), {:.3g} samples.", tuning);
    if (!truth.empty())
      section_figure(file_stem(prefix, "truth", stems), "Wedge section: true " + sweep->block + where,
                     caption, truth, tuning, figures, plan);
    if (!data.empty())
      section_figure(file_stem(prefix, "data", stems), "Wedge section: data" + where,
                     caption, data, tuning, figures, plan);
    for (const auto& [solver, traces] : estimates)
      section_figure(file_stem(prefix, solver, stems), "Wedge section: " + solver + "'s " + sweep->block + where,
                     caption, traces, tuning, figures, plan);
    ++index;
  }
}

}  // namespace geoinv
