// SPDX-License-Identifier: BSD-3-Clause
// The `rbf_network` solver plugin: a radial-basis-function network — Gaussian units centred on training
// rows, a bias, and output weights fitted by (ridge) least squares. solve() maps the observed profile, or
// each window of the observed trace, through the network. See README.md.
#include <Eigen/Cholesky>
#include <algorithm>
#include <chrono>
#include <cmath>
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

constexpr const char* kFormat = "geoinv-rbf-network";
constexpr int kVersion = 1;

struct Settings {
  std::int64_t centers = 200;  // Gaussian units
  double width = 0.0;          // Gaussian σ, standardised input units; 0: Haykin's d_max / sqrt(2 centers)
  double ridge = 1e-6;         // Tikhonov weight on the output weights
  double validation_split = 0.2;  // the last rows, held out for the reported validation error
};

geoinv::OptionBindings<Settings> declare_options() {
  geoinv::OptionBindings<Settings> options;
  options
      .add("centers", &Settings::centers,
           "number of Gaussian units, centred on training rows spread evenly through the training part "
           "(at most the training rows)")
      .at_least(1);
  options
      .add("width", &Settings::width,
           "sigma of the Gaussian units exp(-d²/(2 sigma²)), standardised input units; 0 chooses "
           "d_max / sqrt(2 centers), d_max the largest distance between two centres")
      .at_least(0.0);
  options
      .add("ridge", &Settings::ridge,
           "Tikhonov weight of the output weights' least squares, (PᵀP + ridge·n·I) w = Pᵀy; 0 is plain "
           "least squares")
      .at_least(0.0);
  options
      .add("validation_split", &Settings::validation_split,
           "fraction of the training set (its last rows) held out for the reported validation error; 0 none")
      .at_least(0.0)
      .at_most(0.9);
  return options;
}

class RadialBasisNetwork final : public geoinv::LearningSolver {
 public:
  geoinv::OptionSpecs options() const override { return bindings_.specs(); }
  void configure(const geoinv::OptionValues& options) override { settings_ = bindings_.fill(options); }

  geoinv::TrainingReport train(const geoinv::TrainingSet& data, const geoinv::SolveContext&) override {
    learning::check_training_set(data, "rbf_network");
    const auto started = std::chrono::steady_clock::now();
    const Eigen::Index held = learning::held_out_rows(data.inputs.rows(), settings_.validation_split);
    const Eigen::Index kept = data.inputs.rows() - held;
    frame_.fit(data, kept);
    const Eigen::MatrixXd inputs = frame_.inputs.apply(data.inputs.topRows(kept));
    const Eigen::MatrixXd targets = frame_.targets.apply(data.targets.topRows(kept));
    choose_centers(inputs);
    const Eigen::MatrixXd design = activations(inputs);
    Eigen::MatrixXd normal = design.transpose() * design;
    normal.diagonal().array() += settings_.ridge * static_cast<double>(kept);
    weights_ = normal.ldlt().solve(design.transpose() * targets);
    if (!weights_.allFinite())
      throw geoinv::Error(
          geoinv::Error::Category::numerical,
          "rbf_network: the output weights' least squares failed; raise ridge or lower centers");

    geoinv::TrainingReport report = learning::training_report(
        data, kept, frame_, [this](const Eigen::MatrixXd& rows) { return predict(rows); });
    report.training_time_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    report.message = "rbf_network: " + std::to_string(centers_.rows()) + " Gaussian units (width " +
                     std::to_string(width_) + ") fitted to " + std::to_string(kept) + " rows" +
                     (held > 0 ? ", validated on " + std::to_string(held) + " held-out rows" : "");
    return report;
  }

  void save_model(const std::filesystem::path& file) const override {
    if (centers_.rows() == 0)
      throw geoinv::Error(geoinv::Error::Category::plugin, "rbf_network: no model to save");
    learning::Json json = frame_.to_json(kFormat, kVersion);
    json["width"] = width_;
    json["centers"] = learning::matrix_json(centers_);
    json["weights"] = learning::matrix_json(weights_);
    learning::write_model_file(json, file);
  }

  std::string load_model(const std::filesystem::path& file) override {
    learning::ModelFrame frame;
    const learning::Json json = frame.read(file, kFormat, kVersion);
    const std::string name = "'" + file.string() + "'";
    try {
      const double width = json.at("width").get<double>();
      Eigen::MatrixXd centers =
          learning::matrix_from(json.at("centers"), frame.inputs.mean.size(), name + " centers");
      Eigen::MatrixXd weights =
          learning::matrix_from(json.at("weights"), frame.targets.mean.size(), name + " weights");
      if (!(width > 0.0) || centers.rows() == 0 || weights.rows() != centers.rows() + 1)
        throw geoinv::Error(geoinv::Error::Category::io, name + ": width, centers and weights do not agree");
      width_ = width;
      centers_ = std::move(centers);
      weights_ = std::move(weights);
    } catch (const nlohmann::json::exception& e) {
      throw geoinv::Error(geoinv::Error::Category::io,
                          name + " is not a valid rbf_network file: " + e.what());
    }
    frame_ = frame;
    return frame_.signature;
  }

  geoinv::SolverOutcome solve(geoinv::Problem& problem, const geoinv::Vector&,
                              const geoinv::SolveContext&) override {
    if (centers_.rows() == 0)
      throw geoinv::Error(geoinv::Error::Category::plugin,
                          "rbf_network: solve() called before train() or load_model()");
    const geoinv::Matrix rows =
        learning::rows_to_map(problem, frame_.window, centers_.cols(), weights_.cols(), "rbf_network");
    geoinv::SolverOutcome outcome;
    outcome.estimate = learning::estimate_from(predict(rows), frame_.window);
    outcome.termination = geoinv::Termination::no_iterations;
    outcome.message = "one pass of the radial-basis network (" + std::to_string(centers_.rows()) +
                      " Gaussian units) for " + std::to_string(rows.rows()) + " input row(s)";
    if (!outcome.estimate.allFinite()) {
      outcome.termination = geoinv::Termination::numerical_failure;
      outcome.message = "the radial-basis network's prediction is not finite";
    } else if (!problem.in_bounds(outcome.estimate)) {
      problem.project(outcome.estimate);
      outcome.message += "; clamped into the bounds";
    }
    return outcome;
  }

  std::string example_yaml() const override { return kGeoinvPluginExampleYaml; }

 private:
  // Centres: `centers` training rows spread evenly through the (independently drawn) training part; width
  // from them when not given.
  void choose_centers(const Eigen::MatrixXd& inputs) {
    const Eigen::Index count = std::min<Eigen::Index>(settings_.centers, inputs.rows());
    centers_.resize(count, inputs.cols());
    for (Eigen::Index k = 0; k < count; ++k) centers_.row(k) = inputs.row(k * inputs.rows() / count);
    width_ = settings_.width;
    if (width_ == 0.0) {
      const double d_max = std::sqrt(learning::squared_distances(centers_, centers_).maxCoeff());
      width_ = d_max > 0.0 ? d_max / std::sqrt(2.0 * static_cast<double>(count)) : 1.0;
    }
  }

  // The design matrix: a bias column, then exp(−‖x − c_k‖²/(2 width²)) per centre.
  Eigen::MatrixXd activations(const Eigen::MatrixXd& standardised) const {
    Eigen::MatrixXd design(standardised.rows(), centers_.rows() + 1);
    design.col(0).setOnes();
    design.rightCols(centers_.rows()) =
        (learning::squared_distances(standardised, centers_) * (-0.5 / (width_ * width_)))
            .array()
            .exp()
            .matrix();
    return design;
  }

  Eigen::MatrixXd predict(const Eigen::MatrixXd& rows) const {
    Eigen::MatrixXd estimates = frame_.targets.undo(activations(frame_.inputs.apply(rows)) * weights_);
    learning::wrap_angles(estimates, frame_.angles);
    return estimates;
  }

  geoinv::OptionBindings<Settings> bindings_ = declare_options();
  Settings settings_;
  learning::ModelFrame frame_;
  double width_ = 0.0;
  Eigen::MatrixXd centers_;  // standardised inputs, one centre per row
  Eigen::MatrixXd weights_;  // (1 + centres) × targets: bias row first
};

}  // namespace

GEOINV_SOLVER_PLUGIN(RadialBasisNetwork, "rbf_network", "1.0.0",
                     "Radial-basis-function network (Gaussian units, least-squares output weights)")
