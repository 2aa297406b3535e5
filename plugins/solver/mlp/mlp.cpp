// SPDX-License-Identifier: BSD-3-Clause
// The `mlp` solver plugin: a multilayer perceptron trained on synthetic profiles, mapping a profile to
// parameters in one forward pass. The network, the training loop and the model file live in
// mlp_network.* and mlp_model.*; this file declares the options and adapts them to the Solver interface.
// See README.md.
#include <cmath>
#include <cstdio>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "geoinv/error.hpp"
#include "geoinv/learning_solver.hpp"
#include "geoinv/option_binding.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_learning/windowed_solve.hpp"
#include "geoinv_plugin_example.hpp"
#include "mlp_model.hpp"

namespace {

namespace mlp = geoinv::mlp;
using mlp::FitSettings;
using mlp::ModelSettings;

// The words of an mlp enum option: those mlp::to_string gives, which the model file writes too.
template <typename Enum>
geoinv::OptionChoices<Enum> words_of(std::initializer_list<Enum> values) {
  std::vector<typename geoinv::OptionChoices<Enum>::Entry> entries;
  for (Enum value : values) entries.emplace_back(mlp::to_string(value), value);
  return geoinv::OptionChoices<Enum>(std::move(entries));
}

// A member of ModelSettings::fit, for a binding.
template <typename T>
auto fit(T FitSettings::*member) {
  return geoinv::nested(&ModelSettings::fit, member);
}

// The training options of MLPRegressor (FitSettings), in the order `geoinv describe` lists them.
void declare_fit_options(geoinv::OptionBindings<ModelSettings>& options) {
  options.choice("solver", fit(&FitSettings::optimizer),
                 words_of({mlp::Optimizer::sgd, mlp::Optimizer::adam}),
                 "optimiser: sgd (with momentum) or adam");
  options
      .add("alpha", fit(&FitSettings::alpha),
           "L2 penalty: adds alpha/(2 n_batch) * sum of squared weights to the loss")
      .at_least(0.0);
  options
      .add("l1", fit(&FitSettings::l1),
           "L1 penalty (Kim & Nakata's \"NN with L1\"; not in scikit-learn): adds l1/n_batch * sum of "
           "|weights| "
           "to the loss; 0 is none")
      .at_least(0.0);
  options
      .add("batch_size", fit(&FitSettings::batch_size),
           "samples per optimiser step; 0 is scikit-learn's \"auto\", min(200, training samples)")
      .at_least(0);
  options.add("learning_rate_init", fit(&FitSettings::learning_rate_init), "step size (constant schedule)")
      .greater_than(0.0);
  options.add("max_iter", fit(&FitSettings::max_iter), "epochs (passes over the training samples)")
      .at_least(1);
  options.add("shuffle", fit(&FitSettings::shuffle), "shuffle the training samples before each epoch");
  options.add("early_stopping", fit(&FitSettings::early_stopping),
              "hold out validation_fraction of the training part, stop when its R² stops improving and keep "
              "the best weights");
  options
      .add("validation_fraction", fit(&FitSettings::validation_fraction),
           "fraction of the training part held out for early stopping (only with early_stopping)")
      .greater_than(0.0)
      .less_than(1.0);
  options
      .add("n_iter_no_change", fit(&FitSettings::n_iter_no_change),
           "stop after more than this many epochs without an improvement of tol")
      .at_least(1);
  options
      .add("tol", fit(&FitSettings::tol),
           "improvement of the training loss (or early-stopping R²) an epoch must make to count")
      .at_least(0.0);
  options.add("momentum", fit(&FitSettings::momentum), "sgd: momentum").at_least(0.0).at_most(1.0);
  options.add("nesterovs_momentum", fit(&FitSettings::nesterovs_momentum), "sgd: Nesterov's momentum");
  options.add("beta_1", fit(&FitSettings::beta_1), "adam: decay of the first-moment estimate")
      .at_least(0.0)
      .less_than(1.0);
  options.add("beta_2", fit(&FitSettings::beta_2), "adam: decay of the second-moment estimate")
      .at_least(0.0)
      .less_than(1.0);
  options.add("epsilon", fit(&FitSettings::epsilon), "adam: added to sqrt(v) in the step's denominator")
      .greater_than(0.0);
}

// scikit-learn's MLPRegressor options and the plugin's own, bound to ModelSettings (README.md, "Options").
geoinv::OptionBindings<ModelSettings> declare_options() {
  using mlp::Activation, mlp::Precision, mlp::AngleEncoding;
  geoinv::OptionBindings<ModelSettings> options;
  options
      .add("hidden_layer_sizes", &ModelSettings::hidden_layer_sizes,
           "units of each hidden layer, input side first ([] is a linear model)")
      .at_least(1);
  options.choice("activation", &ModelSettings::activation,
                 words_of({Activation::identity, Activation::logistic, Activation::tanh, Activation::relu}),
                 "activation of the hidden layers; the output layer is linear");
  options.choice("init", geoinv::nested(&ModelSettings::init, &mlp::InitialWeights::distribution),
                 words_of({mlp::InitialDistribution::glorot_uniform, mlp::InitialDistribution::normal,
                           mlp::InitialDistribution::uniform}),
                 "distribution of the initial weights: glorot_uniform (scikit-learn's), normal N(0, "
                 "init_scale^2) or uniform U(-init_scale, init_scale); the last two start the output biases "
                 "at 0");
  options
      .add("init_scale", geoinv::nested(&ModelSettings::init, &mlp::InitialWeights::scale),
           "init normal: the standard deviation; init uniform: the half-width; not used by glorot_uniform. "
           "In the network's standardised units")
      .greater_than(0.0);
  declare_fit_options(options);
  options
      .add("random_state", &ModelSettings::random_state,
           "seed of the split, the initial weights and the shuffles; -1 uses the host's seed")
      .at_least(-1);
  options
      .add("validation_split", &ModelSettings::validation_split,
           "fraction of the training set held out of training for the reported validation errors (0.2: the "
           "seed study's 80/20 split); 0 reports none")
      .at_least(0.0)
      .at_most(0.9);
  options.choice("precision", &ModelSettings::precision, words_of({Precision::float32, Precision::float64}),
                 "floating-point type of the network and its training");
  options.choice("angle_encoding", &ModelSettings::angle_encoding,
                 words_of({AngleEncoding::sincos, AngleEncoding::raw}),
                 "angle parameters as (sin, cos) target pairs decoded by atan2, or as raw radians");
  return options;
}

// One progress report per epoch through the host's observer, which decides what a console shows.
void report_epoch(const geoinv::SolveContext& context, const mlp::EpochRecord& record, mlp::Index max_epochs) {
  const double eta =
      record.elapsed_s / static_cast<double>(record.epoch) * static_cast<double>(max_epochs - record.epoch);
  char status[160];
  std::snprintf(status, sizeof status, "mlp: epoch %lld/%lld  loss %.5g  validation %.5g  ETA %.1f s",
                static_cast<long long>(record.epoch), static_cast<long long>(max_epochs), record.train_loss,
                record.monitor_mse, eta);
  geoinv::SolveProgress progress;
  progress.step = record.epoch;
  progress.steps = max_epochs;
  progress.elapsed_s = record.elapsed_s;
  progress.status = status;
  context.progress(progress);
}

class MultilayerPerceptron final : public geoinv::LearningSolver {
 public:
  geoinv::OptionSpecs options() const override { return bindings_.specs(); }

  void configure(const geoinv::OptionValues& options) override { settings_ = bindings_.fill(options); }

  geoinv::TrainingReport train(const geoinv::TrainingSet& data,
                               const geoinv::SolveContext& context) override {
    return model_.train(data, settings_, context.seed, [&](const mlp::EpochRecord& record, mlp::Index max_epochs) {
      report_epoch(context, record, max_epochs);
    });
  }

  void save_model(const std::filesystem::path& file) const override { model_.save(file); }

  std::string load_model(const std::filesystem::path& file) override {
    model_.load(file);
    return model_.signature();
  }

  geoinv::SolverOutcome solve(geoinv::Problem& problem, const geoinv::Vector& /*start*/,
                              const geoinv::SolveContext&) override {
    if (!model_.trained())
      throw geoinv::Error(geoinv::Error::Category::plugin,
                          "mlp: solve() called before train() or load_model()");
    geoinv::SolverOutcome outcome;
    if (model_.window() > 0) {
      const geoinv::Matrix windows =
          geoinv_learning::rows_to_map(problem, model_.window(), model_.num_inputs(), 1, "mlp");
      outcome.estimate = geoinv_learning::estimate_from(model_.predict_many(windows), model_.window());
    } else {
      predict_profile(problem, outcome.estimate);
    }
    return finish(problem, std::move(outcome));
  }

  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }

 private:
  // Whole profiles: the allocation-free one-row path (README.md, "Speed").
  void predict_profile(const geoinv::Problem& problem, geoinv::Vector& estimate) {
    if (model_.num_parameters() != problem.num_parameters())
      throw geoinv::Error(geoinv::Error::Category::config,
                          "mlp: the model predicts " + std::to_string(model_.num_parameters()) +
                              " parameters; the problem has " + std::to_string(problem.num_parameters()));
    estimate.resize(problem.num_parameters());
    model_.predict(problem.observed(), estimate);
  }

  geoinv::SolverOutcome finish(geoinv::Problem& problem, geoinv::SolverOutcome outcome) const {
    outcome.termination = geoinv::Termination::no_iterations;
    outcome.iterations = 0;
    outcome.message = model_.window() > 0
                          ? "the trained network on each of the trace's " +
                                std::to_string(problem.observed().size()) + " windows (" + model_.summary() +
                                ", window " + std::to_string(model_.window()) + ")"
                          : "one forward pass of the trained network (" + model_.summary() + ")";
    if (!outcome.estimate.allFinite()) {
      outcome.termination = geoinv::Termination::numerical_failure;
      outcome.message = "the network's prediction is not finite (" + model_.summary() + ")";
    } else if (!problem.in_bounds(outcome.estimate)) {
      problem.project(outcome.estimate);
      outcome.message += "; the prediction lay outside the bounds and was clamped into them";
    }
    return outcome;
  }

  geoinv::OptionBindings<mlp::ModelSettings> bindings_ = declare_options();
  mlp::ModelSettings settings_;
  mlp::Model model_;
};

}  // namespace

GEOINV_SOLVER_PLUGIN(MultilayerPerceptron, "mlp", "1.0.0",
                     "Multilayer perceptron (scikit-learn's MLPRegressor) from profile to parameters")
