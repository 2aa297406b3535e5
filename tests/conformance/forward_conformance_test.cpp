// SPDX-License-Identifier: BSD-3-Clause
// The forward-plugin conformance suite: every forward plugin found in the build's plugin folder
// (GEOINV_TEST_PLUGIN_DIR) is loaded through the PluginRegistry, as the host loads it, and held to the
// contract of geoinv::ForwardModel. A plugin added later is covered by adding its folder; there is no
// per-plugin code here.
//
// For each plugin, and for each option configuration (the defaults, then every other word of each choice
// option and the other value of each boolean option, one at a time):
//   - descriptor and declarations: name, version, summary, this build's API and ABI tag; parameters non-empty, uniquely named,
//     documented, lower < upper, finite scale > 0; options uniquely named, documented, defaults accepted;
//   - the analytic Jacobian (when has_jacobian) against central differences, column by column;
//   - determinism: two predictions, and two instances, give bit-identical data and Jacobians;
//   - canonicalize: idempotent, keeps the predicted data, keeps a valid model valid;
//   - estimate_start (when offered): a finite start that is valid once clamped into the bounds;
//   - README.md at plugins/forward/<name>/ shows example_yaml() verbatim in a ```yaml block and names
//     every parameter (angles in degrees) and option;
//   - example_yaml() runs with the real CLI and converges.
//
// Built a second time as geoinv_python_conformance_tests with GEOINV_CONFORMANCE_PYTHON_MODEL naming a
// forward model written in Python (python_model_environment.cpp registers it): the same checks, but its
// README and CLI example are not a plugin folder's (docs/python.md documents it; the CLI cannot load it).
//
// The host's sum of bodies (configuration/summed_forward_model.hpp) is held to the same contract, as
// "a+b" parameters built from the build's plugins; the descriptor, README and example checks belong to
// plugins and are skipped for it.
//
// Parameter blocks (parameter.hpp: size != 1, or 0 when sized by configure()) are held to the same
// checks: the declared sizes are 0 or more, a configured model's are all at least 1, and every check
// runs on the flat model vector, value by value (parameter_layout.hpp: flattened()), each value drawn
// as its block's declaration says. A block plugin's stations are the 101 test stations, so a block
// sized by the stations has 101 values.
//
// Random models are drawn within finite ranges derived from each parameter's bounds and scale:
//   both bounds finite: [lower + 5 % of the width, upper − 5 %];   lower only: [lower + scale/10,
//   lower + 10·scale];   upper only: the mirror image;   neither: [−10·scale, 10·scale], or [−2π, 2π] for an
//   angle (which also exercises wrapping). Models the plugin calls invalid (is_valid) are skipped.
#include <gtest/gtest.h>

#include <Eigen/Core>
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "configuration/summed_forward_model.hpp"
#include "conformance/conformance_support.hpp"
#include "e2e/cli_runner.hpp"
#include "geoinv/finite_difference.hpp"
#include "geoinv/forward_model.hpp"
#include "geoinv/options.hpp"
#include "geoinv/parameter.hpp"
#include "geoinv/parameter_layout.hpp"
#include "geoinv/plugin_registry.hpp"
#include "geoinv/version.hpp"

namespace {

namespace fs = std::filesystem;
using geoinv::Matrix;
using geoinv::Vector;

constexpr int kRandomModels = 30;             // valid models per check and configuration
constexpr int kMaxDrawsPerModel = 200;        // draws allowed per valid model before giving up
constexpr double kJacobianTolerance = 1e-5;   // relative, per column
constexpr double kCanonicalTolerance = 1e-9;  // relative to the largest |datum|

using geoinv_test::build_registry;
using geoinv_test::test_name;

geoinv::PluginRegistry& registry() { return build_registry(); }

std::vector<std::string> forward_plugins_in_build() {
  return geoinv_test::build_plugins(geoinv::PluginKind::forward);
}

// One way to configure a plugin: a label for messages and the option values.
struct Configuration {
  std::string label;
  geoinv::OptionValues values;
};

std::vector<Configuration> configurations(const geoinv::ForwardModel& model) {
  const geoinv::OptionSpecs specs = model.options();
  const geoinv::OptionValues defaults = geoinv::OptionValues::defaults(specs);
  std::vector<Configuration> all{{"defaults", defaults}};
  for (const geoinv::OptionSpec& spec : specs) {
    if (spec.type == geoinv::OptionType::choice) {
      for (const std::string& word : spec.choices) {
        if (std::get<std::string>(spec.default_value) == word) continue;
        geoinv::OptionValues values = defaults;
        values.set(spec.name, word);
        all.push_back({spec.name + "=" + word, values});
      }
    } else if (spec.type == geoinv::OptionType::boolean) {
      geoinv::OptionValues values = defaults;
      const bool flipped = !std::get<bool>(spec.default_value);
      values.set(spec.name, flipped);
      all.push_back({spec.name + "=" + (flipped ? "true" : "false"), values});
    }
  }
  return all;
}

// One spec per model value of a configured model (blocks flattened).
geoinv::ParameterSpecs flat_parameters(const geoinv::ForwardModel& model) {
  return geoinv::ParameterLayout(model.parameters()).flattened();
}

// Stations over the range the random x-like parameters span, enough of them for any parameter count.
Vector test_stations(Eigen::Index num_parameters) {
  return Vector::LinSpaced(std::max<Eigen::Index>(101, 4 * num_parameters), -100.0, 100.0);
}

// The finite range a parameter is drawn from (see the file comment).
std::pair<double, double> draw_range(const geoinv::ParameterSpec& spec) {
  const bool has_lower = std::isfinite(spec.lower), has_upper = std::isfinite(spec.upper);
  if (has_lower && has_upper) {
    const double margin = 0.05 * (spec.upper - spec.lower);
    return {spec.lower + margin, spec.upper - margin};
  }
  if (has_lower) return {spec.lower + 0.1 * spec.scale, spec.lower + 10.0 * spec.scale};
  if (has_upper) return {spec.upper - 10.0 * spec.scale, spec.upper - 0.1 * spec.scale};
  if (spec.is_angle) return {-2.0 * geoinv::kPi, 2.0 * geoinv::kPi};
  return {-10.0 * spec.scale, 10.0 * spec.scale};
}

// A fresh, unconfigured model: the plugin `name`, or the sum of the plugins a name "a+b" joins.
std::shared_ptr<geoinv::ForwardModel> create_model(const std::string& name) {
  if (name.find('+') == std::string::npos) return registry().create_forward_model(name);
  std::vector<geoinv::SummedBody> bodies;
  std::istringstream names(name);
  for (std::string body; std::getline(names, body, '+');)
    bodies.push_back({body, registry().create_forward_model(body)});
  return std::make_shared<geoinv::SummedForwardModel>(std::move(bodies));
}

class ForwardConformance : public ::testing::TestWithParam<std::string> {
 protected:
  const std::string& name() const { return GetParam(); }
  bool is_sum() const { return name().find('+') != std::string::npos; }
  bool is_python() const {
#ifdef GEOINV_CONFORMANCE_PYTHON_MODEL
    return name() == GEOINV_CONFORMANCE_PYTHON_MODEL;
#else
    return false;
#endif
  }

  // A fresh, unconfigured instance: for declarations.
  std::shared_ptr<geoinv::ForwardModel> declared() const { return create_model(name()); }
  // The declared parameter count, a block counted once: it sizes the test stations.
  Eigen::Index num_declared() const { return static_cast<Eigen::Index>(declared()->parameters().size()); }
  // The length of the flat model vector of a configured model.
  static Eigen::Index num_values(const geoinv::ForwardModel& model) {
    return geoinv::ParameterLayout(model.parameters()).total_size();
  }

  std::shared_ptr<geoinv::ForwardModel> configured(const Configuration& configuration,
                                                   const Vector& stations) const {
    auto model = declared();
    model->configure(configuration.values, stations);
    return model;
  }

  // `count` valid random models within the draw ranges, from a generator seeded by `seed`; fails the test
  // when the plugin rejects nearly every draw.
  std::vector<Vector> random_valid_models(const geoinv::ForwardModel& model, int count,
                                          std::uint64_t seed) const {
    const geoinv::ParameterSpecs specs = flat_parameters(model);
    std::mt19937_64 random(seed);
    std::vector<Vector> models;
    int draws = 0;
    while (static_cast<int>(models.size()) < count && draws < count * kMaxDrawsPerModel) {
      ++draws;
      Vector parameters(static_cast<Eigen::Index>(specs.size()));
      for (std::size_t i = 0; i < specs.size(); ++i) {
        const auto [low, high] = draw_range(specs[i]);
        parameters(static_cast<Eigen::Index>(i)) = std::uniform_real_distribution<double>(low, high)(random);
      }
      if (model.is_valid(parameters, nullptr)) models.push_back(parameters);
    }
    EXPECT_EQ(static_cast<int>(models.size()), count)
        << name() << ": only " << models.size() << " of " << draws
        << " random models within the bounds were valid";
    return models;
  }

  fs::path readme() const {
    return fs::path(GEOINV_TEST_SOURCE_DIR) / "plugins" / "forward" / name() / "README.md";
  }
};

GTEST_ALLOW_UNINSTANTIATED_PARAMETERIZED_TEST(ForwardConformance);

TEST(ConformanceSuite, FindsTheForwardPluginsOfTheBuild) {
  const std::vector<std::string> names = forward_plugins_in_build();
  ASSERT_FALSE(names.empty()) << "no forward plugin in " << GEOINV_TEST_PLUGIN_DIR;
  // The reference plugin of the project must be among them, or the folder filter is wrong.
  EXPECT_NE(std::find(names.begin(), names.end(), "sphere"), names.end());
  std::ostringstream list;
  for (const std::string& name : names) list << name << " ";
  RecordProperty("forward_plugins", list.str());
}

TEST_P(ForwardConformance, DescriptorAndDeclarationsAreSane) {
  if (!is_sum()) geoinv_test::expect_descriptor_of_this_build(name(), geoinv::PluginKind::forward);

  auto model = declared();
  const geoinv::ParameterSpecs parameters = model->parameters();
  ASSERT_FALSE(parameters.empty());
  std::set<std::string> names;
  for (const geoinv::ParameterSpec& spec : parameters) {
    EXPECT_FALSE(spec.name.empty());
    EXPECT_EQ(spec.name.find_first_of(" \t\n:{}[],#"), std::string::npos)
        << "not a plain YAML key: " << spec.name;
    EXPECT_TRUE(names.insert(spec.name).second) << "parameter declared twice: " << spec.name;
    EXPECT_FALSE(spec.doc.empty()) << spec.name << " has no doc";
    EXPECT_EQ(spec.doc.find('\n'), std::string::npos) << spec.name << ": the doc must be one line";
    EXPECT_FALSE(std::isnan(spec.lower)) << spec.name;
    EXPECT_FALSE(std::isnan(spec.upper)) << spec.name;
    EXPECT_LT(spec.lower, spec.upper) << spec.name;
    EXPECT_TRUE(std::isfinite(spec.scale) && spec.scale > 0.0) << spec.name << ": scale " << spec.scale;
    if (spec.is_angle) {
      EXPECT_EQ(geoinv::display_unit(spec), "deg") << spec.name;
    }
  }

  geoinv_test::expect_sane_options(model->options());
}

TEST_P(ForwardConformance, ConfigureSizesEveryBlock) {
  for (const Configuration& configuration : configurations(*declared())) {
    const Vector stations = test_stations(num_declared());
    auto model = configured(configuration, stations);
    const geoinv::ParameterSpecs declarations = declared()->parameters();
    const geoinv::ParameterSpecs parameters = model->parameters();
    ASSERT_EQ(parameters.size(), declarations.size())
        << configuration.label << ": configure() changed the number of parameters";
    for (std::size_t p = 0; p < parameters.size(); ++p) {
      EXPECT_EQ(parameters[p].name, declarations[p].name) << configuration.label;
      EXPECT_GE(parameters[p].size, 1u) << configuration.label << ": " << parameters[p].name
                                        << " is still unsized after configure()";
      if (declarations[p].size != 0)
        EXPECT_EQ(parameters[p].size, declarations[p].size)
            << configuration.label << ": " << parameters[p].name << " was declared with a fixed size";
    }
  }
}

TEST_P(ForwardConformance, AnalyticJacobianMatchesCentralDifferences) {
  if (!declared()->has_jacobian())
    GTEST_SKIP() << name() << " has no analytic Jacobian (the host uses central differences)";
  std::uint64_t seed = 1;
  for (const Configuration& configuration : configurations(*declared())) {
    const Vector stations = test_stations(num_declared());
    auto model = configured(configuration, stations);
    const Eigen::Index n = num_values(*model);
    const geoinv::ParameterSpecs specs = flat_parameters(*model);
    double worst = 0.0;
    for (const Vector& parameters : random_valid_models(*model, kRandomModels, seed++)) {
      Vector data(stations.size()), plain(stations.size());
      Matrix analytic(stations.size(), n), numeric(stations.size(), n);
      model->predict_with_jacobian(parameters, data, analytic);
      model->predict(parameters, plain);
      ASSERT_TRUE(data.allFinite() && analytic.allFinite())
          << configuration.label << ": not finite at the valid model " << parameters.transpose();
      EXPECT_LE((data - plain).cwiseAbs().maxCoeff(), 1e-12 * plain.cwiseAbs().maxCoeff())
          << configuration.label << ": predict_with_jacobian and predict disagree at "
          << parameters.transpose();
      geoinv::central_difference_jacobian(*model, parameters, numeric);
      for (Eigen::Index j = 0; j < n; ++j) {
        const double error = (analytic.col(j) - numeric.col(j)).norm();
        // A floor for columns that vanish: a change of one scale moves the data by about |data|.
        const double floor = 1e-9 * plain.norm() / specs[static_cast<std::size_t>(j)].scale;
        const double allowed = kJacobianTolerance * analytic.col(j).norm() + floor;
        worst = std::max(worst, error / (analytic.col(j).norm() + floor));
        EXPECT_LE(error, allowed) << configuration.label << ": column "
                                  << specs[static_cast<std::size_t>(j)].name << " (relative error "
                                  << error / analytic.col(j).norm() << ") at " << parameters.transpose();
      }
    }
    RecordProperty("worst_relative_column_error_" + test_name(configuration.label), std::to_string(worst));
  }
}

TEST_P(ForwardConformance, PredictionsAreDeterministic) {
  std::uint64_t seed = 100;
  for (const Configuration& configuration : configurations(*declared())) {
    const Vector stations = test_stations(num_declared());
    auto first = configured(configuration, stations);
    const Eigen::Index n = num_values(*first);
    auto second = configured(configuration, stations);
    for (const Vector& parameters : random_valid_models(*first, 5, seed++)) {
      Vector a(stations.size()), b(stations.size()), c(stations.size());
      first->predict(parameters, a);
      first->predict(parameters, b);
      second->predict(parameters, c);
      EXPECT_TRUE((a.array() == b.array()).all()) << configuration.label << ": two predictions differ";
      EXPECT_TRUE((a.array() == c.array()).all()) << configuration.label << ": two instances differ";
      if (first->has_jacobian()) {
        Matrix ja(stations.size(), n), jb(stations.size(), n), jc(stations.size(), n);
        first->predict_with_jacobian(parameters, a, ja);
        first->predict_with_jacobian(parameters, b, jb);
        second->predict_with_jacobian(parameters, c, jc);
        EXPECT_TRUE((a.array() == b.array()).all() && (ja.array() == jb.array()).all())
            << configuration.label << ": two Jacobian evaluations differ";
        EXPECT_TRUE((a.array() == c.array()).all() && (ja.array() == jc.array()).all())
            << configuration.label << ": two instances' Jacobians differ";
      }
    }
  }
}

TEST_P(ForwardConformance, CanonicalizeIsIdempotentAndKeepsTheData) {
  std::uint64_t seed = 200;
  for (const Configuration& configuration : configurations(*declared())) {
    const Vector stations = test_stations(num_declared());
    auto model = configured(configuration, stations);
    for (const Vector& parameters : random_valid_models(*model, kRandomModels, seed++)) {
      Vector canonical = parameters;
      model->canonicalize(canonical);
      Vector twice = canonical;
      model->canonicalize(twice);
      EXPECT_TRUE((twice.array() == canonical.array()).all())
          << configuration.label << ": canonicalize is not idempotent: " << parameters.transpose() << " -> "
          << canonical.transpose() << " -> " << twice.transpose();
      EXPECT_TRUE(model->is_valid(canonical, nullptr))
          << configuration.label
          << ": the canonical form of a valid model is invalid: " << canonical.transpose();
      Vector original_data(stations.size()), canonical_data(stations.size());
      model->predict(parameters, original_data);
      model->predict(canonical, canonical_data);
      EXPECT_LE((canonical_data - original_data).cwiseAbs().maxCoeff(),
                kCanonicalTolerance * original_data.cwiseAbs().maxCoeff())
          << configuration.label << ": canonicalize changed the data: " << parameters.transpose() << " -> "
          << canonical.transpose();
    }
  }
}

TEST_P(ForwardConformance, DataDrivenStartIsFiniteAndValid) {
  std::uint64_t seed = 300;
  for (const Configuration& configuration : configurations(*declared())) {
    const Vector stations = test_stations(num_declared());
    auto model = configured(configuration, stations);
    const Eigen::Index n = num_values(*model);
    const geoinv::ParameterSpecs specs = flat_parameters(*model);
    for (const Vector& parameters : random_valid_models(*model, 3, seed++)) {
      Vector observed(stations.size());
      model->predict(parameters, observed);
      Vector start = Vector::Zero(n);
      if (!model->estimate_start(observed, start)) GTEST_SKIP() << name() << " offers no data-driven start";
      ASSERT_TRUE(start.allFinite()) << configuration.label << ": " << start.transpose();
      for (std::size_t i = 0; i < specs.size(); ++i) {  // as the host does
        const auto j = static_cast<Eigen::Index>(i);
        start(j) = std::clamp(start(j), specs[i].lower, specs[i].upper);
      }
      std::string why;
      EXPECT_TRUE(model->is_valid(start, &why))
          << configuration.label << ": the data-driven start " << start.transpose() << " is invalid: " << why;
    }
  }
}

TEST_P(ForwardConformance, ReadmeShowsTheExampleAndNamesEveryParameterAndOption) {
  if (is_sum()) GTEST_SKIP() << "a sum of bodies is documented in docs/experiment-schema.md, not a README";
  if (is_python()) GTEST_SKIP() << "a Python model is documented beside its class (docs/python.md)";
  const fs::path file = readme();
  auto model = declared();
  const std::string text = geoinv_test::checked_readme(file, name(), model->example_yaml(), model->options());
  if (text.empty()) return;
  for (const geoinv::ParameterSpec& spec : model->parameters()) {
    const std::string quoted = "`" + spec.name + "`";
    EXPECT_NE(text.find(quoted), std::string::npos) << file << " does not document the parameter " << quoted;
    if (!spec.is_angle) continue;
    // An angle is documented in degrees, on the line that names it.
    bool in_degrees = false;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);)
      in_degrees =
          in_degrees || (line.find(quoted) != std::string::npos && line.find("deg") != std::string::npos);
    EXPECT_TRUE(in_degrees) << file << ": no line names the angle " << quoted << " with its unit, deg";
  }
}

TEST_P(ForwardConformance, ExampleRunsWithTheCliAndConverges) {
  if (is_sum()) GTEST_SKIP() << "a sum has no example of its own (tests/e2e/multisource_test.cpp runs one)";
  if (is_python()) GTEST_SKIP() << "the CLI cannot load a Python model (python/tests runs it through geoinv.run)";
  auto model = declared();
  const std::string example = model->example_yaml();
  ASSERT_FALSE(example.empty());
  geoinv_test::TempDir dir;
  const fs::path file = dir.write("example.yaml", example);
  const geoinv_test::CliResult run =
      geoinv_test::run_geoinv({"run", file.string(), "--out", "out"}, dir.path());
  ASSERT_EQ(run.exit_code, 0) << "geoinv run " << name() << "'s example failed:\n" << run.err << run.out;
  const fs::path result_file = dir.path() / "out" / "result.json";
  ASSERT_TRUE(fs::exists(result_file)) << run.out;
  const auto result = geoinv_test::read_json(result_file);
  EXPECT_EQ(result["forward"]["plugin"], name()) << "the example must use the plugin it documents";
  ASSERT_FALSE(result["results"].empty());
  EXPECT_EQ(result["results"][0]["status"], "converged")
      << result["results"][0]["termination"] << ": " << result["results"][0]["message"];
}

#ifndef GEOINV_CONFORMANCE_PYTHON_MODEL
INSTANTIATE_TEST_SUITE_P(BuildPluginFolder, ForwardConformance,
                         ::testing::ValuesIn(forward_plugins_in_build()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return test_name(info.param);
                         });

// Two exchangeable bodies (canonicalize sorts them) and two different plugins.
INSTANTIATE_TEST_SUITE_P(SummedBodies, ForwardConformance,
                         ::testing::Values("sphere+sphere", "sphere+inclined_sheet"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return test_name(info.param);
                         });
#else
INSTANTIATE_TEST_SUITE_P(PythonModel, ForwardConformance, ::testing::Values(GEOINV_CONFORMANCE_PYTHON_MODEL),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return test_name(info.param);
                         });
#endif

}  // namespace
