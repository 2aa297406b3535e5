// SPDX-License-Identifier: BSD-3-Clause
#include "geoinv/options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "geoinv/error.hpp"
#include "geoinv/option_binding.hpp"
#include "geoinv/option_choices.hpp"

namespace geoinv {
namespace {

using ::testing::HasSubstr;

using IntList = std::vector<std::int64_t>;

// accepts() with the reason; the reason is "" when accepted.
std::string reason(const OptionSpec& spec, const OptionValue& value) {
  std::string why;
  if (spec.accepts(value, &why)) return "";
  EXPECT_FALSE(why.empty()) << "rejected without a reason";
  return why;
}

TEST(OptionSpecTest, HelpersFillTheDeclaration) {
  const auto spec = OptionSpec::real("damping", 1e-3, "initial damping", 0.0, 1e6, "1");
  EXPECT_EQ(spec.name, "damping");
  EXPECT_EQ(spec.type, OptionType::real);
  EXPECT_EQ(std::get<double>(spec.default_value), 1e-3);
  EXPECT_EQ(spec.minimum, 0.0);
  EXPECT_EQ(spec.maximum, 1e6);
  EXPECT_EQ(spec.unit, "1");
  EXPECT_EQ(spec.doc, "initial damping");

  EXPECT_EQ(OptionSpec::integer("n", 5, "").type, OptionType::integer);
  EXPECT_EQ(std::get<std::int64_t>(OptionSpec::integer("n", 5, "").default_value), 5);
  EXPECT_EQ(OptionSpec::boolean("b", true, "").type, OptionType::boolean);
  EXPECT_EQ(OptionSpec::text("t", "x", "").type, OptionType::string);
  const auto choice = OptionSpec::choice("c", "a", {"a", "b"}, "");
  EXPECT_EQ(choice.type, OptionType::choice);
  EXPECT_EQ(choice.choices, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(OptionSpec::integer_list("l", {64, 64}, "").type, OptionType::integer_list);
}

TEST(OptionSpecTest, EveryDeclaredDefaultIsAccepted) {
  const OptionSpecs specs{
      OptionSpec::real("r", 0.5, "", 0.0, 1.0), OptionSpec::integer("i", 10, "", 1, 100),
      OptionSpec::boolean("b", false, ""),      OptionSpec::choice("c", "lm", {"lm", "gn"}, ""),
      OptionSpec::text("t", "anything", ""),    OptionSpec::integer_list("l", {64, 32}, "", 1, 1024),
  };
  for (const auto& spec : specs) EXPECT_EQ(reason(spec, spec.default_value), "") << spec.name;
}

TEST(OptionSpecTest, Boolean) {
  const auto spec = OptionSpec::boolean("verbose", false, "");
  EXPECT_EQ(reason(spec, true), "");
  EXPECT_EQ(reason(spec, false), "");
  EXPECT_THAT(reason(spec, std::int64_t{1}), HasSubstr("true or false"));
  EXPECT_THAT(reason(spec, std::string("yes")), HasSubstr("true or false"));
  EXPECT_THAT(reason(spec, 1.0), HasSubstr("true or false"));
}

TEST(OptionSpecTest, IntegerRange) {
  const auto spec = OptionSpec::integer("max_iterations", 100, "", 1, 10000);
  EXPECT_EQ(reason(spec, std::int64_t{1}), "");
  EXPECT_EQ(reason(spec, std::int64_t{10000}), "") << "bounds are inclusive";
  EXPECT_EQ(reason(spec, std::int64_t{500}), "");
  const std::string below = reason(spec, std::int64_t{0});
  EXPECT_THAT(below, HasSubstr("integer"));
  EXPECT_THAT(below, HasSubstr("between 1 and 10000"));
  EXPECT_THAT(reason(spec, std::int64_t{10001}), HasSubstr("between 1 and 10000"));
  EXPECT_THAT(reason(spec, std::int64_t{-5}), HasSubstr("between 1 and 10000"));
}

TEST(OptionSpecTest, IntegerRejectsRealsEvenWhole) {
  const auto spec = OptionSpec::integer("max_iterations", 100, "", 1, std::nullopt);
  EXPECT_THAT(reason(spec, 2.5), HasSubstr("integer"));
  EXPECT_THAT(reason(spec, 3.0), HasSubstr("integer"));
  EXPECT_THAT(reason(spec, std::string("3")), HasSubstr("integer"));
  EXPECT_THAT(reason(spec, true), HasSubstr("integer"));
  EXPECT_THAT(reason(spec, std::int64_t{0}), HasSubstr(">= 1"));
}

TEST(OptionSpecTest, IntegerOneSidedAndOpenRanges) {
  const auto at_most = OptionSpec::integer("n", 1, "", std::nullopt, 8);
  EXPECT_EQ(reason(at_most, std::int64_t{-1000}), "");
  EXPECT_THAT(reason(at_most, std::int64_t{9}), HasSubstr("<= 8"));
  const auto any = OptionSpec::integer("n", 1, "");
  EXPECT_EQ(reason(any, std::numeric_limits<std::int64_t>::min()), "");
  EXPECT_EQ(reason(any, std::numeric_limits<std::int64_t>::max()), "");
}

TEST(OptionSpecTest, RealRangeAndWideningOfIntegers) {
  const auto spec = OptionSpec::real("tolerance", 1e-8, "", 0.0, 1.0);
  EXPECT_EQ(reason(spec, 0.0), "");
  EXPECT_EQ(reason(spec, 1.0), "");
  EXPECT_EQ(reason(spec, 1e-12), "");
  EXPECT_EQ(reason(spec, std::int64_t{1}), "") << "an integer is a valid real";
  EXPECT_EQ(reason(spec, std::int64_t{0}), "");
  EXPECT_THAT(reason(spec, std::int64_t{2}), HasSubstr("between 0 and 1"));
  EXPECT_THAT(reason(spec, 1.5), HasSubstr("between 0 and 1"));
  EXPECT_THAT(reason(spec, -1e-300), HasSubstr("between 0 and 1"));
  EXPECT_THAT(reason(spec, std::string("small")), HasSubstr("number"));
  EXPECT_THAT(reason(spec, false), HasSubstr("number"));
  EXPECT_THAT(reason(spec, IntList{1}), HasSubstr("number"));
}

TEST(OptionSpecTest, RealRejectsNonFiniteEvenWithoutRange) {
  const auto spec = OptionSpec::real("x", 0.0, "");
  EXPECT_EQ(reason(spec, -1e300), "");
  EXPECT_THAT(reason(spec, std::numeric_limits<double>::quiet_NaN()), HasSubstr("finite"));
  EXPECT_THAT(reason(spec, std::numeric_limits<double>::infinity()), HasSubstr("finite"));
  EXPECT_THAT(reason(spec, -std::numeric_limits<double>::infinity()), HasSubstr("finite"));
}

TEST(OptionSpecTest, ChoiceListsEveryChoice) {
  const auto spec = OptionSpec::choice("method", "lm", {"lm", "gauss_newton", "dogleg"}, "");
  EXPECT_EQ(reason(spec, std::string("lm")), "");
  EXPECT_EQ(reason(spec, std::string("dogleg")), "");
  const std::string why = reason(spec, std::string("levenberg"));
  EXPECT_THAT(why, HasSubstr("lm, gauss_newton, dogleg"));
  EXPECT_THAT(reason(spec, std::string("LM")), HasSubstr("lm, gauss_newton, dogleg")) << "choices are exact";
  EXPECT_THAT(reason(spec, std::string("")), HasSubstr("one of"));
  EXPECT_THAT(reason(spec, std::int64_t{0}), HasSubstr("lm, gauss_newton, dogleg"));
}

TEST(OptionSpecTest, StringAcceptsAnyText) {
  const auto spec = OptionSpec::text("label", "", "");
  EXPECT_EQ(reason(spec, std::string("")), "");
  EXPECT_EQ(reason(spec, std::string("any text: at all")), "");
  EXPECT_THAT(reason(spec, 1.0), HasSubstr("string"));
  EXPECT_THAT(reason(spec, IntList{}), HasSubstr("string"));
}

TEST(OptionSpecTest, IntegerListChecksEveryElement) {
  const auto spec = OptionSpec::integer_list("hidden_layer_sizes", {64, 64}, "", 1, 4096);
  EXPECT_EQ(reason(spec, IntList{}), "");
  EXPECT_EQ(reason(spec, IntList{1}), "");
  EXPECT_EQ(reason(spec, IntList{128, 64, 4096}), "");
  const std::string why = reason(spec, IntList{64, 0, 64});
  EXPECT_THAT(why, HasSubstr("list of integers"));
  EXPECT_THAT(why, HasSubstr("between 1 and 4096"));
  EXPECT_THAT(reason(spec, IntList{5000}), HasSubstr("between 1 and 4096"));
  EXPECT_THAT(reason(spec, std::int64_t{64}), HasSubstr("list of integers"));
  EXPECT_THAT(reason(spec, std::string("[64, 64]")), HasSubstr("list of integers"));
}

TEST(OptionSpecTest, AcceptsWithoutAReasonPointer) {
  const auto spec = OptionSpec::integer("n", 1, "", 1, 2);
  EXPECT_TRUE(spec.accepts(std::int64_t{2}, nullptr));
  EXPECT_FALSE(spec.accepts(std::int64_t{3}, nullptr));
}

TEST(OptionTypeTest, Names) {
  EXPECT_EQ(to_string(OptionType::boolean), "boolean");
  EXPECT_EQ(to_string(OptionType::integer), "integer");
  EXPECT_EQ(to_string(OptionType::real), "real");
  EXPECT_EQ(to_string(OptionType::choice), "choice");
  EXPECT_EQ(to_string(OptionType::string), "string");
  EXPECT_EQ(to_string(OptionType::integer_list), "integer list");
}

TEST(OptionValueTest, ToString) {
  EXPECT_EQ(to_string(OptionValue{true}), "true");
  EXPECT_EQ(to_string(OptionValue{false}), "false");
  EXPECT_EQ(to_string(OptionValue{std::int64_t{-42}}), "-42");
  EXPECT_EQ(to_string(OptionValue{1e-08}), "1e-08");
  EXPECT_EQ(to_string(OptionValue{0.5}), "0.5");
  EXPECT_EQ(to_string(OptionValue{std::string("minus")}), "minus");
  EXPECT_EQ(to_string(OptionValue{IntList{64, 64}}), "[64, 64]");
  EXPECT_EQ(to_string(OptionValue{IntList{}}), "[]");
}

class OptionValuesTest : public ::testing::Test {
 protected:
  OptionValues values = OptionValues::defaults({
      OptionSpec::boolean("verbose", true, ""),
      OptionSpec::integer("max_iterations", 100, ""),
      OptionSpec::real("tolerance", 1e-8, ""),
      OptionSpec::choice("method", "lm", {"lm", "gn"}, ""),
      OptionSpec::text("label", "run", ""),
      OptionSpec::integer_list("layers", {64, 32}, ""),
  });
};

TEST_F(OptionValuesTest, DefaultsFillEveryOption) {
  EXPECT_EQ(values.values().size(), 6u);
  EXPECT_TRUE(values.has("verbose"));
  EXPECT_FALSE(values.has("max_iteration"));
  EXPECT_TRUE(values.get_bool("verbose"));
  EXPECT_EQ(values.get_int("max_iterations"), 100);
  EXPECT_EQ(values.get_real("tolerance"), 1e-8);
  EXPECT_EQ(values.get_string("method"), "lm");
  EXPECT_EQ(values.get_string("label"), "run");
  EXPECT_EQ(values.get_int_list("layers"), (IntList{64, 32}));
}

TEST_F(OptionValuesTest, SetReplaces) {
  values.set("max_iterations", std::int64_t{7});
  EXPECT_EQ(values.get_int("max_iterations"), 7);
  values.set("new_option", 2.5);
  EXPECT_TRUE(values.has("new_option"));
  EXPECT_EQ(values.get_real("new_option"), 2.5);
  EXPECT_EQ(std::get<double>(values.at("new_option")), 2.5);
}

TEST_F(OptionValuesTest, RealGetterWidensIntegers) { EXPECT_EQ(values.get_real("max_iterations"), 100.0); }

TEST_F(OptionValuesTest, IntegerGetterDoesNotNarrowReals) {
  try {
    values.get_int("tolerance");
    FAIL() << "get_int on a real did not throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), Error::Category::plugin);
    EXPECT_THAT(e.what(), HasSubstr("'tolerance'"));
    EXPECT_THAT(e.what(), HasSubstr("an integer"));
    EXPECT_THAT(e.what(), HasSubstr("1e-08"));
  }
}

TEST_F(OptionValuesTest, WrongTypeErrorsNameTheOptionAndWhatItHolds) {
  auto expect_error = [&](auto&& read, const std::string& name, const std::string& asked,
                          const std::string& held) {
    try {
      read();
      ADD_FAILURE() << "reading '" << name << "' as " << asked << " did not throw";
    } catch (const Error& e) {
      EXPECT_EQ(e.category(), Error::Category::plugin);
      EXPECT_THAT(e.what(), HasSubstr("'" + name + "'"));
      EXPECT_THAT(e.what(), HasSubstr(asked));
      EXPECT_THAT(e.what(), HasSubstr(held));
    }
  };
  expect_error([&] { values.get_bool("max_iterations"); }, "max_iterations", "a boolean", "100");
  expect_error([&] { values.get_real("method"); }, "method", "a number", "lm");
  expect_error([&] { values.get_string("verbose"); }, "verbose", "a string", "true");
  expect_error([&] { values.get_int_list("max_iterations"); }, "max_iterations", "an integer list", "100");
  expect_error([&] { values.get_int("layers"); }, "layers", "an integer", "[64, 32]");
}

TEST_F(OptionValuesTest, UndeclaredOptionIsAPluginBug) {
  for (auto read : {+[](const OptionValues& v) { v.get_real("max_iteration"); },
                    +[](const OptionValues& v) { v.get_int("max_iteration"); },
                    +[](const OptionValues& v) { v.at("max_iteration"); }}) {
    try {
      read(values);
      ADD_FAILURE() << "reading an undeclared option did not throw";
    } catch (const Error& e) {
      EXPECT_EQ(e.category(), Error::Category::plugin);
      EXPECT_THAT(e.what(), HasSubstr("'max_iteration'"));
      EXPECT_THAT(e.what(), HasSubstr("never declared"));
    }
  }
}

TEST(OptionValuesDefaultsTest, EmptySpecsGiveNoValues) {
  EXPECT_TRUE(OptionValues::defaults({}).values().empty());
}

// ---------------------------------------------------------------------------------------------------------
// Exclusive bounds.

OptionSpec with_exclusive(OptionSpec spec, std::optional<double> greater_than,
                          std::optional<double> less_than) {
  spec.greater_than = greater_than;
  spec.less_than = less_than;
  return spec;
}

TEST(OptionSpecTest, ExclusiveLowerBoundRefusesTheBoundItself) {
  const auto spec = with_exclusive(OptionSpec::real("learning_rate", 1e-3, ""), 0.0, std::nullopt);
  EXPECT_EQ(reason(spec, 1e-300), "");
  EXPECT_EQ(reason(spec, std::int64_t{2}), "");
  EXPECT_THAT(reason(spec, 0.0), HasSubstr("expected a finite number > 0"));
  EXPECT_THAT(reason(spec, -1.0), HasSubstr("> 0"));
  EXPECT_THAT(reason(spec, std::string("fast")), HasSubstr("expected a number > 0"));
}

TEST(OptionSpecTest, ExclusiveUpperBoundBesideAnInclusiveLowerOne) {
  const auto spec = with_exclusive(OptionSpec::real("beta", 0.9, "", 0.0), std::nullopt, 1.0);
  EXPECT_EQ(reason(spec, 0.0), "") << "the inclusive end stays inclusive";
  EXPECT_EQ(reason(spec, 0.999), "");
  EXPECT_THAT(reason(spec, 1.0), HasSubstr(">= 0 and < 1"));
  EXPECT_THAT(reason(spec, -0.1), HasSubstr(">= 0 and < 1"));
}

TEST(OptionSpecTest, OpenIntervalsForRealsIntegersAndLists) {
  const auto fraction = with_exclusive(OptionSpec::real("fraction", 0.1, ""), 0.0, 1.0);
  EXPECT_EQ(reason(fraction, 0.5), "");
  EXPECT_THAT(reason(fraction, 0.0), HasSubstr("> 0 and < 1"));
  EXPECT_THAT(reason(fraction, 1.0), HasSubstr("> 0 and < 1"));
  const auto count = with_exclusive(OptionSpec::integer("count", 1, ""), 0.0, std::nullopt);
  EXPECT_EQ(reason(count, std::int64_t{1}), "");
  EXPECT_THAT(reason(count, std::int64_t{0}), HasSubstr("expected an integer > 0"));
  const auto layers = with_exclusive(OptionSpec::integer_list("layers", {8}, ""), 0.0, 100.0);
  EXPECT_EQ(reason(layers, IntList{1, 99}), "");
  EXPECT_THAT(reason(layers, IntList{1, 100}), HasSubstr("each > 0 and < 100"));
}

TEST(OptionSpecTest, TheTighterBoundOfASideIsTheOneReported) {
  auto spec = OptionSpec::real("x", 1.0, "", 0.0, 2.0);
  spec.greater_than = 0.5;
  EXPECT_EQ(reason(spec, 0.75), "");
  EXPECT_THAT(reason(spec, 0.5), HasSubstr("> 0.5 and <= 2"));
  EXPECT_EQ(spec.interval_text(), "(0.5, 2]");
}

TEST(OptionSpecTest, IntervalTextForListings) {
  EXPECT_EQ(OptionSpec::real("x", 0.0, "").interval_text(), "");
  EXPECT_EQ(OptionSpec::integer("n", 1, "", 1, 10000).interval_text(), "[1, 10000]");
  EXPECT_EQ(OptionSpec::integer("n", 1, "", 1).interval_text(), "[1, inf]");
  EXPECT_EQ(OptionSpec::integer("n", 1, "", std::nullopt, 8).interval_text(), "[-inf, 8]");
  EXPECT_EQ(OptionSpec::real("x", 1e-8, "", 1e-12, 0.5).interval_text(), "[1e-12, 0.5]");
  EXPECT_EQ(with_exclusive(OptionSpec::real("x", 1.0, ""), 0.0, std::nullopt).interval_text(), "(0, inf)");
  EXPECT_EQ(with_exclusive(OptionSpec::real("x", 0.5, ""), 0.0, 1.0).interval_text(), "(0, 1)");
  EXPECT_EQ(with_exclusive(OptionSpec::real("x", 0.5, "", 0.0), std::nullopt, 1.0).interval_text(), "[0, 1)");
}

TEST_F(OptionValuesTest, CheckedReturnsAnAcceptedValue) {
  EXPECT_EQ(std::get<std::int64_t>(values.checked(OptionSpec::integer("max_iterations", 1, "", 1))), 100);
}

TEST_F(OptionValuesTest, CheckedRefusesAValueOutsideItsSpecNamingIt) {
  const auto spec = with_exclusive(OptionSpec::real("tolerance", 1.0, ""), 0.0, std::nullopt);
  values.set("tolerance", 0.0);
  try {
    values.checked(spec);
    ADD_FAILURE() << "checked() accepted 0 for an option that must be > 0";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), Error::Category::config);
    EXPECT_THAT(e.what(), HasSubstr("option 'tolerance': invalid value '0': expected a finite number > 0"));
  }
  try {
    values.checked(OptionSpec::real("undeclared", 1.0, ""));
    ADD_FAILURE() << "checked() found a value that was never set";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), Error::Category::plugin);
    EXPECT_THAT(e.what(), HasSubstr("'undeclared'"));
  }
}

// ---------------------------------------------------------------------------------------------------------
// Choice tables.

enum class Damping { nielsen, marquardt, constant };
const OptionChoices<Damping> kDampingWords{
    {"nielsen", Damping::nielsen}, {"marquardt", Damping::marquardt}, {"constant", Damping::constant}};

TEST(OptionChoicesTest, MapsWordsToValuesAndBack) {
  EXPECT_EQ(kDampingWords.words(), (std::vector<std::string>{"nielsen", "marquardt", "constant"}));
  ASSERT_NE(kDampingWords.find("marquardt"), nullptr);
  EXPECT_EQ(*kDampingWords.find("marquardt"), Damping::marquardt);
  EXPECT_EQ(kDampingWords.find("Marquardt"), nullptr) << "words are exact";
  EXPECT_EQ(kDampingWords.find(""), nullptr);
  for (Damping damping : {Damping::nielsen, Damping::marquardt, Damping::constant}) {
    ASSERT_NE(kDampingWords.find(kDampingWords.word(damping)), nullptr);
    EXPECT_EQ(*kDampingWords.find(kDampingWords.word(damping)), damping);
  }
}

TEST(OptionChoicesTest, AValueWithoutAWordIsAPluginBug) {
  const OptionChoices<Damping> partial{{"nielsen", Damping::nielsen}};
  try {
    partial.word(Damping::constant);
    ADD_FAILURE() << "word() of a value missing from the table did not throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), Error::Category::plugin);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Bindings.

struct StepSettings {
  double step = 0.25;
};

struct SolverSettings {
  bool verbose = false;
  std::int64_t max_iterations = 100;
  int small_count = 3;
  double tolerance = 1e-8;
  float factor = 2.0F;
  std::string label = "run";
  std::vector<std::int64_t> layers{64, 32};
  std::vector<int> small_layers{4};
  Damping damping = Damping::marquardt;
  StepSettings line_search;
  double unbound = 7.0;  // no option: fill() keeps it
};

OptionBindings<SolverSettings> declare_solver_options() {
  OptionBindings<SolverSettings> options;
  options.add("verbose", &SolverSettings::verbose, "print progress");
  options.add("max_iterations", &SolverSettings::max_iterations, "iterations").at_least(1).at_most(10000);
  options.add("small_count", &SolverSettings::small_count, "a count held in an int");
  options.add("tolerance", &SolverSettings::tolerance, "relative tolerance").greater_than(0.0).unit("1");
  options.add("factor", &SolverSettings::factor, "growth factor").greater_than(1.0);
  options.add("label", &SolverSettings::label, "free text");
  options.add("layers", &SolverSettings::layers, "units per layer").at_least(1);
  options.add("small_layers", &SolverSettings::small_layers, "units per layer, held as int");
  options.choice("damping", &SolverSettings::damping, kDampingWords, "damping update");
  options.add("step", nested(&SolverSettings::line_search, &StepSettings::step), "initial step")
      .less_than(1.0);
  return options;
}

TEST(OptionBindingsTest, SpecsFollowTheMembersTypesAndDefaults) {
  const auto bindings = declare_solver_options();
  const OptionSpecs& specs = bindings.specs();
  ASSERT_EQ(specs.size(), 10u);
  std::vector<std::string> names;
  for (const auto& spec : specs) names.push_back(spec.name);
  EXPECT_EQ(names, (std::vector<std::string>{"verbose", "max_iterations", "small_count", "tolerance",
                                             "factor", "label", "layers", "small_layers", "damping", "step"}))
      << "declaration order";
  EXPECT_EQ(specs[0].type, OptionType::boolean);
  EXPECT_EQ(std::get<bool>(specs[0].default_value), false);
  EXPECT_EQ(specs[1].type, OptionType::integer);
  EXPECT_EQ(std::get<std::int64_t>(specs[1].default_value), 100);
  EXPECT_EQ(specs[1].minimum, 1.0);
  EXPECT_EQ(specs[1].maximum, 10000.0);
  EXPECT_EQ(specs[2].type, OptionType::integer);
  EXPECT_EQ(specs[3].type, OptionType::real);
  EXPECT_EQ(std::get<double>(specs[3].default_value), 1e-8);
  EXPECT_EQ(specs[3].greater_than, 0.0);
  EXPECT_FALSE(specs[3].minimum.has_value());
  EXPECT_EQ(specs[3].unit, "1");
  EXPECT_EQ(specs[3].doc, "relative tolerance");
  EXPECT_EQ(specs[4].type, OptionType::real);
  EXPECT_EQ(std::get<double>(specs[4].default_value), 2.0);
  EXPECT_EQ(specs[5].type, OptionType::string);
  EXPECT_EQ(std::get<std::string>(specs[5].default_value), "run");
  EXPECT_EQ(specs[6].type, OptionType::integer_list);
  EXPECT_EQ(std::get<IntList>(specs[6].default_value), (IntList{64, 32}));
  EXPECT_EQ(std::get<IntList>(specs[7].default_value), (IntList{4}));
  EXPECT_EQ(specs[8].type, OptionType::choice);
  EXPECT_EQ(specs[8].choices, kDampingWords.words());
  EXPECT_EQ(std::get<std::string>(specs[8].default_value), "marquardt") << "the default's word";
  EXPECT_EQ(std::get<double>(specs[9].default_value), 0.25);
  EXPECT_EQ(specs[9].less_than, 1.0);
  for (const auto& spec : specs) EXPECT_EQ(reason(spec, spec.default_value), "") << spec.name;
}

TEST(OptionBindingsTest, DefaultsFillTheDefaultSettings) {
  const auto bindings = declare_solver_options();
  const SolverSettings settings = bindings.fill(OptionValues::defaults(bindings.specs()));
  const SolverSettings defaults;
  EXPECT_EQ(settings.verbose, defaults.verbose);
  EXPECT_EQ(settings.max_iterations, defaults.max_iterations);
  EXPECT_EQ(settings.tolerance, defaults.tolerance);
  EXPECT_EQ(settings.factor, defaults.factor);
  EXPECT_EQ(settings.layers, defaults.layers);
  EXPECT_EQ(settings.damping, defaults.damping);
  EXPECT_EQ(settings.line_search.step, defaults.line_search.step);
}

TEST(OptionBindingsTest, FillSetsEveryBoundMemberTyped) {
  const auto bindings = declare_solver_options();
  OptionValues values = OptionValues::defaults(bindings.specs());
  values.set("verbose", true);
  values.set("max_iterations", std::int64_t{7});
  values.set("small_count", std::int64_t{-2});
  values.set("tolerance", std::int64_t{1});  // an integer is a valid real, widened
  values.set("factor", 1.5);
  values.set("label", std::string("second"));
  values.set("layers", IntList{8, 4, 2});
  values.set("small_layers", IntList{});
  values.set("damping", std::string("constant"));
  values.set("step", 0.5);
  const SolverSettings settings = bindings.fill(values);
  EXPECT_TRUE(settings.verbose);
  EXPECT_EQ(settings.max_iterations, 7);
  EXPECT_EQ(settings.small_count, -2);
  EXPECT_EQ(settings.tolerance, 1.0);
  EXPECT_EQ(settings.factor, 1.5F);
  EXPECT_EQ(settings.label, "second");
  EXPECT_EQ(settings.layers, (IntList{8, 4, 2}));
  EXPECT_TRUE(settings.small_layers.empty());
  EXPECT_EQ(settings.damping, Damping::constant);
  EXPECT_EQ(settings.line_search.step, 0.5);
  EXPECT_EQ(settings.unbound, 7.0) << "a member without an option keeps its default";
}

TEST(OptionBindingsTest, EnumRoundTripsThroughItsWord) {
  const auto bindings = declare_solver_options();
  for (Damping damping : {Damping::nielsen, Damping::marquardt, Damping::constant}) {
    OptionValues values = OptionValues::defaults(bindings.specs());
    values.set("damping", kDampingWords.word(damping));
    EXPECT_EQ(bindings.fill(values).damping, damping);
  }
}

// fill()'s error for `values` with `name` set to `value`; "" when it fills.
template <typename Value>
std::string fill_error(const std::string& name, Value value, Error::Category* category = nullptr) {
  const auto bindings = declare_solver_options();
  OptionValues values = OptionValues::defaults(bindings.specs());
  values.set(name, OptionValue{value});
  try {
    bindings.fill(values);
    return "";
  } catch (const Error& e) {
    if (category) *category = e.category();
    return e.what();
  }
}

TEST(OptionBindingsTest, FillRefusesWhatTheSpecRefusesNamingTheOption) {
  Error::Category category = Error::Category::io;
  EXPECT_THAT(fill_error("tolerance", 0.0, &category),
              HasSubstr("option 'tolerance': invalid value '0': expected a finite number > 0"));
  EXPECT_EQ(category, Error::Category::config);
  EXPECT_EQ(fill_error("tolerance", 1e-300), "") << "just above an exclusive bound";
  EXPECT_THAT(fill_error("factor", 1.0), HasSubstr("> 1"));
  EXPECT_THAT(fill_error("step", 1.0), HasSubstr("< 1"));
  EXPECT_THAT(fill_error("max_iterations", std::int64_t{0}), HasSubstr("between 1 and 10000"));
  EXPECT_THAT(fill_error("layers", IntList{8, 0}), HasSubstr("each >= 1"));
  EXPECT_THAT(fill_error("damping", std::string("levenberg")),
              HasSubstr("expected one of: nielsen, marquardt, constant"));
  EXPECT_THAT(fill_error("verbose", std::string("yes")), HasSubstr("true or false"));
  EXPECT_THAT(fill_error("max_iterations", 2.5), HasSubstr("integer"));
}

TEST(OptionBindingsTest, AnIntegerTooLargeForItsMemberIsOutOfRange) {
  Error::Category category = Error::Category::io;
  EXPECT_THAT(fill_error("small_count", std::int64_t{1} << 40, &category),
              HasSubstr("option 'small_count': 1099511627776 is out of range"));
  EXPECT_EQ(category, Error::Category::config);
  EXPECT_THAT(fill_error("small_layers", IntList{1, std::int64_t{1} << 40}), HasSubstr("out of range"));
}

TEST(OptionBindingsTest, ANegativeIntegerForAnUnsignedMemberIsOutOfRange) {
  struct Counts {
    std::uint32_t workers = 4;
  };
  OptionBindings<Counts> options;
  options.add("workers", &Counts::workers, "worker threads");
  OptionValues values = OptionValues::defaults(options.specs());
  EXPECT_EQ(options.fill(values).workers, 4u);
  values.set("workers", std::int64_t{-1});
  EXPECT_THROW(options.fill(values), Error);
  values.set("workers", std::int64_t{1} << 32);
  EXPECT_THROW(options.fill(values), Error);
}

TEST(OptionBindingsTest, DefaultsComeFromTheGivenStruct) {
  SolverSettings defaults;
  defaults.max_iterations = 42;
  defaults.damping = Damping::nielsen;
  OptionBindings<SolverSettings> options(defaults);
  options.add("max_iterations", &SolverSettings::max_iterations, "");
  options.choice("damping", &SolverSettings::damping, kDampingWords, "");
  EXPECT_EQ(std::get<std::int64_t>(options.specs()[0].default_value), 42);
  EXPECT_EQ(std::get<std::string>(options.specs()[1].default_value), "nielsen");
  EXPECT_EQ(options.fill(OptionValues::defaults(options.specs())).max_iterations, 42);
}

}  // namespace
}  // namespace geoinv
