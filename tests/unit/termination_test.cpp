// SPDX-License-Identifier: BSD-3-Clause
#include "geoinv/termination.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace geoinv {
namespace {

const std::vector<Termination> kAll{
    Termination::function_tolerance, Termination::gradient_tolerance, Termination::parameter_tolerance,
    Termination::max_iterations,     Termination::budget_exhausted,   Termination::numerical_failure,
    Termination::plugin_failure,     Termination::no_iterations,      Termination::samples_drawn,
};

TEST(TerminationTest, NamesAreTheEnumeratorNames) {
  EXPECT_EQ(to_string(Termination::function_tolerance), "function_tolerance");
  EXPECT_EQ(to_string(Termination::gradient_tolerance), "gradient_tolerance");
  EXPECT_EQ(to_string(Termination::parameter_tolerance), "parameter_tolerance");
  EXPECT_EQ(to_string(Termination::max_iterations), "max_iterations");
  EXPECT_EQ(to_string(Termination::budget_exhausted), "budget_exhausted");
  EXPECT_EQ(to_string(Termination::numerical_failure), "numerical_failure");
  EXPECT_EQ(to_string(Termination::plugin_failure), "plugin_failure");
  EXPECT_EQ(to_string(Termination::no_iterations), "no_iterations");
  EXPECT_EQ(to_string(Termination::samples_drawn), "samples_drawn");
}

TEST(TerminationTest, RoundTripsThroughText) {
  std::set<std::string> names;
  for (auto termination : kAll) {
    const std::string name = to_string(termination);
    names.insert(name);
    const auto back = termination_from_string(name);
    ASSERT_TRUE(back.has_value()) << name;
    EXPECT_EQ(*back, termination) << name;
  }
  EXPECT_EQ(names.size(), kAll.size()) << "two terminations share a name";
}

TEST(TerminationTest, UnknownWordsAreRejected) {
  EXPECT_FALSE(termination_from_string("").has_value());
  EXPECT_FALSE(termination_from_string("converged").has_value());
  EXPECT_FALSE(termination_from_string("Max_Iterations").has_value());
  EXPECT_FALSE(termination_from_string("max_iterations ").has_value());
  EXPECT_FALSE(termination_from_string("unknown").has_value());
}

TEST(TerminationTest, StatusFollowsCeres) {
  EXPECT_EQ(status_of(Termination::function_tolerance), RunStatus::converged);
  EXPECT_EQ(status_of(Termination::gradient_tolerance), RunStatus::converged);
  EXPECT_EQ(status_of(Termination::parameter_tolerance), RunStatus::converged);
  EXPECT_EQ(status_of(Termination::no_iterations), RunStatus::converged);
  EXPECT_EQ(status_of(Termination::samples_drawn), RunStatus::converged);
  EXPECT_EQ(status_of(Termination::max_iterations), RunStatus::not_converged);
  EXPECT_EQ(status_of(Termination::budget_exhausted), RunStatus::not_converged);
  EXPECT_EQ(status_of(Termination::numerical_failure), RunStatus::failed);
  EXPECT_EQ(status_of(Termination::plugin_failure), RunStatus::failed);
}

TEST(TerminationTest, StatusNames) {
  EXPECT_EQ(to_string(RunStatus::converged), "converged");
  EXPECT_EQ(to_string(RunStatus::not_converged), "not_converged");
  EXPECT_EQ(to_string(RunStatus::failed), "failed");
}

}  // namespace
}  // namespace geoinv
