#include "campaigns/campaign.hpp"

#include <fcntl.h>
#include <fmt/compile.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <iostream>
#include <limits>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "campaigns/campaign_io.hpp"
#include "configuration/config_node.hpp"
#include "configuration/experiment.hpp"
#include "base/file_io.hpp"
#include "base/fingerprint.hpp"
#include "geoinv/learning_solver.hpp"
#include "geoinv/plugin_registry.hpp"
#include "base/random.hpp"
#include "running/run_outputs.hpp"
#include "running/runner.hpp"

namespace geoinv {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

// Seeds are written to CSV files that spreadsheets and R read as doubles: keep them exact there.
constexpr std::uint64_t kSeedMask = (std::uint64_t{1} << 53) - 1;

std::string emit_flow(const YAML::Node& node) {
  if (node.IsScalar()) return node.Scalar();
  YAML::Emitter out;
  out << YAML::Flow << node;
  return out.c_str();
}

void write_all(int fd, const std::string& text, const fs::path& file) {
  const char* data = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      throw Error(Error::Category::io, std::string("cannot append: ") + std::strerror(errno),
                  {file.string()});
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
}

// Reads a list of sweep values: [a, b, ...] or {from, to, count[, spacing: linear|log]}.
void read_values(const ConfigNode& node, std::vector<std::string>& values,
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

CampaignPlan load_campaign(const fs::path& file) {
  CampaignPlan plan;
  plan.file = file;
  const ConfigNode root = load_config_file(file, {});
  root.expect_map({"version", "name", "seed", "base", "sweep", "solvers", "keep_details", "success"});
  const ConfigNode version = root.required("version");
  if (version.as_int() != kSchemaVersion)
    version.fail(fmt::format("unsupported campaign version {}; this geoinv reads version {}",
                             version.as_int(), kSchemaVersion));
  plan.name = root["name"].defined() ? root["name"].as_string() : file.stem().string();
  if (plan.name.find_first_of("/\\") != std::string::npos) root["name"].fail("a name cannot contain slashes");
  plan.seed = read_seed(root, plan.seed);

  const ConfigNode base = root.required("base");
  const fs::path written = base.as_string();
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

  std::set<std::string> keys;
  if (const ConfigNode sweep = root["sweep"]; sweep.defined()) {
    sweep.expect_map({"grid", "zip", "replicates", "random"});
    if (const ConfigNode grid = sweep["grid"]; grid.defined()) {
      for (const auto& [key, values] : grid.entries()) {
        check_key(values, key, keys);
        SweepAxis axis;
        axis.keys = {key};
        std::vector<std::string> list;
        std::vector<SourceLocation> where;
        read_values(values, list, where);
        for (std::size_t i = 0; i < list.size(); ++i) {
          axis.values.push_back({list[i]});
          axis.where.push_back({where[i]});
        }
        plan.axes.push_back(std::move(axis));
      }
    }
    if (const ConfigNode zip = sweep["zip"]; zip.defined()) {
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
          read_values(values, list, where);
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
        plan.axes.push_back(std::move(axis));
      }
    }
    if (const ConfigNode replicates = sweep["replicates"]; replicates.defined()) {
      plan.replicates = replicates.as_int();
      if (plan.replicates < 1) replicates.fail("replicates must be at least 1");
    }
    if (const ConfigNode random = sweep["random"]; random.defined()) {
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
  }
  for (const auto& axis : plan.axes) plan.points *= static_cast<std::int64_t>(axis.values.size());
  plan.runs = plan.points * plan.replicates;
  if (plan.runs > 1000000000) root["sweep"].fail(fmt::format("{} runs: more than 10^9", plan.runs));

  if (const ConfigNode keep = root["keep_details"]; keep.defined()) {
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
  if (const ConfigNode success = root["success"]; success.defined()) {
    success.expect_map({"parameter", "relative_error"});
    plan.success.parameter = success.required("parameter").as_string();
    const ConfigNode threshold = success.required("relative_error");
    plan.success.relative_error = threshold.as_real();
    if (!(plan.success.relative_error > 0)) threshold.fail("relative_error must be positive");
  }
  plan.fingerprint = fingerprint(read_text(plan.base_file), fingerprint(read_text(file)));
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

namespace {

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

}  // namespace

void validate_campaign(CampaignPlan& plan) {
  PluginRegistry registry;
  add_plugin_paths(plan, registry);
  const YAML::Node base = YAML::Clone(plan.base_root);
  // The first run, then for each axis every position once (the others at their first value).
  std::set<std::int64_t> checked;
  std::vector<std::int64_t> ids{0};
  std::int64_t stride = plan.replicates;
  for (std::size_t a = plan.axes.size(); a-- > 0;) {
    for (std::size_t j = 1; j < plan.axes[a].values.size(); ++j)
      ids.push_back(static_cast<std::int64_t>(j) * stride);
    stride *= static_cast<std::int64_t>(plan.axes[a].values.size());
  }
  for (std::int64_t id : ids) {
    if (!checked.insert(id).second) continue;
    const Experiment experiment = load_run(plan, base, registry, make_run_spec(plan, id));
    if (id == 0) {
      plan.solver_labels.clear();
      for (const auto& solver : experiment.solvers) plan.solver_labels.push_back(solver.label);
      plan.parameter_names.clear();
      for (const auto& p : experiment.parameters) plan.parameter_names.push_back(p.name);
      plan.data_unit = experiment.data_unit;
      if (!plan.success.parameter.empty() &&
          std::find(plan.parameter_names.begin(), plan.parameter_names.end(), plan.success.parameter) ==
              plan.parameter_names.end())
        throw Error(
            Error::Category::config,
            fmt::format("success.parameter '{}' is not a parameter of the forward model; parameters: {}",
                        plan.success.parameter, fmt::join(plan.parameter_names, ", ")),
            {plan.file.string()}, "success.parameter");
    }
  }
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

std::string results_header(const CampaignPlan& plan) {
  std::string line = "run_id,shard,point,replicate";
  for (const auto& column : plan.value_columns()) line += "," + csv_field(column);
  line += ",seed,solver,status,termination";
  for (const char* prefix : {"estimate_", "true_", "relative_error_"})
    for (const auto& name : plan.parameter_names) line += "," + std::string(prefix) + name;
  return line + ",rms,chi2,iterations,forward_evaluations,jacobian_evaluations,wall_time_s,message\n";
}

struct RunEvaluator::Impl {
  const CampaignPlan& plan;
  int shard;
  fs::path details_dir;
  PluginRegistry registry;
  YAML::Node base;
  // Replicates of one sweep point differ only in their seeds: a resolved experiment is reused for them
  // when nothing else depends on the seed (synthetic data, fixed start, no learning solver, no random
  // keys), and only its data are generated again. GEOINV_CAMPAIGN_NO_REUSE=1 turns this off (tests
  // compare both ways).
  std::optional<Experiment> cached;
  std::int64_t cached_point = -1;
  bool reuse = true;
  Impl(const CampaignPlan& p, int s, fs::path d) : plan(p), shard(s), details_dir(std::move(d)) {
    const char* off = std::getenv("GEOINV_CAMPAIGN_NO_REUSE");
    reuse = !(off && std::string(off) == "1") && plan.random.empty();
  }
};

namespace {
bool reusable(const Experiment& e) {
  if (!e.synthetic || e.start_spec.strategy != StartSpec::Strategy::fixed) return false;
  for (const auto& solver : e.solvers)
    if (solver.prior || !solver.model_file.empty() || as_learning_solver(*solver.instance)) return false;
  return true;
}
}  // namespace

RunEvaluator::RunEvaluator(const CampaignPlan& plan, int shard, fs::path details_dir)
    : impl_(std::make_unique<Impl>(plan, shard, std::move(details_dir))) {
  add_plugin_paths(plan, impl_->registry);
  impl_->base = YAML::Clone(plan.base_root);  // private: yaml-cpp nodes are not shared across threads
}

RunEvaluator::~RunEvaluator() = default;

RunOutcome RunEvaluator::evaluate(const RunSpec& spec) {
  const CampaignPlan& plan = impl_->plan;
  RunOutcome outcome;
  outcome.run_id = spec.run_id;
  std::string prefix =
      fmt::format(FMT_COMPILE("{},{},{},{}"), spec.run_id, impl_->shard, spec.point, spec.replicate);
  for (const auto& value : spec.values) prefix += "," + csv_field(value);
  prefix += fmt::format(FMT_COMPILE(",{}"), spec.seed);
  const std::size_t n = plan.parameter_names.size();

  std::optional<Experiment>& experiment = impl_->cached;
  std::string setup_error;
  try {
    if (impl_->reuse && experiment && impl_->cached_point == spec.point) {
      experiment->seed = spec.seed;
      experiment->noise_seed = derive_seed(spec.seed, 0) & kSeedMask;  // as run_overrides sets it
      generate_synthetic_data(*experiment);
      if (!experiment->observed.allFinite())
        throw Error(Error::Category::data, "the forward model gives non-finite data for the true model");
    } else {
      impl_->cached_point = -1;
      experiment.reset();
      experiment.emplace(load_run(plan, impl_->base, impl_->registry, spec));
      if (impl_->reuse && reusable(*experiment)) impl_->cached_point = spec.point;
    }
    if (experiment->parameters.size() != n)
      setup_error =
          fmt::format("the run has {} parameters, the campaign {}", experiment->parameters.size(), n);
  } catch (const std::exception& error) {
    setup_error = error.what();
  }
  if (!setup_error.empty()) {
    experiment.reset();
    impl_->cached_point = -1;
  }
  if (!setup_error.empty()) {
    // Validated up front, so this is rare (e.g. a random true model the forward model refuses).
    outcome.failed = true;
    for (const auto& label : plan.solver_labels) {
      outcome.rows += prefix + "," + csv_field(label) + ",failed,setup_failure";
      for (std::size_t i = 0; i < 3 * n + 2; ++i) outcome.rows += ",nan";
      outcome.rows += ",0,0,0,0," + csv_field(setup_error) + "\n";
    }
    return outcome;
  }
  Experiment& e = *experiment;
  // The uncertainty is measured only for runs whose details are kept: results.csv does not carry it.
  std::vector<SolverRunResult> results = run_experiment(e, Measurements{/*uncertainty=*/false});
  Vector truth;
  if (e.synthetic) {
    truth = e.true_model;
    e.forward->canonicalize(truth);
  }
  // Formatted straight into one buffer with compiled format strings: at tens of thousands of runs a
  // second, temporaries per field and parsing "{}" at run time would cost as much as the numbers.
  fmt::memory_buffer row;
  const auto number = [&row](double value) {
    if (std::isfinite(value))
      fmt::format_to(std::back_inserter(row), FMT_COMPILE(",{}"), value);
    else
      fmt::format_to(std::back_inserter(row), FMT_COMPILE(",nan"));
  };
  for (const auto& r : results) {
    if (r.status == RunStatus::failed) outcome.failed = true;
    fmt::format_to(std::back_inserter(row), FMT_COMPILE("{},{},{},{}"), prefix, csv_field(r.label),
                   to_string(r.status), to_string(r.termination));
    for (std::size_t i = 0; i < n; ++i)
      number(to_display(e.parameters[i], r.estimate(static_cast<Eigen::Index>(i))));
    for (std::size_t i = 0; i < n; ++i)
      number(e.synthetic ? to_display(e.parameters[i], truth(static_cast<Eigen::Index>(i)))
                         : std::numeric_limits<double>::quiet_NaN());
    const bool relative = r.relative_error.size() == static_cast<Eigen::Index>(n);
    for (std::size_t i = 0; i < n; ++i)
      number(relative ? r.relative_error(static_cast<Eigen::Index>(i)) : std::numeric_limits<double>::quiet_NaN());
    number(r.rms);
    number(r.chi2);
    fmt::format_to(std::back_inserter(row), FMT_COMPILE(",{},{},{}"), r.iterations, r.counts.forward,
                   r.counts.jacobian);
    number(r.wall_time_s);
    fmt::format_to(std::back_inserter(row), FMT_COMPILE(",{}\n"), csv_field(r.message));
  }
  outcome.rows.assign(row.data(), row.size());
  if (plan.keep.selects(spec.run_id, outcome.failed)) {
    for (auto& result : results) measure_uncertainty(e, result);
    write_run_directory(impl_->details_dir / std::to_string(spec.run_id), true, e, results);
  }
  return outcome;
}

RunQueue::RunQueue(std::int64_t runs, int shard_index, int shard_count, std::vector<bool> done)
    : runs_(runs), shard_count_(shard_count), done_(std::move(done)), cursor_(shard_index) {
  for (std::int64_t id = shard_index; id < runs_; id += shard_count_)
    if (static_cast<std::size_t>(id) >= done_.size() || !done_[static_cast<std::size_t>(id)]) ++total_;
}

std::optional<std::int64_t> RunQueue::next() {
  while (!stopped_) {
    const std::int64_t id = cursor_.fetch_add(shard_count_);
    if (id >= runs_) return std::nullopt;
    if (static_cast<std::size_t>(id) < done_.size() && done_[static_cast<std::size_t>(id)]) continue;
    return id;
  }
  return std::nullopt;
}

std::int64_t RunQueue::remaining_estimate() const {
  return std::max<std::int64_t>(0, (runs_ - cursor_.load()) / shard_count_);
}

RowSink::~RowSink() = default;
Executor::~Executor() = default;

SolverThreads::SolverThreads(const CampaignPlan& plan, const ExecutorContext& context, int count,
                             std::function<std::optional<std::int64_t>()> next,
                             std::function<void(const RunOutcome&)> deliver, std::function<void()> on_failure)
    : next_(std::move(next)), deliver_(std::move(deliver)), on_failure_(std::move(on_failure)) {
  for (int j = 0; j < count; ++j)
    evaluators_.push_back(std::make_unique<RunEvaluator>(plan, context.shard, context.details_dir));
  for (auto& evaluator : evaluators_) {
    threads_.emplace_back([this, &plan, &evaluator = *evaluator] {
      try {
        while (const auto id = next_()) deliver_(evaluator.evaluate(make_run_spec(plan, *id)));
      } catch (...) {
        {
          std::lock_guard<std::mutex> lock(mutex_);
          if (!failure_) failure_ = std::current_exception();
        }
        if (on_failure_) on_failure_();
      }
    });
  }
}

SolverThreads::~SolverThreads() { join(); }

void SolverThreads::join() {
  for (auto& thread : threads_)
    if (thread.joinable()) thread.join();
}

std::exception_ptr SolverThreads::failure() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return failure_;
}

namespace {

class SerialExecutor final : public Executor {
 public:
  explicit SerialExecutor(ExecutorContext context) : context_(std::move(context)) {}
  void execute(const CampaignPlan& plan, RunQueue& queue, RowSink& sink) override {
    RunEvaluator evaluator(plan, context_.shard, context_.details_dir);
    while (const auto id = queue.next()) sink.accept(evaluator.evaluate(make_run_spec(plan, *id)));
  }

 private:
  ExecutorContext context_;
};

class ThreadExecutor final : public Executor {
 public:
  ThreadExecutor(ExecutorContext context, int jobs)
      : context_(std::move(context)), jobs_(std::max(1, jobs)) {}
  void execute(const CampaignPlan& plan, RunQueue& queue, RowSink& sink) override {
    SolverThreads threads(
        plan, context_, jobs_, [&queue] { return queue.next(); },
        [&sink](const RunOutcome& outcome) { sink.accept(outcome); }, [&queue] { queue.stop(); });
    threads.join();
    if (const auto failure = threads.failure()) std::rethrow_exception(failure);
  }

 private:
  ExecutorContext context_;
  int jobs_;
};

// Appends the rows to results.csv in whole runs, gathered up to 64 KiB or 50 ms and written by one
// write(): at tens of thousands of runs a second, a system call per run would be a large share of the time.
// After kill -9 the file holds every run written so far, whole or torn at its end (repair_and_scan cuts
// a torn tail); the runs still in the buffer are simply not done, and --resume runs them again, with
// the same numbers. fdatasync at most once a second bounds what a power cut loses.
class ResultsWriter final : public RowSink {
 public:
  ResultsWriter(fs::path file, std::int64_t total, bool progress)
      : file_(std::move(file)), total_(total), progress_(progress), tty_(::isatty(2) == 1) {
    fd_ = ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
    if (fd_ < 0)
      throw Error(Error::Category::io, std::string("cannot open: ") + std::strerror(errno), {file_.string()});
    started_ = last_sync_ = last_print_ = last_write_ = std::chrono::steady_clock::now();
    pending_.reserve(kWriteBytes + 4096);
  }
  ~ResultsWriter() override {
    // Unwinding from a failed campaign: keep the completed runs (a failed write leaves them to --resume).
    try {
      if (!pending_.empty()) write_all(fd_, pending_, file_);
    } catch (...) {
    }
    if (fd_ >= 0) ::close(fd_);
  }
  void accept(const RunOutcome& outcome) override {
    std::lock_guard<std::mutex> lock(mutex_);
    pending_ += outcome.rows;
    ++done_;
    if (outcome.failed) ++failed_;
    const auto now = std::chrono::steady_clock::now();
    if (pending_.size() >= kWriteBytes || now - last_write_ >= kWriteInterval) {
      write_all(fd_, pending_, file_);
      pending_.clear();
      last_write_ = now;
    }
    if (now - last_sync_ > std::chrono::seconds(1)) {
      ::fdatasync(fd_);
      last_sync_ = now;
    }
    if (progress_) report(now);
  }
  void finish() {
    std::lock_guard<std::mutex> lock(mutex_);
    write_all(fd_, pending_, file_);
    pending_.clear();
    ::fdatasync(fd_);
    if (progress_ && tty_ && total_ > 0) std::cerr << "\n";
  }
  std::int64_t done() const { return done_; }
  std::int64_t failed() const { return failed_; }

 private:
  void report(std::chrono::steady_clock::time_point now) {
    const double elapsed = std::chrono::duration<double>(now - started_).count();
    if (tty_) {
      if (now - last_print_ < std::chrono::milliseconds(200) && done_ != total_) return;
      last_print_ = now;
      const int width = 30;
      const double fraction = total_ > 0 ? static_cast<double>(done_) / static_cast<double>(total_) : 1.0;
      const int filled = static_cast<int>(fraction * width);
      const double eta =
          done_ > 0 ? elapsed / static_cast<double>(done_) * static_cast<double>(total_ - done_) : 0.0;
      std::cerr << fmt::format("\r[{}{}] {:3.0f}% {}/{} runs, {} failed, ETA {:.0f} s   ",
                               std::string(filled, '#'), std::string(width - filled, '-'), 100 * fraction,
                               done_, total_, failed_, eta)
                << std::flush;
    } else {
      const std::int64_t decile = total_ > 0 ? done_ * 10 / total_ : 10;
      if (decile <= last_decile_) return;
      last_decile_ = decile;
      std::cerr << fmt::format("campaign: {}/{} runs ({}%), {} failed, {:.1f} s\n", done_, total_,
                               decile * 10, failed_, elapsed);
    }
  }

  static constexpr std::size_t kWriteBytes = 64 * 1024;
  static constexpr std::chrono::milliseconds kWriteInterval{50};

  fs::path file_;
  int fd_ = -1;
  std::mutex mutex_;
  std::string pending_;  // whole runs' rows not yet written
  std::int64_t total_, done_ = 0, failed_ = 0, last_decile_ = 0;
  bool progress_, tty_;
  std::chrono::steady_clock::time_point started_, last_sync_, last_print_, last_write_;
};

json campaign_json(const CampaignPlan& plan, int shard_index, int shard_count) {
  return {{"name", plan.name},
          {"campaign_file", fs::absolute(plan.file).lexically_normal().string()},
          {"base_file", fs::absolute(plan.base_file).lexically_normal().string()},
          {"fingerprint", fmt::format("{:016x}", plan.fingerprint)},
          {"seed", plan.seed},
          {"runs", plan.runs},
          {"points", plan.points},
          {"replicates", plan.replicates},
          {"shard", {{"index", shard_index}, {"count", shard_count}}},
          {"axis_columns", plan.axis_columns()},
          {"value_columns", plan.value_columns()},
          {"solvers", plan.solver_labels},
          {"parameters", plan.parameter_names},
          {"data_unit", plan.data_unit},
          {"success",
           {{"parameter", plan.success.parameter},
            {"relative_error", plan.success.relative_error},
            {"definition", plan.success.describe()}}},
          {"keep_details", plan.keep.describe()}};
}

// Reads results.csv: drops a torn last line (no newline) and a run whose rows are incomplete at the end
// (the file is truncated to before them), and marks completed runs.
std::vector<bool> repair_and_scan(const fs::path& file, std::int64_t runs, std::size_t solvers,
                                  const std::string& header) {
  std::vector<bool> done(static_cast<std::size_t>(runs), false);
  std::error_code ec;
  if (!fs::exists(file, ec)) return done;
  std::ifstream stream(file, std::ios::binary);
  if (!stream) throw Error(Error::Category::io, "cannot read results.csv", {file.string()});
  std::string line;
  if (!std::getline(stream, line)) return done;  // empty
  if (stream.eof() || line + "\n" != header) {
    if (stream.eof() && header.compare(0, line.size(), line) == 0) {
      fs::resize_file(file, 0);  // a torn header: start the file again
      return done;
    }
    throw Error(Error::Category::io, "results.csv has another header: it belongs to another campaign",
                {file.string()});
  }
  std::uint64_t position = header.size();
  std::uint64_t keep = position;  // bytes to keep: complete runs only
  std::int64_t group = -1;
  std::size_t group_rows = 0;
  while (std::getline(stream, line)) {
    if (stream.eof()) break;  // a torn last line, without its newline
    const std::int64_t id = std::strtoll(line.c_str(), nullptr, 10);
    if (id != group) {
      if (group >= 0 && group_rows != solvers) break;  // an incomplete run: only ever the last one
      group = id;
      group_rows = 0;
    }
    ++group_rows;
    position += line.size() + 1;
    if (group_rows == solvers) {
      if (group >= 0 && group < runs) done[static_cast<std::size_t>(group)] = true;
      keep = position;
    }
  }
  stream.close();
  if (keep < fs::file_size(file, ec)) fs::resize_file(file, keep);
  return done;
}

}  // namespace

std::unique_ptr<Executor> make_serial_executor(ExecutorContext context) {
  return std::make_unique<SerialExecutor>(std::move(context));
}

std::unique_ptr<Executor> make_thread_executor(ExecutorContext context, int jobs) {
  return std::make_unique<ThreadExecutor>(std::move(context), jobs);
}

CampaignReport run_campaign(const fs::path& file, const CampaignOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  CampaignPlan plan = load_campaign(file);
  validate_campaign(plan);
  if (options.shard_count < 1 || options.shard_index < 0 || options.shard_index >= options.shard_count)
    throw Error(Error::Category::usage, "--shard i/N needs 0 <= i < N");
  CampaignReport report;
  report.out = options.out;
  if (report.out.empty()) {
    report.out = fs::path("runs") / plan.name;
    if (options.shard_count > 1)
      report.out = fs::path("runs") /
                   fmt::format("{}.shard{}of{}", plan.name, options.shard_index, options.shard_count);
  }
  const fs::path& out = report.out;
  const json info = campaign_json(plan, options.shard_index, options.shard_count);
  std::error_code ec;
  const bool exists = fs::exists(out / "campaign.json", ec);
  if (exists) {
    if (!options.resume)
      throw Error(Error::Category::io,
                  "the folder holds a campaign already: add --resume to complete it, or choose "
                  "another --out",
                  {out.string()});
    const json previous = read_campaign_json(out);
    if (previous.value("fingerprint", "") != info["fingerprint"] || previous["shard"] != info["shard"])
      throw Error(
          Error::Category::io,
          "the folder holds another campaign (or shard): its campaign or base file changed; cannot resume",
          {out.string()});
  } else if (fs::exists(out, ec) && !fs::is_empty(out, ec)) {
    // With --resume, a folder holding only what is written before campaign.json (the campaign was stopped
    // before it started) is started afresh.
    bool started_only = options.resume;
    for (const auto& entry : fs::directory_iterator(out, ec)) {
      const std::string name = entry.path().filename().string();
      started_only =
          started_only && (name == "manifest.csv" || name == "manifest.csv.tmp" || name == "campaign.yaml" ||
                           name == "base.yaml" || name == "campaign.json.tmp");
    }
    if (!started_only)
      throw Error(Error::Category::io, "the output folder already holds files; choose another with --out",
                  {out.string()});
  }
  fs::create_directories(out, ec);
  if (ec) throw Error(Error::Category::io, "cannot create the folder: " + ec.message(), {out.string()});

  if (!exists) {
    // The manifest first, before anything runs: every run of this shard, its sweep values and seed.
    const fs::path manifest = out / "manifest.csv";
    {
      const fs::path temporary = manifest.string() + ".tmp";
      std::ofstream stream(temporary, std::ios::binary | std::ios::trunc);
      stream << manifest_header(plan);
      for (std::int64_t id = options.shard_index; id < plan.runs; id += options.shard_count)
        stream << manifest_row(plan, make_run_spec(plan, id));
      stream.flush();
      if (!stream) throw Error(Error::Category::io, "cannot write the manifest", {temporary.string()});
      stream.close();
      fs::rename(temporary, manifest);
    }
    fs::copy_file(plan.file, out / "campaign.yaml", fs::copy_options::overwrite_existing);
    fs::copy_file(plan.base_file, out / "base.yaml", fs::copy_options::overwrite_existing);
    write_atomically(out / "campaign.json", info.dump(2) + "\n");
  }

  const fs::path results = out / "results.csv";
  const std::string header = results_header(plan);
  std::vector<bool> done = repair_and_scan(results, plan.runs, plan.solver_labels.size(), header);
  if (!fs::exists(results, ec) || fs::file_size(results, ec) == 0) {
    const int fd = ::open(results.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) throw Error(Error::Category::io, "cannot create results.csv", {results.string()});
    write_all(fd, header, results);
    ::fsync(fd);
    ::close(fd);
  }
  RunQueue queue(plan.runs, options.shard_index, options.shard_count, std::move(done));
  std::int64_t shard_runs = 0;
  for (std::int64_t id = options.shard_index; id < plan.runs; id += options.shard_count) ++shard_runs;
  report.runs_total = shard_runs;
  report.runs_done_before = shard_runs - queue.total();

  ExecutorContext context{options.shard_index, out / "runs"};
  const int jobs =
      options.jobs > 0 ? options.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::unique_ptr<Executor> executor = options.make_executor ? options.make_executor(context)
                                       : jobs == 1              ? make_serial_executor(context)
                                                                : make_thread_executor(context, jobs);
  ResultsWriter writer(results, queue.total(), options.progress);
  const auto seconds_since = [](std::chrono::steady_clock::time_point from) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - from).count();
  };
  report.setup_seconds = seconds_since(started);
  const auto runs_started = std::chrono::steady_clock::now();
  executor->execute(plan, queue, writer);
  writer.finish();
  report.runs_seconds = seconds_since(runs_started);
  report.runs_done_now = writer.done();
  report.failed_runs = writer.failed();
  const auto summary_started = std::chrono::steady_clock::now();
  write_summary(out);
  report.summary_seconds = seconds_since(summary_started);
  report.seconds = seconds_since(started);
  return report;
}

}  // namespace geoinv
