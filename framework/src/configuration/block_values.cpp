// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/block_values.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <sstream>
#include <vector>

#include "base/csv.hpp"
#include "base/file_io.hpp"
#include "configuration/parameter_values.hpp"
#include "configuration/top_level_section.hpp"
#include "geoinv/error.hpp"

namespace geoinv {

namespace {

double read_number(const ConfigNode& node, bool allow_infinite) {
  return allow_infinite ? node.as_real_or_infinite() : node.as_real();
}

// The numbers of a block file; fails at `node` naming the line of anything that is not a number.
std::vector<double> read_block_file(const ConfigNode& node, const std::filesystem::path& file) {
  std::string text;
  try {
    text = read_text(file);
  } catch (const Error& e) {
    node.fail(fmt::format("cannot read the block file {}: {}", file.string(), e.what()));
  }
  std::vector<double> numbers;
  std::istringstream lines(text);
  std::string line;
  for (int line_number = 1; std::getline(lines, line); ++line_number) {
    if (!line.empty() && line[0] == '#') continue;
    for (char& c : line)
      if (c == ',' || c == '\t' || c == '\r') c = ' ';
    std::istringstream words(line);
    std::string word;
    while (words >> word) {
      const double value = parse_csv_number(word, CsvNumberRule::whole_cell);
      if (!std::isfinite(value))
        node.fail(fmt::format("{}:{}: '{}' is not a finite number", file.string(), line_number, word));
      numbers.push_back(value);
    }
  }
  return numbers;
}

// The wedge trace of node = {top, thickness, top_amplitude, base_amplitude} (block_values.hpp).
void read_wedge(const ConfigNode& node, Eigen::Ref<Vector> values) {
  node.expect_map({"top", "thickness", "top_amplitude", "base_amplitude"});
  const std::int64_t top = node.required("top").as_int();
  const std::int64_t thickness = node.required("thickness").as_int();
  const double top_amplitude = node["top_amplitude"].defined() ? node["top_amplitude"].as_real() : 0.2;
  const double base_amplitude = node["base_amplitude"].defined() ? node["base_amplitude"].as_real() : -0.2;
  if (top < 0 || top >= values.size())
    node["top"].fail(fmt::format("top must be a sample of the block, 0 to {}", values.size() - 1));
  if (thickness < 0 || top + thickness >= values.size())
    node["thickness"].fail(fmt::format("thickness must be 0 to {} samples (the base within the block)",
                                       values.size() - 1 - top));
  values.setZero();
  values(top) += top_amplitude;
  values(top + thickness) += base_amplitude;
}

}  // namespace

void read_block_values(const ConfigNode& node, const ParameterSpec& spec, const std::filesystem::path& experiment_file,
                       bool allow_infinite, Eigen::Ref<Vector> values) {
  const auto size = values.size();
  if (node.is_scalar()) {
    values.setConstant(from_display(spec, read_number(node, allow_infinite)));
    return;
  }
  std::vector<double> numbers;
  if (node.is_sequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) numbers.push_back(read_number(node.at(i), allow_infinite));
  } else if (node.is_map() && node["wedge"].defined()) {
    node.expect_map({"wedge"});
    Vector wedge(size);
    read_wedge(node["wedge"], wedge);
    numbers.assign(wedge.data(), wedge.data() + size);
  } else if (node.is_map()) {
    node.expect_map({"file", "wedge"});
    const ConfigNode file = node.required("file");
    numbers = read_block_file(file, relative_to(experiment_file, path_value(file)));
  } else {
    node.fail(fmt::format(
        "expected a number (every value of block {}), a list of {} numbers, {{file: path}} or {{wedge: ...}}",
        spec.name, size));
  }
  if (static_cast<Eigen::Index>(numbers.size()) != size)
    node.fail(fmt::format("block {} has {} values; {} given", spec.name, size, numbers.size()));
  for (Eigen::Index i = 0; i < size; ++i) values(i) = from_display(spec, numbers[static_cast<std::size_t>(i)]);
}

void emit_block_values(YAML::Emitter& out, const ParameterSpec& spec, const Eigen::Ref<const Vector>& values) {
  const bool constant = values.size() > 0 && (values.array() == values(0)).all();
  if (constant) {
    emit_number(out, to_display(spec, values(0)));
    return;
  }
  out << YAML::Flow << YAML::BeginSeq;
  for (Eigen::Index i = 0; i < values.size(); ++i) emit_number(out, to_display(spec, values(i)));
  out << YAML::EndSeq;
}

}  // namespace geoinv
