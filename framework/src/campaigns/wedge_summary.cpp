// SPDX-License-Identifier: BSD-3-Clause
#include "campaigns/wedge_summary.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

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

// The values of block `block` in one solver's entry of a run folder's result.json.
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

struct Section {
  std::vector<Eigen::Index> thicknesses;
  std::vector<bool> resolved;
};

}  // namespace

bool write_wedge_summary(const fs::path& dir) {
  const auto info = read_campaign_json(dir);
  const auto axes = info.at("axis_columns").get<std::vector<std::string>>();
  std::string thickness_key;
  for (const auto& axis : axes)
    if (ends_with(axis, kThicknessSuffix)) thickness_key = axis;
  if (thickness_key.empty()) return false;
  const std::string wedge_path = thickness_key.substr(0, thickness_key.size() - std::string(".thickness").size());
  const std::string without_wedge = wedge_path.substr(0, wedge_path.rfind('.'));
  const std::string block = without_wedge.substr(without_wedge.rfind('.') + 1);
  const YAML::Node base = wedge_node(dir / "base.yaml", wedge_path);

  std::ifstream results(dir / "results.csv");
  std::string line;
  std::getline(results, line);
  const std::vector<std::string> header = split_csv_line(line);
  const ResultColumns columns(header, {}, dir / "results.csv");
  std::vector<std::size_t> other_axes;
  for (const auto& axis : axes)
    if (axis != thickness_key) other_axes.push_back(columns.named(axis));
  const std::size_t thickness_column = columns.named(thickness_key);

  std::map<std::pair<std::string, std::string>, Section> sections;  // (other axes' values, solver)
  std::map<std::string, std::optional<RunRecord>> records;          // by run id
  CsvFields row;
  while (std::getline(results, line)) {
    row.split(line);
    if (row.size() != columns.count()) continue;  // a torn tail
    std::string key;
    for (const std::size_t c : other_axes) key += (key.empty() ? "" : ",") + csv_field(row[c]);
    const std::string run_id(row[columns.run_id()]), solver(row[columns.solver()]);
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
  }

  AtomicFileWriter out(dir / "wedge_summary.csv");
  std::string text;
  for (const auto& axis : axes)
    if (axis != thickness_key) text += csv_field(axis) + ",";
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
