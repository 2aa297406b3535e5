// SPDX-License-Identifier: BSD-3-Clause
// The campaign file read into a CampaignPlan, the specs of its runs, and their validation.
#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "base/csv.hpp"
#include "base/file_io.hpp"
#include "base/fingerprint.hpp"
#include "base/random.hpp"
#include "campaigns/campaign.hpp"
#include "campaigns/fixed_target.hpp"  // kDefaultTargetPrecisions
#include "campaigns/result_row.hpp"
#include "campaigns/run_loading.hpp"
#include "configuration/config_node.hpp"
#include "configuration/experiment.hpp"
#include "configuration/top_level_section.hpp"  // path_value
#include "geoinv/plugin_registry.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

std::string emit_flow(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar();
  YAML::Emitter out;
  out << YAML::Flow << node;
  return out.c_str();
}

// The most runs a campaign may have (docs/campaigns.md): run ids, seeds and the manifest stay far from
// any integer limit, and a typing slip fails here instead of as an allocation deep in the run queue.
constexpr std::int64_t kMaxRuns = 1000000000;

// `count` × `factor` (both at least 1), failing at `node` when it passes kMaxRuns; compared by division,
// so the product is never formed when it would overflow.
std::int64_t times_within_run_limit(std::int64_t count, std::int64_t factor, const ConfigNode& node,
                                    const std::string& what) {
  if (count > kMaxRuns / factor)
    node.fail(fmt::format("{} sweep points × {} {} is more than 10^9 runs, the limit of a campaign", count,
                          factor, what));
  return count * factor;
}

// Reads a list of sweep values: [a, b, ...] or {from, to, count[, spacing: linear|log]}. `points`: the
// sweep points of the axes read so far, so that a range that would pass 10^9 runs fails before its
// values are made.
void read_values(const ConfigNode& node, std::int64_t points, std::vector<std::string>& values,
                 std::vector<SourceLocation>& where) {
  if (node.is_sequence()) {
    if (node.size() == 0) node.fail("the list of values is empty");
    for (std::size_t i = 0; i < node.size(); ++i) {
      const ConfigNode value = node.at(i);
      if (!value.defined()) value.fail("a value is empty");
      values.push_back(emit_flow(value.yaml()));
      where.push_back(value.location());
    }
    return;
  }
  if (!node.is_map())
    node.fail("expected a list of values [a, b, ...] or a range {from: A, to: B, count: N}");
  node.expect_map({"from", "to", "count", "spacing"});
  const double from = node.required("from").as_real(), to = node.required("to").as_real();
  const ConfigNode count_node = node.required("count");
  const std::int64_t count = count_node.as_int();
  if (count < 1 || count > 100000000) count_node.fail("count must be between 1 and 100000000");
  times_within_run_limit(points, count, count_node, "values");
  bool log = false;
  if (const ConfigNode spacing = node["spacing"]; spacing.defined()) {
    const std::string word = spacing.as_string();
    if (word == "log")
      log = true;
    else if (word != "linear")
      spacing.fail("unknown spacing '" + word + "'; valid: linear, log");
    if (log && !(from > 0 && to > 0)) node.fail("log spacing needs from > 0 and to > 0");
  }
  for (std::int64_t k = 0; k < count; ++k) {
    const double t = count == 1 ? 0.0 : static_cast<double>(k) / static_cast<double>(count - 1);
    double value = log ? std::pow(10.0, std::log10(from) + t * (std::log10(to) - std::log10(from)))
                       : from + t * (to - from);
    if (k == count - 1) value = to;
    values.push_back(fmt::format("{}", value));
    where.push_back(node.location());
  }
}

void check_key(const ConfigNode& node, const std::string& key, std::set<std::string>& keys) {
  if (key == "seed" || key == "data.synthetic.seed" || key == "version")
    node.fail("'" + key + "' cannot be swept: run seeds derive from the campaign seed (use replicates)");
  if (key.empty() || key.front() == '.' || key.back() == '.' || key.find("..") != std::string::npos)
    node.fail("'" + key + "' is not a dotted key (e.g. data.synthetic.noise_sigma)");
  if (!keys.insert(key).second) node.fail("the key '" + key + "' is swept twice");
}

}  // namespace

std::string SuccessDefinition::describe() const {
  if (parameter.empty()) return "status != failed";
  return fmt::format("status != failed and |relative_error_{}| <= {}", parameter, relative_error);
}

bool KeepDetails::selects(std::int64_t run_id, bool failed) const {
  switch (kind) {
    case Kind::none:
      return false;
    case Kind::failures:
      return failed;
    case Kind::all:
      return true;
    case Kind::first:
      return run_id < first;
  }
  return false;
}

std::string KeepDetails::describe() const {
  switch (kind) {
    case Kind::none:
      return "none";
    case Kind::failures:
      return "failures";
    case Kind::all:
      return "all";
    case Kind::first:
      return fmt::format("first:{}", first);
  }
  return "none";
}

std::vector<std::string> CampaignPlan::axis_columns() const {
  std::vector<std::string> columns;
  for (const auto& axis : axes) columns.insert(columns.end(), axis.keys.begin(), axis.keys.end());
  return columns;
}

std::vector<std::string> CampaignPlan::value_columns() const {
  std::vector<std::string> columns = axis_columns();
  for (const auto& key : random) columns.push_back(key.key);
  return columns;
}

namespace {

// The base experiment, parsed once, with the campaign's solvers in place of its own when it gives them,
// and where each of its keys was written.
void read_base(const ConfigNode& root, const fs::path& file, CampaignPlan& plan) {
  const ConfigNode base = root.required("base");
  const fs::path written = path_value(base);
  plan.base_file = written.is_absolute() ? written : (file.parent_path() / written).lexically_normal();
  try {
    plan.base_root = parse_config_file(plan.base_file);
  } catch (const Error& error) {
    throw Error(error.category(), error.where().to_string() + ": " + error.message(), base.location(),
                base.path());
  }
  auto locations = std::make_shared<std::map<std::string, SourceLocation>>();
  index_locations(plan.base_root, "", plan.base_file.string(), *locations);
  if (const ConfigNode solvers = root["solvers"]; solvers.defined()) {
    solvers.expect_sequence();
    if (solvers.size() == 0) solvers.fail("list at least one solver");
    plan.base_root["solvers"] = YAML::Clone(solvers.yaml());
    for (auto it = locations->begin(); it != locations->end();)
      it = it->first == "solvers" || it->first.rfind("solvers.", 0) == 0 ? locations->erase(it)
                                                                         : std::next(it);
    index_locations(solvers.yaml(), "solvers", file.string(), *locations);
  }
  plan.locations = locations;
  const YAML::Node data = plan.base_root["data"];
  plan.synthetic = data.IsMap() && data["synthetic"].IsDefined() && data["synthetic"].IsMap();
}

// sweep.grid: one axis per key.
void read_grid(const ConfigNode& grid, std::set<std::string>& keys, CampaignPlan& plan) {
  for (const auto& [key, values] : grid.entries()) {
    check_key(values, key, keys);
    SweepAxis axis;
    axis.keys = {key};
    std::vector<std::string> list;
    std::vector<SourceLocation> where;
    read_values(values, plan.points, list, where);
    for (std::size_t i = 0; i < list.size(); ++i) {
      axis.values.push_back({list[i]});
      axis.where.push_back({where[i]});
    }
    plan.points = times_within_run_limit(plan.points, static_cast<std::int64_t>(list.size()), values,
                                         "values of " + key);
    plan.axes.push_back(std::move(axis));
  }
}

// sweep.zip: one axis per group of keys advanced together.
void read_zip(const ConfigNode& zip, std::set<std::string>& keys, CampaignPlan& plan) {
  std::vector<ConfigNode> groups;
  if (zip.is_sequence())
    for (std::size_t i = 0; i < zip.size(); ++i) groups.push_back(zip.at(i));
  else
    groups.push_back(zip);
  for (const auto& group : groups) {
    SweepAxis axis;
    std::size_t length = 0;
    std::vector<std::vector<std::string>> columns;
    std::vector<std::vector<SourceLocation>> column_where;
    for (const auto& [key, values] : group.entries()) {
      check_key(values, key, keys);
      std::vector<std::string> list;
      std::vector<SourceLocation> where;
      read_values(values, plan.points, list, where);
      if (!columns.empty() && list.size() != length)
        values.fail(fmt::format("zipped lists must have the same length: {} has {} values, {} has {}",
                                key, list.size(), axis.keys.front(), length));
      length = list.size();
      axis.keys.push_back(key);
      columns.push_back(std::move(list));
      column_where.push_back(std::move(where));
    }
    if (columns.empty()) group.fail("a zip group needs at least one key");
    for (std::size_t i = 0; i < length; ++i) {
      axis.values.emplace_back();
      axis.where.emplace_back();
      for (std::size_t k = 0; k < columns.size(); ++k) {
        axis.values.back().push_back(columns[k][i]);
        axis.where.back().push_back(column_where[k][i]);
      }
    }
    plan.points =
        times_within_run_limit(plan.points, static_cast<std::int64_t>(length), group, "zipped values");
    plan.axes.push_back(std::move(axis));
  }
}

// sweep.random: keys drawn afresh for every run.
void read_random(const ConfigNode& random, std::set<std::string>& keys, CampaignPlan& plan) {
  for (const auto& [key, spec] : random.entries()) {
    check_key(spec, key, keys);
    spec.expect_map({"uniform", "log_uniform"});
    RandomKey draw;
    draw.key = key;
    draw.where = spec.location();
    const auto entries = spec.entries();
    if (entries.size() != 1)
      spec.fail("give one distribution: {uniform: [lower, upper]} or {log_uniform: [lower, upper]}");
    const auto& [word, pair] = entries.front();
    draw.distribution =
        word == "uniform" ? RandomKey::Distribution::uniform : RandomKey::Distribution::log_uniform;
    if (!pair.is_sequence() || pair.size() != 2) pair.fail("expected [lower, upper]");
    draw.lower = pair.at(0).as_real();
    draw.upper = pair.at(1).as_real();
    if (!(draw.lower < draw.upper)) pair.fail("lower must be below upper");
    if (draw.distribution == RandomKey::Distribution::log_uniform && !(draw.lower > 0))
      pair.fail("log_uniform needs lower > 0");
    plan.random.push_back(draw);
  }
}

void read_sweep(const ConfigNode& sweep, CampaignPlan& plan) {
  std::set<std::string> keys;
  sweep.expect_map({"grid", "zip", "replicates", "random"});
  if (const ConfigNode grid = sweep["grid"]; grid.defined()) read_grid(grid, keys, plan);
  if (const ConfigNode zip = sweep["zip"]; zip.defined()) read_zip(zip, keys, plan);
  if (const ConfigNode replicates = sweep["replicates"]; replicates.defined()) {
    plan.replicates = replicates.as_int();
    if (plan.replicates < 1) replicates.fail("replicates must be at least 1");
    plan.runs = times_within_run_limit(plan.points, plan.replicates, replicates, "replicates");
  }
  if (const ConfigNode random = sweep["random"]; random.defined()) read_random(random, keys, plan);
}

// keep_details: none | failures | all | first:N
void read_keep(const ConfigNode& keep, CampaignPlan& plan) {
  const std::string word = keep.as_string();
  if (word == "none")
    plan.keep.kind = KeepDetails::Kind::none;
  else if (word == "failures")
    plan.keep.kind = KeepDetails::Kind::failures;
  else if (word == "all")
    plan.keep.kind = KeepDetails::Kind::all;
  else if (word.rfind("first:", 0) == 0) {
    plan.keep.kind = KeepDetails::Kind::first;
    const std::string number = word.substr(6);
    if (number.empty() || number.find_first_not_of("0123456789") != std::string::npos || number.size() > 12)
      keep.fail("expected first:N with N a non-negative integer");
    plan.keep.first = std::stoll(number);
  } else {
    keep.fail("unknown keep_details '" + word + "'; valid: none, failures, all, first:N");
  }
}

// fixed_target: {precisions: [0.1, 0.01, 0.001]}: distinct relative precisions in (0, 1].
void read_fixed_target(const ConfigNode& fixed, CampaignPlan& plan) {
  fixed.expect_map({"precisions"});
  const ConfigNode precisions = fixed["precisions"];
  if (!precisions.defined()) {
    plan.target_precisions = kDefaultTargetPrecisions;
    return;
  }
  precisions.expect_sequence();
  if (precisions.size() == 0) precisions.fail("give at least one precision, e.g. [0.1, 0.01, 0.001]");
  for (std::size_t i = 0; i < precisions.size(); ++i) {
    const ConfigNode item = precisions.at(i);
    const double precision = item.as_real();
    if (!(precision > 0 && precision <= 1))
      item.fail("a precision is a relative RMS excess in (0, 1], e.g. 0.01 for 1 %");
    if (std::find(plan.target_precisions.begin(), plan.target_precisions.end(), precision) !=
        plan.target_precisions.end())
      item.fail("the precision is given twice");
    plan.target_precisions.push_back(precision);
  }
}

}  // namespace

namespace {
constexpr std::string_view kCampaignPrefix = "campaign.";

// The command line's --set, split: the campaign file's (prefix removed) and the base experiment's.
std::pair<std::vector<std::string>, std::vector<std::string>> split_overrides(
    const std::vector<std::string>& overrides) {
  std::vector<std::string> campaign, base;
  for (const auto& assignment : overrides) {
    const std::size_t key = assignment.rfind('~', 0) == 0 ? 1 : 0;
    if (assignment.compare(key, kCampaignPrefix.size(), kCampaignPrefix) == 0)
      campaign.push_back(assignment.substr(0, key) + assignment.substr(key + kCampaignPrefix.size()));
    else
      base.push_back(assignment);
  }
  return {campaign, base};
}
}  // namespace

CampaignPlan load_campaign(const fs::path& file, const std::vector<std::string>& overrides) {
  CampaignPlan plan;
  plan.file = file;
  auto [campaign_overrides, base_overrides] = split_overrides(overrides);
  const ConfigNode root = load_config_file(file, campaign_overrides, std::string(kCampaignPrefix));
  root.expect_map({"version", "name", "seed", "base", "sweep", "solvers", "keep_details", "success",
                   "fixed_target"});
  const ConfigNode version = root.required("version");
  if (version.as_int() != kSchemaVersion)
    version.fail(fmt::format("unsupported campaign version {}; this geoinv reads version {}",
                             version.as_int(), kSchemaVersion));
  plan.name = root["name"].defined() ? root["name"].as_string() : file.stem().string();
  if (plan.name.find_first_of("/\\") != std::string::npos) root["name"].fail("a name cannot contain slashes");
  plan.seed = read_seed(root, plan.seed);
  read_base(root, file, plan);
  if (const ConfigNode sweep = root["sweep"]; sweep.defined()) read_sweep(sweep, plan);
  plan.runs = plan.points * plan.replicates;  // each factor was checked against kMaxRuns as it was read
  if (const ConfigNode keep = root["keep_details"]; keep.defined()) read_keep(keep, plan);
  if (const ConfigNode success = root["success"]; success.defined()) {
    success.expect_map({"parameter", "relative_error"});
    plan.success.parameter = success.required("parameter").as_string();
    const ConfigNode threshold = success.required("relative_error");
    plan.success.relative_error = threshold.as_real();
    if (!(plan.success.relative_error > 0)) threshold.fail("relative_error must be positive");
  }
  if (const ConfigNode fixed = root["fixed_target"]; fixed.defined()) read_fixed_target(fixed, plan);
  plan.fingerprint = fingerprint(read_text(plan.base_file), fingerprint(read_text(file)));
  for (const auto& assignment : overrides) plan.fingerprint = fingerprint(assignment, plan.fingerprint);
  plan.base_overrides = std::move(base_overrides);
  // A malformed --set (no '=', a key path the base cannot take) fails here as a command-line error, before
  // each run's errors are attributed to the campaign file.
  std::vector<std::pair<std::string, SourceLocation>> located;
  for (const auto& assignment : plan.base_overrides) located.emplace_back(assignment, SourceLocation{});
  config_from_node(plan.base_root, plan.base_file, located, plan.locations);
  return plan;
}

RunSpec make_run_spec(const CampaignPlan& plan, std::int64_t run_id) {
  RunSpec spec;
  spec.run_id = run_id;
  spec.point = run_id / plan.replicates;
  spec.replicate = run_id % plan.replicates;
  spec.seed = derive_seed(plan.seed, static_cast<std::uint64_t>(run_id)) & kSeedMask;
  // Mixed radix: the last axis varies fastest.
  spec.positions.resize(plan.axes.size());
  std::int64_t rest = spec.point;
  for (std::size_t a = plan.axes.size(); a-- > 0;) {
    const auto size = static_cast<std::int64_t>(plan.axes[a].values.size());
    spec.positions[a] = static_cast<std::size_t>(rest % size);
    rest /= size;
  }
  for (std::size_t a = 0; a < plan.axes.size(); ++a) {
    const auto& values = plan.axes[a].values[spec.positions[a]];
    spec.values.insert(spec.values.end(), values.begin(), values.end());
  }
  if (!plan.random.empty()) {
    NormalGenerator generator(derive_seed(spec.seed, 5000));
    for (const auto& draw : plan.random) {
      const double u = generator.uniform();
      const double value =
          draw.distribution == RandomKey::Distribution::uniform
              ? draw.lower + u * (draw.upper - draw.lower)
              : std::exp(std::log(draw.lower) + u * (std::log(draw.upper) - std::log(draw.lower)));
      spec.values.push_back(fmt::format("{}", value));
    }
  }
  return spec;
}

std::vector<std::pair<std::string, SourceLocation>> run_overrides(const CampaignPlan& plan, const RunSpec& spec) {
  std::vector<std::pair<std::string, SourceLocation>> overrides;
  for (const auto& assignment : plan.base_overrides) overrides.emplace_back(assignment, SourceLocation{});
  std::size_t column = 0;  // spec.values holds the axes' keys in order, then the random draws
  for (std::size_t a = 0; a < plan.axes.size(); ++a) {
    const SweepAxis& axis = plan.axes[a];
    for (std::size_t k = 0; k < axis.keys.size(); ++k)
      overrides.emplace_back(axis.keys[k] + "=" + spec.values[column++], axis.where[spec.positions[a]][k]);
  }
  for (const auto& draw : plan.random) overrides.emplace_back(draw.key + "=" + spec.values[column++], draw.where);
  overrides.emplace_back(fmt::format("seed={}", spec.seed), SourceLocation{plan.file.string()});
  if (plan.synthetic)
    overrides.emplace_back(fmt::format("data.synthetic.seed={}", derive_seed(spec.seed, 0) & kSeedMask),
                           SourceLocation{plan.file.string()});
  return overrides;
}


Experiment load_run(const CampaignPlan& plan, const YAML::Node& base_root, PluginRegistry& registry,
                    const RunSpec& spec) {
  try {
    const ConfigNode root = config_from_node(base_root, plan.base_file, run_overrides(plan, spec), plan.locations);
    return load_experiment(root, plan.base_file, registry, false);
  } catch (const Error& error) {
    if (error.category() == Error::Category::usage)  // a key path that does not fit the base
      throw Error(Error::Category::config, error.message() + fmt::format(" (run {})", spec.run_id),
                  {plan.file.string()});
    throw;
  }
}

void add_plugin_paths(const CampaignPlan& plan, PluginRegistry& registry) {
  const YAML::Node paths = plan.base_root["plugin_paths"];
  if (!paths.IsDefined() || !paths.IsSequence()) return;
  for (const auto& entry : paths) {
    if (!entry.IsScalar()) continue;  // load_experiment reports it
    const fs::path written = entry.Scalar();
    registry.add_path(written.is_absolute() ? written
                                            : (plan.base_file.parent_path() / written).lexically_normal());
  }
}

namespace {

std::vector<std::string> labels_of(const Experiment& experiment) {
  std::vector<std::string> labels;
  for (const auto& solver : experiment.solvers) labels.push_back(solver.label);
  return labels;
}

// Fills plan.solvers. `first`: run 0's labels; `changes[a]`: whether some position of axis a (the others
// at their first value) gave other labels. The labels of a run are those of its experiment, which only
// reading it gives exactly (a label defaults to the plugin's name, made unique), so they are read, not
// guessed from the swept YAML; but they depend only on the positions of the axes that change them, so
// one run per combination of those positions is read once, here, and runs find theirs by id
// (run_solver_sets.hpp). With a single such axis (a zip of solvers with noise levels) no run is read
// beyond those validate_campaign reads anyway.
void record_run_solvers(CampaignPlan& plan, std::vector<std::string> first, const std::vector<bool>& changes,
                        const std::vector<std::int64_t>& strides, const YAML::Node& base,
                        PluginRegistry& registry, std::map<std::int64_t, std::vector<std::string>>& read) {
  std::vector<std::size_t> solver_axes;
  for (std::size_t a = 0; a < changes.size(); ++a)
    if (changes[a]) solver_axes.push_back(a);
  if (solver_axes.empty()) {
    plan.solvers = RunSolverSets(std::move(first));
    return;
  }
  std::vector<std::int64_t> axis_sizes;
  for (const auto& axis : plan.axes) axis_sizes.push_back(static_cast<std::int64_t>(axis.values.size()));
  std::int64_t combinations = 1;
  for (const std::size_t a : solver_axes) combinations *= axis_sizes[a];
  std::vector<std::vector<std::string>> labels;
  for (std::int64_t combination = 0; combination < combinations; ++combination) {
    std::int64_t id = 0, rest = combination;  // the last solver axis fastest
    for (std::size_t k = solver_axes.size(); k-- > 0;) {
      id += (rest % axis_sizes[solver_axes[k]]) * strides[solver_axes[k]];
      rest /= axis_sizes[solver_axes[k]];
    }
    auto known = read.find(id);
    if (known == read.end())
      known = read.emplace(id, labels_of(load_run(plan, base, registry, make_run_spec(plan, id)))).first;
    labels.push_back(known->second);
  }
  plan.solvers = RunSolverSets(std::move(axis_sizes), plan.replicates, std::move(solver_axes), labels);
}

}  // namespace

void validate_campaign(CampaignPlan& plan) {
  PluginRegistry registry;
  add_plugin_paths(plan, registry);
  const YAML::Node base = YAML::Clone(plan.base_root);
  // The first run, then for each axis every position once (the others at their first value).
  std::vector<std::int64_t> strides(plan.axes.size());  // run ids between two positions of each axis
  std::int64_t stride = plan.replicates;
  for (std::size_t a = plan.axes.size(); a-- > 0;) {
    strides[a] = stride;
    stride *= static_cast<std::int64_t>(plan.axes[a].values.size());
  }
  std::map<std::int64_t, std::vector<std::string>> read;  // run id → its labels, for each run read
  const Experiment first = load_run(plan, base, registry, make_run_spec(plan, 0));
  bool chooses_lambda = first.lambda_choice.has_value();
  read.emplace(0, labels_of(first));
  ParameterColumns columns = parameter_columns(first.layout);
  plan.parameter_names = std::move(columns.scalar_names);
  plan.metric_columns = std::move(columns.metric_names);
  plan.data_unit = first.data_unit;
  if (!plan.success.parameter.empty() && std::find(plan.parameter_names.begin(), plan.parameter_names.end(),
                                                   plan.success.parameter) == plan.parameter_names.end())
    throw Error(Error::Category::config,
                fmt::format("success.parameter '{}' is not a parameter of the forward model; parameters: {}",
                            plan.success.parameter, fmt::join(plan.parameter_names, ", ")),
                {plan.file.string()}, "success.parameter");
  std::vector<bool> changes(plan.axes.size(), false);
  for (std::size_t a = plan.axes.size(); a-- > 0;) {
    for (std::size_t j = 1; j < plan.axes[a].values.size(); ++j) {
      const std::int64_t id = static_cast<std::int64_t>(j) * strides[a];
      auto known = read.find(id);
      if (known == read.end()) {
        const Experiment run = load_run(plan, base, registry, make_run_spec(plan, id));
        chooses_lambda = chooses_lambda || run.lambda_choice.has_value();
        known = read.emplace(id, labels_of(run)).first;
      }
      if (known->second != read.at(0)) changes[a] = true;
    }
  }
  record_run_solvers(plan, read.at(0), changes, strides, base, registry, read);
  if (chooses_lambda) plan.metric_columns.emplace_back(kChosenLambdaColumn);
}

std::string manifest_header(const CampaignPlan& plan) {
  std::string line = "run_id,point,replicate";
  for (const auto& column : plan.value_columns()) line += "," + csv_field(column);
  return line + ",seed\n";
}

std::string manifest_row(const CampaignPlan& plan, const RunSpec& spec) {
  (void)plan;
  fmt::memory_buffer line;
  fmt::format_to(std::back_inserter(line), FMT_COMPILE("{},{},{}"), spec.run_id, spec.point, spec.replicate);
  for (const auto& value : spec.values) fmt::format_to(std::back_inserter(line), FMT_COMPILE(",{}"), csv_field(value));
  fmt::format_to(std::back_inserter(line), FMT_COMPILE(",{}\n"), spec.seed);
  return fmt::to_string(line);
}

}  // namespace geoinv
