// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/block_values.hpp"

#include <fmt/format.h>

#include <cmath>
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
  } else if (node.is_map()) {
    node.expect_map({"file"});
    const ConfigNode file = node.required("file");
    numbers = read_block_file(file, relative_to(experiment_file, path_value(file)));
  } else {
    node.fail(fmt::format("expected a number (every value of block {}), a list of {} numbers, or {{file: path}}",
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
