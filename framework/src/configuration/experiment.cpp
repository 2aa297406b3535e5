#include "configuration/experiment.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "configuration/config_node.hpp"
#include "geoinv/error.hpp"
#include "geoinv/learning_solver.hpp"
#include "configuration/profile_csv.hpp"
#include "base/random.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

std::vector<std::string> parameter_names(const ParameterSpecs& parameters) {
  std::vector<std::string> names;
  for (const auto& p : parameters) names.push_back(p.name);
  return names;
}

std::string format_display(const ParameterSpec& spec, double internal) {
  const double shown = to_display(spec, internal);
  if (std::isinf(shown)) return shown > 0 ? ".inf" : "-.inf";
  return fmt::format("{:.15g}", shown);
}

// Plugins throw whatever they like; the user sees the plugin's message at the config key that caused it.
template <typename Function>
auto call_plugin(const ConfigNode& node, const std::string& plugin, Function&& function) {
  try {
    return function();
  } catch (const Error& error) {
    if (!error.where().file.empty()) throw;
    throw Error(Error::Category::plugin, "plugin '" + plugin + "': " + error.message(), node.location(), node.path());
  } catch (const std::exception& error) {
    throw Error(Error::Category::plugin, "plugin '" + plugin + "': " + error.what(), node.location(), node.path());
  }
}

OptionValues read_options(const ConfigNode& node, const OptionSpecs& specs, const std::string& plugin) {
  OptionValues values = OptionValues::defaults(specs);
  if (!node.defined()) return values;
  std::vector<std::string> names;
  for (const auto& spec : specs) names.push_back(spec.name);
  if (names.empty() && node.is_map() && node.yaml().size() > 0)
    node.fail("plugin '" + plugin + "' has no options");
  node.expect_map(names);
  for (const auto& spec : specs) {
    const ConfigNode value = node[spec.name];
    if (value.defined()) values.set(spec.name, value.as_option(spec));
  }
  return values;
}

// A model given as {name: value} in display units (degrees for angles); every parameter is required.
Vector read_model(const ConfigNode& node, const ParameterSpecs& parameters) {
  node.expect_map(parameter_names(parameters));
  Vector model(static_cast<Eigen::Index>(parameters.size()));
  for (std::size_t i = 0; i < parameters.size(); ++i)
    model(static_cast<Eigen::Index>(i)) = from_display(parameters[i], node.required(parameters[i].name).as_real());
  return model;
}

fs::path relative_to(const fs::path& base_file, const fs::path& path) {
  if (path.is_absolute()) return path;
  return (base_file.parent_path() / path).lexically_normal();
}

void read_stations(const ConfigNode& node, Experiment& experiment) {
  StationsSpec& spec = experiment.stations_spec;
  if (!node.defined()) {
    if (experiment.synthetic)
      node.fail("synthetic data need stations: a list [x1, x2, ...] or {from: X, to: Y, count: N}");
    spec.kind = StationsSpec::Kind::data_file;
    return;
  }
  if (node.is_scalar()) {
    if (node.as_string() != "data")
      node.fail("expected 'data' (the data file's x), a list [x1, x2, ...] or {from: X, to: Y, count: N}");
    if (experiment.synthetic) node.fail("'data' takes the stations from a data file, but the data are synthetic");
    spec.kind = StationsSpec::Kind::data_file;
    return;
  }
  if (!experiment.synthetic)
    node.fail("with a data file the stations are the file's x: write 'stations: data' or leave it out");
  if (node.is_sequence()) {
    spec.kind = StationsSpec::Kind::list;
    if (node.size() == 0) node.fail("the station list is empty");
    for (std::size_t i = 0; i < node.size(); ++i) spec.list.push_back(node.at(i).as_real());
    return;
  }
  node.expect_map({"from", "to", "count"});
  spec.kind = StationsSpec::Kind::range;
  spec.from = node.required("from").as_real();
  spec.to = node.required("to").as_real();
  const ConfigNode count = node.required("count");
  spec.count = count.as_int();
  if (spec.count < 2) count.fail("count must be at least 2");
  if (!(spec.to > spec.from)) node.fail("'to' must be greater than 'from'");
}

Vector station_positions(const StationsSpec& spec) {
  switch (spec.kind) {
    case StationsSpec::Kind::list:
      return Eigen::Map<const Vector>(spec.list.data(), static_cast<Eigen::Index>(spec.list.size()));
    case StationsSpec::Kind::range: return Vector::LinSpaced(spec.count, spec.from, spec.to);
    case StationsSpec::Kind::data_file: break;
  }
  return {};
}

void check_within_bounds(const ConfigNode& node, const Experiment& experiment, const Vector& model,
                         const char* what) {
  for (std::size_t i = 0; i < experiment.parameters.size(); ++i) {
    const auto index = static_cast<Eigen::Index>(i);
    const ParameterSpec& spec = experiment.parameters[i];
    const double value = model(index);
    if (value < experiment.lower(index) || value > experiment.upper(index))
      node[spec.name].fail(fmt::format("{} value {} {} lies outside the bounds [{}, {}]", what,
                                       format_display(spec, value), display_unit(spec),
                                       format_display(spec, experiment.lower(index)),
                                       format_display(spec, experiment.upper(index))));
  }
}

// A box to draw models in: the bounds, narrowed by node[key] = {name: [lower, upper]}; an angle with no
// bounds spans a full turn. Every side must end up finite. Shared by multistart and learning priors.
void read_box(const ConfigNode& node, const char* key, const char* purpose, const Experiment& experiment,
              Vector& lower, Vector& upper) {
  const ParameterSpecs& parameters = experiment.parameters;
  lower = experiment.lower;
  upper = experiment.upper;
  const ConfigNode ranges = node[key];
  if (ranges.defined()) ranges.expect_map(parameter_names(parameters));
  for (Eigen::Index i = 0; i < lower.size(); ++i) {
    const ParameterSpec& p = parameters[static_cast<std::size_t>(i)];
    const ConfigNode pair = ranges[p.name];
    if (pair.defined()) {
      if (!pair.is_sequence() || pair.size() != 2) pair.fail("expected [lower, upper]");
      lower(i) = from_display(p, pair.at(0).as_real());
      upper(i) = from_display(p, pair.at(1).as_real());
      if (!(lower(i) < upper(i))) pair.fail("lower must be below upper");
      if (lower(i) < experiment.lower(i) || upper(i) > experiment.upper(i))
        pair.fail(fmt::format("the range must lie within the bounds [{}, {}]", format_display(p, experiment.lower(i)),
                              format_display(p, experiment.upper(i))));
    } else if (p.is_angle && std::isinf(lower(i)) && std::isinf(upper(i))) {
      lower(i) = 0.0;
      upper(i) = 2.0 * kPi;
    }
    if (!std::isfinite(lower(i)) || !std::isfinite(upper(i)))
      node.fail(fmt::format("{} within finite ranges, but {} is bounded by [{}, {}]; give {}.{}.{}: [lower, upper] "
                            "or bounds.{}",
                            purpose, p.name, format_display(p, lower(i)), format_display(p, upper(i)), node.path(), key,
                            p.name, p.name));
  }
}

// start: {strategy: fixed, model: {...}} | {strategy: multistart, count, seed, ranges, model?} |
//        {strategy: data_driven}
void read_start(const ConfigNode& node, Experiment& experiment) {
  StartSpec& spec = experiment.start_spec;
  const ParameterSpecs& parameters = experiment.parameters;
  const ConfigNode strategy = node["strategy"];
  const std::string word = strategy.defined() ? strategy.as_string() : "fixed";
  if (word == "fixed") {
    node.expect_map({"strategy", "model"});
    spec.strategy = StartSpec::Strategy::fixed;
    const ConfigNode model = node.required("model");
    spec.model = read_model(model, parameters);
    check_within_bounds(model, experiment, spec.model, "start");
    experiment.starts = {spec.model};
  } else if (word == "multistart") {
    node.expect_map({"strategy", "count", "seed", "ranges", "model"});
    spec.strategy = StartSpec::Strategy::multistart;
    const ConfigNode count = node.required("count");
    spec.count = count.as_int();
    if (spec.count < 1 || spec.count > 100000) count.fail("count must be between 1 and 100000");
    if (const ConfigNode seed = node["seed"]; seed.defined()) {
      const std::int64_t value = seed.as_int();
      if (value < 0) seed.fail("seed must be a non-negative integer");
      spec.seed = static_cast<std::uint64_t>(value);
    } else {
      spec.seed = derive_seed(experiment.seed, 1000);
    }
    read_box(node, "ranges", "multistart draws starts", experiment, spec.range_lower, spec.range_upper);
    if (const ConfigNode model = node["model"]; model.defined()) {
      spec.model = read_model(model, parameters);
      check_within_bounds(model, experiment, spec.model, "start");
    }
  } else if (word == "data_driven") {
    node.expect_map({"strategy"});
    spec.strategy = StartSpec::Strategy::data_driven;
  } else {
    strategy.fail("unknown start strategy '" + word + "'; valid: fixed, multistart, data_driven");
  }
}

// Latin hypercube: each parameter's range is cut into `count` equal strata, one draw per stratum, and
// the strata are paired across parameters by independent random permutations.
std::vector<Vector> latin_hypercube(const Vector& lower, const Vector& upper, std::int64_t count, std::uint64_t seed) {
  NormalGenerator random(seed);
  const Eigen::Index n = lower.size();
  std::vector<Vector> samples(static_cast<std::size_t>(count), Vector(n));
  std::vector<std::int64_t> strata(static_cast<std::size_t>(count));
  for (Eigen::Index j = 0; j < n; ++j) {
    for (std::int64_t k = 0; k < count; ++k) strata[static_cast<std::size_t>(k)] = k;
    for (std::int64_t k = count - 1; k > 0; --k) {  // Fisher-Yates with geoinv's own uniform draws
      const auto other = static_cast<std::int64_t>(random.uniform() * static_cast<double>(k + 1));
      std::swap(strata[static_cast<std::size_t>(k)], strata[static_cast<std::size_t>(std::min(other, k))]);
    }
    for (std::int64_t k = 0; k < count; ++k) {
      const double position = (static_cast<double>(strata[static_cast<std::size_t>(k)]) + random.uniform()) /
                              static_cast<double>(count);
      samples[static_cast<std::size_t>(k)](j) = lower(j) + position * (upper(j) - lower(j));
    }
  }
  return samples;
}

// The starts every solver gets, once the data exist (data_driven needs them).
void compute_starts(const ConfigNode& node, Experiment& experiment) {
  StartSpec& spec = experiment.start_spec;
  switch (spec.strategy) {
    case StartSpec::Strategy::fixed: break;
    case StartSpec::Strategy::multistart:
      experiment.starts.clear();
      if (spec.model.size() > 0) experiment.starts.push_back(spec.model);
      for (auto& start : latin_hypercube(spec.range_lower, spec.range_upper, spec.count, spec.seed))
        experiment.starts.push_back(std::move(start));
      break;
    case StartSpec::Strategy::data_driven: {
      Vector model(static_cast<Eigen::Index>(experiment.parameters.size()));
      model.setZero();
      const bool offered = call_plugin(node, experiment.forward_plugin,
                                       [&] { return experiment.forward->estimate_start(experiment.observed, model); });
      if (!offered)
        node["strategy"].fail("forward plugin '" + experiment.forward_plugin +
                              "' offers no data-driven start; use strategy fixed or multistart");
      if (!model.allFinite())
        node["strategy"].fail("the data-driven start estimated from these data is not finite");
      model = model.cwiseMax(experiment.lower).cwiseMin(experiment.upper);
      spec.model = model;
      experiment.starts = {model};
      break;
    }
  }
}

// prior: {sampling: uniform | latin_hypercube, ranges: {...}, samples, seed, noise_sigma?}
//      | {sampling: grid, grid: {name: [values] | {from, to, count}}, samples?, seed, noise_sigma?}
PriorSpec read_prior(const ConfigNode& node, const Experiment& experiment) {
  node.expect_map({"sampling", "ranges", "grid", "samples", "seed", "noise_sigma"});
  PriorSpec prior;
  const ConfigNode sampling = node.required("sampling");
  const std::string word = sampling.as_string();
  if (word == "uniform") prior.sampling = PriorSpec::Sampling::uniform;
  else if (word == "latin_hypercube") prior.sampling = PriorSpec::Sampling::latin_hypercube;
  else if (word == "grid") prior.sampling = PriorSpec::Sampling::grid;
  else sampling.fail("unknown sampling '" + word + "'; valid: uniform, grid, latin_hypercube");

  if (prior.sampling == PriorSpec::Sampling::grid) {
    if (node["ranges"].defined()) node["ranges"].fail("a grid prior takes 'grid', not 'ranges'");
    const ConfigNode grid = node.required("grid");
    grid.expect_map(parameter_names(experiment.parameters));
    for (const auto& p : experiment.parameters) {
      const ConfigNode values = grid.required(p.name);
      std::vector<double> list;
      if (values.is_sequence()) {
        for (std::size_t i = 0; i < values.size(); ++i) list.push_back(from_display(p, values.at(i).as_real()));
      } else {
        values.expect_map({"from", "to", "count"});
        const double from = values.required("from").as_real(), to = values.required("to").as_real();
        const std::int64_t count = values.required("count").as_int();
        if (count < 1) values["count"].fail("count must be at least 1");
        for (std::int64_t k = 0; k < count; ++k)
          list.push_back(from_display(p, count == 1 ? from : from + (to - from) * static_cast<double>(k) /
                                                                        static_cast<double>(count - 1)));
      }
      if (list.empty()) values.fail("a grid needs at least one value");
      prior.grid.push_back(list);
    }
  } else {
    if (node["grid"].defined()) node["grid"].fail("'grid' applies to sampling: grid");
    read_box(node, "ranges", "a prior samples models", experiment, prior.lower, prior.upper);
  }
  if (const ConfigNode samples = node["samples"]; samples.defined()) {
    prior.samples = samples.as_int();
    if (prior.samples < 10 || prior.samples > 10000000) samples.fail("samples must be between 10 and 10000000");
  } else if (prior.sampling != PriorSpec::Sampling::grid) {
    node.required("samples");
  }
  if (const ConfigNode seed = node["seed"]; seed.defined()) {
    const std::int64_t value = seed.as_int();
    if (value < 0) seed.fail("seed must be a non-negative integer");
    prior.seed = static_cast<std::uint64_t>(value);
  } else {
    prior.seed = derive_seed(experiment.seed, 2000);
  }
  if (const ConfigNode noise = node["noise_sigma"]; noise.defined()) {
    prior.noise_sigma = noise.as_real();
    if (*prior.noise_sigma < 0) noise.fail("noise_sigma must be >= 0");
  }
  return prior;
}

}  // namespace

std::string to_string(PriorSpec::Sampling sampling) {
  switch (sampling) {
    case PriorSpec::Sampling::uniform: return "uniform";
    case PriorSpec::Sampling::grid: return "grid";
    case PriorSpec::Sampling::latin_hypercube: return "latin_hypercube";
  }
  return "unknown";
}

std::vector<Vector> latin_hypercube_samples(const Vector& lower, const Vector& upper, std::int64_t count,
                                            std::uint64_t seed) {
  return latin_hypercube(lower, upper, count, seed);
}

std::string to_string(StartSpec::Strategy strategy) {
  switch (strategy) {
    case StartSpec::Strategy::fixed: return "fixed";
    case StartSpec::Strategy::multistart: return "multistart";
    case StartSpec::Strategy::data_driven: return "data_driven";
  }
  return "unknown";
}

Experiment load_experiment(const fs::path& file, const std::vector<std::string>& overrides, PluginRegistry& registry) {
  return load_experiment(load_config_file(file, overrides), file, registry, true);
}

namespace {

// data.unit: a label, 1 to 32 bytes on one line.
void read_data_unit(const ConfigNode& data, Experiment& experiment) {
  const ConfigNode unit = data["unit"];
  if (!unit.defined()) return;
  experiment.data_unit = unit.as_string();
  if (experiment.data_unit.empty() || experiment.data_unit.size() > 32 ||
      std::any_of(experiment.data_unit.begin(), experiment.data_unit.end(),
                  [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    unit.fail("unit must be a short label on one line (1 to 32 bytes), e.g. mV");
}

}  // namespace

Experiment load_experiment(const ConfigNode& root, const fs::path& file, PluginRegistry& registry,
                           bool add_plugin_paths) {
  root.expect_map({"version", "name", "seed", "plugin_paths", "forward", "data", "start", "bounds", "solvers",
                   "budget", "output"});
  Experiment experiment;
  experiment.file = file;

  const ConfigNode version = root.required("version");
  experiment.version = static_cast<int>(version.as_int());
  if (experiment.version != kSchemaVersion)
    version.fail(fmt::format("unsupported schema version {}; this geoinv reads version {}", experiment.version,
                             kSchemaVersion));
  experiment.name = root["name"].defined() ? root["name"].as_string() : file.stem().string();
  if (const ConfigNode seed = root["seed"]; seed.defined()) {
    const std::int64_t value = seed.as_int();
    if (value < 0) seed.fail("seed must be a non-negative integer");
    experiment.seed = static_cast<std::uint64_t>(value);
  }

  if (const ConfigNode paths = root["plugin_paths"]; paths.defined()) {
    paths.expect_sequence();
    for (std::size_t i = 0; i < paths.size(); ++i) {
      const ConfigNode entry = paths.at(i);
      const fs::path written = entry.as_string();
      experiment.plugin_paths.push_back(written);
      if (!add_plugin_paths) continue;
      try {
        registry.add_path(relative_to(file, written));
      } catch (const Error& error) {
        const std::string where = error.where().file.empty() ? "" : error.where().file + ": ";
        throw Error(Error::Category::plugin, where + error.message(), entry.location(), entry.path());
      }
    }
  }

  // forward: which model, its options, its stations.
  const ConfigNode forward = root.required("forward");
  forward.expect_map({"plugin", "options", "stations", "background"});
  const ConfigNode forward_plugin = forward.required("plugin");
  experiment.forward_plugin = forward_plugin.as_string();
  try {
    experiment.forward = registry.create_forward_model(experiment.forward_plugin);
  } catch (const Error& error) {
    throw Error(error.category(), error.message(), forward_plugin.location(), forward_plugin.path());
  }
  const OptionSpecs forward_specs =
      call_plugin(forward_plugin, experiment.forward_plugin, [&] { return experiment.forward->options(); });
  experiment.parameters =
      call_plugin(forward_plugin, experiment.forward_plugin, [&] { return experiment.forward->parameters(); });
  experiment.forward_options = read_options(forward["options"], forward_specs, experiment.forward_plugin);
  if (const ConfigNode background = forward["background"]; background.defined()) {
    const std::string word = background.as_string();
    if (word == "linear") experiment.background = Background::linear;
    else if (word == "constant") experiment.background = Background::constant;
    else if (word != "none") background.fail("unknown background '" + word + "'; valid: none, constant, linear");
    if (experiment.background != Background::none) {
      // data.unit is read here, before the data: the background's c0 and c1 are in it.
      if (const ConfigNode data = root["data"]; data.is_map()) read_data_unit(data, experiment);
      experiment.forward =
          std::make_shared<BackgroundModel>(experiment.forward, experiment.background, experiment.data_unit);
      experiment.parameters = experiment.forward->parameters();
    }
  }
  const ParameterSpecs& parameters = experiment.parameters;
  const auto n = static_cast<Eigen::Index>(parameters.size());

  // data: a file, or synthetic data from a true model.
  const ConfigNode data = root.required("data");
  data.expect_map({"file", "sigma", "sort", "duplicates", "synthetic", "unit"});
  read_data_unit(data, experiment);
  const ConfigNode data_file = data["file"];
  const ConfigNode synthetic = data["synthetic"];
  if (data_file.defined() == synthetic.defined())
    data.fail("give exactly one of 'file' (a CSV profile) or 'synthetic' (a true model with noise)");
  experiment.synthetic = synthetic.defined();
  read_stations(forward["stations"], experiment);

  if (experiment.synthetic) {
    for (const char* key : {"sigma", "sort", "duplicates"})
      if (data[key].defined()) data[key].fail("applies to a data file only, not to synthetic data");
    synthetic.expect_map({"true_model", "noise_sigma", "seed"});
    experiment.true_model = read_model(synthetic.required("true_model"), parameters);
    const ConfigNode noise = synthetic.required("noise_sigma");
    experiment.noise_sigma = noise.as_real();
    if (experiment.noise_sigma < 0.0)
      noise.fail(fmt::format("noise_sigma must be >= 0 (a standard deviation), got {}", experiment.noise_sigma));
    if (const ConfigNode seed = synthetic["seed"]; seed.defined()) {
      const std::int64_t value = seed.as_int();
      if (value < 0) seed.fail("seed must be a non-negative integer");
      experiment.noise_seed = static_cast<std::uint64_t>(value);
    } else {
      experiment.noise_seed = derive_seed(experiment.seed, 0);
    }
    experiment.stations = station_positions(experiment.stations_spec);
  } else {
    experiment.data_file = data_file.as_string();
    const fs::path path = relative_to(file, experiment.data_file);
    CsvReadOptions read_options;
    if (const ConfigNode sort = data["sort"]; sort.defined()) read_options.sort = experiment.sort_rows = sort.as_bool();
    if (const ConfigNode duplicates = data["duplicates"]; duplicates.defined()) {
      experiment.duplicates = duplicates.as_string();
      if (experiment.duplicates == "average") read_options.average_duplicates = true;
      else if (experiment.duplicates != "error")
        duplicates.fail("unknown duplicates policy '" + experiment.duplicates + "'; valid: error, average");
    }
    Profile profile;
    try {
      profile = read_profile_csv(path, read_options);
    } catch (const Error& error) {
      // Name the config key that pointed at the file as well as the file's own line.
      throw Error(error.category(), error.where().to_string() + ": " + error.message(), data_file.location(),
                  data_file.path());
    }
    experiment.data_notes = profile.notes;
    experiment.stations = profile.x;
    experiment.observed = profile.value;
    experiment.sigma = profile.sigma;
    if (const ConfigNode sigma = data["sigma"]; sigma.defined()) {
      const double value = sigma.as_real();
      if (!(value > 0.0)) sigma.fail(fmt::format("sigma must be positive (a standard deviation), got {}", value));
      if (profile.sigma.size() > 0) sigma.fail("the data file has a sigma column already; remove data.sigma");
      experiment.data_sigma = value;
      experiment.sigma = Vector::Constant(profile.x.size(), value);
    }
  }

  // The model now knows its stations.
  call_plugin(forward, experiment.forward_plugin, [&] {
    experiment.forward->configure(experiment.forward_options, experiment.stations);
    return 0;
  });

  if (experiment.stations.size() < n)
    throw Error(Error::Category::data,
                fmt::format("{} data for {} parameters: an inversion needs at least as many data as parameters",
                            experiment.stations.size(), n),
                data.location(), data.path());

  // Bounds: the plugin's, narrowed by the file.
  experiment.lower.resize(n);
  experiment.upper.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    experiment.lower(i) = parameters[static_cast<std::size_t>(i)].lower;
    experiment.upper(i) = parameters[static_cast<std::size_t>(i)].upper;
  }
  if (const ConfigNode bounds = root["bounds"]; bounds.defined()) {
    bounds.expect_map(parameter_names(parameters));
    for (Eigen::Index i = 0; i < n; ++i) {
      const ParameterSpec& spec = parameters[static_cast<std::size_t>(i)];
      const ConfigNode pair = bounds[spec.name];
      if (!pair.defined()) continue;
      if (!pair.is_sequence() || pair.size() != 2) pair.fail("expected [lower, upper] (use .inf for no bound)");
      const double lower = from_display(spec, pair.at(0).as_real_or_infinite());
      const double upper = from_display(spec, pair.at(1).as_real_or_infinite());
      if (!(lower < upper)) pair.fail("lower bound must be below the upper bound");
      if (lower < spec.lower || upper > spec.upper)
        pair.fail(fmt::format("[{}, {}] {} lies outside what plugin '{}' allows for {}: [{}, {}]",
                              format_display(spec, lower), format_display(spec, upper), display_unit(spec),
                              experiment.forward_plugin, spec.name, format_display(spec, spec.lower),
                              format_display(spec, spec.upper)));
      experiment.lower(i) = lower;
      experiment.upper(i) = upper;
    }
  }

  read_start(root.required("start"), experiment);
  if (experiment.synthetic) {
    std::string why;
    const bool valid = call_plugin(synthetic, experiment.forward_plugin,
                                   [&] { return experiment.forward->is_valid(experiment.true_model, &why); });
    if (!valid) synthetic["true_model"].fail("the true model is not physically valid: " + why);
  }

  // Solvers.
  const ConfigNode solvers = root.required("solvers");
  solvers.expect_sequence();
  if (solvers.size() == 0) solvers.fail("list at least one solver");
  std::set<std::string> labels;
  for (std::size_t i = 0; i < solvers.size(); ++i) {
    const ConfigNode entry = solvers.at(i);
    entry.expect_map({"plugin", "label", "options", "prior", "model_file", "start_from"});
    SolverSpec spec;
    const ConfigNode plugin = entry.required("plugin");
    spec.plugin = plugin.as_string();
    try {
      spec.instance = registry.create_solver(spec.plugin);
    } catch (const Error& error) {
      throw Error(error.category(), error.message(), plugin.location(), plugin.path());
    }
    spec.label = entry["label"].defined() ? entry["label"].as_string() : spec.plugin;
    if (spec.label.empty() || spec.label.find_first_of(" ,/\\\"'") != std::string::npos)
      entry["label"].fail("a label must be one word without commas, slashes or quotes: '" + spec.label + "'");
    if (!labels.insert(spec.label).second)
      entry.fail("solver label '" + spec.label + "' is used twice; give each solver a distinct 'label'");
    const OptionSpecs option_specs = call_plugin(plugin, spec.plugin, [&] { return spec.instance->options(); });
    spec.options = read_options(entry["options"], option_specs, spec.plugin);
    call_plugin(plugin, spec.plugin, [&] {
      spec.instance->configure(spec.options);
      return 0;
    });
    const bool learning = as_learning_solver(*spec.instance) != nullptr;
    if (learning) {
      if (const ConfigNode file = entry["model_file"]; file.defined()) {
        spec.model_file = relative_to(experiment.file, file.as_string());
        if (entry["prior"].defined()) entry["prior"].fail("give either prior (train) or model_file (reuse), not both");
      } else {
        spec.prior = read_prior(entry.required("prior"), experiment);
      }
    } else {
      for (const char* key : {"prior", "model_file"})
        if (entry[key].defined())
          entry[key].fail("solver '" + spec.plugin + "' does not learn; '" + key + "' applies to learning solvers");
    }
    if (const ConfigNode from = entry["start_from"]; from.defined()) {
      spec.start_from = from.as_string();
      bool earlier = false;
      for (const auto& previous : experiment.solvers) earlier = earlier || previous.label == spec.start_from;
      if (!earlier) {
        std::vector<std::string> names;
        for (const auto& previous : experiment.solvers) names.push_back(previous.label);
        from.fail(fmt::format("start_from names no earlier solver; earlier labels: {}",
                              names.empty() ? std::string("(none)") : fmt::format("{}", fmt::join(names, ", "))));
      }
      if (learning) from.fail("a learning solver does not take a start");
    }
    experiment.solvers.push_back(std::move(spec));
  }

  if (const ConfigNode budget = root["budget"]; budget.defined()) {
    budget.expect_map({"max_forward_evaluations", "max_wall_time_s"});
    if (const ConfigNode evaluations = budget["max_forward_evaluations"]; evaluations.defined()) {
      experiment.budget.max_forward_evaluations = evaluations.as_int();
      if (experiment.budget.max_forward_evaluations < 0) evaluations.fail("must be >= 0 (0 = unlimited)");
    }
    if (const ConfigNode seconds = budget["max_wall_time_s"]; seconds.defined()) {
      experiment.budget.max_wall_time_s = seconds.as_real();
      if (experiment.budget.max_wall_time_s < 0) seconds.fail("must be >= 0 s (0 = unlimited)");
    }
  }

  experiment.output_dir = fs::path("runs") / experiment.name;
  if (const ConfigNode output = root["output"]; output.defined()) {
    output.expect_map({"dir", "overwrite"});
    if (output["dir"].defined()) experiment.output_dir = output["dir"].as_string();
    if (output["overwrite"].defined()) experiment.overwrite = output["overwrite"].as_bool();
  }

  // Synthetic data last: everything they depend on is valid by now.
  if (experiment.synthetic) {
    call_plugin(synthetic, experiment.forward_plugin, [&] {
      generate_synthetic_data(experiment);
      return 0;
    });
    if (!experiment.observed.allFinite())
      synthetic["true_model"].fail("the forward model gives non-finite data for the true model");
  }
  compute_starts(root["start"], experiment);
  return experiment;
}

void generate_synthetic_data(Experiment& experiment) {
  experiment.observed.resize(experiment.stations.size());
  experiment.forward->predict(experiment.true_model, experiment.observed);
  NormalGenerator noise(experiment.noise_seed);
  for (Eigen::Index i = 0; i < experiment.observed.size(); ++i)
    experiment.observed(i) += experiment.noise_sigma * noise.next();
  if (experiment.noise_sigma > 0.0)
    experiment.sigma = Vector::Constant(experiment.observed.size(), experiment.noise_sigma);
}

namespace {

void emit_number(YAML::Emitter& out, double value) {
  if (std::isinf(value)) {
    out << (value > 0 ? ".inf" : "-.inf");
  } else {
    out << fmt::format("{:.15g}", value);
  }
}

void emit_option(YAML::Emitter& out, const OptionValue& value) {
  if (const auto* real = std::get_if<double>(&value)) {
    emit_number(out, *real);
  } else if (const auto* list = std::get_if<std::vector<std::int64_t>>(&value)) {
    out << YAML::Flow << YAML::BeginSeq;
    for (auto element : *list) out << element;
    out << YAML::EndSeq;
  } else if (const auto* text = std::get_if<std::string>(&value)) {
    out << YAML::DoubleQuoted << *text;
  } else {
    out << to_string(value);
  }
}

void emit_options(YAML::Emitter& out, const OptionValues& options) {
  out << YAML::BeginMap;
  for (const auto& [name, value] : options.values()) {
    out << YAML::Key << name << YAML::Value;
    emit_option(out, value);
  }
  out << YAML::EndMap;
}

void emit_model(YAML::Emitter& out, const ParameterSpecs& parameters, const Vector& model) {
  out << YAML::Flow << YAML::BeginMap;
  for (std::size_t i = 0; i < parameters.size(); ++i) {
    out << YAML::Key << parameters[i].name << YAML::Value;
    emit_number(out, to_display(parameters[i], model(static_cast<Eigen::Index>(i))));
  }
  out << YAML::EndMap;
}

}  // namespace

std::string resolved_yaml(const Experiment& e) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "version" << YAML::Value << e.version;
  out << YAML::Key << "name" << YAML::Value << e.name;
  out << YAML::Key << "seed" << YAML::Value << e.seed;
  out << YAML::Key << "plugin_paths" << YAML::Value << YAML::Flow << YAML::BeginSeq;
  for (const auto& path : e.plugin_paths) out << fs::absolute(relative_to(e.file, path)).lexically_normal().string();
  out << YAML::EndSeq;

  out << YAML::Key << "forward" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "plugin" << YAML::Value << e.forward_plugin;
  out << YAML::Key << "options" << YAML::Value;
  emit_options(out, e.forward_options);
  out << YAML::Key << "background" << YAML::Value << to_string(e.background);
  out << YAML::Key << "stations" << YAML::Value;
  switch (e.stations_spec.kind) {
    case StationsSpec::Kind::data_file: out << "data"; break;
    case StationsSpec::Kind::list:
      out << YAML::Flow << YAML::BeginSeq;
      for (double x : e.stations_spec.list) emit_number(out, x);
      out << YAML::EndSeq;
      break;
    case StationsSpec::Kind::range:
      out << YAML::Flow << YAML::BeginMap << YAML::Key << "from" << YAML::Value;
      emit_number(out, e.stations_spec.from);
      out << YAML::Key << "to" << YAML::Value;
      emit_number(out, e.stations_spec.to);
      out << YAML::Key << "count" << YAML::Value << e.stations_spec.count << YAML::EndMap;
      break;
  }
  out << YAML::EndMap;

  out << YAML::Key << "data" << YAML::Value << YAML::BeginMap;
  if (!e.data_unit.empty()) out << YAML::Key << "unit" << YAML::Value << YAML::DoubleQuoted << e.data_unit;
  if (e.synthetic) {
    out << YAML::Key << "synthetic" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "true_model" << YAML::Value;
    emit_model(out, e.parameters, e.true_model);
    out << YAML::Key << "noise_sigma" << YAML::Value;
    emit_number(out, e.noise_sigma);
    out << YAML::Key << "seed" << YAML::Value << e.noise_seed;
    out << YAML::EndMap;
  } else {
    // Absolute, so that the resolved file runs from the run directory too.
    out << YAML::Key << "file" << YAML::Value << fs::absolute(relative_to(e.file, e.data_file)).lexically_normal().string();
    out << YAML::Key << "sort" << YAML::Value << e.sort_rows;
    out << YAML::Key << "duplicates" << YAML::Value << e.duplicates;
    if (e.data_sigma) {
      out << YAML::Key << "sigma" << YAML::Value;
      emit_number(out, *e.data_sigma);
    }
  }
  out << YAML::EndMap;

  out << YAML::Key << "start" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "strategy" << YAML::Value << to_string(e.start_spec.strategy);
  if (e.start_spec.strategy == StartSpec::Strategy::fixed) {
    out << YAML::Key << "model" << YAML::Value;
    emit_model(out, e.parameters, e.start_spec.model);
  } else if (e.start_spec.strategy == StartSpec::Strategy::multistart) {
    out << YAML::Key << "count" << YAML::Value << e.start_spec.count;
    out << YAML::Key << "seed" << YAML::Value << e.start_spec.seed;
    out << YAML::Key << "ranges" << YAML::Value << YAML::BeginMap;
    for (std::size_t i = 0; i < e.parameters.size(); ++i) {
      const auto index = static_cast<Eigen::Index>(i);
      out << YAML::Key << e.parameters[i].name << YAML::Value << YAML::Flow << YAML::BeginSeq;
      emit_number(out, to_display(e.parameters[i], e.start_spec.range_lower(index)));
      emit_number(out, to_display(e.parameters[i], e.start_spec.range_upper(index)));
      out << YAML::EndSeq;
    }
    out << YAML::EndMap;
    if (e.start_spec.model.size() > 0) {
      out << YAML::Key << "model" << YAML::Value;
      emit_model(out, e.parameters, e.start_spec.model);
    }
  }
  out << YAML::EndMap;

  out << YAML::Key << "bounds" << YAML::Value << YAML::BeginMap;
  for (std::size_t i = 0; i < e.parameters.size(); ++i) {
    const auto index = static_cast<Eigen::Index>(i);
    out << YAML::Key << e.parameters[i].name << YAML::Value << YAML::Flow << YAML::BeginSeq;
    emit_number(out, to_display(e.parameters[i], e.lower(index)));
    emit_number(out, to_display(e.parameters[i], e.upper(index)));
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;

  out << YAML::Key << "solvers" << YAML::Value << YAML::BeginSeq;
  for (const auto& solver : e.solvers) {
    out << YAML::BeginMap << YAML::Key << "plugin" << YAML::Value << solver.plugin;
    out << YAML::Key << "label" << YAML::Value << solver.label;
    out << YAML::Key << "options" << YAML::Value;
    emit_options(out, solver.options);
    if (!solver.start_from.empty()) out << YAML::Key << "start_from" << YAML::Value << solver.start_from;
    if (!solver.model_file.empty()) out << YAML::Key << "model_file" << YAML::Value << solver.model_file.string();
    if (solver.prior) {
      const PriorSpec& prior = *solver.prior;
      out << YAML::Key << "prior" << YAML::Value << YAML::BeginMap;
      out << YAML::Key << "sampling" << YAML::Value << to_string(prior.sampling);
      if (prior.sampling == PriorSpec::Sampling::grid) {
        out << YAML::Key << "grid" << YAML::Value << YAML::BeginMap;
        for (std::size_t i = 0; i < e.parameters.size(); ++i) {
          out << YAML::Key << e.parameters[i].name << YAML::Value << YAML::Flow << YAML::BeginSeq;
          for (double value : prior.grid[i]) emit_number(out, to_display(e.parameters[i], value));
          out << YAML::EndSeq;
        }
        out << YAML::EndMap;
      } else {
        out << YAML::Key << "ranges" << YAML::Value << YAML::BeginMap;
        for (std::size_t i = 0; i < e.parameters.size(); ++i) {
          const auto index = static_cast<Eigen::Index>(i);
          out << YAML::Key << e.parameters[i].name << YAML::Value << YAML::Flow << YAML::BeginSeq;
          emit_number(out, to_display(e.parameters[i], prior.lower(index)));
          emit_number(out, to_display(e.parameters[i], prior.upper(index)));
          out << YAML::EndSeq;
        }
        out << YAML::EndMap;
      }
      if (prior.samples > 0) out << YAML::Key << "samples" << YAML::Value << prior.samples;
      out << YAML::Key << "seed" << YAML::Value << prior.seed;
      if (prior.noise_sigma) {
        out << YAML::Key << "noise_sigma" << YAML::Value;
        emit_number(out, *prior.noise_sigma);
      }
      out << YAML::EndMap;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;

  out << YAML::Key << "budget" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "max_forward_evaluations" << YAML::Value << e.budget.max_forward_evaluations;
  out << YAML::Key << "max_wall_time_s" << YAML::Value;
  emit_number(out, e.budget.max_wall_time_s);
  out << YAML::EndMap;

  out << YAML::Key << "output" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "dir" << YAML::Value << e.output_dir.string();
  out << YAML::Key << "overwrite" << YAML::Value << e.overwrite;
  out << YAML::EndMap;
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace geoinv
