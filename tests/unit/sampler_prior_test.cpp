// SPDX-License-Identifier: BSD-3-Clause
// A sampler's prior density from YAML (configuration/sampler_prior.hpp): display units converted, the
// default uniform, errors located at the key, and the resolved YAML written back.
#include "configuration/sampler_prior.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "configuration/experiment_sections.hpp"
#include "geoinv/error.hpp"

namespace geoinv {
namespace {

using ::testing::HasSubstr;

ConfigNode prior_of(const std::string& text) {
  std::string pattern = (std::filesystem::temp_directory_path() / "geoinv-prior-XXXXXX").string();
  const std::filesystem::path dir = ::mkdtemp(pattern.data());
  std::ofstream(dir / "t.yaml") << "prior: " << text << "\n";
  ConfigNode root = load_config_file(dir / "t.yaml", {});
  std::filesystem::remove_all(dir);
  return root["prior"];
}

const ParameterSpecs kParameters{{"x0", "m"}, {"theta", "deg", -INFINITY, INFINITY, true}, {"h", "m"}};

std::string error_of(const std::string& text) {
  try {
    read_sampler_prior(prior_of(text), kParameters);
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), Error::Category::config);
    return error.what();
  }
  ADD_FAILURE() << "no error for " << text;
  return {};
}

TEST(SamplerPrior, ReadsNormalsInDisplayUnitsAndLeavesTheRestUniform) {
  const ParameterPriors prior =
      read_sampler_prior(prior_of("{theta: {normal: [310, 10]}, h: {normal: [40, 5]}}"), kParameters);
  ASSERT_EQ(prior.size(), 3u);
  EXPECT_EQ(prior[0].kind, ParameterPrior::Kind::uniform);
  EXPECT_EQ(prior[1].kind, ParameterPrior::Kind::normal);
  EXPECT_DOUBLE_EQ(prior[1].mean, to_radians(310.0));
  EXPECT_DOUBLE_EQ(prior[1].sd, to_radians(10.0));
  EXPECT_DOUBLE_EQ(prior[2].mean, 40.0);
  EXPECT_DOUBLE_EQ(prior[2].sd, 5.0);
  EXPECT_DOUBLE_EQ(prior[2].log_density(45.0), -0.5);
  EXPECT_EQ(prior[0].log_density(1e9), 0.0);
}

TEST(SamplerPrior, RefusesBadInputAtTheKey) {
  EXPECT_THAT(error_of("{depth: {normal: [1, 2]}}"), HasSubstr("depth"));
  EXPECT_THAT(error_of("{depth: {normal: [1, 2]}}"), HasSubstr("x0"));  // the valid names
  EXPECT_THAT(error_of("{h: {normal: [40, 0]}}"), HasSubstr("sd must be > 0"));
  EXPECT_THAT(error_of("{h: {normal: [40, -1]}}"), HasSubstr("prior.h.normal"));
  EXPECT_THAT(error_of("{h: {normal: [40]}}"), HasSubstr("[mean, sd]"));
  EXPECT_THAT(error_of("{h: {cauchy: [40, 1]}}"), HasSubstr("normal"));
  EXPECT_THAT(error_of("{h: [40, 5]}"), HasSubstr("{normal: [mean, sd]}"));
  EXPECT_THAT(error_of("[1, 2]"), HasSubstr("{parameter: {normal: [mean, sd]}"));
  EXPECT_THAT(error_of("{h: {normal: [abc, 5]}}"), HasSubstr("prior.h.normal"));
}

TEST(SamplerPrior, EmitsTheNormalsInDisplayUnits) {
  const ParameterPriors prior = read_sampler_prior(prior_of("{theta: {normal: [310, 10]}}"), kParameters);
  YAML::Emitter out;
  emit_sampler_prior(out, prior, kParameters);
  EXPECT_EQ(std::string(out.c_str()), "theta: {normal: [310, 10]}");
}

}  // namespace
}  // namespace geoinv
