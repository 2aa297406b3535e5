// SPDX-License-Identifier: BSD-3-Clause
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "geoinv/export.hpp"

namespace geoinv {

// An option value as it appears in YAML after validation.
using OptionValue = std::variant<bool, std::int64_t, double, std::string, std::vector<std::int64_t>>;

enum class OptionType {
  boolean,
  integer,
  real,
  choice,        // one word out of `choices`
  string,        // free text
  integer_list,  // e.g. hidden_layer_sizes: [64, 64]
};

GEOINV_API std::string to_string(OptionType type);

// One option of a plugin, declared where the plugin defines it so that `geoinv describe` documents it
// and the host validates YAML generically: type, default, range, unit and a one-line doc. Plugins
// normally do not fill one by hand: they bind each option to a member of their settings struct
// (geoinv/option_binding.hpp), which derives the spec from the binding.
//
// Range. A number (integer, real, each element of an integer list) must satisfy every bound that is set:
// `minimum` and `maximum` are inclusive (>=, <=), `greater_than` and `less_than` exclusive (>, <). Say
// "> 0" as greater_than = 0, never as a minimum of the smallest positive double: the host then
// validates, `geoinv describe` prints and error messages read what was meant ("range (0, inf)",
// "expected a finite number > 0"). One bound per side is the norm; where both are set, both hold and
// messages name the tighter.
struct GEOINV_API OptionSpec {
  std::string name;
  OptionType type = OptionType::real;
  OptionValue default_value;
  std::optional<double> minimum;       // inclusive lower bound; integer, real and integer_list elements
  std::optional<double> maximum;       // inclusive upper bound
  std::optional<double> greater_than;  // exclusive lower bound
  std::optional<double> less_than;     // exclusive upper bound
  std::vector<std::string> choices;    // for OptionType::choice
  std::string unit;                    // "" when dimensionless
  std::string doc;

  // Helpers that keep declarations one line long.
  static OptionSpec real(std::string name, double default_value, std::string doc,
                         std::optional<double> minimum = std::nullopt,
                         std::optional<double> maximum = std::nullopt, std::string unit = "");
  static OptionSpec integer(std::string name, std::int64_t default_value, std::string doc,
                            std::optional<double> minimum = std::nullopt,
                            std::optional<double> maximum = std::nullopt);
  static OptionSpec boolean(std::string name, bool default_value, std::string doc);
  static OptionSpec choice(std::string name, std::string default_value, std::vector<std::string> choices,
                           std::string doc);
  static OptionSpec text(std::string name, std::string default_value, std::string doc);
  static OptionSpec integer_list(std::string name, std::vector<std::int64_t> default_value, std::string doc,
                                 std::optional<double> minimum = std::nullopt,
                                 std::optional<double> maximum = std::nullopt);

  // Whether `value` has this option's type and lies in its range; otherwise `*why` says what is valid.
  bool accepts(const OptionValue& value, std::string* why) const;

  // The range in interval notation for listings, "[1, inf]", "(0, 1)", "[0, 1)"; "" when unbounded. An
  // unbounded end takes the bracket of the bounded one, so inclusive ranges read "[1, inf]".
  std::string interval_text() const;
};

using OptionSpecs = std::vector<OptionSpec>;

// Validated option values with every default filled in: what the host hands to a plugin's configure().
// A plugin turns them into its settings struct through its bindings (OptionBindings::fill); hosts and
// tests build them with defaults() and set().
//
// The typed getters (get_bool ... get_int_list) read one option by name: for hosts and tests (a plugin's
// test checks its declared defaults through them). Plugins do not call them: every plugin, in-tree and in
// examples/, fills its settings through its bindings, so an option's name, type and range are written
// once. They throw geoinv::Error (plugin category) for an option that was not declared or has another type.
class GEOINV_API OptionValues {
 public:
  OptionValues() = default;
  // The defaults of `specs`.
  static OptionValues defaults(const OptionSpecs& specs);

  void set(const std::string& name, OptionValue value);
  bool has(const std::string& name) const;
  const OptionValue& at(const std::string& name) const;
  // The value of `spec`, checked against it: what a plugin's bindings fill its settings from. A value
  // that `spec` refuses (a caller that skipped the host's validation) throws geoinv::Error (config
  // category) naming the option, the value and what is valid; a missing one is a plugin error, as at().
  const OptionValue& checked(const OptionSpec& spec) const;

  // Typed reads by name, for hosts and tests: see the class comment.
  bool get_bool(const std::string& name) const;
  std::int64_t get_int(const std::string& name) const;
  double get_real(const std::string& name) const;  // an integer value is widened
  const std::string& get_string(const std::string& name) const;  // choice or string
  const std::vector<std::int64_t>& get_int_list(const std::string& name) const;

  const std::map<std::string, OptionValue>& values() const { return values_; }

 private:
  std::map<std::string, OptionValue> values_;
};

// Text for outputs and messages: 1e-08, true, "minus", [64, 64].
GEOINV_API std::string to_string(const OptionValue& value);

}  // namespace geoinv
