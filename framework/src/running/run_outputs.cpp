// SPDX-License-Identifier: BSD-3-Clause
#include "running/run_outputs.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "base/csv.hpp"
#include "base/file_io.hpp"
#include "geoinv/error.hpp"
#include "geoinv/version.hpp"
#include "running/block_summary.hpp"
#include "running/data_identity.hpp"
#include "running/fit_curves.hpp"
#include "running/lambda_sweep.hpp"
#include "running/posterior_band.hpp"
#include "running/posterior_outputs.hpp"

namespace geoinv {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

json number(double value) { return std::isfinite(value) ? json(value) : json(nullptr); }

// {name: value} per parameter; a block's value is an array of its values.
json display_map(const ParameterLayout& layout, const Vector& values, bool as_display) {
  json map = json::object();
  for (std::size_t p = 0; p < layout.count(); ++p) {
    const ParameterSpec& spec = layout.specs()[p];
    const auto shown = [&](Eigen::Index i) { return number(as_display ? to_display(spec, values(i)) : values(i)); };
    if (!layout.is_block(p)) {
      map[spec.name] = shown(layout.offset(p));
      continue;
    }
    json block = json::array();
    for (Eigen::Index i = layout.offset(p); i < layout.offset(p) + layout.size(p); ++i) block.push_back(shown(i));
    map[spec.name] = std::move(block);
  }
  return map;
}

// The anytime record (Problem::best_so_far), column by column: {"evaluations": [...], "best_cost": [...]}.
json anytime_json(const Trace& anytime) {
  json evaluations = json::array(), best_cost = json::array();
  for (std::size_t row = 0; row < anytime.num_rows(); ++row) {
    evaluations.push_back(static_cast<std::int64_t>(anytime.value(row, 0)));
    best_cost.push_back(number(anytime.value(row, 1)));
  }
  return {{"evaluations", std::move(evaluations)}, {"best_cost", std::move(best_cost)}};
}

}  // namespace

std::string trace_csv(const Trace& trace) {
  std::string text = fmt::format("{}\n", fmt::join(trace.columns(), ","));
  for (std::size_t row = 0; row < trace.num_rows(); ++row) {
    for (std::size_t column = 0; column < trace.columns().size(); ++column)
      text += (column ? "," : "") + csv_number(trace.value(row, column));
    text += "\n";
  }
  return text;
}

void check_output_dir(const fs::path& dir, bool overwrite) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return;
  if (!fs::is_directory(dir, ec))
    throw Error(Error::Category::io, "the output path exists and is not a folder", {dir.string()});
  if (fs::is_empty(dir, ec) || overwrite) return;
  throw Error(Error::Category::io,
              "the output folder already holds files; choose another with --out, or replace it with "
              "--overwrite (or output.overwrite: true)",
              {dir.string()});
}

namespace {

// The experiment's part of result.json: what ran on which data, with which seeds, start and budget.
json experiment_json(const Experiment& e) {
  json root;
  root["geoinv_version"] = version();
  root["schema_version"] = e.version;
  root["experiment"] = e.name;
  root["experiment_file"] = fs::absolute(e.file).lexically_normal().string();
  root["forward"] = {{"plugin", e.forward_plugin}};
  const DataQuantity quantity = e.forward->data_quantity();
  if (!quantity.name.empty()) root["forward"]["quantity"] = quantity.name;
  if (!quantity.unit.empty()) root["forward"]["unit"] = quantity.unit;
  json parameters = json::array();
  for (const auto& p : e.layout.specs()) {
    parameters.push_back({{"name", p.name}, {"unit", display_unit(p)}, {"is_angle", p.is_angle}});
    if (p.size != 1) parameters.back()["size"] = p.size;
  }
  root["parameters"] = parameters;
  root["data"] = {{"source", e.synthetic ? "synthetic" : "file"},
                  {"count", e.observed.size()},
                  {"sigma_known", e.sigma.size() > 0}};
  if (!e.synthetic) root["data"]["file"] = e.data_file.string();
  if (!e.data_unit.empty()) root["data"]["unit"] = e.data_unit;
  if (!e.data_notes.empty()) root["data"]["notes"] = e.data_notes;
  root["data"]["fingerprint"] = data_fingerprint(e.stations, e.observed, e.sigma);
  if (e.data_window) root["data"]["window"] = {e.data_window->first, e.data_window->second};
  root["forward"]["background"] = to_string(e.background);
  json seeds = {{"experiment", e.seed}};
  if (e.synthetic) {
    seeds["noise"] = e.noise_seed;
    root["true_model"] = display_map(e.layout, e.true_model, true);
    root["data"]["noise_sigma"] = e.noise_sigma;
    root["data"]["generated"] = {{"forward", e.forward_plugin},
                                 {"background", to_string(e.background)},
                                 {"true_model", display_map(e.layout, e.true_model, true)},
                                 {"noise_sigma", e.noise_sigma},
                                 {"noise_seed", e.noise_seed}};
  }
  root["seeds"] = seeds;
  root["start"] = {{"strategy", to_string(e.start_spec.strategy)}, {"count", e.starts.size()}};
  if (e.start_spec.strategy == StartSpec::Strategy::multistart) root["seeds"]["starts"] = e.start_spec.seed;
  if (e.starts.size() == 1) root["start_model"] = display_map(e.layout, e.starts.front(), true);
  root["budget"] = {{"max_forward_evaluations", e.budget.max_forward_evaluations},
                    {"max_wall_time_s", e.budget.max_wall_time_s}};
  return root;
}

// std_error, correlation, condition_number and uncertainty_note of one solver's entry.
void uncertainty_json(const Experiment& e, const Uncertainty& u, json& entry) {
  entry["std_error"] = u.available ? display_map(e.layout, u.std_error, true) : json(nullptr);
  if (u.available) {
    json rows = json::array();
    for (Eigen::Index i = 0; i < u.correlation.rows(); ++i) {
      json row = json::array();
      for (Eigen::Index j = 0; j < u.correlation.cols(); ++j) row.push_back(number(u.correlation(i, j)));
      rows.push_back(row);
    }
    entry["correlation"] = rows;
  } else {
    entry["correlation"] = nullptr;
  }
  entry["condition_number"] = number(u.condition_number);
  entry["uncertainty_note"] = u.note;
}

// A learning solver's training: apart from the inversion.
json training_json(const Experiment& e, const SolverRunResult& r) {
  json training = {{"trained_now", r.trained_now},
                   {"training_time_s", r.training_time_s},
                   {"description", r.training_description},
                   {"model_file", "models/" + r.label + ".model.json"}};
  if (r.validation_relative_error.size() == static_cast<Eigen::Index>(e.parameters.size()))
    training["validation_relative_error"] = display_map(e.layout, r.validation_relative_error, false);
  return training;
}

// Every start of a multistart solver and its outcome.
json starts_json(const Experiment& e, const SolverRunResult& r) {
  json starts = json::array();
  for (const auto& s : r.starts)
    starts.push_back({{"start", display_map(e.layout, s.start, true)},
                      {"estimate", display_map(e.layout, s.estimate, true)},
                      {"cost", number(s.cost)},
                      {"termination", to_string(s.termination)},
                      {"iterations", s.iterations},
                      {"forward_evaluations", s.counts.forward}});
  return starts;
}

// {name: {size, norm, nonzeros, correlation, nrmse}} per block (block_summary.hpp); the last two null
// without a truth.
json blocks_json(const Experiment& e, const SolverRunResult& r) {
  json blocks = json::object();
  for (const BlockSummary& b : summarise_blocks(e.layout, r.estimate, e.synthetic ? e.true_model : Vector()))
    blocks[b.name] = {{"size", b.size},
                      {"norm", number(b.norm)},
                      {"nonzeros", b.nonzeros},
                      {"correlation", number(b.correlation)},
                      {"nrmse", number(b.nrmse)}};
  return blocks;
}

// The objective every solver minimised, in words and symbols, and its parts at the estimate.
json regularization_json(const Experiment& e, const SolverRunResult& r) {
  const Regularization& reg = e.regularization;
  const double lambda = r.lambda_choice ? r.lambda_choice->lambda : reg.lambda;
  json section = {{"objective_definition", "Phi = sum(((d - f(m))/sigma)^2) + lambda*R(m)"},
                  {"type", to_string(reg.kind)},
                  {"lambda", lambda},
                  {"R", number(r.regularization_value)},
                  {"misfit", number(r.objective - lambda * r.regularization_value)},
                  {"objective", number(r.objective)}};
  if (reg.kind == RegularizationKind::tikhonov) section["order"] = reg.order;
  if (reg.reference.size() > 0) section["reference"] = true;  // R of m − m_ref (objective_statement.hpp)
  if (const auto& choice = r.lambda_choice) {
    json record = {{"rule", to_string(choice->rule)}, {"lambda", choice->lambda}};
    if (choice->inherited()) {
      record["inherited_from"] = choice->inherited_from;
    } else {
      record["points"] = choice->curve.size();
      record["curve"] = "lambda_choice.csv";
      if (choice->rule == LambdaRule::discrepancy) record["target"] = number(choice->target);
    }
    record["note"] = choice->note;
    section["choice"] = record;
  }
  return section;
}

json solver_json(const Experiment& e, const SolverRunResult& r) {
  json entry;
  entry["solver"] = r.label;
  entry["plugin"] = r.plugin;
  entry["status"] = to_string(r.status);
  entry["termination"] = to_string(r.termination);
  entry["message"] = r.message;
  entry["estimate"] = display_map(e.layout, r.estimate, true);
  uncertainty_json(e, r.uncertainty, entry);
  entry["rms"] = number(r.rms);
  entry["sse"] = number(r.sse);
  entry["chi2"] = number(r.chi2);
  entry["optimality"] = number(r.optimality);
  entry["aic"] = number(r.aic);
  entry["bic"] = number(r.bic);
  if (e.regularization.kind != RegularizationKind::none) entry["regularization"] = regularization_json(e, r);
  entry["num_parameters"] = e.parameters.size();
  entry["iterations"] = r.iterations;
  entry["forward_evaluations"] = r.counts.forward;
  entry["jacobian_evaluations"] = r.counts.jacobian;
  entry["wall_time_s"] = r.wall_time_s;
  entry["seed"] = r.seed;
  entry["anytime"] = anytime_json(r.anytime);
  if (e.synthetic) entry["relative_error"] = display_map(e.layout, r.relative_error, false);
  if (e.layout.has_blocks()) entry["blocks"] = blocks_json(e, r);
  json warnings = r.uncertainty.warnings;
  for (const auto& warning : r.warnings) warnings.push_back(warning);
  entry["warnings"] = warnings;
  if (!r.start_from.empty()) entry["start_from"] = r.start_from;
  if (r.learning) entry["training"] = training_json(e, r);
  if (r.starts.size() > 1) {
    entry["starts"] = starts_json(e, r);
    entry["best_start"] = r.best_start;
  }
  return entry;
}

// fit.csv: the stations, the data (and σ), and each solver's prediction and residual.
std::string fit_csv(const Experiment& e, const std::vector<SolverRunResult>& results) {
  std::string fit = "x,observed";
  if (e.sigma.size() > 0) fit += ",sigma";
  for (const auto& r : results) fit += ",predicted_" + r.label + ",residual_" + r.label;
  fit += "\n";
  for (Eigen::Index i = 0; i < e.observed.size(); ++i) {
    fit += csv_number(e.stations(i)) + "," + csv_number(e.observed(i));
    if (e.sigma.size() > 0) fit += "," + csv_number(e.sigma(i));
    for (const auto& r : results) {
      const double predicted = r.predicted.size() > i ? r.predicted(i) : std::numeric_limits<double>::quiet_NaN();
      fit += "," + csv_number(predicted) + "," + csv_number(predicted - e.observed(i));
    }
    fit += "\n";
  }
  return fit;
}

}  // namespace

std::string result_json(const Experiment& e, const std::vector<SolverRunResult>& results) {
  json root = experiment_json(e);
  json entries = json::array();
  for (const auto& r : results) entries.push_back(solver_json(e, r));
  add_posterior_json(e, results, entries);
  root["results"] = entries;
  return root.dump(2) + "\n";
}

// lambda_choice.csv: every solver's swept curve (docs/outputs.md); empty when no solver swept one.
std::string lambda_choice_csv(const std::vector<SolverRunResult>& results) {
  std::string text;
  for (const auto& r : results) {
    if (!r.lambda_choice || r.lambda_choice->inherited()) continue;
    if (text.empty()) text = "solver,lambda,misfit,regularization,gcv,curvature,refinement,chosen\n";
    const LambdaChoice& choice = *r.lambda_choice;
    for (std::size_t i = 0; i < choice.curve.size(); ++i) {
      const LambdaPoint& p = choice.curve[i];
      text += fmt::format("{},{},{},{},{},{},{},{}\n", csv_field(r.label), csv_number(p.lambda), csv_number(p.misfit),
                          csv_number(p.regularization), csv_number(p.gcv), csv_number(p.curvature),
                          p.refinement ? 1 : 0, i == choice.chosen ? 1 : 0);
    }
  }
  return text;
}

void write_run_directory(const fs::path& dir, bool overwrite, const Experiment& e,
                         const std::vector<SolverRunResult>& results,
                         const std::function<void(const fs::path&)>& before_rename) {
  check_output_dir(dir, overwrite);
  std::error_code ec;
  const fs::path parent = dir.has_parent_path() ? dir.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec) throw Error(Error::Category::io, "cannot create the folder: " + ec.message(), {parent.string()});
  const fs::path staging = parent / fmt::format(".{}.partial-{}", dir.filename().string(), ::getpid());
  fs::remove_all(staging, ec);
  fs::create_directory(staging, ec);
  // Named by the folder the user gave: the staging folder beside it is an internal name.
  if (ec) throw Error(Error::Category::io, "cannot create the output folder: " + ec.message(), {dir.string()});
  try {
    write_text(staging / "config.resolved.yaml", resolved_yaml(e));
    write_text(staging / "result.json", result_json(e, results));

    write_text(staging / "fit.csv", fit_csv(e, results));
    if (const std::string curves = fit_curves_csv(e, results); !curves.empty())
      write_text(staging / "fit_curves.csv", curves);
    if (const std::string band = posterior_band_csv(e, results); !band.empty())
      write_text(staging / "fit_posterior_band.csv", band);
    if (const std::string curve = lambda_choice_csv(results); !curve.empty())
      write_text(staging / "lambda_choice.csv", curve);

    for (const auto& r : results) {
      if (!r.learning) continue;
      fs::create_directories(staging / "models");
      fs::copy_file(r.model_file, staging / "models" / (r.label + ".model.json"), fs::copy_options::overwrite_existing);
      if (!r.training_epochs.empty()) write_text(staging / ("loss_" + r.label + ".csv"), trace_csv(r.training_epochs));
      if (!r.response_curve.columns().empty())
        write_text(staging / ("response_curve_" + r.label + ".csv"), trace_csv(r.response_curve));
    }
    for (const auto& r : results) {
      if (r.trace.columns().empty()) continue;
      write_text(staging / ("trace_" + r.label + ".csv"), trace_csv(r.trace));
    }
    write_posterior_files(staging, e, results);
    if (before_rename) before_rename(staging);
    if (fs::exists(dir, ec)) fs::remove_all(dir, ec);
    if (ec) throw Error(Error::Category::io, "cannot replace the old output folder: " + ec.message(), {dir.string()});
    fs::rename(staging, dir, ec);
    if (ec) throw Error(Error::Category::io, "cannot move the results into place: " + ec.message(), {dir.string()});
  } catch (...) {
    fs::remove_all(staging, ec);
    throw;
  }
}

std::string summary_table(const Experiment& e, const std::vector<SolverRunResult>& results) {
  std::vector<std::string> header{"solver", "status", "termination", "iter", "fwd", "time_s", "rms"};
  const ParameterLayout& layout = e.layout;
  for (const auto& p : layout.specs())
    header.push_back(p.size != 1 ? fmt::format("{}[{} values{}]", p.name, p.size,
                                               display_unit(p).empty() ? "" : ", " + display_unit(p))
                                 : p.name + "[" + display_unit(p) + "]");
  std::vector<std::vector<std::string>> rows{header};
  for (const auto& r : results) {
    std::vector<std::string> row{r.label,
                                 to_string(r.status),
                                 to_string(r.termination),
                                 std::to_string(r.iterations),
                                 std::to_string(r.counts.forward),
                                 fmt::format("{:.6f}", r.wall_time_s),
                                 fmt::format("{:.6g}", r.rms)};
    const std::vector<BlockSummary> blocks =
        summarise_blocks(layout, r.estimate, e.synthetic ? e.true_model : Vector());
    for (std::size_t p = 0, block = 0; p < layout.count(); ++p) {
      if (layout.is_block(p)) {
        row.push_back(describe_block(blocks[block++]));
        continue;
      }
      const Eigen::Index index = layout.offset(p);
      std::string cell = fmt::format("{:.7g}", to_display(layout.specs()[p], r.estimate(index)));
      if (r.uncertainty.available)
        cell += fmt::format(" ±{:.3g}", to_display(layout.specs()[p], r.uncertainty.std_error(index)));
      row.push_back(cell);
    }
    rows.push_back(row);
  }
  std::vector<std::size_t> widths(header.size(), 0);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  std::string text;
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < row.size(); ++c) text += fmt::format("{:<{}}", row[c], widths[c] + 2);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    text += "\n";
  }
  return text;
}

std::string summary_notes(const Experiment& e, const std::vector<SolverRunResult>& results) {
  std::string text;
  for (const auto& r : results) {
    if (!r.message.empty()) text += fmt::format("{}: {}\n", r.label, r.message);
    if (!r.uncertainty.note.empty()) text += fmt::format("{}: {}\n", r.label, r.uncertainty.note);
    for (const auto& warning : r.uncertainty.warnings) text += fmt::format("{}: warning: {}\n", r.label, warning);
    for (const auto& warning : r.warnings) text += fmt::format("{}: warning: {}\n", r.label, warning);
    if (r.learning)
      text += fmt::format("{}: {} ({}), training {:.3f} s apart from the inversion\n", r.label,
                          r.trained_now ? "trained" : "model", r.training_description, r.training_time_s);
    if (!r.start_from.empty()) text += fmt::format("{}: started from the estimate of {}\n", r.label, r.start_from);
    if (r.lambda_choice) text += fmt::format("{}: {}\n", r.label, describe_lambda_choice(*r.lambda_choice));
  }
  for (const auto& note : e.data_notes) text += fmt::format("data: {}\n", note);
  return text;
}

}  // namespace geoinv
