// SPDX-License-Identifier: BSD-3-Clause
#include "geoinv/options.hpp"

#include <fmt/format.h>

#include <cmath>

#include "geoinv/error.hpp"

namespace geoinv {

std::string to_string(OptionType type) {
  switch (type) {
    case OptionType::boolean: return "boolean";
    case OptionType::integer: return "integer";
    case OptionType::real: return "real";
    case OptionType::choice: return "choice";
    case OptionType::string: return "string";
    case OptionType::integer_list: return "integer list";
  }
  return "unknown";
}

std::string to_string(const OptionValue& value) {
  struct Visitor {
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(std::int64_t v) const { return std::to_string(v); }
    std::string operator()(double v) const { return fmt::format("{}", v); }
    std::string operator()(const std::string& v) const { return v; }
    std::string operator()(const std::vector<std::int64_t>& v) const { return fmt::format("[{}]", fmt::join(v, ", ")); }
  };
  return std::visit(Visitor{}, value);
}

OptionSpec OptionSpec::real(std::string name, double default_value, std::string doc, std::optional<double> minimum,
                            std::optional<double> maximum, std::string unit) {
  OptionSpec spec;
  spec.name = std::move(name);
  spec.type = OptionType::real;
  spec.default_value = default_value;
  spec.minimum = minimum;
  spec.maximum = maximum;
  spec.unit = std::move(unit);
  spec.doc = std::move(doc);
  return spec;
}

OptionSpec OptionSpec::integer(std::string name, std::int64_t default_value, std::string doc,
                               std::optional<double> minimum, std::optional<double> maximum) {
  OptionSpec spec;
  spec.name = std::move(name);
  spec.type = OptionType::integer;
  spec.default_value = default_value;
  spec.minimum = minimum;
  spec.maximum = maximum;
  spec.doc = std::move(doc);
  return spec;
}

OptionSpec OptionSpec::boolean(std::string name, bool default_value, std::string doc) {
  OptionSpec spec;
  spec.name = std::move(name);
  spec.type = OptionType::boolean;
  spec.default_value = default_value;
  spec.doc = std::move(doc);
  return spec;
}

OptionSpec OptionSpec::choice(std::string name, std::string default_value, std::vector<std::string> choices,
                              std::string doc) {
  OptionSpec spec;
  spec.name = std::move(name);
  spec.type = OptionType::choice;
  spec.default_value = std::move(default_value);
  spec.choices = std::move(choices);
  spec.doc = std::move(doc);
  return spec;
}

OptionSpec OptionSpec::text(std::string name, std::string default_value, std::string doc) {
  OptionSpec spec;
  spec.name = std::move(name);
  spec.type = OptionType::string;
  spec.default_value = std::move(default_value);
  spec.doc = std::move(doc);
  return spec;
}

OptionSpec OptionSpec::integer_list(std::string name, std::vector<std::int64_t> default_value, std::string doc,
                                    std::optional<double> minimum, std::optional<double> maximum) {
  OptionSpec spec;
  spec.name = std::move(name);
  spec.type = OptionType::integer_list;
  spec.default_value = std::move(default_value);
  spec.minimum = minimum;
  spec.maximum = maximum;
  spec.doc = std::move(doc);
  return spec;
}

namespace {
// The tighter bound of one side: an inclusive and an exclusive one may both be set.
struct Bound {
  double value;
  bool exclusive;
};

std::optional<Bound> lower_bound(const OptionSpec& spec) {
  if (spec.greater_than && (!spec.minimum || *spec.greater_than >= *spec.minimum))
    return Bound{*spec.greater_than, true};
  if (spec.minimum) return Bound{*spec.minimum, false};
  return std::nullopt;
}

std::optional<Bound> upper_bound(const OptionSpec& spec) {
  if (spec.less_than && (!spec.maximum || *spec.less_than <= *spec.maximum))
    return Bound{*spec.less_than, true};
  if (spec.maximum) return Bound{*spec.maximum, false};
  return std::nullopt;
}

// "between 1 and 10" when both ends are inclusive; otherwise the comparisons, "> 0 and < 1".
std::string range_text(const OptionSpec& spec) {
  const auto lower = lower_bound(spec);
  const auto upper = upper_bound(spec);
  if (lower && upper && !lower->exclusive && !upper->exclusive)
    return fmt::format("between {} and {}", lower->value, upper->value);
  std::vector<std::string> parts;
  if (lower) parts.push_back(fmt::format("{} {}", lower->exclusive ? ">" : ">=", lower->value));
  if (upper) parts.push_back(fmt::format("{} {}", upper->exclusive ? "<" : "<=", upper->value));
  if (parts.empty()) return "any value";
  return fmt::format("{}", fmt::join(parts, " and "));
}

bool in_range(double value, const OptionSpec& spec) {
  if (!std::isfinite(value)) return false;
  if (spec.minimum && value < *spec.minimum) return false;
  if (spec.maximum && value > *spec.maximum) return false;
  if (spec.greater_than && value <= *spec.greater_than) return false;
  if (spec.less_than && value >= *spec.less_than) return false;
  return true;
}
}  // namespace

bool OptionSpec::accepts(const OptionValue& value, std::string* why) const {
  auto fail = [&](std::string text) {
    if (why) *why = std::move(text);
    return false;
  };
  switch (type) {
    case OptionType::boolean:
      if (!std::holds_alternative<bool>(value)) return fail("expected true or false");
      return true;
    case OptionType::integer: {
      if (!std::holds_alternative<std::int64_t>(value))
        return fail("expected an integer " + range_text(*this));
      if (!in_range(static_cast<double>(std::get<std::int64_t>(value)), *this))
        return fail("expected an integer " + range_text(*this));
      return true;
    }
    case OptionType::real: {
      double number;
      if (std::holds_alternative<double>(value)) number = std::get<double>(value);
      else if (std::holds_alternative<std::int64_t>(value)) number = static_cast<double>(std::get<std::int64_t>(value));
      else return fail("expected a number " + range_text(*this));
      if (!in_range(number, *this)) return fail("expected a finite number " + range_text(*this));
      return true;
    }
    case OptionType::choice: {
      const auto list = fmt::format("one of: {}", fmt::join(choices, ", "));
      if (!std::holds_alternative<std::string>(value)) return fail("expected " + list);
      for (const auto& choice : choices)
        if (choice == std::get<std::string>(value)) return true;
      return fail("expected " + list);
    }
    case OptionType::string:
      if (!std::holds_alternative<std::string>(value)) return fail("expected a string");
      return true;
    case OptionType::integer_list: {
      if (!std::holds_alternative<std::vector<std::int64_t>>(value))
        return fail("expected a list of integers " + range_text(*this));
      for (auto element : std::get<std::vector<std::int64_t>>(value))
        if (!in_range(static_cast<double>(element), *this))
          return fail("expected a list of integers, each " + range_text(*this));
      return true;
    }
  }
  return fail("unknown option type");
}

std::string OptionSpec::interval_text() const {
  const auto lower = lower_bound(*this);
  const auto upper = upper_bound(*this);
  if (!lower && !upper) return "";
  const bool open_lower = lower ? lower->exclusive : upper->exclusive;
  const bool open_upper = upper ? upper->exclusive : lower->exclusive;
  return fmt::format("{}{}, {}{}", open_lower ? "(" : "[", lower ? fmt::format("{:g}", lower->value) : "-inf",
                     upper ? fmt::format("{:g}", upper->value) : "inf", open_upper ? ")" : "]");
}

OptionValues OptionValues::defaults(const OptionSpecs& specs) {
  OptionValues values;
  for (const auto& spec : specs) values.set(spec.name, spec.default_value);
  return values;
}

void OptionValues::set(const std::string& name, OptionValue value) { values_[name] = std::move(value); }

bool OptionValues::has(const std::string& name) const { return values_.count(name) > 0; }

const OptionValue& OptionValues::at(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end())
    throw Error(Error::Category::plugin, "option '" + name + "' was read but never declared by the plugin");
  return it->second;
}

const OptionValue& OptionValues::checked(const OptionSpec& spec) const {
  const OptionValue& value = at(spec.name);
  std::string why;
  if (!spec.accepts(value, &why))
    throw Error(Error::Category::config,
                fmt::format("option '{}': invalid value '{}': {}", spec.name, to_string(value), why));
  return value;
}

namespace {
template <typename T>
const T& typed(const OptionValue& value, const std::string& name, const char* type) {
  if (const T* typed_value = std::get_if<T>(&value)) return *typed_value;
  throw Error(Error::Category::plugin, "option '" + name + "' read as " + type + " but it holds " + to_string(value));
}
}  // namespace

bool OptionValues::get_bool(const std::string& name) const { return typed<bool>(at(name), name, "a boolean"); }
std::int64_t OptionValues::get_int(const std::string& name) const {
  return typed<std::int64_t>(at(name), name, "an integer");
}
double OptionValues::get_real(const std::string& name) const {
  const OptionValue& value = at(name);
  if (const auto* integer = std::get_if<std::int64_t>(&value)) return static_cast<double>(*integer);
  return typed<double>(value, name, "a number");
}
const std::string& OptionValues::get_string(const std::string& name) const {
  return typed<std::string>(at(name), name, "a string");
}
const std::vector<std::int64_t>& OptionValues::get_int_list(const std::string& name) const {
  return typed<std::vector<std::int64_t>>(at(name), name, "an integer list");
}

}  // namespace geoinv
