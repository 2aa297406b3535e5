// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// OptionBindings: a plugin's options, each declared once and bound to the member of a settings struct
// that it fills.
//
// In the manner of Ceres' options structs, a plugin keeps its settings in a plain struct whose members
// carry their defaults and document them; the bindings say which option fills which member:
//
//   enum class Convention { plus, minus };
//   const geoinv::OptionChoices<Convention> kConventionWords{{"plus", Convention::plus},
//                                                            {"minus", Convention::minus}};
//
//   struct Settings {
//     Convention convention = Convention::plus;  // sign of the z·sinθ term
//     std::int64_t terms = 8;                    // series terms
//     double tolerance = 1e-9;                   // relative accuracy of the quadrature, > 0
//   };
//
//   geoinv::OptionBindings<Settings> declare_options() {
//     geoinv::OptionBindings<Settings> options;
//     options.choice("convention", &Settings::convention, kConventionWords, "sign of the z·sinθ term");
//     options.add("terms", &Settings::terms, "number of series terms").at_least(1).at_most(64);
//     options.add("tolerance", &Settings::tolerance, "relative accuracy").greater_than(0.0);
//     return options;
//   }
//
//   class MyModel final : public geoinv::ForwardModel {
//     geoinv::OptionSpecs options() const override { return bindings_.specs(); }
//     void configure(const geoinv::OptionValues& values, const geoinv::Vector& stations) override {
//       settings_ = bindings_.fill(values);
//       ...
//     }
//    private:
//     geoinv::OptionBindings<Settings> bindings_ = declare_options();
//     Settings settings_;
//   };
//
// What each side does:
//
// - Declaration. add() declares an option bound to a member; its type follows the member's C++ type:
//     bool -> boolean; an integer type -> integer; float or double -> real; std::string -> string (free
//     text); std::vector of an integer type -> integer list.
//   choice() binds a member of any type (normally an enum) through an OptionChoices table (the YAML
//   words, geoinv/option_choices.hpp). The default is the member's value in the defaults struct given
//   to the constructor (Settings{} unless said otherwise), so it is written once, in the struct. The
//   returned Declaration refines the option in the same statement: bounds (at_least, at_most inclusive;
//   greater_than, less_than exclusive) and unit. Use it at once: a later add() may move the spec.
//   A member of a member struct is bound with nested(&Settings::fit, &FitSettings::alpha).
//
// - Validation, once, from the declaration. specs() is what options() returns: the host validates
//   every YAML value against it (type, range, choices) and reports a located error. fill() checks each
//   value against the same spec again (OptionValues::checked) so that a caller that skips the host, a
//   test for instance, gets a clear config error naming the option instead of a broken settings struct;
//   a plugin never repeats a range check of its own.
//
// - Filling. fill() starts from the defaults struct and sets every bound member from the validated
//   values: typed, no string lookups in plugin code. An integer that does not fit the member's type is
//   refused as out of range. Members without a binding keep their defaults.
//
// A bindings object is immutable once declared; fill() is const and may run on any thread.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "geoinv/error.hpp"
#include "geoinv/option_choices.hpp"
#include "geoinv/options.hpp"

namespace geoinv {

// A member of a member struct, for OptionBindings: nested(&ModelSettings::fit, &FitSettings::alpha).
template <typename Outer, typename Inner, typename T>
auto nested(Inner Outer::*group, T Inner::*member) {
  return [group, member](Outer& settings) -> T& { return (settings.*group).*member; };
}

namespace option_binding_detail {

template <typename T>
struct IsIntegerList : std::false_type {};
template <typename I>
struct IsIntegerList<std::vector<I>> : std::bool_constant<std::is_integral_v<I> && !std::is_same_v<I, bool>> {
};

template <typename T>
constexpr bool kIsInteger = std::is_integral_v<T> && !std::is_same_v<T, bool>;

template <typename T>
constexpr OptionType type_of() {
  if constexpr (std::is_same_v<T, bool>)
    return OptionType::boolean;
  else if constexpr (kIsInteger<T>)
    return OptionType::integer;
  else if constexpr (std::is_floating_point_v<T>)
    return OptionType::real;
  else if constexpr (std::is_same_v<T, std::string>)
    return OptionType::string;
  else if constexpr (IsIntegerList<T>::value)
    return OptionType::integer_list;
  else
    static_assert(!sizeof(T), "bind this member with choice() and an OptionChoices table");
}

template <typename T>
OptionValue to_value(const T& member) {
  if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::string>)
    return member;
  else if constexpr (kIsInteger<T>)
    return static_cast<std::int64_t>(member);
  else if constexpr (std::is_floating_point_v<T>)
    return static_cast<double>(member);
  else
    return std::vector<std::int64_t>(member.begin(), member.end());
}

// An integer option's value in the member's own integer type; one that does not fit is out of range.
template <typename I>
I narrowed(std::int64_t value, const std::string& name) {
  const I result = static_cast<I>(value);
  const bool fits = static_cast<std::int64_t>(result) == value && (std::is_signed_v<I> || value >= 0);
  if (!fits)
    throw Error(Error::Category::config,
                "option '" + name + "': " + std::to_string(value) + " is out of range");
  return result;
}

// `value` has passed the spec of type type_of<T>(), so its alternative is known (a real may hold an
// integer, widened here).
template <typename T>
void assign(const OptionValue& value, const std::string& name, T& member) {
  if constexpr (std::is_same_v<T, bool> || std::is_same_v<T, std::string>) {
    member = std::get<T>(value);
  } else if constexpr (kIsInteger<T>) {
    member = narrowed<T>(std::get<std::int64_t>(value), name);
  } else if constexpr (std::is_floating_point_v<T>) {
    const auto* integer = std::get_if<std::int64_t>(&value);
    member = static_cast<T>(integer ? static_cast<double>(*integer) : std::get<double>(value));
  } else {
    member.clear();
    for (std::int64_t element : std::get<std::vector<std::int64_t>>(value))
      member.push_back(narrowed<typename T::value_type>(element, name));
  }
}

}  // namespace option_binding_detail

template <typename Settings>
class OptionBindings {
 public:
  // Refines the option just declared; see the header comment.
  class Declaration {
   public:
    explicit Declaration(OptionSpec& spec) : spec_(spec) {}
    Declaration& at_least(double bound) { return set(spec_.minimum, bound); }
    Declaration& at_most(double bound) { return set(spec_.maximum, bound); }
    Declaration& greater_than(double bound) { return set(spec_.greater_than, bound); }
    Declaration& less_than(double bound) { return set(spec_.less_than, bound); }
    Declaration& unit(std::string unit) {
      spec_.unit = std::move(unit);
      return *this;
    }

   private:
    Declaration& set(std::optional<double>& field, double bound) {
      field = bound;
      return *this;
    }
    OptionSpec& spec_;
  };

  explicit OptionBindings(Settings defaults = Settings{}) : defaults_(std::move(defaults)) {}

  // An option of the type of `member` (a pointer to a member of Settings, or a callable returning a
  // reference to one such as nested(...)), its default read from the defaults struct.
  template <typename Member>
  Declaration add(std::string name, Member member, std::string doc) {
    using T = std::remove_reference_t<std::invoke_result_t<Member, Settings&>>;
    OptionSpec spec;
    spec.name = std::move(name);
    spec.type = option_binding_detail::type_of<T>();
    spec.default_value = option_binding_detail::to_value(std::invoke(member, defaults_));
    spec.doc = std::move(doc);
    return bind(std::move(spec),
                [member](const OptionValue& value, const std::string& name, Settings& settings) {
                  option_binding_detail::assign(value, name, std::invoke(member, settings));
                });
  }

  // A choice option: one word of `choices`, filling `member` with the value the word stands for.
  template <typename Member, typename Value>
  Declaration choice(std::string name, Member member, OptionChoices<Value> choices, std::string doc) {
    OptionSpec spec;
    spec.name = std::move(name);
    spec.type = OptionType::choice;
    spec.default_value = choices.word(std::invoke(member, defaults_));
    spec.choices = choices.words();
    spec.doc = std::move(doc);
    return bind(std::move(spec), [member, choices = std::move(choices)](
                                     const OptionValue& value, const std::string&, Settings& settings) {
      std::invoke(member, settings) = *choices.find(std::get<std::string>(value));
    });
  }

  // The declarations, in the order they were made: what options() returns.
  const OptionSpecs& specs() const { return specs_; }

  // The defaults struct with every bound member set from `values`, each checked against its spec.
  Settings fill(const OptionValues& values) const {
    Settings settings = defaults_;
    for (std::size_t i = 0; i < specs_.size(); ++i)
      stores_[i](values.checked(specs_[i]), specs_[i].name, settings);
    return settings;
  }

 private:
  using Store = std::function<void(const OptionValue&, const std::string&, Settings&)>;

  Declaration bind(OptionSpec spec, Store store) {
    specs_.push_back(std::move(spec));
    stores_.push_back(std::move(store));
    return Declaration(specs_.back());
  }

  Settings defaults_;
  OptionSpecs specs_;
  std::vector<Store> stores_;
};

}  // namespace geoinv
