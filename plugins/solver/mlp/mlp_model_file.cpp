// SPDX-License-Identifier: BSD-3-Clause
// The versioned model file of the `mlp` solver (mlp_model.hpp: save, load; README.md, "Model file").
// load() checks every field's type and range before anything is allocated from it, so a damaged or
// hostile file is refused with a message naming the file and the field, never reaching Eigen.
#include <cstdint>
#include <deque>
#include <fstream>
#include <iterator>
#include <limits>
#include <mutex>

#include "mlp_model.hpp"
#include "mlp_model_json.hpp"

namespace geoinv::mlp {

namespace {

// Limits on the sizes a model file may declare: far above any network this plugin trains, low enough
// that the weights they imply fit in memory (the file must hold every one of them anyway).
constexpr Index kMaxInputs = 1'000'000;
constexpr Index kMaxLayerSize = 100'000;
constexpr std::size_t kMaxHiddenLayers = 64;

// A JSON integer within [minimum, maximum], else an error naming the file and the field.
Index read_size(const Json& value, const std::string& name, const std::string& what, Index minimum,
                Index maximum) {
  // An unsigned value beyond the int64 range reads as negative, so one range test refuses it too.
  if (!value.is_number_integer() || value.get<std::int64_t>() < minimum || value.get<std::int64_t>() > maximum)
    fail(Error::Category::io, name + ": " + what + " is " + value.dump() + "; expected an integer from " +
                                  std::to_string(minimum) + " to " + std::to_string(maximum));
  return static_cast<Index>(value.get<std::int64_t>());
}

// The whole model file, as read.
std::string read_model_bytes(const std::filesystem::path& file, const std::string& name) {
  std::ifstream in(file, std::ios::binary);
  if (!in) fail(Error::Category::io, "cannot open the model file " + name);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The file is JSON, of this format, at this version. The version must be exactly the integer this
// plugin reads: 4294967297 is not version 1.
Json read_checked_json(const std::string& bytes, const std::string& name) {
  Json json;
  try {
    json = Json::parse(bytes);
  } catch (const nlohmann::json::exception& e) {
    fail(Error::Category::io, name + " is not a JSON file: " + e.what());
  }
  if (!json.is_object() || !json.contains("format") || !json["format"].is_string())
    fail(Error::Category::plugin, name + " is not a " + kFormatName + " model file (no \"format\" key)");
  if (json["format"] != kFormatName)
    fail(Error::Category::plugin, name + " is a '" + json["format"].get<std::string>() + "' file, not a " +
                                      kFormatName + " model file");
  const bool right_version = json.contains("version") && json["version"].is_number_integer() &&
                             json["version"].get<std::int64_t>() == kFormatVersion;
  if (!right_version)
    fail(Error::Category::plugin,
         name + " is " + kFormatName + " version " +
             (json.contains("version") ? json["version"].dump() : std::string("(none)")) +
             "; this plugin reads version " + std::to_string(kFormatVersion));
  return json;
}

Architecture read_architecture(const Json& a, const std::string& name) {
  Architecture architecture;
  architecture.inputs = read_size(a.at("inputs"), name, "architecture.inputs", 1, kMaxInputs);
  const Json& hidden = a.at("hidden_layer_sizes");
  if (!hidden.is_array() || hidden.size() > kMaxHiddenLayers)
    fail(Error::Category::io, name + ": architecture.hidden_layer_sizes must be a list of at most " +
                                  std::to_string(kMaxHiddenLayers) + " layer sizes");
  for (std::size_t l = 0; l < hidden.size(); ++l)
    architecture.hidden.push_back(read_size(hidden[l], name,
                                            "architecture.hidden_layer_sizes[" + std::to_string(l) + "]", 1,
                                            kMaxLayerSize));
  architecture.outputs = read_size(a.at("outputs"), name, "architecture.outputs", 1, kMaxLayerSize);
  const auto activation = activation_from_string(a.at("activation").get<std::string>());
  if (!activation) fail(Error::Category::io, name + ": unknown activation " + a.at("activation").dump());
  architecture.activation = *activation;
  if (a.at("output_activation").get<std::string>() != "identity")
    fail(Error::Category::io, name + ": the output activation must be identity");
  return architecture;
}

// A JSON array of exactly `size` numbers.
Eigen::VectorXd read_vector(const Json& values, Index size, const std::string& name, const std::string& what) {
  if (!values.is_array() || static_cast<Index>(values.size()) != size)
    fail(Error::Category::io, name + ": " + what + " has " +
                                  (values.is_array() ? std::to_string(values.size()) : std::string("no")) +
                                  " values, expected " + std::to_string(size));
  const auto v = values.get<std::vector<double>>();
  return Eigen::VectorXd(Eigen::Map<const Eigen::VectorXd>(v.data(), size));
}

// Every layer's weights (row by row) and biases, as Network::parameters() orders them: all weights, then
// all biases. The layer and row counts are checked against the architecture before the vector is made.
Eigen::VectorXd read_layers(const Json& layers, const Architecture& architecture, const std::string& name) {
  const auto sizes = architecture.layer_sizes();
  if (!layers.is_array() || layers.size() + 1 != sizes.size())
    fail(Error::Category::io, name + ": " + std::to_string(layers.is_array() ? layers.size() : 0) +
                                  " layers, the architecture has " + std::to_string(sizes.size() - 1));
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const Json& rows = layers[l].at("weights");
    if (!rows.is_array() || static_cast<Index>(rows.size()) != sizes[l + 1])
      fail(Error::Category::io, name + ": layers[" + std::to_string(l) + "].weights has " +
                                    std::to_string(rows.is_array() ? rows.size() : 0) + " rows, expected " +
                                    std::to_string(sizes[l + 1]));
  }
  Eigen::VectorXd flat(architecture.num_weights() + architecture.num_biases());
  Index offset = 0, bias_offset = architecture.num_weights();
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const std::string where = "layers[" + std::to_string(l) + "]";
    const Json& rows = layers[l].at("weights");
    Eigen::Map<Eigen::MatrixXd> w(flat.data() + offset, sizes[l + 1], sizes[l]);
    for (Index i = 0; i < w.rows(); ++i)
      w.row(i) = read_vector(rows[static_cast<std::size_t>(i)], sizes[l], name, where + ".weights row").transpose();
    flat.segment(bias_offset, sizes[l + 1]) = read_vector(layers[l].at("biases"), sizes[l + 1], name, where + ".biases");
    offset += w.size();
    bias_offset += sizes[l + 1];
  }
  return flat;
}

// The models this process loaded last, by their files' bytes. A campaign's runs load the same trained
// files again and again (the wedge campaign: 360 loads of two 172 KB files, which took 17 % of its CPU
// when each was parsed); equal bytes give an equal model, so such a load copies the one parsed before.
class RecentModelFiles {
 public:
  bool copy_if_known(const std::string& bytes, Model& into) {
    const std::lock_guard<std::mutex> guard(mutex_);
    for (const auto& [known, model] : files_)
      if (known == bytes) {
        into = model;
        return true;
      }
    return false;
  }
  void remember(const std::string& bytes, const Model& model) {
    const std::lock_guard<std::mutex> guard(mutex_);
    if (files_.size() == kKept) files_.pop_front();
    files_.emplace_back(bytes, model);
  }

 private:
  static constexpr std::size_t kKept = 4;  // the wedge campaign alternates two files, run after run
  std::mutex mutex_;
  std::deque<std::pair<std::string, Model>> files_;
};

RecentModelFiles& recent_model_files() {
  static RecentModelFiles files;
  return files;
}

}  // namespace

// ---------------------------------------------------------------------------------------------------
void Model::save(const std::filesystem::path& file) const {
  if (!trained_) fail(Error::Category::plugin, "save_model() called before the model was trained or loaded");
  Json json;
  json["format"] = kFormatName;
  json["version"] = kFormatVersion;
  json["signature"] = signature_;
  if (window_ > 0) json["window"] = window_;
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
  const std::string bytes = read_model_bytes(file, name);
  if (recent_model_files().copy_if_known(bytes, *this)) return;
  const Json json = read_checked_json(bytes, name);
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
    model.architecture_ = read_architecture(json.at("architecture"), name);
    if (json.contains("window")) {
      model.window_ = read_size(json.at("window"), name, "window", 1, kMaxInputs);
      if (model.window_ % 2 == 0 || model.window_ != model.architecture_.inputs || is_angle.size() != 1)
        fail(Error::Category::io, name +
                                      ": a windowed model has an odd window equal to its inputs and one "
                                      "parameter block");
    }
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
    const Index inputs = model.architecture_.inputs, outputs = model.architecture_.outputs;
    model.input_scaler_.mean = read_vector(json.at("input_scaler").at("mean"), inputs, name, "input_scaler.mean");
    model.input_scaler_.scale = read_vector(json.at("input_scaler").at("scale"), inputs, name, "input_scaler.scale");
    model.target_scaler_.mean = read_vector(json.at("target_scaler").at("mean"), outputs, name, "target_scaler.mean");
    model.target_scaler_.scale =
        read_vector(json.at("target_scaler").at("scale"), outputs, name, "target_scaler.scale");
    const Eigen::VectorXd flat = read_layers(json.at("layers"), model.architecture_, name);
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
    recent_model_files().remember(bytes, model);
    *this = std::move(model);
  } catch (const nlohmann::json::exception& e) {
    fail(Error::Category::io, name + " is not a valid " + std::string(kFormatName) + " file: " + e.what());
  }
}

}  // namespace geoinv::mlp
