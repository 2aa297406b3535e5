// SPDX-License-Identifier: BSD-3-Clause
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

#include "geoinv/export.hpp"

namespace geoinv {

// Where a problem was found: a file with an optional 1-based line and column. Empty when not from a file.
struct GEOINV_API SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 = unknown
  int column = 0;  // 1-based; 0 = unknown

  // "file:line:col", "file:line", "file" or "".
  std::string to_string() const;
};

// The one error type of geoinv. It carries its context so that the CLI prints one clear line:
//   file:line:col: key.path: message
// and maps the category to a documented exit code (geoinv --help).
class GEOINV_API Error : public std::runtime_error {
 public:
  enum class Category {
    usage,      // bad command line
    config,     // the experiment file: syntax, unknown key, wrong type, missing key, bad value
    data,       // the data: missing file, bad CSV cell, too few data
    plugin,     // a plugin could not be found, loaded or checked, or it threw
    numerical,  // a computation failed (non-finite values, singular system)
    io,         // an output could not be written
  };

  Error(Category category, std::string message, SourceLocation where = {}, std::string key_path = {});
  ~Error() override;

  Category category() const { return category_; }
  const std::string& message() const { return message_; }
  const SourceLocation& where() const { return where_; }
  const std::string& key_path() const { return key_path_; }

  // The exit code the CLI returns for this category (documented in `geoinv --help`).
  int exit_code() const;

 private:
  Category category_;
  std::string message_;
  SourceLocation where_;
  std::string key_path_;
};

// Thrown by Problem when a solver asks for more forward evaluations or time than the experiment's
// budget allows. Solvers let it propagate; the host then reports `budget_exhausted` with the best model
// evaluated so far. It is not an Error: running out of budget is an outcome, not a fault.
class GEOINV_API BudgetExhausted : public std::exception {
 public:
  explicit BudgetExhausted(std::string what);
  ~BudgetExhausted() override;
  const char* what() const noexcept override { return what_.c_str(); }

 private:
  std::string what_;
};

// The nearest of `candidates` to `word` by edit distance, or "" when none is reasonably close.
// Used for every "did you mean ...?" in geoinv.
GEOINV_API std::string nearest_match(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace geoinv
