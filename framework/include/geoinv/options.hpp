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
// and the host validates YAML generically: type, default, range, unit and a one-line doc.
struct GEOINV_API OptionSpec {
  std::string name;
  OptionType type = OptionType::real;
  OptionValue default_value;
  std::optional<double> minimum;     // inclusive; integer, real and integer_list elements
  std::optional<double> maximum;     // inclusive
  std::vector<std::string> choices;  // for OptionType::choice
  std::string unit;                  // "" when dimensionless
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
};

using OptionSpecs = std::vector<OptionSpec>;

// Validated option values with every default filled in. Typed getters throw geoinv::Error (plugin
// category) when a plugin asks for an option it did not declare or with the wrong type: a plugin bug.
class GEOINV_API OptionValues {
 public:
  OptionValues() = default;
  // The defaults of `specs`.
  static OptionValues defaults(const OptionSpecs& specs);

  void set(const std::string& name, OptionValue value);
  bool has(const std::string& name) const;
  const OptionValue& at(const std::string& name) const;

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
