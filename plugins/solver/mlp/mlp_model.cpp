// SPDX-License-Identifier: BSD-3-Clause
// Training pipeline and prediction of the `mlp` solver (mlp_model.hpp); the model file is mlp_model_file.cpp.
#include "mlp_model.hpp"
#include "mlp_model_json.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <type_traits>

#include "geoinv/error.hpp"
#include "geoinv/parameter.hpp"

namespace geoinv::mlp {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double median(std::vector<double> values) {
  if (values.empty()) return kNaN;
  const std::size_t middle = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle), values.end());
  const double upper = values[middle];
  if (values.size() % 2 == 1) return upper;
  const double lower =
      *std::max_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(middle));
  return 0.5 * (lower + upper);
}

// Difference of two angles wrapped into [−π, π).
double angle_difference(double a, double b) { return wrap_angle(a - b + kPi) - kPi; }

// Standardised samples of `rows`, transposed to one sample per column, in T.
template <typename T>
Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> standardized_columns(const Eigen::MatrixXd& samples,
                                                                      const std::vector<Index>& rows,
                                                                      const Standardizer& scaler) {
  Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic> out(samples.cols(), static_cast<Index>(rows.size()));
  const Eigen::ArrayXd inverse = scaler.scale.array().inverse();
  for (std::size_t i = 0; i < rows.size(); ++i)
    out.col(static_cast<Index>(i)) =
        ((samples.row(rows[i]).transpose().array() - scaler.mean.array()) * inverse)
            .template cast<T>()
            .matrix();
  return out;
}


void check_training_set(const TrainingSet& data) {
  const Index n = data.inputs.rows();
  const Index num_parameters = static_cast<Index>(data.parameters.size());
  if (n < 2)
    fail(Error::Category::config,
         "the training set has " + std::to_string(n) + " samples; at least 2 are needed");
  if (data.inputs.cols() < 1) fail(Error::Category::config, "the training profiles are empty");
  if (data.targets.rows() != n || data.targets.cols() != num_parameters)
    fail(Error::Category::config, "the training targets are " + std::to_string(data.targets.rows()) + " x " +
                                      std::to_string(data.targets.cols()) + ", expected " +
                                      std::to_string(n) + " x " + std::to_string(num_parameters) +
                                      " (samples x parameters)");
  if (!data.inputs.allFinite() || !data.targets.allFinite())
    fail(Error::Category::config, "the training set holds values that are not finite");
}

// The rows of the training set that train, and those held out to report validation errors.
struct ValidationSplit {
  std::vector<Index> training, validation;
};

ValidationSplit split_validation(Index n, const ModelSettings& settings, Random& random) {
  std::vector<Index> order = random.permutation(n);
  Index held = 0;
  if (settings.validation_split > 0.0)
    held =
        std::clamp<Index>(static_cast<Index>(std::ceil(settings.validation_split * static_cast<double>(n))),
                          1, n - (settings.fit.early_stopping ? 2 : 1));
  return {std::vector<Index>(order.begin() + held, order.end()), std::vector<Index>(order.begin(), order.begin() + held)};
}

// One row of encoded target columns per sample.
Eigen::MatrixXd encode_targets(const TargetCodec& codec, const Eigen::MatrixXd& targets) {
  Eigen::MatrixXd encoded(targets.rows(), codec.num_columns());
  Eigen::VectorXd parameters(targets.cols()), columns(codec.num_columns());
  for (Index i = 0; i < targets.rows(); ++i) {
    parameters = targets.row(i).transpose();
    codec.encode(parameters.data(), columns.data());
    encoded.row(i) = columns.transpose();
  }
  return encoded;
}

Trace epoch_table(const std::vector<EpochRecord>& history) {
  Trace epochs({"epoch", "train_loss", "train_mse", "validation_loss", "early_stopping_score", "elapsed_s"});
  epochs.reserve(history.size());
  for (const EpochRecord& r : history)
    epochs.add_row({static_cast<double>(r.epoch), r.train_loss, r.train_mse, r.monitor_mse, r.early_stopping_score,
                    r.elapsed_s});
  return epochs;
}

// Per parameter the median |estimate − truth| / |truth| over the validation rows, and the mean squared
// error of the parameters scaled by their spread over the training rows; NaN without validation rows.
struct ValidationErrors {
  Eigen::VectorXd relative;
  double parameter_mse = kNaN;
};

ValidationErrors validation_errors(Model& model, const TrainingSet& data, const ValidationSplit& split,
                                   const std::vector<bool>& is_angle) {
  const auto held = static_cast<Index>(split.validation.size());
  const auto num_parameters = static_cast<Index>(data.parameters.size());
  ValidationErrors errors;
  errors.relative = Eigen::VectorXd::Constant(num_parameters, kNaN);
  if (held == 0) return errors;
  Eigen::MatrixXd profiles(held, data.inputs.cols()), truth(held, num_parameters);
  for (Index i = 0; i < held; ++i) {
    profiles.row(i) = data.inputs.row(split.validation[static_cast<std::size_t>(i)]);
    truth.row(i) = data.targets.row(split.validation[static_cast<std::size_t>(i)]);
  }
  const Eigen::MatrixXd estimate = model.predict_many(profiles);
  Standardizer parameter_scaler;
  parameter_scaler.fit(data.targets, split.training);
  if (data.window > 0) {
    errors.relative(0) = (estimate - truth).norm() / truth.norm();
    errors.parameter_mse =
        (estimate - truth).squaredNorm() / std::pow(parameter_scaler.scale(0), 2) / static_cast<double>(held);
    return errors;
  }
  double squared = 0.0;
  for (Index j = 0; j < num_parameters; ++j) {
    std::vector<double> relative(static_cast<std::size_t>(held));
    for (Index i = 0; i < held; ++i) {
      const double error = is_angle[static_cast<std::size_t>(j)] ? angle_difference(estimate(i, j), truth(i, j))
                                                                 : estimate(i, j) - truth(i, j);
      relative[static_cast<std::size_t>(i)] = std::abs(error) / std::abs(truth(i, j));
      squared += std::pow(error / parameter_scaler.scale(j), 2);
    }
    errors.relative(j) = median(std::move(relative));
  }
  errors.parameter_mse = squared / static_cast<double>(held * num_parameters);
  return errors;
}

std::string short_number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return std::string(text);
}

std::string training_message(const std::string& summary, const ModelSettings& settings,
                             const TrainingDetails& details, double training_time_s) {
  const auto& last = details.fit.history.back();
  std::string message = summary + ": " + std::to_string(details.fit.history.size()) + " epochs on " +
                        std::to_string(details.training_samples) + " profiles (batch " +
                        std::to_string(details.batch_size) + ", " + to_string(settings.fit.optimizer) + ") in " +
                        short_number(training_time_s) + " s; " + details.fit.message + "; train_loss " +
                        short_number(last.train_loss);
  if (details.validation_samples > 0)
    message += ", validation MSE " + short_number(details.validation_mse) + " (standardised targets), " +
               short_number(details.validation_parameter_mse) + " (standardised parameters) on " +
               std::to_string(details.validation_samples) + " held-out profiles";
  return message;
}

// What the model file keeps of a training ("training" in README.md's model file).
Json training_record(const ModelSettings& settings, const TrainingDetails& details, const TrainingReport& report) {
  Json record;
  record["seed"] = details.seed;
  record["optimizer"] = to_string(settings.fit.optimizer);
  record["alpha"] = settings.fit.alpha;
  if (settings.fit.l1 > 0.0) record["l1"] = settings.fit.l1;
  if (settings.init.distribution != InitialDistribution::glorot_uniform) {
    record["init"] = to_string(settings.init.distribution);
    record["init_scale"] = settings.init.scale;
  }
  record["batch_size"] = details.batch_size;
  record["learning_rate_init"] = settings.fit.learning_rate_init;
  record["max_iter"] = settings.fit.max_iter;
  record["epochs"] = details.fit.history.size();
  record["early_stopping"] = settings.fit.early_stopping;
  record["training_samples"] = details.training_samples;
  record["validation_samples"] = details.validation_samples;
  record["train_loss"] = details.fit.history.back().train_loss;
  if (details.validation_samples > 0) {
    record["validation_loss"] = details.validation_mse;
    record["validation_parameter_mse"] = details.validation_parameter_mse;
    record["validation_relative_error"] = vector_json(report.validation_relative_error);
  }
  record["training_time_s"] = report.training_time_s;
  record["isa"] = to_string(details.isa);
  record["message"] = report.message;
  return record;
}

}  // namespace

std::string to_string(Precision precision) { return precision == Precision::float32 ? "float32" : "float64"; }

std::string to_string(AngleEncoding encoding) { return encoding == AngleEncoding::sincos ? "sincos" : "raw"; }

// ---------------------------------------------------------------------------------------------------
void Standardizer::fit(const Eigen::MatrixXd& samples, const std::vector<Index>& rows) {
  const Index columns = samples.cols();
  mean = Eigen::VectorXd::Zero(columns);
  scale = Eigen::VectorXd::Zero(columns);
  for (Index row : rows) mean += samples.row(row).transpose();
  mean /= static_cast<double>(rows.size());
  for (Index row : rows) scale.array() += (samples.row(row).transpose() - mean).array().square();
  scale = (scale / static_cast<double>(rows.size())).cwiseSqrt();
  for (Index j = 0; j < columns; ++j)
    if (!(scale(j) > 10.0 * std::numeric_limits<double>::epsilon() * std::abs(mean(j)))) scale(j) = 1.0;
}

// ---------------------------------------------------------------------------------------------------
TargetCodec::TargetCodec(std::vector<bool> is_angle, AngleEncoding encoding)
    : is_angle_(std::move(is_angle)), encoding_(encoding) {
  num_columns_ = 0;
  for (bool angle : is_angle_) num_columns_ += angle && encoding_ == AngleEncoding::sincos ? 2 : 1;
}

void TargetCodec::encode(const double* parameters, double* columns) const {
  for (bool angle : is_angle_) {
    const double value = *parameters++;
    if (angle && encoding_ == AngleEncoding::sincos) {
      *columns++ = std::sin(value);
      *columns++ = std::cos(value);
    } else {
      *columns++ = value;
    }
  }
}

void TargetCodec::decode(const double* columns, double* parameters) const {
  for (bool angle : is_angle_) {
    if (angle && encoding_ == AngleEncoding::sincos) {
      *parameters++ = wrap_angle(std::atan2(columns[0], columns[1]));
      columns += 2;
    } else {
      *parameters++ = angle ? wrap_angle(*columns) : *columns;
      ++columns;
    }
  }
}

std::vector<std::string> TargetCodec::column_names(const std::vector<std::string>& parameter_names) const {
  std::vector<std::string> names;
  for (std::size_t j = 0; j < is_angle_.size(); ++j) {
    const std::string& name = j < parameter_names.size() ? parameter_names[j] : "p" + std::to_string(j);
    if (is_angle_[j] && encoding_ == AngleEncoding::sincos) {
      names.push_back("sin(" + name + ")");
      names.push_back("cos(" + name + ")");
    } else {
      names.push_back(name);
    }
  }
  return names;
}

// ---------------------------------------------------------------------------------------------------
std::string Model::summary() const {
  return architecture_.to_string() + ", " + to_string(precision_) +
         (codec_.encoding() == AngleEncoding::sincos ? ", angles as sin/cos" : ", angles raw");
}

void Model::reset_buffers() {
  propagator32_ = Propagator<float>();
  propagator64_ = Propagator<double>();
  if (precision_ == Precision::float32) {
    propagator32_ = Propagator<float>(architecture_, 256);
  } else {
    propagator64_ = Propagator<double>(architecture_, 256);
  }
  columns_.resize(codec_.num_columns());
  input32_.resize(architecture_.inputs);
  input64_.resize(architecture_.inputs);
}

TrainingReport Model::train(const TrainingSet& data, const ModelSettings& settings, std::uint64_t seed,
                            const ProgressCallback& progress) {
  check_training_set(data);
  trained_ = false;
  details_ = TrainingDetails();
  details_.seed = settings.random_state >= 0 ? static_cast<std::uint64_t>(settings.random_state) : seed;
  Random random(details_.seed);

  // 1. The reported validation part: ceil(validation_split · n) samples of a seeded permutation.
  const ValidationSplit split = split_validation(data.inputs.rows(), settings, random);
  details_.training_samples = static_cast<Index>(split.training.size());
  details_.validation_samples = static_cast<Index>(split.validation.size());
  details_.validation_rows = split.validation;

  // 2. Targets encoded, then both sides standardised on the training part only.
  names_.clear();
  units_.clear();
  std::vector<bool> is_angle;
  for (const ParameterSpec& spec : data.parameters) {
    names_.push_back(spec.name);
    units_.push_back(spec.unit);
    is_angle.push_back(spec.is_angle);
  }
  codec_ = TargetCodec(is_angle, settings.angle_encoding);
  const Eigen::MatrixXd encoded = encode_targets(codec_, data.targets);
  input_scaler_.fit(data.inputs, split.training);
  target_scaler_.fit(encoded, split.training);

  architecture_ = Architecture{data.inputs.cols(), settings.hidden_layer_sizes, codec_.num_columns(),
                               settings.activation};
  precision_ = settings.precision;
  signature_ = data.signature;
  description_ = data.description;
  window_ = data.window;
  details_.isa = active_isa();
  details_.batch_size = settings.fit.batch_size == 0
                            ? std::min<Index>(200, details_.training_samples)
                            : std::clamp<Index>(settings.fit.batch_size, 1, details_.training_samples);

  // 3. Fit in the chosen precision.
  const auto started = std::chrono::steady_clock::now();
  auto on_epoch = [&](const EpochRecord& record) {
    if (progress) progress(record, settings.fit.max_iter);
  };
  auto run = [&](auto& network) {
    using Net = std::decay_t<decltype(network)>;
    using T = typename Net::Vec::Scalar;
    using Mat = typename Net::Mat;
    network = Net(architecture_);
    network.initialize(random, settings.init);
    const Mat x = standardized_columns<T>(data.inputs, split.training, input_scaler_);
    const Mat y = standardized_columns<T>(encoded, split.training, target_scaler_);
    const Mat vx = standardized_columns<T>(data.inputs, split.validation, input_scaler_);
    const Mat vy = standardized_columns<T>(encoded, split.validation, target_scaler_);
    details_.fit = fit<T>(network, x, y, settings.fit, random, vx, vy, on_epoch);
  };
  network32_ = Network<float>();
  network64_ = Network<double>();
  if (precision_ == Precision::float32) {
    run(network32_);
  } else {
    run(network64_);
  }
  TrainingReport report;
  report.training_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (details_.fit.history.empty() || !std::isfinite(details_.fit.history.back().train_loss))
    fail(Error::Category::numerical,
         "training diverged: " + details_.fit.message + " (lower learning_rate_init, or use solver adam)");
  trained_ = true;
  reset_buffers();

  // 4. The per-epoch table, the validation errors in parameter space, the message and the record.
  report.epochs = epoch_table(details_.fit.history);
  details_.validation_mse = details_.fit.history.back().monitor_mse;
  const ValidationErrors errors = validation_errors(*this, data, split, is_angle);
  report.validation_relative_error = errors.relative;
  details_.validation_parameter_mse = errors.parameter_mse;
  report.message = training_message(summary(), settings, details_, report.training_time_s);
  training_record_ = training_record(settings, details_, report).dump();
  return report;
}

// ---------------------------------------------------------------------------------------------------
void Model::predict(const Eigen::Ref<const Eigen::VectorXd>& profile,
                    Eigen::Ref<Eigen::VectorXd> parameters) {
  if (!trained_) fail(Error::Category::plugin, "predict() called before the model was trained or loaded");
  if (profile.size() != architecture_.inputs)
    fail(Error::Category::config, "the profile has " + std::to_string(profile.size()) +
                                      " data; the network was trained on " +
                                      std::to_string(architecture_.inputs));
  if (precision_ == Precision::float32) {
    input32_ = ((profile - input_scaler_.mean).array() / input_scaler_.scale.array()).cast<float>().matrix();
    const float* out = propagator32_.forward(network32_, input32_.data(), 1);
    columns_ = Eigen::Map<const Eigen::VectorXf>(out, architecture_.outputs).cast<double>();
  } else {
    input64_ = (profile - input_scaler_.mean).array() / input_scaler_.scale.array();
    columns_ = Eigen::Map<const Eigen::VectorXd>(propagator64_.forward(network64_, input64_.data(), 1),
                                                 architecture_.outputs);
  }
  columns_ = columns_.cwiseProduct(target_scaler_.scale) + target_scaler_.mean;
  codec_.decode(columns_.data(), parameters.data());
}

Eigen::MatrixXd Model::predict_many(const Eigen::MatrixXd& profiles) {
  if (!trained_) fail(Error::Category::plugin, "predict() called before the model was trained or loaded");
  if (profiles.cols() != architecture_.inputs)
    fail(Error::Category::config, "the profiles have " + std::to_string(profiles.cols()) +
                                      " data; the network was trained on " +
                                      std::to_string(architecture_.inputs));
  std::vector<Index> rows(static_cast<std::size_t>(profiles.rows()));
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = static_cast<Index>(i);
  Eigen::MatrixXd columns;
  if (precision_ == Precision::float32) {
    Eigen::MatrixXf out;
    mlp::predict(network32_, propagator32_, standardized_columns<float>(profiles, rows, input_scaler_), out);
    columns = out.cast<double>();
  } else {
    mlp::predict(network64_, propagator64_, standardized_columns<double>(profiles, rows, input_scaler_),
                 columns);
  }
  Eigen::MatrixXd estimates(profiles.rows(), codec_.num_parameters());
  Eigen::VectorXd encoded(codec_.num_columns()), parameters(codec_.num_parameters());
  for (Index i = 0; i < profiles.rows(); ++i) {
    encoded = columns.col(i).cwiseProduct(target_scaler_.scale) + target_scaler_.mean;
    codec_.decode(encoded.data(), parameters.data());
    estimates.row(i) = parameters.transpose();
  }
  return estimates;
}

Eigen::VectorXd Model::flat_parameters() const {
  return precision_ == Precision::float32 ? network32_.parameters().cast<double>().eval()
                                          : network64_.parameters();
}

}  // namespace geoinv::mlp
