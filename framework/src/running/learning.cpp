// SPDX-License-Identifier: BSD-3-Clause
#include "running/learning.hpp"

#include <fmt/format.h>

#include <future>
#include <atomic>
#include <map>
#include <mutex>

#include "base/fingerprint.hpp"
#include "base/random.hpp"
#include "geoinv/error.hpp"
#include "running/console_observer.hpp"
#include "running/model_cache_folder.hpp"

namespace geoinv {

namespace fs = std::filesystem;

Vector training_noise(const Experiment& e, const PriorSpec& prior) {
  const Eigen::Index m = e.stations.size();
  Vector noise = Vector::Zero(m);
  if (prior.noise_sigma) noise.setConstant(*prior.noise_sigma);
  else if (e.synthetic) noise.setConstant(e.noise_sigma);
  else if (e.sigma.size() == m) noise = e.sigma;
  return noise;
}

TrainingSet make_training_set(const Experiment& e, const PriorSpec& prior) {
  const ForwardModel& model = *e.forward;
  const auto n = static_cast<Eigen::Index>(e.parameters.size());
  const Eigen::Index m = e.stations.size();
  const Vector noise = training_noise(e, prior);

  NormalGenerator random(prior.seed);
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
  }

  TrainingSet set;
  set.parameters = e.parameters;
  set.stations = e.stations;
  set.signature = training_signature(e);
  set.inputs.resize(static_cast<Eigen::Index>(models.size()), m);
  set.targets.resize(static_cast<Eigen::Index>(models.size()), n);
  Vector data(m);
  Eigen::Index rows = 0;
  for (auto& parameters : models) {
    // An invalid model (e.g. a sheet above ground) is redrawn where the sampling allows it.
    for (int attempt = 0; !model.is_valid(parameters, nullptr); ++attempt) {
      if (prior.sampling == PriorSpec::Sampling::grid || attempt > 100) break;
      for (Eigen::Index j = 0; j < n; ++j)
        parameters(j) = prior.lower(j) + random.uniform() * (prior.upper(j) - prior.lower(j));
    }
    if (!model.is_valid(parameters, nullptr)) continue;
    model.predict(parameters, data);
    for (Eigen::Index i = 0; i < m; ++i) data(i) += noise(i) * random.next();
    if (!data.allFinite()) continue;
    model.canonicalize(parameters);
    set.inputs.row(rows) = data.transpose();
    set.targets.row(rows) = parameters.transpose();
    ++rows;
  }
  if (rows < 10)
    throw Error(Error::Category::config,
                fmt::format("the prior gave only {} valid training models; widen it", rows));
  set.inputs.conservativeResize(rows, m);
  set.targets.conservativeResize(rows, n);
  set.description = fmt::format("{} samples, {} prior, seed {}, noise sigma {}", rows, to_string(prior.sampling),
                                prior.seed, noise.size() ? noise.maxCoeff() : 0.0);
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
  const Vector noise = training_noise(e, *spec.prior);
  const std::string key =
      fmt::format("{}|{}|{}|{}|noise={:016x}", spec.plugin, options_text(spec.options), prior_text(*spec.prior),
                  signature,
                  fingerprint(noise.data(), static_cast<std::size_t>(noise.size()) * sizeof(double)));
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
