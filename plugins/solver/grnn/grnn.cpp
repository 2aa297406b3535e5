// SPDX-License-Identifier: BSD-3-Clause
// The `grnn` solver plugin: Specht's generalised regression neural network, i.e. Nadaraya–Watson kernel
// regression with a Gaussian kernel of width sigma on standardised inputs. Training keeps the training
// rows; solve() maps the observed profile, or each window of the observed trace, to the kernel-weighted
// mean of the training targets. See README.md.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <limits>
#include <string>

#include "geoinv/error.hpp"
#include "geoinv/learning_solver.hpp"
#include "geoinv/option_binding.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv/termination.hpp"
#include "geoinv_learning/kernel_regression.hpp"
#include "geoinv_learning/windowed_solve.hpp"
#include "geoinv_plugin_example.hpp"

namespace {

namespace learning = geoinv_learning;

constexpr const char* kFormat = "geoinv-grnn";
constexpr int kVersion = 1;

struct Settings {
  double sigma = 0.5;             // kernel width, standardised input units
  double validation_split = 0.2;  // the last rows, held out for the reported validation error
};

geoinv::OptionBindings<Settings> declare_options() {
  geoinv::OptionBindings<Settings> options;
  options
      .add("sigma", &Settings::sigma,
           "width of the Gaussian kernel exp(-d²/(2 sigma²)), d the distance between standardised inputs "
           "(each input column scaled to mean 0, deviation 1 over the training rows)")
      .greater_than(0.0);
  options
      .add("validation_split", &Settings::validation_split,
           "fraction of the training set (its last rows) held out for the reported validation error; 0 none")
      .at_least(0.0)
      .at_most(0.9);
  return options;
}

class GeneralRegressionNetwork final : public geoinv::LearningSolver {
 public:
  geoinv::OptionSpecs options() const override { return bindings_.specs(); }
  void configure(const geoinv::OptionValues& options) override { settings_ = bindings_.fill(options); }

  geoinv::TrainingReport train(const geoinv::TrainingSet& data, const geoinv::SolveContext&) override {
    learning::check_training_set(data, "grnn");
    const auto started = std::chrono::steady_clock::now();
    const Eigen::Index held = learning::held_out_rows(data.inputs.rows(), settings_.validation_split);
    const Eigen::Index kept = data.inputs.rows() - held;
    frame_.fit(data, kept);
    sigma_ = settings_.sigma;
    samples_ = frame_.inputs.apply(data.inputs.topRows(kept));
    targets_ = frame_.targets.apply(data.targets.topRows(kept));
    geoinv::TrainingReport report = learning::training_report(
        data, kept, frame_, [this](const Eigen::MatrixXd& rows) { return predict(rows); });
    report.training_time_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    report.message = "grnn: " + std::to_string(kept) + " training rows kept, sigma " +
                     std::to_string(sigma_) +
                     (held > 0 ? ", validated on " + std::to_string(held) + " held-out rows" : "");
    return report;
  }

  void save_model(const std::filesystem::path& file) const override {
    if (samples_.rows() == 0) throw geoinv::Error(geoinv::Error::Category::plugin, "grnn: no model to save");
    learning::Json json = frame_.to_json(kFormat, kVersion);
    json["sigma"] = sigma_;
    json["samples"] = learning::matrix_json(samples_);
    json["sample_targets"] = learning::matrix_json(targets_);
    learning::write_model_file(json, file);
  }

  std::string load_model(const std::filesystem::path& file) override {
    learning::ModelFrame frame;
    const learning::Json json = frame.read(file, kFormat, kVersion);
    try {
      const double sigma = json.at("sigma").get<double>();
      if (!(sigma > 0.0))
        throw geoinv::Error(geoinv::Error::Category::io, "'" + file.string() + "': sigma must be > 0");
      samples_ = learning::matrix_from(json.at("samples"), frame.inputs.mean.size(), "samples");
      targets_ =
          learning::matrix_from(json.at("sample_targets"), frame.targets.mean.size(), "sample_targets");
      if (samples_.rows() != targets_.rows() || samples_.rows() == 0)
        throw geoinv::Error(geoinv::Error::Category::io,
                            "'" + file.string() + "': samples and targets differ in count");
      sigma_ = sigma;
    } catch (const nlohmann::json::exception& e) {
      throw geoinv::Error(geoinv::Error::Category::io,
                          "'" + file.string() + "' is not a valid grnn file: " + e.what());
    }
    frame_ = frame;
    return frame_.signature;
  }

  geoinv::SolverOutcome solve(geoinv::Problem& problem, const geoinv::Vector&,
                              const geoinv::SolveContext&) override {
    if (samples_.rows() == 0)
      throw geoinv::Error(geoinv::Error::Category::plugin,
                          "grnn: solve() called before train() or load_model()");
    const geoinv::Matrix rows =
        learning::rows_to_map(problem, frame_.window, samples_.cols(), targets_.cols(), "grnn");
    geoinv::SolverOutcome outcome;
    outcome.estimate = learning::estimate_from(predict(rows), frame_.window);
    outcome.termination = geoinv::Termination::no_iterations;
    outcome.message = "kernel-weighted mean of " + std::to_string(samples_.rows()) +
                      " training targets (sigma " + std::to_string(sigma_) + ") for " +
                      std::to_string(rows.rows()) + " input row(s)";
    if (!problem.in_bounds(outcome.estimate)) {
      problem.project(outcome.estimate);
      outcome.message += "; clamped into the bounds";
    }
    return outcome;
  }

  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }

 private:
  // Nadaraya–Watson: Σ_i k(x, x_i) y_i / Σ_i k(x, x_i), k = exp(−‖x − x_i‖²/(2σ²)), on standardised values.
  // Each row's weights are taken relative to its nearest sample (exp(−(d − d_min)/(2σ²))), so a row far
  // from every sample still gets its nearest samples' targets instead of 0/0.
  Eigen::MatrixXd predict(const Eigen::MatrixXd& rows) const {
    Eigen::MatrixXd weights = learning::squared_distances(frame_.inputs.apply(rows), samples_);
    weights.colwise() -= weights.rowwise().minCoeff();
    weights = (weights * (-0.5 / (sigma_ * sigma_))).array().exp().matrix();
    const Eigen::MatrixXd mean = (weights * targets_).array().colwise() / weights.rowwise().sum().array();
    Eigen::MatrixXd estimates = frame_.targets.undo(mean);
    learning::wrap_angles(estimates, frame_.angles);
    return estimates;
  }

  geoinv::OptionBindings<Settings> bindings_ = declare_options();
  Settings settings_;
  learning::ModelFrame frame_;
  double sigma_ = 0.5;
  Eigen::MatrixXd samples_, targets_;  // standardised training rows and their targets
};

}  // namespace

GEOINV_SOLVER_PLUGIN(GeneralRegressionNetwork, "grnn", "1.0.0",
                     "Generalised regression neural network (Nadaraya-Watson, Gaussian kernel)")
