// SPDX-License-Identifier: BSD-3-Clause
// The regularization section of an experiment file (configuration/regularization_section.hpp): type
// selection with the valid words listed on error, order and λ checked at their keys, and an absent
// section meaning none.
#include "configuration/regularization_section.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "geoinv/error.hpp"

namespace geoinv {
namespace {

using ::testing::HasSubstr;

ConfigNode section_of(const std::string& text) {
  std::string pattern = (std::filesystem::temp_directory_path() / "geoinv-regularization-XXXXXX").string();
  const std::filesystem::path dir = ::mkdtemp(pattern.data());
  std::ofstream(dir / "r.yaml") << "regularization: " << text << "\n";
  ConfigNode root = load_config_file(dir / "r.yaml", {});
  std::filesystem::remove_all(dir);
  return root["regularization"];
}

std::string error_of(const std::string& text) {
  try {
    read_regularization_section(section_of(text));
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), Error::Category::config);
    return error.what();
  }
  ADD_FAILURE() << "no error for " << text;
  return {};
}

TEST(RegularizationSection, AbsentIsNone) {
  const RegularizationSection section = read_regularization_section(ConfigNode());
  EXPECT_EQ(section.regularization.kind, RegularizationKind::none);
  EXPECT_FALSE(section.regularization.active());
}

TEST(RegularizationSection, ReadsEachType) {
  const Regularization tikhonov =
      read_regularization_section(section_of("{type: tikhonov, order: 2, lambda: 0.5}")).regularization;
  EXPECT_EQ(tikhonov.kind, RegularizationKind::tikhonov);
  EXPECT_EQ(tikhonov.order, 2);
  EXPECT_EQ(tikhonov.lambda, 0.5);
  EXPECT_EQ(read_regularization_section(section_of("{type: l1, lambda: 1e-3}")).regularization.kind,
            RegularizationKind::l1);
  EXPECT_EQ(read_regularization_section(section_of("{type: tv, lambda: 2}")).regularization.kind,
            RegularizationKind::tv);
  EXPECT_EQ(read_regularization_section(section_of("{type: none}")).regularization.kind, RegularizationKind::none);
}

TEST(RegularizationSection, ErrorsAreLocatedAndListTheChoices) {
  EXPECT_THAT(error_of("{type: ridge, lambda: 1}"),
              HasSubstr("unknown regularization type 'ridge'; valid types: none, tikhonov, l1, tv"));
  EXPECT_THAT(error_of("{type: tikhonov, order: 3, lambda: 1}"), HasSubstr("must be 0, 1 or 2"));
  EXPECT_THAT(error_of("{type: l1, order: 1, lambda: 1}"), HasSubstr("order applies to type tikhonov only"));
  EXPECT_THAT(error_of("{type: l1, lambda: -1}"), HasSubstr("must be >= 0"));
  EXPECT_THAT(error_of("{type: l1}"), HasSubstr("lambda"));
  EXPECT_THAT(error_of("{type: l1, lambda: {choose: gcv}}"), HasSubstr("gcv needs type tikhonov"));
  EXPECT_THAT(error_of("{type: l1, lambda: 1, weight: 2}"), HasSubstr("weight"));
  EXPECT_THAT(error_of("{type: ridge, lambda: 1}"), HasSubstr("r.yaml:1:"));
}

TEST(RegularizationSection, ReadsALambdaChoiceWithItsDefaults) {
  const RegularizationSection section = read_regularization_section(section_of("{type: l1, lambda: {choose: lcurve}}"));
  ASSERT_TRUE(section.lambda_choice.has_value());
  EXPECT_EQ(section.lambda_choice->rule, LambdaRule::lcurve);
  EXPECT_EQ(section.lambda_choice->smallest, 1e-4);
  EXPECT_EQ(section.lambda_choice->largest, 1e4);
  EXPECT_EQ(section.lambda_choice->points, 41);
  const RegularizationSection given = read_regularization_section(
      section_of("{type: tikhonov, lambda: {choose: discrepancy, range: [0.1, 100], points: 5, target: 1.5}}"));
  EXPECT_EQ(given.lambda_choice->rule, LambdaRule::discrepancy);
  EXPECT_EQ(given.lambda_choice->smallest, 0.1);
  EXPECT_EQ(given.lambda_choice->largest, 100.0);
  EXPECT_EQ(given.lambda_choice->points, 5);
  EXPECT_EQ(given.lambda_choice->target, 1.5);
  EXPECT_FALSE(read_regularization_section(section_of("{type: l1, lambda: 2}")).lambda_choice.has_value());
}

TEST(RegularizationSection, LambdaChoiceErrorsAreLocatedAndListTheChoices) {
  EXPECT_THAT(error_of("{type: tikhonov, lambda: {choose: aic}}"),
              HasSubstr("unknown rule 'aic'; valid rules: discrepancy, gcv, lcurve"));
  EXPECT_THAT(error_of("{type: tikhonov, lambda: {choose: aic}}"), HasSubstr("r.yaml:1:"));
  EXPECT_THAT(error_of("{type: tikhonov, lambda: {choose: aic}}"), HasSubstr("regularization.lambda.choose"));
  EXPECT_THAT(error_of("{type: tikhonov, lambda: {range: [1, 2]}}"), HasSubstr("choose"));
  EXPECT_THAT(error_of("{type: tv, lambda: {choose: gcv}}"), HasSubstr("choose discrepancy or lcurve"));
  EXPECT_THAT(error_of("{type: tikhonov, lambda: {choose: gcv, range: [10, 1]}}"), HasSubstr("0 < smallest < largest"));
  EXPECT_THAT(error_of("{type: tikhonov, lambda: {choose: gcv, range: [0, 1]}}"), HasSubstr("0 < smallest < largest"));
  EXPECT_THAT(error_of("{type: tikhonov, lambda: {choose: gcv, range: [1]}}"), HasSubstr("two values"));
  EXPECT_THAT(error_of("{type: tikhonov, lambda: {choose: gcv, points: 2}}"), HasSubstr("from 3 to 10000"));
  EXPECT_THAT(error_of("{type: tikhonov, lambda: {choose: gcv, target: 2}}"), HasSubstr("discrepancy only"));
  EXPECT_THAT(error_of("{type: tikhonov, lambda: {choose: discrepancy, target: 0}}"), HasSubstr("must be > 0"));
  EXPECT_THAT(error_of("{type: tikhonov, lambda: {choose: gcv, grid: 3}}"), HasSubstr("grid"));
}

}  // namespace
}  // namespace geoinv
