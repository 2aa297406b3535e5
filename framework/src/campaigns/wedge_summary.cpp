// SPDX-License-Identifier: BSD-3-Clause
#include "campaigns/wedge_summary.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/csv.hpp"
#include "base/file_io.hpp"
#include "campaigns/campaign_io.hpp"
#include "campaigns/result_row.hpp"
#include "campaigns/wedge_resolution.hpp"
#include "running/result_json.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

constexpr const char* kThicknessSuffix = ".wedge.thickness";
constexpr const char* kDataRow = "data";  // the solver column of the data's own row

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The wedge node of the base experiment at the dotted `path` (e.g. data.synthetic.true_model.r.wedge).
YAML::Node wedge_node(const fs::path& base_file, const std::string& path) {
  YAML::Node node = YAML::LoadFile(base_file.string());
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = std::min(path.find('.', start), path.size());
    node.reset(node[path.substr(start, dot - start)]);
    if (!node.IsDefined()) return {};
    start = dot + 1;
  }
  return node;
}

// One key of the wedge: the row's sweep value when the sweep has it, else the base's, else `fallback`.
double wedge_value(const std::string& key, const YAML::Node& base, const std::vector<std::string>& header,
                   const CsvFields& row, const std::string& prefix, double fallback) {
  for (std::size_t c = 0; c < header.size(); ++c)
    if (header[c] == prefix + "." + key) return parse_csv_number(row[c], CsvNumberRule::whole_cell);
  return base && base[key] ? base[key].as<double>() : fallback;
}

}  // namespace

std::optional<WedgeSweep> find_wedge_sweep(const std::vector<std::string>& axis_columns) {
  for (const auto& axis : axis_columns) {
    if (!ends_with(axis, kThicknessSuffix)) continue;
    WedgeSweep sweep;
    sweep.thickness_key = axis;
    sweep.wedge_path = axis.substr(0, axis.size() - std::string(".thickness").size());
    const std::string without_wedge = sweep.wedge_path.substr(0, sweep.wedge_path.rfind('.'));
    sweep.block = without_wedge.substr(without_wedge.rfind('.') + 1);
    return sweep;
  }
  return std::nullopt;
}

std::optional<Eigen::VectorXd> block_estimate(const RunRecord& record, const std::string& solver,
                                              const std::string& block) {
  for (const SolverRecord& result : record.results) {
    if (result.solver != solver || result.status == "failed") continue;
    std::vector<double> values;
    for (std::size_t i = 0; i < record.parameters.size(); ++i)
      if (record.parameters[i].block == block) values.push_back(result.estimate[i]);
    return Eigen::Map<const Eigen::VectorXd>(values.data(), static_cast<Eigen::Index>(values.size()));
  }
  return std::nullopt;
}

// The observed data of a run folder (fit.csv's "observed" column): the trace the data row judges.
std::optional<Eigen::VectorXd> observed_trace(const fs::path& run_dir) {
  std::ifstream file(run_dir / "fit.csv");
  std::string line;
  if (!std::getline(file, line)) return std::nullopt;
  const std::vector<std::string> header = split_csv_line(line);
  const auto column = std::find(header.begin(), header.end(), "observed");
  if (column == header.end()) return std::nullopt;
  const auto c = static_cast<std::size_t>(column - header.begin());
  std::vector<double> values;
  CsvFields row;
  while (std::getline(file, line)) {
    row.split(line);
    if (row.size() != header.size()) return std::nullopt;
    values.push_back(parse_csv_number(row[c], CsvNumberRule::whole_cell));
  }
  return Eigen::Map<const Eigen::VectorXd>(values.data(), static_cast<Eigen::Index>(values.size()));
}

namespace {

struct Section {
  std::vector<Eigen::Index> thicknesses;
  std::vector<bool> resolved;
};

}  // namespace

bool scalar_cell(const std::string& cell) {
  try {
    return YAML::Load(cell).IsScalar();
  } catch (const YAML::Exception&) {
    return false;
  }
}

namespace {

// The sweep keys other than the thickness whose every value in results.csv is a scalar: wedge_summary.csv's
// leading columns, by their results.csv column.
std::vector<std::pair<std::string, std::size_t>> scalar_axes(const fs::path& results_file,
                                                             const std::vector<std::string>& axes,
                                                             const std::string& thickness_key) {
  std::ifstream results(results_file);
  std::string line;
  std::getline(results, line);
  const std::vector<std::string> header = split_csv_line(line);
  const ResultColumns columns(header, {}, results_file);
  std::vector<std::pair<std::string, std::size_t>> kept;
  std::vector<bool> scalar;
  for (const auto& axis : axes)
    if (axis != thickness_key) {
      kept.emplace_back(axis, columns.named(axis));
      scalar.push_back(true);
    }
  CsvFields row;
  while (std::getline(results, line)) {
    row.split(line);
    if (row.size() != columns.count()) continue;  // a torn tail
    for (std::size_t a = 0; a < kept.size(); ++a)
      if (scalar[a] && !scalar_cell(std::string(row[kept[a].second]))) scalar[a] = false;
  }
  std::vector<std::pair<std::string, std::size_t>> scalars;
  for (std::size_t a = 0; a < kept.size(); ++a)
    if (scalar[a]) scalars.push_back(kept[a]);
  return scalars;
}

}  // namespace

bool write_wedge_summary(const fs::path& dir) {
  const auto info = read_campaign_json(dir);
  const auto axes = info.at("axis_columns").get<std::vector<std::string>>();
  const auto sweep = find_wedge_sweep(axes);
  if (!sweep) return false;
  const std::string& thickness_key = sweep->thickness_key;
  const std::string& wedge_path = sweep->wedge_path;
  const std::string& block = sweep->block;
  const YAML::Node base = wedge_node(dir / "base.yaml", wedge_path);
  const auto group_axes = scalar_axes(dir / "results.csv", axes, thickness_key);

  std::ifstream results(dir / "results.csv");
  std::string line;
  std::getline(results, line);
  const std::vector<std::string> header = split_csv_line(line);
  const ResultColumns columns(header, {}, dir / "results.csv");
  const std::size_t thickness_column = columns.named(thickness_key);

  std::map<std::pair<std::string, std::string>, Section> sections;  // (scalar axes' values, solver)
  std::map<std::string, std::optional<RunRecord>> records;          // by run id
  CsvFields row;
  while (std::getline(results, line)) {
    row.split(line);
    if (row.size() != columns.count()) continue;  // a torn tail
    std::string key;
    for (const auto& axis : group_axes) key += (key.empty() ? "" : ",") + csv_field(row[axis.second]);
    const std::string run_id(row[columns.run_id()]), solver(row[columns.solver()]);
    const bool first_row_of_run = records.count(run_id) == 0;
    auto& record = records[run_id];
    const fs::path result_file = dir / "runs" / run_id / "result.json";
    if (!record && fs::exists(result_file)) record = read_run_record(result_file);
    if (!record) continue;
    WedgeTrace wedge;
    wedge.thickness = static_cast<Eigen::Index>(parse_csv_number(row[thickness_column], CsvNumberRule::whole_cell));
    wedge.top = static_cast<Eigen::Index>(wedge_value("top", base, header, row, wedge_path, 0));
    wedge.top_amplitude = wedge_value("top_amplitude", base, header, row, wedge_path, 0.2);
    wedge.base_amplitude = wedge_value("base_amplitude", base, header, row, wedge_path, -0.2);
    const auto estimate = block_estimate(*record, solver, block);
    Section& section = sections[{key, solver}];
    section.thicknesses.push_back(wedge.thickness);
    section.resolved.push_back(estimate && wedge_trace_resolved(*estimate, wedge));
    if (first_row_of_run) {  // the data row: the rule on the noisy data trace itself, once per run
      const auto data = observed_trace(dir / "runs" / run_id);
      Section& data_section = sections[{key, kDataRow}];
      data_section.thicknesses.push_back(wedge.thickness);
      data_section.resolved.push_back(data && wedge_trace_resolved(*data, wedge));
    }
  }

  AtomicFileWriter out(dir / "wedge_summary.csv");
  std::string text;
  for (const auto& axis : group_axes) text += csv_field(axis.first) + ",";
  text += "solver,traces,resolved_thickness\n";
  for (const auto& [key, section] : sections) {
    const auto resolved = resolved_thickness(section.thicknesses, section.resolved);
    text += (key.first.empty() ? "" : key.first + ",") + csv_field(key.second) + "," +
            std::to_string(section.thicknesses.size()) + "," + (resolved ? std::to_string(*resolved) : "") + "\n";
  }
  out.write(text);
  out.commit();
  return true;
}

}  // namespace geoinv
