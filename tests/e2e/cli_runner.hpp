// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Runs the real geoinv binary, as a user would, and captures what it prints and returns.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "campaigns/campaign_io.hpp"  // split_csv_line

namespace geoinv_test {

namespace fs = std::filesystem;

struct CliResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string read_file(const fs::path& file) {
  std::ifstream stream(file);
  std::stringstream text;
  text << stream.rdbuf();
  return text.str();
}

inline std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// A fresh, empty folder per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string pattern = (fs::temp_directory_path() / "geoinv-e2e-XXXXXX").string();
    path_ = ::mkdtemp(pattern.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }
  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path file = path_ / name;
    fs::create_directories(file.parent_path());
    std::ofstream(file) << text;
    return file;
  }

 private:
  fs::path path_;
};

// Runs `[LAUNCHER...] geoinv ARGS...` in `working_dir` (the launcher: e.g. mpirun -np 2).
inline CliResult run_geoinv_under(const std::vector<std::string>& launcher, const std::vector<std::string>& args,
                                  const fs::path& working_dir) {
  const fs::path out = working_dir / ".stdout", err = working_dir / ".stderr";
  std::string command = "cd " + shell_quote(working_dir.string()) + " &&";
  for (const auto& word : launcher) command += " " + shell_quote(word);
  command += " " + shell_quote(GEOINV_TEST_CLI);
  for (const auto& arg : args) command += " " + shell_quote(arg);
  command += " >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string()) + " </dev/null";
  const int status = std::system(command.c_str());
  CliResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = read_file(out);
  result.err = read_file(err);
  fs::remove(out);
  fs::remove(err);
  return result;
}

// Runs `geoinv ARGS...` in `working_dir`.
inline CliResult run_geoinv(const std::vector<std::string>& args, const fs::path& working_dir) {
  return run_geoinv_under({}, args, working_dir);
}

inline nlohmann::json read_json(const fs::path& file) { return nlohmann::json::parse(read_file(file)); }

// A CSV file geoinv wrote (results.csv, summary.csv): its header and every row, split as geoinv splits
// them, with columns found by name.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::size_t column(const std::string& name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) ADD_FAILURE() << "no column " << name;
    return static_cast<std::size_t>(it - header.begin());
  }
};

inline CsvTable read_csv(const fs::path& file) {
  std::istringstream stream(read_file(file));
  std::string line;
  CsvTable table;
  if (std::getline(stream, line)) table.header = geoinv::split_csv_line(line);
  while (std::getline(stream, line)) table.rows.push_back(geoinv::split_csv_line(line));
  return table;
}

inline fs::path source_dir() { return GEOINV_TEST_SOURCE_DIR; }
// The repository's data folder (data/README.md) and the seed study's noisy sphere profile in it.
inline fs::path data_dir() { return GEOINV_TEST_DATA_DIR; }
inline fs::path seed_data_file() { return data_dir() / "seed" / "sp_syn_data.csv"; }

}  // namespace geoinv_test
