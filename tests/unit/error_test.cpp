// SPDX-License-Identifier: BSD-3-Clause
#include "geoinv/error.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace geoinv {
namespace {

TEST(SourceLocationTest, FormatsWhatIsKnown) {
  EXPECT_EQ((SourceLocation{"exp.yaml", 12, 5}).to_string(), "exp.yaml:12:5");
  EXPECT_EQ((SourceLocation{"exp.yaml", 12, 0}).to_string(), "exp.yaml:12");
  EXPECT_EQ((SourceLocation{"exp.yaml", 0, 0}).to_string(), "exp.yaml");
  // A column without a line means nothing.
  EXPECT_EQ((SourceLocation{"exp.yaml", 0, 7}).to_string(), "exp.yaml");
  EXPECT_EQ((SourceLocation{}).to_string(), "");
}

TEST(ErrorTest, WhatIsFileLineColumnKeyPathMessage) {
  const Error error(Error::Category::config, "expected an integer >= 1", {"exp.yaml", 12, 5},
                    "solver.options.max_iterations");
  EXPECT_STREQ(error.what(), "exp.yaml:12:5: solver.options.max_iterations: expected an integer >= 1");
  EXPECT_EQ(error.message(), "expected an integer >= 1");
  EXPECT_EQ(error.key_path(), "solver.options.max_iterations");
  EXPECT_EQ(error.where().file, "exp.yaml");
  EXPECT_EQ(error.where().line, 12);
  EXPECT_EQ(error.where().column, 5);
  EXPECT_EQ(error.category(), Error::Category::config);
}

TEST(ErrorTest, WhatLeavesOutMissingParts) {
  EXPECT_STREQ(Error(Error::Category::data, "too few data").what(), "too few data");
  EXPECT_STREQ(Error(Error::Category::data, "too few data", {"d.csv"}).what(), "d.csv: too few data");
  EXPECT_STREQ(Error(Error::Category::data, "bad cell", {"d.csv", 3}).what(), "d.csv:3: bad cell");
  EXPECT_STREQ(Error(Error::Category::config, "unknown key", {}, "forward.plugn").what(),
               "forward.plugn: unknown key");
}

TEST(ErrorTest, IsARuntimeErrorCaughtAsStdException) {
  try {
    throw Error(Error::Category::io, "cannot write", {"out/result.json"});
  } catch (const std::exception& e) {
    EXPECT_STREQ(e.what(), "out/result.json: cannot write");
    return;
  }
  FAIL() << "not caught as std::exception";
}

TEST(ErrorTest, ExitCodesAreDistinctPerCategoryAndNeverSuccessOrGenericFailure) {
  const std::vector<Error::Category> categories{Error::Category::usage,     Error::Category::config,
                                                Error::Category::data,      Error::Category::plugin,
                                                Error::Category::numerical, Error::Category::io};
  std::set<int> codes;
  for (auto category : categories) {
    const int code = Error(category, "x").exit_code();
    EXPECT_GT(code, 1) << "0 is success and 1 is an unexpected failure";
    EXPECT_LT(code, 126) << "126 and above mean something else to a shell";
    codes.insert(code);
  }
  EXPECT_EQ(codes.size(), categories.size());
  // The documented values (geoinv --help).
  EXPECT_EQ(Error(Error::Category::usage, "x").exit_code(), 2);
  EXPECT_EQ(Error(Error::Category::config, "x").exit_code(), 3);
  EXPECT_EQ(Error(Error::Category::data, "x").exit_code(), 4);
  EXPECT_EQ(Error(Error::Category::plugin, "x").exit_code(), 5);
  EXPECT_EQ(Error(Error::Category::numerical, "x").exit_code(), 6);
  EXPECT_EQ(Error(Error::Category::io, "x").exit_code(), 7);
}

TEST(BudgetExhaustedTest, CarriesItsMessageAndIsNotAnError) {
  const BudgetExhausted budget("forward-evaluation budget of 10 exhausted");
  EXPECT_STREQ(budget.what(), "forward-evaluation budget of 10 exhausted");
  const std::exception* as_exception = &budget;
  EXPECT_EQ(dynamic_cast<const Error*>(as_exception), nullptr);
}

TEST(NearestMatchTest, FindsATypo) {
  const std::vector<std::string> keys{"max_iterations", "function_tolerance", "gradient_tolerance"};
  EXPECT_EQ(nearest_match("max_iteration", keys), "max_iterations");
  EXPECT_EQ(nearest_match("max_iterationz", keys), "max_iterations");
  EXPECT_EQ(nearest_match("gradient_tolerence", keys), "gradient_tolerance");
  EXPECT_EQ(nearest_match("sphre", {"dike", "sheet", "sphere"}), "sphere");
}

TEST(NearestMatchTest, PicksTheClosest) {
  EXPECT_EQ(nearest_match("shet", {"sphere", "sheet", "dike"}), "sheet");
  EXPECT_EQ(nearest_match("cylindr", {"cylinder", "sphere"}), "cylinder");
}

TEST(NearestMatchTest, IgnoresCase) { EXPECT_EQ(nearest_match("Sphere", {"dike", "sphere"}), "sphere"); }

TEST(NearestMatchTest, ReturnsEmptyWhenNothingIsClose) {
  EXPECT_EQ(nearest_match("xyz", {"max_iterations", "function_tolerance"}), "");
  EXPECT_EQ(nearest_match("learning_rate", {"max_iterations", "seed"}), "");
  EXPECT_EQ(nearest_match("sphere", {}), "");
  EXPECT_EQ(nearest_match("ab", {"cd"}), "");
}

}  // namespace
}  // namespace geoinv
