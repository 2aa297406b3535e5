// SPDX-License-Identifier: BSD-3-Clause
#include "running/learning.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <future>
#include <map>
#include <mutex>
#include <numeric>
#include <optional>

#include "base/fingerprint.hpp"
#include "base/random.hpp"
#include "configuration/noise_level.hpp"
#include "geoinv/error.hpp"
#include "running/console_observer.hpp"
#include "running/model_cache_folder.hpp"

namespace geoinv {

namespace fs = std::filesystem;

TrainingNoise training_noise(const Experiment& e, const PriorSpec& prior) {
  TrainingNoise noise;
  const Eigen::Index m = e.stations.size();
  noise.sigma = Vector::Zero(m);
  if (prior.noise_sigma)
    noise.sigma.setConstant(*prior.noise_sigma);
  else if (prior.snr)
    noise.snr = prior.snr;
  else if (e.synthetic && e.noise_snr)
    noise.snr = e.noise_snr;
  else if (e.synthetic)
    noise.sigma.setConstant(e.noise_sigma);
  else if (e.sigma.size() == m)
    noise.sigma = e.sigma;
  return noise;
}

std::string TrainingNoise::to_string() const {
  if (snr) return fmt::format("snr {}", *snr);
  return fmt::format("noise sigma {}", sigma.size() ? sigma.maxCoeff() : 0.0);
}

void TrainingNoise::add_to(Eigen::Ref<Vector> data, NormalGenerator& random) const {
  const double level = snr ? noise_sigma_for(NoiseLevel{std::nullopt, snr}, data) : 0.0;
  for (Eigen::Index i = 0; i < data.size(); ++i) data(i) += (snr ? level : sigma(i)) * random.next();
}

namespace {

// The length of the flat model vector: every parameter's values (ParameterSpec::size), in order.
Eigen::Index model_size(const ParameterSpecs& parameters) {
  Eigen::Index size = 0;
  for (const ParameterSpec& p : parameters) size += static_cast<Eigen::Index>(p.size);
  return size;
}

// The prior's models, before validity checks: `samples` draws (or every grid point once).
std::vector<Vector> draw_models(const PriorSpec& prior, Eigen::Index n, NormalGenerator& random) {
  std::vector<Vector> models;
  std::int64_t grid_size = 1;
  for (const auto& values : prior.grid) grid_size *= static_cast<std::int64_t>(values.size());
  const std::int64_t samples = prior.samples > 0 ? prior.samples : grid_size;
  auto grid_point = [&](std::int64_t index) {
    Vector point(n);
    for (Eigen::Index j = n - 1; j >= 0; --j) {
      const auto& values = prior.grid[static_cast<std::size_t>(j)];
      point(j) = values[static_cast<std::size_t>(index % static_cast<std::int64_t>(values.size()))];
      index /= static_cast<std::int64_t>(values.size());
    }
    return point;
  };
  switch (prior.sampling) {
    case PriorSpec::Sampling::grid:
      // Every grid point once when no sample count is given; otherwise draws with replacement.
      for (std::int64_t k = 0; k < samples; ++k) {
        const std::int64_t index = prior.samples > 0
                                       ? std::min(grid_size - 1, static_cast<std::int64_t>(random.uniform() *
                                                                                           static_cast<double>(grid_size)))
                                       : k;
        models.push_back(grid_point(index));
      }
      break;
    case PriorSpec::Sampling::latin_hypercube:
      models = latin_hypercube_samples(prior.lower, prior.upper, samples, prior.seed);
      break;
    case PriorSpec::Sampling::uniform:
      for (std::int64_t k = 0; k < samples; ++k) {
        Vector point(n);
        for (Eigen::Index j = 0; j < n; ++j) point(j) = prior.lower(j) + random.uniform() * (prior.upper(j) - prior.lower(j));
        models.push_back(point);
      }
      break;
    case PriorSpec::Sampling::sparse:
      for (std::int64_t k = 0; k < samples; ++k)
        models.push_back(draw_sparse_reflectivity(prior.sparse, n, random));
      break;
  }
  return models;
}

// An invalid model (e.g. a sheet above ground) is redrawn where the sampling allows it; false when it
// stays invalid.
bool make_valid(const ForwardModel& model, const PriorSpec& prior, Vector& parameters,
                NormalGenerator& random) {
  for (int attempt = 0; !model.is_valid(parameters, nullptr); ++attempt) {
    if (prior.sampling == PriorSpec::Sampling::grid || attempt > 100) return false;
    if (prior.sampling == PriorSpec::Sampling::sparse) {
      parameters = draw_sparse_reflectivity(prior.sparse, parameters.size(), random);
      continue;
    }
    for (Eigen::Index j = 0; j < parameters.size(); ++j)
      parameters(j) = prior.lower(j) + random.uniform() * (prior.upper(j) - prior.lower(j));
  }
  return true;
}

// Windowed shape: the noisy traces and their models become (window, centre value) pairs, all of them or
// prior.pairs drawn without replacement.
void make_windows(const Matrix& traces, const Matrix& models, const PriorSpec& prior, NormalGenerator& random,
                  TrainingSet& set) {
  const Eigen::Index samples = traces.cols(), all = traces.rows() * samples;
  std::vector<Eigen::Index> chosen(static_cast<std::size_t>(all));
  std::iota(chosen.begin(), chosen.end(), Eigen::Index{0});
  const Eigen::Index count = prior.pairs > 0 ? std::min<Eigen::Index>(prior.pairs, all) : all;
  for (Eigen::Index k = 0; k < count && count < all; ++k) {
    const auto pick =
        k + std::min(all - k - 1, static_cast<Eigen::Index>(random.uniform() * static_cast<double>(all - k)));
    std::swap(chosen[static_cast<std::size_t>(k)], chosen[static_cast<std::size_t>(pick)]);
  }
  set.inputs.resize(count, prior.window);
  set.targets.resize(count, 1);
  Eigen::Index windowed_trace = -1;
  Matrix windows;
  std::sort(chosen.begin(), chosen.begin() + count);  // trace by trace, so each trace is windowed once
  for (Eigen::Index k = 0; k < count; ++k) {
    const Eigen::Index trace = chosen[static_cast<std::size_t>(k)] / samples,
                       i = chosen[static_cast<std::size_t>(k)] % samples;
    if (trace != windowed_trace) windows = trace_windows(traces.row(trace).transpose(), prior.window);
    windowed_trace = trace;
    set.inputs.row(k) = windows.row(i);
    set.targets(k, 0) = models(trace, i);
  }
}

// A windowed training set needs one parameter value per data sample, in one block.
void check_windowed(const Experiment& e, const PriorSpec& prior, Eigen::Index n) {
  if (e.layout.count() != 1 || n != e.stations.size())
    throw Error(
        Error::Category::config,
        fmt::format("a windowed prior (window {}) needs a forward model with one parameter block of one "
                    "value per data sample; this one has {} parameters ({} values) for {} samples",
                    prior.window, e.layout.count(), n, e.stations.size()));
}

}  // namespace

TrainingSet make_training_set(const Experiment& e, const PriorSpec& prior) {
  const ForwardModel& model = *e.forward;
  const Eigen::Index n = model_size(e.parameters);
  const Eigen::Index m = e.stations.size();
  if (prior.window > 0) check_windowed(e, prior, n);
  const TrainingNoise noise = training_noise(e, prior);
  NormalGenerator random(prior.seed);
  std::vector<Vector> models = draw_models(prior, n, random);

  TrainingSet set;
  set.parameters = prior.window > 0 ? e.layout.specs() : e.parameters;  // a window's target is the block
  set.stations = e.stations;
  set.signature = training_signature(e);
  set.window = prior.window;
  Matrix inputs(static_cast<Eigen::Index>(models.size()), m),
      targets(static_cast<Eigen::Index>(models.size()), n);
  Vector data(m);
  Eigen::Index rows = 0;
  for (auto& parameters : models) {
    if (!make_valid(model, prior, parameters, random)) continue;
    model.predict(parameters, data);
    noise.add_to(data, random);
    if (!data.allFinite()) continue;
    model.canonicalize(parameters);
    inputs.row(rows) = data.transpose();
    targets.row(rows) = parameters.transpose();
    ++rows;
  }
  if (rows < 10)
    throw Error(Error::Category::config,
                fmt::format("the prior gave only {} valid training models; widen it", rows));
  inputs.conservativeResize(rows, m);
  targets.conservativeResize(rows, n);
  set.description = fmt::format("{} samples, {} prior, seed {}, {}", rows, to_string(prior.sampling),
                                prior.seed, noise.to_string());
  if (prior.window == 0) {
    set.inputs = std::move(inputs);
    set.targets = std::move(targets);
    return set;
  }
  make_windows(inputs, targets, prior, random, set);
  set.description += fmt::format(", window {}: {} pairs", prior.window, set.inputs.rows());
  return set;
}

namespace {

// A loaded model fixes its architecture and training: the solver's options the experiment sets (those
// that differ from their defaults) shape nothing.
std::string options_ignored_with_model_file(const SolverSpec& spec) {
  const OptionValues defaults = OptionValues::defaults(spec.instance->options());
  std::vector<std::string> ignored;
  for (const auto& [name, value] : spec.options.values()) {
    const auto found = defaults.values().find(name);
    if (found == defaults.values().end() || !(found->second == value)) ignored.push_back(name);
  }
  if (ignored.empty()) return {};
  return fmt::format("model_file is given, so the options {} are ignored: the trained model fixes its "
                     "architecture and training; remove them, or train a model with them (geoinv train)",
                     fmt::join(ignored, ", "));
}

std::string prior_text(const PriorSpec& prior) {
  std::string text = to_string(prior.sampling) + ";" + std::to_string(prior.samples) + ";" +
                     std::to_string(prior.seed) + ";" + (prior.noise_sigma ? fmt::format("{}", *prior.noise_sigma) : "-");
  if (prior.snr) text += fmt::format(";snr={}", *prior.snr);
  if (prior.sampling == PriorSpec::Sampling::sparse) text += ";" + prior.sparse.to_string();
  if (prior.window > 0) text += fmt::format(";window={};pairs={}", prior.window, prior.pairs);
  for (Eigen::Index j = 0; j < prior.lower.size(); ++j) text += fmt::format(";{}:{}", prior.lower(j), prior.upper(j));
  for (const auto& values : prior.grid) text += fmt::format(";[{}]", fmt::join(values, ","));
  return text;
}

// Models trained in this process, by training spec: an experiment or a campaign trains once per spec.
// A campaign's worker threads reach the same spec together: the first trains, the others wait for its
// file instead of training the same network again.
std::mutex cache_mutex;
std::map<std::string, std::shared_future<fs::path>>& model_cache() {
  static std::map<std::string, std::shared_future<fs::path>> cache;
  return cache;
}

// This process's private folder for trained models (running/model_cache_folder.hpp), created at the first
// training and removed at exit, normal or by an error the CLI reports.
struct CacheFolder {
  fs::path path = create_model_cache_folder(fs::temp_directory_path());
  ~CacheFolder() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

std::atomic<bool> cache_folder_made{false};

fs::path cache_folder() {
  static const CacheFolder folder;
  cache_folder_made.store(true);
  return folder.path;
}

}  // namespace

void remove_model_cache_folder_now() {
  if (!cache_folder_made.load()) return;
  std::error_code ec;
  fs::remove_all(cache_folder(), ec);
}

TrainedModel prepare_learning_solver(const Experiment& e, SolverSpec& spec) {
  LearningSolver* learner = as_learning_solver(*spec.instance);
  if (learner == nullptr)
    throw Error(Error::Category::plugin, "solver '" + spec.plugin + "' does not learn: it has no model to prepare");
  TrainedModel trained;
  const std::string signature = training_signature(e);
  if (!spec.model_file.empty()) {
    std::string stored;
    try {
      stored = learner->load_model(spec.model_file);
    } catch (const Error&) {
      throw;
    } catch (const std::exception& error) {
      throw Error(Error::Category::plugin, std::string("cannot load the trained model: ") + error.what(),
                  {spec.model_file.string()});
    }
    if (!same_training(stored, signature))
      throw Error(Error::Category::config,
                  fmt::format("this model was trained for [{}] but the experiment is [{}]; {}: train it again for "
                              "this forward model, station layout and parameter set",
                              stored, signature, training_difference(stored, signature)),
                  {spec.model_file.string()});
    trained.file = spec.model_file;
    trained.description = "loaded from " + spec.model_file.string();
    const std::string ignored = options_ignored_with_model_file(spec);
    if (!ignored.empty()) trained.warnings.push_back(ignored);
    return trained;
  }
  // Everything that shapes the training set and the training: the solver and its options, the prior
  // (with its seed), the forward model, stations and background (the signature), and the noise the
  // training profiles carry, which follows the experiment's noise unless the prior gives its own.
  const TrainingNoise noise = training_noise(e, *spec.prior);
  const std::string key = fmt::format(
      "{}|{}|{}|{}|noise={:016x}{}", spec.plugin, options_text(spec.options), prior_text(*spec.prior),
      signature,
      fingerprint(noise.sigma.data(), static_cast<std::size_t>(noise.sigma.size()) * sizeof(double)),
      noise.snr ? fmt::format(";snr={}", *noise.snr) : "");
  std::promise<fs::path> promise;
  {
    std::unique_lock<std::mutex> lock(cache_mutex);
    auto found = model_cache().find(key);
    if (found != model_cache().end()) {
      const std::shared_future<fs::path> file = found->second;
      lock.unlock();
      trained.file = file.get();  // waits while another thread trains it; rethrows its failure
      learner->load_model(trained.file);
      trained.description = "reused the model trained earlier for the same spec";
      return trained;
    }
    model_cache().emplace(key, promise.get_future().share());
  }
  try {
    const TrainingSet set = make_training_set(e, *spec.prior);
    ConsoleObserver console(spec.plugin);
    SolveContext context;
    context.seed = derive_seed(spec.prior->seed, 1);
    context.observer = &console;
    trained.report = learner->train(set, context);
    trained.trained_now = true;
    trained.description = set.description;
    const fs::path file = cache_folder() / fmt::format("{:016x}.model.json", fingerprint(key));
    learner->save_model(file);
    trained.file = file;
    promise.set_value(file);
  } catch (...) {
    promise.set_exception(std::current_exception());
    throw;
  }
  return trained;
}

}  // namespace geoinv
