// Training pipeline, prediction and the model file of the `mlp` solver (mlp_model.hpp).
#include "mlp_model.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <type_traits>

#include "geoinv/error.hpp"
#include "geoinv/parameter.hpp"

namespace geoinv::mlp {

namespace {

using Json = nlohmann::ordered_json;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

[[noreturn]] void fail(Error::Category category, const std::string& message) {
  throw Error(category, "mlp: " + message);
}

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

Json vector_json(const Eigen::Ref<const Eigen::VectorXd>& values) {
  return Json(std::vector<double>(values.data(), values.data() + values.size()));
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

  trained_ = false;
  details_ = TrainingDetails();
  details_.seed = settings.random_state >= 0 ? static_cast<std::uint64_t>(settings.random_state) : seed;
  Random random(details_.seed);

  // 1. The reported validation part: ceil(validation_split · n) samples of a seeded permutation.
  std::vector<Index> order = random.permutation(n);
  Index held = 0;
  if (settings.validation_split > 0.0)
    held =
        std::clamp<Index>(static_cast<Index>(std::ceil(settings.validation_split * static_cast<double>(n))),
                          1, n - (settings.fit.early_stopping ? 2 : 1));
  const std::vector<Index> validation(order.begin(), order.begin() + held);
  const std::vector<Index> training(order.begin() + held, order.end());
  details_.training_samples = static_cast<Index>(training.size());
  details_.validation_samples = held;
  details_.validation_rows = validation;

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
  Eigen::MatrixXd encoded(n, codec_.num_columns());
  {
    Eigen::VectorXd parameters(num_parameters), columns(codec_.num_columns());
    for (Index i = 0; i < n; ++i) {
      parameters = data.targets.row(i).transpose();
      codec_.encode(parameters.data(), columns.data());
      encoded.row(i) = columns.transpose();
    }
  }
  input_scaler_.fit(data.inputs, training);
  target_scaler_.fit(encoded, training);

  architecture_ = Architecture{data.inputs.cols(), settings.hidden_layer_sizes, codec_.num_columns(),
                               settings.activation};
  precision_ = settings.precision;
  signature_ = data.signature;
  description_ = data.description;
  details_.isa = active_isa();
  const Index batch = settings.fit.batch_size == 0
                          ? std::min<Index>(200, details_.training_samples)
                          : std::clamp<Index>(settings.fit.batch_size, 1, details_.training_samples);
  details_.batch_size = batch;

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
    network.initialize(random);
    const Mat x = standardized_columns<T>(data.inputs, training, input_scaler_);
    const Mat y = standardized_columns<T>(encoded, training, target_scaler_);
    const Mat vx = standardized_columns<T>(data.inputs, validation, input_scaler_);
    const Mat vy = standardized_columns<T>(encoded, validation, target_scaler_);
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

  // 4. The per-epoch table.
  report.epochs =
      Trace({"epoch", "train_loss", "train_mse", "validation_loss", "early_stopping_score", "elapsed_s"});
  report.epochs.reserve(details_.fit.history.size());
  for (const EpochRecord& r : details_.fit.history)
    report.epochs.add_row({static_cast<double>(r.epoch), r.train_loss, r.train_mse, r.monitor_mse,
                           r.early_stopping_score, r.elapsed_s});

  // 5. Validation errors in parameter space.
  details_.validation_mse = details_.fit.history.back().monitor_mse;
  details_.validation_parameter_mse = kNaN;
  report.validation_relative_error = Eigen::VectorXd::Constant(num_parameters, kNaN);
  if (held > 0) {
    Eigen::MatrixXd profiles(held, data.inputs.cols()), truth(held, num_parameters);
    for (Index i = 0; i < held; ++i) {
      profiles.row(i) = data.inputs.row(validation[static_cast<std::size_t>(i)]);
      truth.row(i) = data.targets.row(validation[static_cast<std::size_t>(i)]);
    }
    const Eigen::MatrixXd estimate = predict_many(profiles);
    // The spread of each parameter over the training part, for the normalised parameter MSE.
    Standardizer parameter_scaler;
    parameter_scaler.fit(data.targets, training);
    double squared = 0.0;
    for (Index j = 0; j < num_parameters; ++j) {
      std::vector<double> relative(static_cast<std::size_t>(held));
      for (Index i = 0; i < held; ++i) {
        const double error = is_angle[static_cast<std::size_t>(j)]
                                 ? angle_difference(estimate(i, j), truth(i, j))
                                 : estimate(i, j) - truth(i, j);
        relative[static_cast<std::size_t>(i)] = std::abs(error) / std::abs(truth(i, j));
        squared += std::pow(error / parameter_scaler.scale(j), 2);
      }
      report.validation_relative_error(j) = median(std::move(relative));
    }
    details_.validation_parameter_mse = squared / static_cast<double>(held * num_parameters);
  }

  // 6. The message, and what the file keeps of this training.
  const auto& last = details_.fit.history.back();
  auto number = [](double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4g", value);
    return std::string(text);
  };
  report.message = summary() + ": " + std::to_string(details_.fit.history.size()) + " epochs on " +
                   std::to_string(details_.training_samples) + " profiles (batch " + std::to_string(batch) +
                   ", " + to_string(settings.fit.optimizer) + ") in " + number(report.training_time_s) +
                   " s; " + details_.fit.message + "; train_loss " + number(last.train_loss);
  if (held > 0)
    report.message += ", validation MSE " + number(details_.validation_mse) + " (standardised targets), " +
                      number(details_.validation_parameter_mse) + " (standardised parameters) on " +
                      std::to_string(held) + " held-out profiles";
  Json record;
  record["seed"] = details_.seed;
  record["optimizer"] = to_string(settings.fit.optimizer);
  record["alpha"] = settings.fit.alpha;
  record["batch_size"] = batch;
  record["learning_rate_init"] = settings.fit.learning_rate_init;
  record["max_iter"] = settings.fit.max_iter;
  record["epochs"] = details_.fit.history.size();
  record["early_stopping"] = settings.fit.early_stopping;
  record["training_samples"] = details_.training_samples;
  record["validation_samples"] = held;
  record["train_loss"] = last.train_loss;
  if (held > 0) {
    record["validation_loss"] = details_.validation_mse;
    record["validation_parameter_mse"] = details_.validation_parameter_mse;
    record["validation_relative_error"] = vector_json(report.validation_relative_error);
  }
  record["training_time_s"] = report.training_time_s;
  record["isa"] = to_string(details_.isa);
  record["message"] = report.message;
  training_record_ = record.dump();
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

// ---------------------------------------------------------------------------------------------------
void Model::save(const std::filesystem::path& file) const {
  if (!trained_) fail(Error::Category::plugin, "save_model() called before the model was trained or loaded");
  Json json;
  json["format"] = kFormatName;
  json["version"] = kFormatVersion;
  json["signature"] = signature_;
  json["description"] = description_;
  Json parameters = Json::array();
  for (std::size_t j = 0; j < names_.size(); ++j)
    parameters.push_back(
        {{"name", names_[j]}, {"unit", units_[j]}, {"is_angle", bool(codec_.is_angle()[j])}});
  json["parameters"] = parameters;
  json["architecture"] = {{"inputs", architecture_.inputs},
                          {"hidden_layer_sizes", architecture_.hidden},
                          {"outputs", architecture_.outputs},
                          {"activation", to_string(architecture_.activation)},
                          {"output_activation", "identity"}};
  json["precision"] = to_string(precision_);
  json["angle_encoding"] = to_string(codec_.encoding());
  json["target_columns"] = codec_.column_names(names_);
  json["input_scaler"] = {{"mean", vector_json(input_scaler_.mean)},
                          {"scale", vector_json(input_scaler_.scale)}};
  json["target_scaler"] = {{"mean", vector_json(target_scaler_.mean)},
                           {"scale", vector_json(target_scaler_.scale)}};
  // Weights row by row: weights[i][j] connects unit j of the layer below to unit i of this layer.
  const Eigen::VectorXd flat = flat_parameters();
  const auto sizes = architecture_.layer_sizes();
  Json layers = Json::array();
  Index offset = 0, bias_offset = architecture_.num_weights();
  for (std::size_t l = 0; l + 1 < sizes.size(); ++l) {
    const Eigen::Map<const Eigen::MatrixXd> w(flat.data() + offset, sizes[l + 1], sizes[l]);
    Json rows = Json::array();
    for (Index i = 0; i < w.rows(); ++i) rows.push_back(vector_json(w.row(i).transpose()));
    layers.push_back({{"weights", rows}, {"biases", vector_json(flat.segment(bias_offset, sizes[l + 1]))}});
    offset += w.size();
    bias_offset += sizes[l + 1];
  }
  json["layers"] = layers;
  json["training"] = training_record_.empty() ? Json::object() : Json::parse(training_record_);

  std::ofstream out(file);
  if (!out) fail(Error::Category::io, "cannot write the model file '" + file.string() + "'");
  out << json.dump(1) << '\n';
  out.close();
  if (!out) fail(Error::Category::io, "could not finish writing the model file '" + file.string() + "'");
}

void Model::load(const std::filesystem::path& file) {
  const std::string name = "'" + file.string() + "'";
  std::ifstream in(file);
  if (!in) fail(Error::Category::io, "cannot open the model file " + name);
  Json json;
  try {
    json = Json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    fail(Error::Category::io, name + " is not a JSON file: " + e.what());
  }
  if (!json.is_object() || !json.contains("format") || !json["format"].is_string())
    fail(Error::Category::plugin, name + " is not a " + kFormatName + " model file (no \"format\" key)");
  if (json["format"] != kFormatName)
    fail(Error::Category::plugin, name + " is a '" + json["format"].get<std::string>() + "' file, not a " +
                                      kFormatName + " model file");
  if (!json.contains("version") || !json["version"].is_number_integer() ||
      json["version"].get<int>() != kFormatVersion)
    fail(Error::Category::plugin,
         name + " is " + kFormatName + " version " +
             (json.contains("version") ? json["version"].dump() : std::string("(none)")) +
             "; this plugin reads version " + std::to_string(kFormatVersion));
  try {
    Model model;
    model.signature_ = json.at("signature").get<std::string>();
    model.description_ = json.at("description").get<std::string>();
    std::vector<bool> is_angle;
    for (const auto& p : json.at("parameters")) {
      model.names_.push_back(p.at("name").get<std::string>());
      model.units_.push_back(p.at("unit").get<std::string>());
      is_angle.push_back(p.at("is_angle").get<bool>());
    }
    const auto& a = json.at("architecture");
    model.architecture_.inputs = a.at("inputs").get<Index>();
    model.architecture_.hidden = a.at("hidden_layer_sizes").get<std::vector<Index>>();
    model.architecture_.outputs = a.at("outputs").get<Index>();
    const auto activation = activation_from_string(a.at("activation").get<std::string>());
    if (!activation) fail(Error::Category::io, name + ": unknown activation " + a.at("activation").dump());
    model.architecture_.activation = *activation;
    if (a.at("output_activation").get<std::string>() != "identity")
      fail(Error::Category::io, name + ": the output activation must be identity");
    const std::string precision = json.at("precision").get<std::string>();
    if (precision != "float32" && precision != "float64")
      fail(Error::Category::io, name + ": unknown precision '" + precision + "'");
    model.precision_ = precision == "float32" ? Precision::float32 : Precision::float64;
    const std::string encoding = json.at("angle_encoding").get<std::string>();
    if (encoding != "sincos" && encoding != "raw")
      fail(Error::Category::io, name + ": unknown angle_encoding '" + encoding + "'");
    model.codec_ = TargetCodec(is_angle, encoding == "sincos" ? AngleEncoding::sincos : AngleEncoding::raw);
    if (model.codec_.num_columns() != model.architecture_.outputs)
      fail(Error::Category::io, name + ": " + std::to_string(model.architecture_.outputs) + " outputs for " +
                                    std::to_string(model.codec_.num_columns()) + " target columns");
    auto read_vector = [&](const Json& values, Index size, const std::string& what) {
      const auto v = values.get<std::vector<double>>();
      if (static_cast<Index>(v.size()) != size)
        fail(Error::Category::io, name + ": " + what + " has " + std::to_string(v.size()) +
                                      " values, expected " + std::to_string(size));
      return Eigen::VectorXd(Eigen::Map<const Eigen::VectorXd>(v.data(), size));
    };
    const Index inputs = model.architecture_.inputs, outputs = model.architecture_.outputs;
    model.input_scaler_.mean = read_vector(json.at("input_scaler").at("mean"), inputs, "input_scaler.mean");
    model.input_scaler_.scale =
        read_vector(json.at("input_scaler").at("scale"), inputs, "input_scaler.scale");
    model.target_scaler_.mean =
        read_vector(json.at("target_scaler").at("mean"), outputs, "target_scaler.mean");
    model.target_scaler_.scale =
        read_vector(json.at("target_scaler").at("scale"), outputs, "target_scaler.scale");

    const auto sizes = model.architecture_.layer_sizes();
    const auto& layers = json.at("layers");
    if (layers.size() + 1 != sizes.size())
      fail(Error::Category::io, name + ": " + std::to_string(layers.size()) +
                                    " layers, the architecture has " + std::to_string(sizes.size() - 1));
    Eigen::VectorXd flat(model.architecture_.num_weights() + model.architecture_.num_biases());
    Index offset = 0, bias_offset = model.architecture_.num_weights();
    for (std::size_t l = 0; l < layers.size(); ++l) {
      const std::string where = "layers[" + std::to_string(l) + "]";
      const auto& rows = layers[l].at("weights");
      if (static_cast<Index>(rows.size()) != sizes[l + 1])
        fail(Error::Category::io, name + ": " + where + ".weights has " + std::to_string(rows.size()) +
                                      " rows, expected " + std::to_string(sizes[l + 1]));
      Eigen::Map<Eigen::MatrixXd> w(flat.data() + offset, sizes[l + 1], sizes[l]);
      for (Index i = 0; i < w.rows(); ++i)
        w.row(i) =
            read_vector(rows[static_cast<std::size_t>(i)], sizes[l], where + ".weights row").transpose();
      flat.segment(bias_offset, sizes[l + 1]) =
          read_vector(layers[l].at("biases"), sizes[l + 1], where + ".biases");
      offset += w.size();
      bias_offset += sizes[l + 1];
    }
    if (model.precision_ == Precision::float32) {
      model.network32_ = Network<float>(model.architecture_);
      model.network32_.parameters() = flat.cast<float>();
    } else {
      model.network64_ = Network<double>(model.architecture_);
      model.network64_.parameters() = flat;
    }
    model.training_record_ = json.contains("training") ? json["training"].dump() : std::string();
    model.trained_ = true;
    model.reset_buffers();
    *this = std::move(model);
  } catch (const nlohmann::json::exception& e) {
    fail(Error::Category::io, name + " is not a valid " + std::string(kFormatName) + " file: " + e.what());
  }
}

}  // namespace geoinv::mlp
