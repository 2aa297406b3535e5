// SPDX-License-Identifier: BSD-3-Clause
#include "running/result_json.hpp"

#include <limits>
#include <nlohmann/json.hpp>

#include "base/file_io.hpp"
#include "geoinv/error.hpp"

namespace geoinv {

namespace {

using json = nlohmann::ordered_json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double number_or_nan(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_number() ? it->get<double>() : kNaN;
}

template <typename T>
std::optional<T> optional_number(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) return std::nullopt;
  return it->get<T>();
}

std::string word(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The member `key` of `object` when it is itself an object; null when missing or of another type.
const json* object_at(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_object() ? &*it : nullptr;
}

// The strings of an array of words; empty when missing or not an array, skipping what is not a string.
std::vector<std::string> words(const json& object, const char* key) {
  std::vector<std::string> values;
  const auto it = object.find(key);
  if (it == object.end() || !it->is_array()) return values;
  for (const auto& element : *it)
    if (element.is_string()) values.push_back(element.get<std::string>());
  return values;
}

// A {parameter: value} map in the parameters' order; a block's array gives its values name[0], name[1], ...
std::vector<double> per_parameter(const json& map, const std::vector<RunParameterRecord>& parameters) {
  std::vector<double> values;
  for (const auto& p : parameters) {
    if (p.block.empty()) {
      values.push_back(map.is_object() ? number_or_nan(map, p.name.c_str()) : kNaN);
      continue;
    }
    const auto block = map.is_object() ? map.find(p.block) : map.end();
    const bool present = block != map.end() && block->is_array() && p.index < block->size();
    values.push_back(present && (*block)[p.index].is_number() ? (*block)[p.index].get<double>() : kNaN);
  }
  return values;
}

// The "parameters" array, a block of size n as n records name[i] (RunParameterRecord).
void read_parameters(const json& parameters, std::vector<RunParameterRecord>& records) {
  for (const auto& p : parameters) {
    const std::string name = word(p, "name"), unit = word(p, "unit");
    const auto size = optional_number<std::size_t>(p, "size");
    if (!size) {
      records.push_back({name, unit, "", 0});
      continue;
    }
    for (std::size_t i = 0; i < *size; ++i) records.push_back({name + "[" + std::to_string(i) + "]", unit, name, i});
  }
}

// The objective of a solver's entry: its "regularization" (run_outputs.cpp: regularization_json).
ObjectiveTerms objective_terms_of(const json& entry) {
  ObjectiveTerms terms;
  const json* section = object_at(entry, "regularization");
  if (section == nullptr) return terms;
  const std::string type = word(*section, "type");
  for (const RegularizationKind kind : {RegularizationKind::tikhonov, RegularizationKind::l1, RegularizationKind::tv})
    if (type == to_string(kind)) terms.kind = kind;
  terms.order = static_cast<int>(optional_number<std::int64_t>(*section, "order").value_or(0));
  terms.lambda = number_or_nan(*section, "lambda");
  terms.reference = section->value("reference", false);
  return terms;
}

SolverRecord solver_record(const json& entry, const std::vector<RunParameterRecord>& parameters) {
  SolverRecord r;
  r.solver = word(entry, "solver");
  r.plugin = word(entry, "plugin");
  r.status = word(entry, "status");
  r.termination = word(entry, "termination");
  r.message = word(entry, "message");
  r.uncertainty_note = word(entry, "uncertainty_note");
  r.warnings = words(entry, "warnings");
  r.objective = objective_terms_of(entry);
  r.estimate = per_parameter(entry.value("estimate", json()), parameters);
  const json std_error = entry.value("std_error", json());
  if (std_error.is_object()) r.std_error = per_parameter(std_error, parameters);
  r.rms = number_or_nan(entry, "rms");
  r.chi2 = number_or_nan(entry, "chi2");
  r.aic = number_or_nan(entry, "aic");
  r.bic = number_or_nan(entry, "bic");
  r.wall_time_s = optional_number<double>(entry, "wall_time_s");
  r.num_parameters = optional_number<std::int64_t>(entry, "num_parameters");
  r.iterations = optional_number<std::int64_t>(entry, "iterations");
  r.forward_evaluations = optional_number<std::int64_t>(entry, "forward_evaluations");
  r.jacobian_evaluations = optional_number<std::int64_t>(entry, "jacobian_evaluations");
  const auto training = entry.find("training");
  r.trained = training != entry.end();
  if (r.trained && training->is_object()) r.training_description = word(*training, "description");
  if (const json* posterior = object_at(entry, "posterior")) {
    if (const json* files = object_at(*posterior, "files")) r.posterior_csv = word(*files, "csv");
    if (const json* waic = object_at(*posterior, "waic")) {
      r.waic = number_or_nan(*waic, "waic");
      r.waic_se = number_or_nan(*waic, "se");
      r.p_waic = number_or_nan(*waic, "p_waic");
    }
  }
  const json* regularization = object_at(entry, "regularization");
  if (const json* choice = regularization ? object_at(*regularization, "choice") : nullptr) {
    r.lambda_rule = word(*choice, "rule");
    r.lambda_inherited_from = word(*choice, "inherited_from");
    r.chosen_lambda = number_or_nan(*choice, "lambda");
    r.lambda_target = number_or_nan(*choice, "target");
  }
  return r;
}

void read_data(const json& data, RunRecord& record) {
  if (!data.is_object()) return;
  record.data_source = word(data, "source");
  record.data_file = word(data, "file");
  record.data_unit = word(data, "unit");
  record.data_count = optional_number<std::int64_t>(data, "count");
  record.sigma_known = data.value("sigma_known", false);
  record.noise_sigma = optional_number<double>(data, "noise_sigma");
  record.data_fingerprint = word(data, "fingerprint");
  record.data_notes = words(data, "notes");
}

}  // namespace

RunRecord read_run_record(const std::filesystem::path& file) {
  RunRecord record;
  record.file = file;
  try {
    const json root = json::parse(read_text(file));
    if (!root.contains("results") || !root["results"].is_array() || !root.contains("parameters"))
      throw Error(Error::Category::io, "not a geoinv result.json: no results or parameters", {file.string()});
    record.geoinv_version = word(root, "geoinv_version");
    record.experiment = word(root, "experiment");
    record.experiment_file = word(root, "experiment_file");
    const json forward = root.value("forward", json::object());
    record.forward_plugin = word(forward, "plugin");
    record.data_quantity = word(forward, "quantity");
    record.forward_unit = word(forward, "unit");
    if (forward.contains("background")) record.background = word(forward, "background");
    read_parameters(root.at("parameters"), record.parameters);
    read_data(root.value("data", json::object()), record);
    if (root.contains("true_model")) record.true_model = per_parameter(root["true_model"], record.parameters);
    if (root.contains("start_model")) record.start_model = per_parameter(root["start_model"], record.parameters);
    if (root.contains("seeds")) {
      record.experiment_seed = optional_number<std::uint64_t>(root["seeds"], "experiment");
      record.noise_seed = optional_number<std::uint64_t>(root["seeds"], "noise");
    }
    for (const auto& entry : root.at("results")) record.results.push_back(solver_record(entry, record.parameters));
  } catch (const json::exception& e) {
    throw Error(Error::Category::io, std::string("not a geoinv result.json: ") + e.what(), {file.string()});
  }
  return record;
}

ParameterLayout run_layout(const RunRecord& run) {
  ParameterSpecs specs;
  for (const auto& p : run.parameters) {
    if (!p.block.empty() && p.index > 0 && !specs.empty() && specs.back().name == p.block) {
      ++specs.back().size;
      continue;
    }
    ParameterSpec spec;
    spec.name = p.block.empty() ? p.name : p.block;
    spec.unit = p.unit;
    specs.push_back(std::move(spec));
  }
  return ParameterLayout(std::move(specs));
}

}  // namespace geoinv
