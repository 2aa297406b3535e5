// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// A trained `mlp` model: the network plus everything needed to use it on a profile — the input and target
// scalers, the target encoding of angles, the parameter names — and its versioned JSON file. Training
// splits the TrainingSet, standardises, encodes, fits (mlp_network.hpp) and evaluates the held-out part.
// No plugin machinery here: mlp_model_test.cpp uses it directly.
#include <Eigen/Core>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "geoinv/learning_solver.hpp"
#include "mlp_network.hpp"

namespace geoinv::mlp {

// The file format this code writes and reads. A windowed model adds the key "window" (README.md).
inline constexpr const char* kFormatName = "geoinv-mlp";
inline constexpr int kFormatVersion = 1;

enum class Precision { float32, float64 };
std::string to_string(Precision precision);

// How an angle parameter (ParameterSpec::is_angle) becomes network targets.
enum class AngleEncoding {
  sincos,  // two targets sin θ and cos θ, decoded by atan2: continuous across 0/2π
  raw,     // θ itself in radians, as scikit-learn would see it (the seed study's 4-output network)
};
std::string to_string(AngleEncoding encoding);

// Everything the plugin's options set (README.md, "Options").
struct ModelSettings {
  std::vector<Index> hidden_layer_sizes{100};
  Activation activation = Activation::relu;
  InitialWeights init;  // the initial weights' distribution (options `init`, `init_scale`)
  FitSettings fit;
  double validation_split = 0.2;   // held out of training for the reported validation errors
  std::int64_t random_state = -1;  // -1: the host's SolveContext::seed
  Precision precision = Precision::float32;
  AngleEncoding angle_encoding = AngleEncoding::sincos;
};

// Per column mean and standard deviation (population, as scikit-learn's StandardScaler; a zero deviation
// is replaced by 1 so that a constant column maps to 0).
struct Standardizer {
  Eigen::VectorXd mean, scale;
  // Fits on the rows `rows` of `samples` (one sample per row).
  void fit(const Eigen::MatrixXd& samples, const std::vector<Index>& rows);
};

// Parameters (internal units) <-> target columns.
class TargetCodec {
 public:
  TargetCodec() = default;
  TargetCodec(std::vector<bool> is_angle, AngleEncoding encoding);

  Index num_parameters() const { return static_cast<Index>(is_angle_.size()); }
  Index num_columns() const { return num_columns_; }
  const std::vector<bool>& is_angle() const { return is_angle_; }
  AngleEncoding encoding() const { return encoding_; }

  void encode(const double* parameters, double* columns) const;
  // Angles come back wrapped into [0, 2π) (geoinv::wrap_angle), whatever the encoding.
  void decode(const double* columns, double* parameters) const;
  // "x0", "sin(theta)", "cos(theta)", ...
  std::vector<std::string> column_names(const std::vector<std::string>& parameter_names) const;

 private:
  std::vector<bool> is_angle_;
  AngleEncoding encoding_ = AngleEncoding::sincos;
  Index num_columns_ = 0;
};

// What train() measured besides the TrainingReport.
struct TrainingDetails {
  FitResult fit;
  std::uint64_t seed = 0;  // the seed actually used
  Index training_samples = 0, validation_samples = 0, batch_size = 0;
  std::vector<Index> validation_rows;     // rows of the TrainingSet held out by validation_split
  Isa isa = Isa::portable;                // the product kernel used
  double validation_mse = 0.0;            // final validation_loss (see below); NaN without validation
  double validation_parameter_mse = 0.0;  // see below; NaN without validation
};

class Model {
 public:
  using ProgressCallback = std::function<void(const EpochRecord& record, Index max_epochs)>;

  // Trains on `data`. Splits off validation_split of the samples (a seeded permutation), fits the
  // scalers on the rest, trains, and fills the report:
  //   epochs: epoch, train_loss (MLPRegressor's loss_), train_mse, validation_loss, early_stopping_score,
  //           elapsed_s — see README.md for each definition;
  //   validation_relative_error: per parameter, median |estimate − truth| / |truth| over the validation
  //           samples, angles by their difference wrapped into [−π, π); for a windowed set (mostly zero
  //           targets, where that ratio is infinite) its one entry is the NRMSE ‖estimate − truth‖ / ‖truth‖
  //           over the validation pairs.
  // `seed` is used when settings.random_state is −1. Throws geoinv::Error (config) for an unusable set and
  // (numerical) when training diverges.
  TrainingReport train(const TrainingSet& data, const ModelSettings& settings, std::uint64_t seed,
                       const ProgressCallback& progress = {});
  const TrainingDetails& details() const { return details_; }

  bool trained() const { return trained_; }
  // TrainingSet::window of the training: 0 for whole profiles; else the model maps one window of this
  // many samples to the block's value at its centre (predict_many of geoinv::trace_windows).
  Index window() const { return window_; }
  Index num_inputs() const { return architecture_.inputs; }
  Index num_parameters() const { return codec_.num_parameters(); }
  const Architecture& architecture() const { return architecture_; }
  Precision precision() const { return precision_; }
  const std::vector<std::string>& parameter_names() const { return names_; }
  const std::string& signature() const { return signature_; }
  const std::string& description() const { return description_; }
  // "101-64-64-5 tanh, float32, angles as sin/cos"
  std::string summary() const;

  // Parameters (internal units, angles in [0, 2π)) for one profile. Uses buffers of the model: not
  // thread-safe, allocation-free after the first call.
  void predict(const Eigen::Ref<const Eigen::VectorXd>& profile, Eigen::Ref<Eigen::VectorXd> parameters);
  // One sample per row in, one per row out.
  Eigen::MatrixXd predict_many(const Eigen::MatrixXd& profiles);

  // The network's weights and biases (Network::parameters()) as doubles.
  Eigen::VectorXd flat_parameters() const;

  // The versioned JSON file (README.md, "Model file"). save() throws geoinv::Error (io) when the file
  // cannot be written; load() throws geoinv::Error naming the file: io when it cannot be read or is
  // malformed, plugin when it is another format or version. A file whose bytes equal one of the last few
  // loaded in this process is not parsed again: load() copies the model read from it then.
  void save(const std::filesystem::path& file) const;
  void load(const std::filesystem::path& file);

 private:
  void reset_buffers();

  bool trained_ = false;
  Index window_ = 0;
  Architecture architecture_;
  Precision precision_ = Precision::float32;
  Network<float> network32_;
  Network<double> network64_;
  Propagator<float> propagator32_;
  Propagator<double> propagator64_;
  Standardizer input_scaler_, target_scaler_;
  TargetCodec codec_;
  std::vector<std::string> names_, units_;
  std::string signature_, description_;
  std::string training_record_;  // JSON text of what training used and measured, kept in the file
  TrainingDetails details_;
  Eigen::VectorXd columns_;  // predict() scratch
  Eigen::VectorXf input32_;
  Eigen::VectorXd input64_;
};

}  // namespace geoinv::mlp
