// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Strict, located reading of YAML configuration. Every accessor that finds something wrong throws a
// geoinv::Error of category config carrying file:line:col and the dotted key path, and says what is
// valid. yaml-cpp alone reports "bad conversion" at line 0; this wrapper is why geoinv never does.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "geoinv/error.hpp"
#include "geoinv/options.hpp"

namespace geoinv {

// The file a configuration came from, and the key paths that --set replaced on the command line (their
// nodes have no position in the file, so errors name the override instead).
struct ConfigSource {
  std::string file;
  std::set<std::string> overridden_paths;
  // Where an override came from when it is not the command line (a campaign's sweep key): errors in
  // the overridden value point there instead of at "--set key".
  std::map<std::string, SourceLocation> override_locations;
  // How the command line spells this file's keys: "campaign." for a campaign file, whose --set keys carry
  // that prefix to tell them from the base experiment's. Errors name "--set campaign.KEY".
  std::string command_line_prefix;
  // Locations by key path, for a tree that lost its marks in a copy (YAML::Clone drops them): a campaign
  // indexes its parsed base once (index_locations) and shares the index, read-only, with every run.
  std::shared_ptr<const std::map<std::string, SourceLocation>> locations;
};

// Records the file location of `node` and of everything below it, by key path (prefix `path`).
void index_locations(const YAML::Node& node, const std::string& path, const std::string& file,
                     std::map<std::string, SourceLocation>& index);

class ConfigNode {
 public:
  ConfigNode() = default;  // an absent node: defined() is false
  // Copies refer to the same YAML node. Assignment rebinds this ConfigNode to `other`'s node, as for any
  // value type: YAML::Node's own assignment would write `other`'s content into the node this one refers
  // to (editing the tree) and throws on an absent key's node.
  ConfigNode(const ConfigNode& other) = default;
  ConfigNode& operator=(const ConfigNode& other);
  ConfigNode(YAML::Node node, std::string path, std::shared_ptr<const ConfigSource> source,
             SourceLocation parent_location = {});

  bool defined() const { return node_.IsDefined() && !node_.IsNull(); }
  // yaml-cpp throws on any query of a node that is not there ("zombie"): ask IsDefined() first, always.
  bool is_map() const { return node_.IsDefined() && node_.IsMap(); }
  bool is_sequence() const { return node_.IsDefined() && node_.IsSequence(); }
  bool is_scalar() const { return node_.IsDefined() && node_.IsScalar(); }
  const std::string& path() const { return path_; }
  SourceLocation location() const;
  // Whether --set gave this value (or a value above it) on the command line: a path there is relative to
  // the working folder, where the user typed it, not to the file's folder.
  bool set_on_command_line() const;
  const YAML::Node& yaml() const { return node_; }

  [[noreturn]] void fail(const std::string& message) const;

  // A child of a map (undefined when absent), or a required one (error when absent).
  ConfigNode operator[](const std::string& key) const;
  ConfigNode required(const std::string& key) const;
  // Elements of a sequence.
  std::size_t size() const;
  ConfigNode at(std::size_t index) const;

  // Fails unless this is a map whose keys are all in `allowed` (unknown keys get "did you mean" and the
  // list of valid keys). Duplicate keys are refused too: YAML would silently keep one.
  void expect_map(const std::vector<std::string>& allowed) const;
  // Fails unless this is a map; returns its entries in file order, keys checked for duplicates.
  std::vector<std::pair<std::string, ConfigNode>> entries() const;
  void expect_sequence() const;

  double as_real() const;  // finite numbers only (and .inf / -.inf when allow_infinite)
  double as_real_or_infinite() const;
  std::int64_t as_int() const;
  bool as_bool() const;
  std::string as_string() const;
  // Converts to the type an option declares and checks its range.
  OptionValue as_option(const OptionSpec& spec) const;

 private:
  std::string scalar_text(const char* expected) const;

  YAML::Node node_;
  std::string path_;
  std::shared_ptr<const ConfigSource> source_;
  SourceLocation parent_location_;
};

// Parses an experiment (or campaign) file named on the command line into a ConfigNode with the --set
// `overrides` applied; a syntax error becomes an Error with the file's line and column. It shares its
// parsing with parse_config_file and its overriding with config_from_node, and differs only in naming
// the file "the experiment file" in its errors and in keeping the file's own marks (no copy).
// `command_line_prefix`: ConfigSource::command_line_prefix (the overrides are given without it).
ConfigNode load_config_file(const std::filesystem::path& file, const std::vector<std::string>& overrides,
                            const std::string& command_line_prefix = "");

// The same for an experiment given as YAML text rather than a file (the Python module's geoinv.run of a
// string, docs/python.md): `name` stands for the file in errors ("<string>:3:7: key: ...") and its
// folder is where relative paths start (the working folder for a bare name).
ConfigNode load_config_text(const std::string& text, const std::filesystem::path& name,
                            const std::vector<std::string>& overrides);
// And for a tree built in memory (a Python dict): errors name `name` and the key path, without lines.
ConfigNode load_config_tree(YAML::Node root, const std::filesystem::path& name,
                            const std::vector<std::string>& overrides);

// Applies one "dotted.key=value" override (Hydra-style; sequence elements by index: solvers.0.plugin),
// or removes a key: "~dotted.key".
// The value is parsed as YAML, so numbers, lists and maps work: --set 'bounds.h=[1, 100]'.
void apply_override(YAML::Node& root, const std::string& assignment, ConfigSource& source);

// Parses a YAML file into a plain root node (a map), syntax errors located; no overrides applied.
YAML::Node parse_config_file(const std::filesystem::path& file);

// A ConfigNode over a copy of an already-parsed root (parse_config_file) with `overrides` applied, so a
// campaign parses its base file once and resolves each run from it. `overrides` are (assignment, where
// it came from) pairs; an empty location names the override as "--set key". `locations`
// (index_locations of the parsed root) keeps errors located in the copy.
ConfigNode config_from_node(const YAML::Node& parsed_root, const std::filesystem::path& file,
                            const std::vector<std::pair<std::string, SourceLocation>>& overrides,
                            std::shared_ptr<const std::map<std::string, SourceLocation>> locations = nullptr);

// Reads the key "seed" of `map`: a non-negative integer, or `absent` when the key is not there. Every
// seed of geoinv's files is read here (an experiment's, data.synthetic's, a multistart's, a prior's, a
// campaign's), so all of them accept and refuse the same values with the same message.
std::uint64_t read_seed(const ConfigNode& map, std::uint64_t absent);

// Joins a key path: "forward" + "options" -> "forward.options".
std::string join_path(const std::string& parent, const std::string& key);

}  // namespace geoinv
