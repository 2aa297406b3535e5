// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// What the kernel regressors (rbf_network, grnn) share: column scaling, Gaussian-kernel distances, the
// held-out validation part, the validation error the host reports, and their model files' common keys.
// Header-only; each plugin includes it and links nlohmann_json.
#include <Eigen/Core>
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "geoinv/error.hpp"
#include "geoinv/learning_solver.hpp"

namespace geoinv_learning {

using Json = nlohmann::ordered_json;

// Per column mean and population standard deviation over the rows given (a constant column keeps scale 1,
// so that it maps to 0), and the map to standardised values and back.
struct ColumnScaler {
  Eigen::RowVectorXd mean, scale;

  void fit(const Eigen::MatrixXd& rows) {
    mean = rows.colwise().mean();
    scale = ((rows.rowwise() - mean).array().square().colwise().mean()).sqrt().matrix();
    for (Eigen::Index j = 0; j < scale.size(); ++j)
      if (!(scale(j) > 10.0 * std::numeric_limits<double>::epsilon() * std::abs(mean(j)))) scale(j) = 1.0;
  }
  Eigen::MatrixXd apply(const Eigen::MatrixXd& rows) const {
    return ((rows.rowwise() - mean).array().rowwise() / scale.array()).matrix();
  }
  Eigen::MatrixXd undo(const Eigen::MatrixXd& rows) const {
    return ((rows.array().rowwise() * scale.array()).rowwise() + mean.array()).matrix();
  }
};

// ‖a_i − b_j‖² for every row i of `a` and row j of `b` (one product; clamped at 0 against rounding).
inline Eigen::MatrixXd squared_distances(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  Eigen::MatrixXd d = -2.0 * a * b.transpose();
  d.colwise() += a.rowwise().squaredNorm();
  d.rowwise() += b.rowwise().squaredNorm().transpose();
  return d.cwiseMax(0.0);
}

// The rows held out of training to report validation errors: the last ceil(fraction · n) rows (at least
// one row trains). The host draws training samples independently (and a windowed set trace by trace), so
// the last rows are an unbiased sample — for a windowed set, whole held-out traces but the first.
inline Eigen::Index held_out_rows(Eigen::Index n, double fraction) {
  if (fraction <= 0.0 || n < 2) return 0;
  return std::clamp<Eigen::Index>(static_cast<Eigen::Index>(std::ceil(fraction * static_cast<double>(n))), 1,
                                  n - 1);
}

// TrainingReport::validation_relative_error: per parameter, the median |estimate − truth| / |truth| over the
// held-out rows; for a windowed set (mostly zero targets) its one entry is ‖estimate − truth‖ / ‖truth‖.
inline geoinv::Vector validation_error(const Eigen::MatrixXd& estimate, const Eigen::MatrixXd& truth,
                                       Eigen::Index window) {
  if (window > 0) return geoinv::Vector::Constant(1, (estimate - truth).norm() / truth.norm());
  geoinv::Vector error(truth.cols());
  for (Eigen::Index j = 0; j < truth.cols(); ++j) {
    std::vector<double> ratios(static_cast<std::size_t>(truth.rows()));
    for (Eigen::Index i = 0; i < truth.rows(); ++i)
      ratios[static_cast<std::size_t>(i)] = std::abs(estimate(i, j) - truth(i, j)) / std::abs(truth(i, j));
    std::sort(ratios.begin(), ratios.end());
    const std::size_t m = ratios.size() / 2;
    error(j) = ratios.empty()      ? std::numeric_limits<double>::quiet_NaN()
               : ratios.size() % 2 ? ratios[m]
                                   : 0.5 * (ratios[m - 1] + ratios[m]);
  }
  return error;
}

// A training set a kernel regressor accepts: finite, at least 2 rows, targets one column per parameter
// (or one, windowed). Angles are regressed as raw radians and wrapped into [0, 2π) after (wrap_angles):
// right for a prior whose angle range does not cross 0°/360°; mlp's sin/cos encoding handles one that does.
inline void check_training_set(const geoinv::TrainingSet& data, const std::string& plugin) {
  auto refuse = [&](const std::string& what) {
    throw geoinv::Error(geoinv::Error::Category::config, plugin + ": " + what);
  };
  const auto columns = data.window > 0 ? Eigen::Index{1} : static_cast<Eigen::Index>(data.parameters.size());
  if (data.inputs.rows() < 2 || data.targets.rows() != data.inputs.rows() || data.targets.cols() != columns)
    refuse("the training set must have at least 2 rows and one target column per parameter");
  if (!data.inputs.allFinite() || !data.targets.allFinite())
    refuse("the training set holds values that are not finite");
}

// Which target columns are angles (none for a windowed set), for wrap_angles.
inline std::vector<bool> angle_columns(const geoinv::TrainingSet& data) {
  std::vector<bool> angles;
  if (data.window == 0)
    for (const geoinv::ParameterSpec& p : data.parameters) angles.push_back(p.is_angle);
  return angles;
}

inline void wrap_angles(Eigen::MatrixXd& estimates, const std::vector<bool>& angles) {
  for (std::size_t j = 0; j < angles.size(); ++j)
    if (angles[j])
      estimates.col(static_cast<Eigen::Index>(j)) =
          estimates.col(static_cast<Eigen::Index>(j)).unaryExpr(&geoinv::wrap_angle);
}

// Matrices and vectors in model files: rows of numbers with 17 significant digits (nlohmann's default).
inline Json matrix_json(const Eigen::MatrixXd& m) {
  Json rows = Json::array();
  for (Eigen::Index i = 0; i < m.rows(); ++i) {
    std::vector<double> row(static_cast<std::size_t>(m.cols()));
    for (Eigen::Index j = 0; j < m.cols(); ++j) row[static_cast<std::size_t>(j)] = m(i, j);
    rows.push_back(row);
  }
  return rows;
}

inline Eigen::MatrixXd matrix_from(const Json& rows, Eigen::Index columns, const std::string& what) {
  if (!rows.is_array()) throw geoinv::Error(geoinv::Error::Category::io, what + " is not a list of rows");
  Eigen::MatrixXd m(static_cast<Eigen::Index>(rows.size()), columns);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (!rows[i].is_array() || static_cast<Eigen::Index>(rows[i].size()) != columns)
      throw geoinv::Error(
          geoinv::Error::Category::io,
          what + ": row " + std::to_string(i) + " does not have " + std::to_string(columns) + " numbers");
    for (Eigen::Index j = 0; j < columns; ++j)
      m(static_cast<Eigen::Index>(i), j) = rows[i][static_cast<std::size_t>(j)].get<double>();
  }
  if (!m.allFinite())
    throw geoinv::Error(geoinv::Error::Category::io, what + " holds values that are not finite");
  return m;
}

// The keys every kernel-regressor model file has (the plugins' READMEs, "Model file"):
// {"format", "version", "signature", "description", "window", "parameters", "input_scaler", "target_scaler"}.
struct ModelFrame {
  std::string signature, description;
  Eigen::Index window = 0;
  std::vector<std::string> parameters;
  std::vector<bool> angles;  // per target column; empty for a windowed model
  ColumnScaler inputs, targets;

  // The frame of a model trained on the first `kept` rows of `data`: its identity and the scalers.
  void fit(const geoinv::TrainingSet& data, Eigen::Index kept) {
    signature = data.signature;
    description = data.description;
    window = data.window;
    parameters.clear();
    for (const geoinv::ParameterSpec& p : data.parameters) parameters.push_back(p.name);
    angles = angle_columns(data);
    inputs.fit(data.inputs.topRows(kept));
    targets.fit(data.targets.topRows(kept));
  }

  Json to_json(const std::string& format, int version) const {
    return Json{
        {"format", format},
        {"version", version},
        {"signature", signature},
        {"description", description},
        {"window", window},
        {"parameters", parameters},
        {"angles", angles},
        {"input_scaler", {{"mean", matrix_json(inputs.mean)}, {"scale", matrix_json(inputs.scale)}}},
        {"target_scaler", {{"mean", matrix_json(targets.mean)}, {"scale", matrix_json(targets.scale)}}}};
  }

  // Reads a file written by to_json(format, version) and fills the frame; throws geoinv::Error naming the
  // file: io when it cannot be read or is malformed, plugin when it is another format or version.
  Json read(const std::filesystem::path& file, const std::string& format, int version) {
    const std::string name = "'" + file.string() + "'";
    std::ifstream in(file);
    if (!in) throw geoinv::Error(geoinv::Error::Category::io, "cannot open the model file " + name);
    try {
      Json json = Json::parse(in);
      if (!json.is_object() || json.value("format", std::string()) != format || !json.contains("version") ||
          !json["version"].is_number_integer() || json["version"].get<std::int64_t>() != version)
        throw geoinv::Error(
            geoinv::Error::Category::plugin,
            name + " is not a " + format + " model file of version " + std::to_string(version));
      signature = json.at("signature").get<std::string>();
      description = json.at("description").get<std::string>();
      window = json.at("window").get<Eigen::Index>();
      parameters = json.at("parameters").get<std::vector<std::string>>();
      angles = json.at("angles").get<std::vector<bool>>();
      const auto width = static_cast<Eigen::Index>(json.at("input_scaler").at("mean").at(0).size());
      const auto outputs = static_cast<Eigen::Index>(parameters.size());
      if (window < 0 || (window > 0 && (window != width || outputs != 1)) || outputs < 1 ||
          (window == 0 && angles.size() != parameters.size()))
        throw geoinv::Error(geoinv::Error::Category::io,
                            name + ": window, inputs and parameters do not agree");
      inputs.mean = matrix_from(json["input_scaler"]["mean"], width, name + " input_scaler.mean");
      inputs.scale = matrix_from(json["input_scaler"]["scale"], width, name + " input_scaler.scale");
      targets.mean = matrix_from(json.at("target_scaler").at("mean"), outputs, name + " target_scaler.mean");
      targets.scale = matrix_from(json["target_scaler"].at("scale"), outputs, name + " target_scaler.scale");
      return json;
    } catch (const nlohmann::json::exception& e) {
      throw geoinv::Error(geoinv::Error::Category::io,
                          name + " is not a valid " + format + " file: " + e.what());
    }
  }
};

inline void write_model_file(const Json& json, const std::filesystem::path& file) {
  std::ofstream out(file);
  out << json.dump(1) << '\n';
  out.close();
  if (!out)
    throw geoinv::Error(geoinv::Error::Category::io, "cannot write the model file '" + file.string() + "'");
}

// A kernel regressor's training report, for a model fitted on the first `kept` rows of `data` (the rest held
// out): one row of epochs — epoch 1, train_loss (mean squared error of standardised targets on the first
// ≤ 1000 training rows, which are among the model's own samples, so optimistic) and validation_loss (the
// same on the held-out rows; NaN without them) — and validation_relative_error (validation_error).
// `predict` maps input rows to estimates in the targets' units.
template <typename Predict>
geoinv::TrainingReport training_report(const geoinv::TrainingSet& data, Eigen::Index kept,
                                       const ModelFrame& frame, const Predict& predict) {
  const Eigen::Index held = data.inputs.rows() - kept, scored = std::min<Eigen::Index>(kept, 1000);
  auto standardised_mse = [&](const Eigen::MatrixXd& estimate, const Eigen::MatrixXd& truth) {
    return (frame.targets.apply(estimate) - frame.targets.apply(truth)).squaredNorm() /
           static_cast<double>(truth.size());
  };
  geoinv::TrainingReport report;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  report.validation_relative_error = geoinv::Vector::Constant(data.targets.cols(), nan);
  const double train_loss =
      standardised_mse(predict(data.inputs.topRows(scored)), data.targets.topRows(scored));
  double validation_loss = nan;
  if (held > 0) {
    const Eigen::MatrixXd estimate = predict(data.inputs.bottomRows(held));
    report.validation_relative_error = validation_error(estimate, data.targets.bottomRows(held), data.window);
    validation_loss = standardised_mse(estimate, data.targets.bottomRows(held));
  }
  report.epochs = geoinv::Trace({"epoch", "train_loss", "validation_loss"});
  report.epochs.add_row({1.0, train_loss, validation_loss});
  return report;
}

}  // namespace geoinv_learning
