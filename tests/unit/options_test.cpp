#include "geoinv/options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "geoinv/error.hpp"

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

}  // namespace
}  // namespace geoinv
