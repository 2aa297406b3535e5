// SPDX-License-Identifier: BSD-3-Clause
// The mlp's model (mlp_model.hpp): angle encodings, the standardizer, training through a model, its file
// format and the refusals of a damaged file. The network's numerics are in mlp_network_test.cpp.
#include "mlp_model.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "geoinv/error.hpp"
#include "geoinv/parameter.hpp"
#include "mlp_network.hpp"

namespace {

namespace mlp = geoinv::mlp;
using mlp::Index;

// ---------------------------------------------------------------------------------------------------
TEST(MlpModel, AnglesRoundTripThroughTheirEncodings) {
  for (auto encoding : {mlp::AngleEncoding::sincos, mlp::AngleEncoding::raw}) {
    const mlp::TargetCodec codec({false, true, false}, encoding);
    EXPECT_EQ(codec.num_columns(), encoding == mlp::AngleEncoding::sincos ? 4 : 3);
    for (double degrees : {0.0, 1.0, 90.0, 179.9, 180.0, 260.0, 309.37, 359.99}) {
      const double parameters[3] = {77.07, geoinv::to_radians(degrees), -5.0};
      double columns[4] = {}, decoded[3] = {};
      codec.encode(parameters, columns);
      codec.decode(columns, decoded);
      EXPECT_NEAR(decoded[0], 77.07, 1e-15);
      EXPECT_NEAR(decoded[1], geoinv::to_radians(degrees), 1e-12) << degrees;
      EXPECT_NEAR(decoded[2], -5.0, 1e-15);
      if (encoding == mlp::AngleEncoding::sincos) {
        EXPECT_NEAR(columns[1], std::sin(parameters[1]), 1e-15);
        EXPECT_NEAR(columns[2], std::cos(parameters[1]), 1e-15);
      }
    }
    // A negative angle comes back in [0, 2π); sin/cos need not be on the unit circle.
    const double negative[3] = {0.0, geoinv::to_radians(-30.0), 0.0};
    double columns[4] = {}, decoded[3] = {};
    codec.encode(negative, columns);
    if (encoding == mlp::AngleEncoding::sincos) {
      columns[1] *= 0.5;
      columns[2] *= 0.5;
    }
    codec.decode(columns, decoded);
    EXPECT_NEAR(decoded[1], geoinv::to_radians(330.0), 1e-12);
  }
  EXPECT_EQ(mlp::TargetCodec({false, true}, mlp::AngleEncoding::sincos).column_names({"x0", "theta"}),
            (std::vector<std::string>{"x0", "sin(theta)", "cos(theta)"}));
}

TEST(MlpModel, StandardizerMatchesScikitLearnsStandardScaler) {
  Eigen::MatrixXd samples(4, 2);
  samples << 1, 5, 2, 5, 3, 5, 4, 5;
  mlp::Standardizer scaler;
  scaler.fit(samples, {0, 1, 2, 3});
  EXPECT_NEAR(scaler.mean(0), 2.5, 1e-15);
  EXPECT_NEAR(scaler.scale(0), std::sqrt(1.25), 1e-15);  // population deviation
  EXPECT_EQ(scaler.scale(1), 1.0);                       // constant column
  scaler.fit(samples, {0, 1});                           // only the rows asked for
  EXPECT_NEAR(scaler.mean(0), 1.5, 1e-15);
}

// A set y = (a·x, angle) where the angle is a smooth function of x: enough to exercise the pipeline.
geoinv::TrainingSet toy_set(Index n) {
  mlp::Random random(31);
  geoinv::TrainingSet set;
  set.inputs.resize(n, 6);
  set.targets.resize(n, 2);
  for (Index i = 0; i < n; ++i) {
    const double a = random.uniform(1.0, 2.0), angle = random.uniform(4.5, 6.0);
    for (Index j = 0; j < 6; ++j)
      set.inputs(i, j) = a * static_cast<double>(j) + std::cos(angle + 0.3 * static_cast<double>(j));
    set.targets(i, 0) = a;
    set.targets(i, 1) = angle;
  }
  set.parameters = {{"a", "m", 0.0, 10.0, false, 1.0, "amplitude"},
                    {"phi", "rad", 0.0, 7.0, true, 1.0, "angle"}};
  set.stations = Eigen::VectorXd::LinSpaced(6, 0.0, 5.0);
  set.signature = "toy signature";
  set.description = "toy set for the unit tests";
  return set;
}

mlp::ModelSettings toy_settings(mlp::Precision precision) {
  mlp::ModelSettings settings;
  settings.hidden_layer_sizes = {16};
  settings.activation = mlp::Activation::tanh;
  settings.fit.max_iter = 60;
  settings.fit.batch_size = 32;
  settings.precision = precision;
  return settings;
}

TEST(MlpModel, TrainsReportsAndRoundTripsThroughItsFile) {
  const auto set = toy_set(600);
  for (auto precision : {mlp::Precision::float32, mlp::Precision::float64}) {
    mlp::Model model;
    const auto report = model.train(set, toy_settings(precision), 5);
    EXPECT_EQ(model.details().training_samples, 480);
    EXPECT_EQ(model.details().validation_samples, 120);
    EXPECT_EQ(report.epochs.columns(),
              (std::vector<std::string>{"epoch", "train_loss", "train_mse", "validation_loss",
                                        "early_stopping_score", "elapsed_s"}));
    EXPECT_GE(report.epochs.num_rows(), 1u);
    EXPECT_LT(model.details().validation_mse, 0.05) << report.message;
    ASSERT_EQ(report.validation_relative_error.size(), 2);
    EXPECT_LT(report.validation_relative_error(0), 0.05) << report.message;
    EXPECT_LT(report.validation_relative_error(1), 0.05) << report.message;
    EXPECT_GT(report.training_time_s, 0.0);

    const auto file =
        std::filesystem::path(testing::TempDir()) / ("mlp_model_" + mlp::to_string(precision) + ".json");
    model.save(file);
    mlp::Model loaded;
    loaded.load(file);
    EXPECT_EQ(loaded.signature(), "toy signature");
    EXPECT_EQ(loaded.description(), "toy set for the unit tests");
    EXPECT_EQ(loaded.parameter_names(), (std::vector<std::string>{"a", "phi"}));
    EXPECT_EQ(loaded.summary(), model.summary());
    EXPECT_TRUE((loaded.flat_parameters().array() == model.flat_parameters().array()).all());
    Eigen::VectorXd a(2), b(2);
    for (Index i = 0; i < 20; ++i) {
      model.predict(set.inputs.row(i).transpose(), a);
      loaded.predict(set.inputs.row(i).transpose(), b);
      EXPECT_EQ(a(0), b(0));
      EXPECT_EQ(a(1), b(1));
    }
    EXPECT_TRUE((model.predict_many(set.inputs.topRows(20)).array() ==
                 loaded.predict_many(set.inputs.topRows(20)).array())
                    .all());
    std::filesystem::remove(file);
  }
}

// Loads skip the parse of bytes loaded before (mlp_model.hpp: load): what a file holds now decides the
// model, whatever was loaded from it or from another file earlier.
TEST(MlpModel, ALoadGivesTheModelTheFileHoldsNowAfterEarlierLoads) {
  auto settings = toy_settings(mlp::Precision::float32);
  settings.fit.max_iter = 3;
  mlp::Model first, second;
  first.train(toy_set(100), settings, 1);
  second.train(toy_set(100), settings, 2);
  const auto directory = std::filesystem::path(testing::TempDir());
  const auto file = directory / "mlp_reloaded.json", other = directory / "mlp_other.json";
  first.save(file);
  second.save(other);
  const auto same = [](const mlp::Model& a, const mlp::Model& b) {
    return (a.flat_parameters().array() == b.flat_parameters().array()).all();
  };
  for (int round = 0; round < 2; ++round) {
    mlp::Model loaded, loaded_other;
    loaded.load(file);
    loaded_other.load(other);
    EXPECT_TRUE(same(loaded, first));
    EXPECT_TRUE(same(loaded_other, second));
  }
  std::filesystem::copy_file(other, file, std::filesystem::copy_options::overwrite_existing);
  mlp::Model replaced;
  replaced.load(file);
  EXPECT_TRUE(same(replaced, second));
  std::ifstream in(other);
  auto json = nlohmann::json::parse(in);
  json["layers"][0]["weights"][0].erase(0);
  std::ofstream(file) << json.dump();
  EXPECT_THROW(mlp::Model().load(file), geoinv::Error);
  std::filesystem::remove(file);
  std::filesystem::remove(other);
}

TEST(MlpModel, SameSeedGivesTheSameModelAndRandomStateOverridesTheSeed) {
  const auto set = toy_set(300);
  auto settings = toy_settings(mlp::Precision::float32);
  settings.fit.max_iter = 10;
  mlp::Model a, b, c, d;
  a.train(set, settings, 1);
  b.train(set, settings, 1);
  c.train(set, settings, 2);
  EXPECT_TRUE((a.flat_parameters().array() == b.flat_parameters().array()).all());
  EXPECT_FALSE((a.flat_parameters().array() == c.flat_parameters().array()).all());
  settings.random_state = 1;
  d.train(set, settings, 99);
  EXPECT_TRUE((a.flat_parameters().array() == d.flat_parameters().array()).all());
}

void expect_load_error(const std::string& text, geoinv::Error::Category category, const std::string& needle) {
  const auto file = std::filesystem::path(testing::TempDir()) / "mlp_bad_model.json";
  std::ofstream(file) << text;
  mlp::Model model;
  try {
    model.load(file);
    ADD_FAILURE() << "loaded " << text;
  } catch (const geoinv::Error& e) {
    EXPECT_EQ(e.category(), category) << e.what();
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
  }
  std::filesystem::remove(file);
}

// The model file of a small network trained for two epochs, as JSON, for tests that damage it.
nlohmann::json small_model_file() {
  mlp::Model model;
  auto settings = toy_settings(mlp::Precision::float32);
  settings.fit.max_iter = 2;
  model.train(toy_set(100), settings, 1);
  const auto file = std::filesystem::path(testing::TempDir()) / "mlp_good_model.json";
  model.save(file);
  std::ifstream in(file);
  const auto json = nlohmann::json::parse(in);
  std::filesystem::remove(file);
  return json;
}

TEST(MlpModel, RefusesOtherFormatsVersionsAndBrokenFilesNamingTheFile) {
  using Category = geoinv::Error::Category;
  expect_load_error("not json", Category::io, "not a JSON file");
  expect_load_error(R"({"format": "keras", "version": 1})", Category::plugin, "'keras' file");
  expect_load_error(R"({"version": 1})", Category::plugin, "no \"format\"");
  expect_load_error(R"({"format": "geoinv-mlp", "version": 2})", Category::plugin, "version 2");
  expect_load_error(R"({"format": "geoinv-mlp", "version": 1, "signature": "s"})", Category::io,
                    "not a valid");

  // A real file with one weight row too short.
  auto json = small_model_file();
  json["layers"][0]["weights"][0].erase(0);
  const std::string text = json.dump();
  expect_load_error(text, Category::io, "layers[0].weights row has 5 values, expected 6");
  EXPECT_THROW(mlp::Model().load("/nonexistent/model.json"), geoinv::Error);
}

// Every size and the version are checked for type and range before anything is allocated from them: a
// negative or huge layer size never reaches Eigen, and 2^32 + 1 is not version 1.
TEST(MlpModel, RefusesSizesAndVersionsOutOfRangeBeforeUsingThem) {
  using Category = geoinv::Error::Category;
  const nlohmann::json good = small_model_file();
  auto edited = [&](const std::function<void(nlohmann::json&)>& edit) {
    nlohmann::json json = good;
    edit(json);
    return json.dump();
  };
  expect_load_error(edited([](auto& j) { j["version"] = 4294967297ULL; }), Category::plugin,
                    "version 4294967297");
  expect_load_error(edited([](auto& j) { j["version"] = 1.0; }), Category::plugin, "version 1.0");
  // A window must be the network's input width, odd, with one parameter (the block).
  expect_load_error(edited([](auto& j) { j["window"] = 4; }), Category::io,
                    "a windowed model has an odd window");
  expect_load_error(edited([](auto& j) { j["window"] = -1; }), Category::io, "window is -1");
  expect_load_error(edited([](auto& j) { j["architecture"]["hidden_layer_sizes"][0] = -3; }), Category::io,
                    "architecture.hidden_layer_sizes[0] is -3; expected an integer from 1 to 100000");
  expect_load_error(edited([](auto& j) { j["architecture"]["hidden_layer_sizes"][0] = 4000000000LL; }),
                    Category::io, "architecture.hidden_layer_sizes[0] is 4000000000");
  expect_load_error(edited([](auto& j) { j["architecture"]["hidden_layer_sizes"][0] = 18446744073709551615ULL; }),
                    Category::io, "hidden_layer_sizes[0] is 18446744073709551615");
  expect_load_error(edited([](auto& j) { j["architecture"]["inputs"] = "6"; }), Category::io,
                    "architecture.inputs is \"6\"");
  expect_load_error(edited([](auto& j) { j["architecture"]["inputs"] = 0; }), Category::io,
                    "architecture.inputs is 0");
  // A size within range that the layers do not hold: refused from the row counts, not by allocating it.
  expect_load_error(edited([](auto& j) { j["architecture"]["hidden_layer_sizes"][0] = 100000; }), Category::io,
                    "rows, expected 100000");
  expect_load_error(edited([](auto& j) { j["layers"] = 7; }), Category::io, "0 layers, the architecture has");
}

}  // namespace
