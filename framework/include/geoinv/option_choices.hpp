// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// OptionChoices: the one table between the words of a choice option and the values they stand for.
//
// An option whose YAML value is one word out of a few ("plus" or "minus", "sgd" or "adam") maps to a
// value of the plugin's own type, normally an enum. The table is written once, where the enum is
// defined, and serves both directions:
//
//   enum class Convention { plus, minus };
//   inline const geoinv::OptionChoices<Convention> kConventionWords{
//       {"plus", Convention::plus},
//       {"minus", Convention::minus},
//   };
//
//   kConventionWords.words();                 // {"plus", "minus"}: OptionSpec::choices, in this order
//   kConventionWords.find("minus");           // pointer to Convention::minus; nullptr for an unknown word
//   kConventionWords.word(Convention::plus);  // "plus": the word back, for outputs and messages
//
// OptionBindings::choice (geoinv/option_binding.hpp) binds such a table to a member of a settings
// struct: the spec's choices and default come from the table, and configure() receives the value, never
// the word. The words keep the table's order; `geoinv describe` lists them so. Each word and each value
// must appear once.
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "geoinv/error.hpp"

namespace geoinv {

template <typename Value>
class OptionChoices {
 public:
  using Entry = std::pair<std::string, Value>;

  OptionChoices(std::initializer_list<Entry> entries) : entries_(entries) {}
  explicit OptionChoices(std::vector<Entry> entries) : entries_(std::move(entries)) {}

  // Every word, in the table's order.
  std::vector<std::string> words() const {
    std::vector<std::string> words;
    for (const auto& entry : entries_) words.push_back(entry.first);
    return words;
  }

  // The value `word` stands for; nullptr when the table has no such word.
  const Value* find(std::string_view word) const {
    for (const auto& entry : entries_)
      if (entry.first == word) return &entry.second;
    return nullptr;
  }

  // The word of `value`. A value missing from the table is a bug of the table's author, reported as a
  // geoinv::Error of the plugin category.
  const std::string& word(const Value& value) const {
    for (const auto& entry : entries_)
      if (entry.second == value) return entry.first;
    throw Error(Error::Category::plugin, "a choice option's table has no word for this value");
  }

 private:
  std::vector<Entry> entries_;
};

}  // namespace geoinv
