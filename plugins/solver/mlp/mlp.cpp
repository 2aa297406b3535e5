// The `mlp` solver plugin: a multilayer perceptron trained on synthetic profiles, mapping a profile to
// parameters in one forward pass. The network, the training loop and the model file live in
// mlp_network.* and mlp_model.*; this file declares the options and adapts them to the Solver interface.
// See README.md.
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include "geoinv/error.hpp"
#include "geoinv/learning_solver.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv_plugin_example.hpp"
#include "mlp_model.hpp"

namespace {

using geoinv::OptionSpec;
namespace mlp = geoinv::mlp;

constexpr double kAboveZero = std::numeric_limits<double>::denorm_min();
const double kBelowOne = std::nextafter(1.0, 0.0);

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
  geoinv::OptionSpecs options() const override {
    const mlp::ModelSettings d;
    const auto& f = d.fit;
    return {
        OptionSpec::integer_list("hidden_layer_sizes",
                                 {d.hidden_layer_sizes.begin(), d.hidden_layer_sizes.end()},
                                 "units of each hidden layer, input side first ([] is a linear model)", 1),
        OptionSpec::choice("activation", mlp::to_string(d.activation),
                           {"identity", "logistic", "tanh", "relu"},
                           "activation of the hidden layers; the output layer is linear"),
        OptionSpec::choice("solver", mlp::to_string(f.optimizer), {"sgd", "adam"},
                           "optimiser: sgd (with momentum) or adam"),
        OptionSpec::real("alpha", f.alpha,
                         "L2 penalty: adds alpha/(2 n_batch) * sum of squared weights to the loss", 0.0),
        OptionSpec::integer(
            "batch_size", f.batch_size,
            "samples per optimiser step; 0 is scikit-learn's \"auto\", min(200, training samples)", 0),
        OptionSpec::real("learning_rate_init", f.learning_rate_init,
                         "step size (constant schedule); must be > 0", kAboveZero),
        OptionSpec::integer("max_iter", f.max_iter, "epochs (passes over the training samples)", 1),
        OptionSpec::boolean("shuffle", f.shuffle, "shuffle the training samples before each epoch"),
        OptionSpec::boolean(
            "early_stopping", f.early_stopping,
            "hold out validation_fraction of the training part, stop when its R² stops improving "
            "and keep the best weights"),
        OptionSpec::real(
            "validation_fraction", f.validation_fraction,
            "fraction of the training part held out for early stopping (only with early_stopping)",
            kAboveZero, kBelowOne),
        OptionSpec::integer("n_iter_no_change", f.n_iter_no_change,
                            "stop after more than this many epochs without an improvement of tol", 1),
        OptionSpec::real(
            "tol", f.tol,
            "improvement of the training loss (or early-stopping R²) an epoch must make to count", 0.0),
        OptionSpec::real("momentum", f.momentum, "sgd: momentum", 0.0, 1.0),
        OptionSpec::boolean("nesterovs_momentum", f.nesterovs_momentum, "sgd: Nesterov's momentum"),
        OptionSpec::real("beta_1", f.beta_1, "adam: decay of the first-moment estimate", 0.0, kBelowOne),
        OptionSpec::real("beta_2", f.beta_2, "adam: decay of the second-moment estimate", 0.0, kBelowOne),
        OptionSpec::real("epsilon", f.epsilon, "adam: added to sqrt(v) in the step's denominator",
                         kAboveZero),
        OptionSpec::integer(
            "random_state", d.random_state,
            "seed of the split, the initial weights and the shuffles; -1 uses the host's seed", -1),
        OptionSpec::real(
            "validation_split", d.validation_split,
            "fraction of the training set held out of training for the reported validation errors "
            "(0.2: the seed study's 80/20 split); 0 reports none",
            0.0, 0.9),
        OptionSpec::choice("precision", mlp::to_string(d.precision), {"float32", "float64"},
                           "floating-point type of the network and its training"),
        OptionSpec::choice("angle_encoding", mlp::to_string(d.angle_encoding), {"sincos", "raw"},
                           "angle parameters as (sin, cos) target pairs decoded by atan2, or as raw radians"),
    };
  }

  void configure(const geoinv::OptionValues& options) override {
    mlp::ModelSettings s;
    auto require = [](bool holds, const std::string& what) {
      if (!holds) throw geoinv::Error(geoinv::Error::Category::config, "mlp: " + what);
    };
    s.hidden_layer_sizes.clear();
    for (std::int64_t units : options.get_int_list("hidden_layer_sizes")) {
      require(units >= 1, "hidden_layer_sizes must be positive, not " + std::to_string(units));
      s.hidden_layer_sizes.push_back(static_cast<mlp::Index>(units));
    }
    const auto activation = mlp::activation_from_string(options.get_string("activation"));
    require(activation.has_value(), "unknown activation '" + options.get_string("activation") + "'");
    s.activation = *activation;
    const auto optimizer = mlp::optimizer_from_string(options.get_string("solver"));
    require(optimizer.has_value(), "unknown solver '" + options.get_string("solver") + "'");
    auto& f = s.fit;
    f.optimizer = *optimizer;
    f.alpha = options.get_real("alpha");
    f.batch_size = options.get_int("batch_size");
    f.learning_rate_init = options.get_real("learning_rate_init");
    f.max_iter = options.get_int("max_iter");
    f.shuffle = options.get_bool("shuffle");
    f.early_stopping = options.get_bool("early_stopping");
    f.validation_fraction = options.get_real("validation_fraction");
    f.n_iter_no_change = options.get_int("n_iter_no_change");
    f.tol = options.get_real("tol");
    f.momentum = options.get_real("momentum");
    f.nesterovs_momentum = options.get_bool("nesterovs_momentum");
    f.beta_1 = options.get_real("beta_1");
    f.beta_2 = options.get_real("beta_2");
    f.epsilon = options.get_real("epsilon");
    s.random_state = options.get_int("random_state");
    s.validation_split = options.get_real("validation_split");
    const std::string& precision = options.get_string("precision");
    require(precision == "float32" || precision == "float64", "precision must be float32 or float64");
    s.precision = precision == "float32" ? mlp::Precision::float32 : mlp::Precision::float64;
    const std::string& encoding = options.get_string("angle_encoding");
    require(encoding == "sincos" || encoding == "raw", "angle_encoding must be sincos or raw");
    s.angle_encoding = encoding == "sincos" ? mlp::AngleEncoding::sincos : mlp::AngleEncoding::raw;
    // The host validates against options() first; these guard callers that skip it.
    require(f.alpha >= 0.0, "alpha must be >= 0");
    require(f.batch_size >= 0, "batch_size must be >= 0 (0: auto)");
    require(f.learning_rate_init > 0.0, "learning_rate_init must be > 0");
    require(f.max_iter >= 1, "max_iter must be >= 1");
    require(f.validation_fraction > 0.0 && f.validation_fraction < 1.0,
            "validation_fraction must be in (0, 1)");
    require(f.n_iter_no_change >= 1, "n_iter_no_change must be >= 1");
    require(f.tol >= 0.0, "tol must be >= 0");
    require(f.momentum >= 0.0 && f.momentum <= 1.0, "momentum must be in [0, 1]");
    require(f.beta_1 >= 0.0 && f.beta_1 < 1.0, "beta_1 must be in [0, 1)");
    require(f.beta_2 >= 0.0 && f.beta_2 < 1.0, "beta_2 must be in [0, 1)");
    require(f.epsilon > 0.0, "epsilon must be > 0");
    require(s.random_state >= -1, "random_state must be >= -1");
    require(s.validation_split >= 0.0 && s.validation_split <= 0.9, "validation_split must be in [0, 0.9]");
    settings_ = s;
  }

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
    if (model_.num_parameters() != problem.num_parameters())
      throw geoinv::Error(geoinv::Error::Category::config,
                          "mlp: the model predicts " + std::to_string(model_.num_parameters()) +
                              " parameters; the problem has " + std::to_string(problem.num_parameters()));
    geoinv::SolverOutcome outcome;
    outcome.estimate.resize(problem.num_parameters());
    model_.predict(problem.observed(), outcome.estimate);
    outcome.termination = geoinv::Termination::no_iterations;
    outcome.iterations = 0;
    outcome.message = "one forward pass of the trained network (" + model_.summary() + ")";
    if (!outcome.estimate.allFinite()) {
      outcome.termination = geoinv::Termination::numerical_failure;
      outcome.message = "the network's prediction is not finite (" + model_.summary() + ")";
    } else if (!problem.in_bounds(outcome.estimate)) {
      problem.project(outcome.estimate);
      outcome.message += "; the prediction lay outside the bounds and was clamped into them";
    }
    return outcome;
  }

  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }

 private:
  mlp::ModelSettings settings_;
  mlp::Model model_;
};

}  // namespace

GEOINV_SOLVER_PLUGIN(MultilayerPerceptron, "mlp", "1.0.0",
                     "Multilayer perceptron (scikit-learn's MLPRegressor) from profile to parameters")
