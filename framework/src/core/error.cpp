// SPDX-License-Identifier: BSD-3-Clause
#include "geoinv/error.hpp"

#include <algorithm>
#include <cctype>

namespace geoinv {

std::string SourceLocation::to_string() const {
  if (file.empty()) return {};
  std::string text = file;
  if (line > 0) {
    text += ":" + std::to_string(line);
    if (column > 0) text += ":" + std::to_string(column);
  }
  return text;
}

namespace {
std::string compose(const std::string& message, const SourceLocation& where, const std::string& key_path) {
  std::string text;
  const std::string location = where.to_string();
  if (!location.empty()) text += location + ": ";
  if (!key_path.empty()) text += key_path + ": ";
  return text + message;
}
}  // namespace

Error::Error(Category category, std::string message, SourceLocation where, std::string key_path)
    : std::runtime_error(compose(message, where, key_path)),
      category_(category),
      message_(std::move(message)),
      where_(std::move(where)),
      key_path_(std::move(key_path)) {}

Error::~Error() = default;

int Error::exit_code() const {
  switch (category_) {
    case Category::usage: return 2;
    case Category::config: return 3;
    case Category::data: return 4;
    case Category::plugin: return 5;
    case Category::numerical: return 6;
    case Category::io: return 7;
  }
  return 1;
}

BudgetExhausted::BudgetExhausted(std::string what) : what_(std::move(what)) {}
BudgetExhausted::~BudgetExhausted() = default;

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}
}  // namespace

std::string nearest_match(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::string::npos;
  for (const auto& candidate : candidates) {
    const std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  // Close enough to be a typo: at most a third of the longer word, and at least one character.
  const std::size_t longest = std::max(word.size(), best.size());
  if (best.empty() || best_distance > std::max<std::size_t>(1, longest / 3)) return {};
  return best;
}

}  // namespace geoinv
