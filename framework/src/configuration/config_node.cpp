// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/config_node.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <new>
#include <optional>
#include <sstream>

namespace geoinv {

std::string join_path(const std::string& parent, const std::string& key) {
  return parent.empty() ? key : parent + "." + key;
}

ConfigNode::ConfigNode(YAML::Node node, std::string path, std::shared_ptr<const ConfigSource> source,
                       SourceLocation parent_location)
    : node_(std::move(node)), path_(std::move(path)), source_(std::move(source)),
      parent_location_(std::move(parent_location)) {}

ConfigNode& ConfigNode::operator=(const ConfigNode& other) {
  if (this == &other) return *this;
  node_.~Node();
  new (&node_) YAML::Node(other.node_);  // YAML::Node's copy constructor rebinds; its assignment would not
  path_ = other.path_;
  source_ = other.source_;
  parent_location_ = other.parent_location_;
  return *this;
}

namespace {
// Where the override `overridden` came from: a campaign's sweep key, or the command line.
SourceLocation override_origin(const ConfigSource& source, const std::string& overridden) {
  const auto origin = source.override_locations.find(overridden);
  if (origin != source.override_locations.end()) return origin->second;
  return {"--set " + source.command_line_prefix + overridden};
}

// The override that created the key at `path` on its way to a deeper key (--set no.such.key=1 creates
// "no"), or nullptr.
const std::string* override_below(const ConfigSource& source, const std::string& path) {
  if (path.empty()) return nullptr;
  for (const auto& overridden : source.overridden_paths)
    if (overridden.rfind(path + ".", 0) == 0) return &overridden;
  return nullptr;
}
}  // namespace

bool ConfigNode::set_on_command_line() const {
  if (!source_) return false;
  for (const auto& overridden : source_->overridden_paths)
    if (path_ == overridden || path_.rfind(overridden + ".", 0) == 0)
      return source_->override_locations.count(overridden) == 0;
  return false;
}

SourceLocation ConfigNode::location() const {
  if (source_) {
    // A value set on the command line has no place in the file.
    for (const auto& overridden : source_->overridden_paths)
      if (path_ == overridden || path_.rfind(overridden + ".", 0) == 0) return override_origin(*source_, overridden);
    if (source_->locations) {  // a copy without marks: its original's location
      const auto found = source_->locations->find(path_);
      if (found != source_->locations->end()) return found->second;
      if (const std::string* created = override_below(*source_, path_)) return override_origin(*source_, *created);
      return parent_location_.file.empty() ? SourceLocation{source_->file} : parent_location_;
    }
  }
  if (node_.IsDefined()) {
    const YAML::Mark mark = node_.Mark();
    if (!mark.is_null() && source_) return {source_->file, mark.line + 1, mark.column + 1};
  }
  if (source_)
    if (const std::string* created = override_below(*source_, path_)) return override_origin(*source_, *created);
  if (!parent_location_.file.empty()) return parent_location_;
  return {source_ ? source_->file : std::string()};
}

void ConfigNode::fail(const std::string& message) const {
  throw Error(Error::Category::config, message, location(), path_);
}

ConfigNode ConfigNode::operator[](const std::string& key) const {
  const YAML::Node& const_node = node_;  // const lookup: a non-const operator[] would insert the key
  YAML::Node child = is_map() ? const_node[key] : YAML::Node(YAML::NodeType::Undefined);
  return ConfigNode(child, join_path(path_, key), source_, location());
}

ConfigNode ConfigNode::required(const std::string& key) const {
  if (!is_map()) fail(node_.IsDefined() ? "expected a map with key '" + key + "'" : "missing key '" + key + "'");
  ConfigNode child = (*this)[key];
  if (!child.node_.IsDefined()) {
    throw Error(Error::Category::config, "missing required key '" + key + "'", location(), join_path(path_, key));
  }
  if (child.node_.IsNull()) child.fail("required key has no value");
  return child;
}

std::size_t ConfigNode::size() const { return is_sequence() ? node_.size() : 0; }

ConfigNode ConfigNode::at(std::size_t index) const {
  const YAML::Node& const_node = node_;
  YAML::Node child = is_sequence() && index < node_.size() ? const_node[index] : YAML::Node(YAML::NodeType::Undefined);
  return ConfigNode(child, join_path(path_, std::to_string(index)), source_, location());
}

std::vector<std::pair<std::string, ConfigNode>> ConfigNode::entries() const {
  if (!is_map()) fail(node_.IsDefined() ? "expected a map (key: value lines)" : "missing map");
  std::vector<std::pair<std::string, ConfigNode>> result;
  std::set<std::string> seen;
  for (const auto& item : node_) {
    if (!item.first.IsScalar()) {
      ConfigNode(item.first, path_, source_, location()).fail("keys must be plain words");
    }
    const std::string key = item.first.Scalar();
    ConfigNode value(item.second, join_path(path_, key), source_, location());
    if (!seen.insert(key).second) {
      ConfigNode(item.first, join_path(path_, key), source_, location()).fail("duplicate key '" + key + "'");
    }
    result.emplace_back(key, value);
  }
  return result;
}

void ConfigNode::expect_map(const std::vector<std::string>& allowed) const {
  entries();  // the map and duplicate-key checks
  for (const auto& item : node_) {
    const std::string key = item.first.Scalar();
    if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
    std::string message = "unknown key '" + key + "'";
    const std::string nearest = nearest_match(key, allowed);
    if (!nearest.empty()) message += " (did you mean '" + nearest + "'?)";
    message += fmt::format("; valid keys here: {}", fmt::join(allowed, ", "));
    // Point at the key itself, not at its value.
    ConfigNode(item.first, join_path(path_, key), source_, location()).fail(message);
  }
}

void ConfigNode::expect_sequence() const {
  if (!is_sequence()) fail("expected a list ([a, b, ...] or '- item' lines)");
}

std::string ConfigNode::scalar_text(const char* expected) const {
  if (!node_.IsDefined() || node_.IsNull()) fail(fmt::format("missing value: expected {}", expected));
  if (!node_.IsScalar()) fail(fmt::format("expected {}, found a {}", expected, is_map() ? "map" : "list"));
  return node_.Scalar();
}

namespace {
bool parse_double(const std::string& text, double* value) {
  if (text == ".inf" || text == ".Inf" || text == ".INF" || text == "+.inf" || text == "inf") {
    *value = std::numeric_limits<double>::infinity();
    return true;
  }
  if (text == "-.inf" || text == "-.Inf" || text == "-.INF" || text == "-inf") {
    *value = -std::numeric_limits<double>::infinity();
    return true;
  }
  if (text.empty()) return false;
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  *value = std::strtod(begin, &end);
  return end == begin + text.size() && errno != ERANGE && !std::isnan(*value) && !std::isinf(*value);
}
}  // namespace

double ConfigNode::as_real() const {
  const std::string text = scalar_text("a number");
  double value = 0;
  if (!parse_double(text, &value) || !std::isfinite(value))
    fail(fmt::format("'{}' is not a finite number", text));
  return value;
}

double ConfigNode::as_real_or_infinite() const {
  const std::string text = scalar_text("a number or .inf");
  double value = 0;
  if (!parse_double(text, &value)) fail(fmt::format("'{}' is not a number (use .inf or -.inf for no bound)", text));
  return value;
}

std::int64_t ConfigNode::as_int() const {
  const std::string text = scalar_text("an integer");
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(begin, &end, 10);
  if (text.empty() || end != begin + text.size() || errno == ERANGE)
    fail(fmt::format("'{}' is not an integer", text));
  return value;
}

bool ConfigNode::as_bool() const {
  const std::string text = scalar_text("true or false");
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  fail(fmt::format("'{}' is not a boolean: expected true or false", text));
}

std::string ConfigNode::as_string() const { return scalar_text("a string"); }

OptionValue ConfigNode::as_option(const OptionSpec& spec) const {
  OptionValue value;
  switch (spec.type) {
    case OptionType::boolean: value = as_bool(); break;
    case OptionType::integer: value = as_int(); break;
    case OptionType::real: value = as_real(); break;
    case OptionType::choice:
    case OptionType::string: value = as_string(); break;
    case OptionType::integer_list: {
      expect_sequence();
      std::vector<std::int64_t> list;
      for (std::size_t i = 0; i < size(); ++i) list.push_back(at(i).as_int());
      value = list;
      break;
    }
  }
  std::string why;
  if (!spec.accepts(value, &why)) fail(fmt::format("invalid value '{}': {}", to_string(value), why));
  return value;
}

namespace {
// The list index `key` spells (decimal digits, no sign), or nothing; an index too large for size_t is
// nothing too, so it is refused as "not an index" rather than thrown by std::stoul.
std::optional<std::size_t> list_index(const std::string& key) {
  std::size_t index = 0;
  const auto [end, error] = std::from_chars(key.data(), key.data() + key.size(), index);
  if (key.empty() || error != std::errc() || end != key.data() + key.size()) return std::nullopt;
  return index;
}

// Refuses to give `node` (the value at `parent_path`) a key `key` when it holds a scalar: yaml-cpp would
// throw its own exception from the subscript, which is not a located user error.
void require_map_for_key(const YAML::Node& node, const std::string& assignment,
                         const std::string& parent_path, const std::string& key) {
  if (!node.IsDefined() || node.IsNull() || node.IsMap()) return;
  const std::string holds = node.IsScalar() ? "the value '" + node.Scalar() + "'" : "a list";
  throw Error(Error::Category::config,
              fmt::format("--set {}: {} holds {}, not a map of keys, so it has no key '{}'", assignment,
                          parent_path, holds, key));
}

// "--set ~a.b.c" removes key c of map a.b (Hydra's deletion syntax).
void remove_key(YAML::Node& root, const std::string& path) {
  std::vector<std::string> keys;
  std::stringstream stream(path);
  for (std::string key; std::getline(stream, key, '.');) keys.push_back(key);
  if (keys.empty()) throw Error(Error::Category::usage, "--set ~KEY needs a key path");
  std::vector<YAML::Node> chain{root};
  for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
    const YAML::Node& current = chain.back();
    // Copied, never assigned: a const map's missing key is an invalid node, which yaml-cpp's assignment
    // throws on (YAML::InvalidNode) while IsDefined() is false for it, as for an absent one.
    const auto index = list_index(keys[i]);
    const YAML::Node child = current.IsMap()                                              ? current[keys[i]]
                             : current.IsSequence() && index && *index < current.size() ? current[*index]
                                                                                         : YAML::Node();
    if (!child.IsDefined())
      throw Error(Error::Category::usage, "--set ~" + path + ": there is no key '" + keys[i] + "' to descend into");
    chain.push_back(child);
  }
  YAML::Node parent = chain.back();
  if (!parent.IsMap() || !parent.remove(keys.back()))
    throw Error(Error::Category::usage, "--set ~" + path + ": there is no such key to remove");
}
}  // namespace

void apply_override(YAML::Node& root, const std::string& assignment, ConfigSource& source) {
  if (!assignment.empty() && assignment[0] == '~') {
    remove_key(root, assignment.substr(1));
    return;
  }
  const auto equals = assignment.find('=');
  if (equals == std::string::npos || equals == 0)
    throw Error(Error::Category::usage, "--set expects dotted.key=value, got '" + assignment + "'");
  const std::string path = assignment.substr(0, equals);
  const std::string text = assignment.substr(equals + 1);
  YAML::Node value;
  try {
    value = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw Error(Error::Category::usage, "cannot parse the value of --set " + path + ": " + e.msg);
  }
  std::vector<std::string> keys;
  std::stringstream stream(path);
  for (std::string key; std::getline(stream, key, '.');) {
    if (key.empty()) throw Error(Error::Category::usage, "--set key '" + path + "' has an empty component");
    keys.push_back(key);
  }
  // Walk with fresh handles: YAML::Node assignment rebinds, so reassigning one node would alias two.
  std::vector<YAML::Node> chain{root};
  for (std::size_t i = 0; i + 1 < keys.size(); ++i) {
    YAML::Node current = chain.back();
    const std::string& key = keys[i];
    if (current.IsSequence()) {
      const auto index = list_index(key);
      if (!index || *index >= current.size())
        throw Error(Error::Category::usage,
                    fmt::format("--set {}: '{}' is not an index of the list at that point (0..{})", path, key,
                                current.size() == 0 ? 0 : current.size() - 1));
      chain.push_back(current[*index]);
    } else {
      if (current.IsDefined() && !current.IsNull() && !current.IsMap())
        throw Error(Error::Category::usage, fmt::format("--set {}: '{}' is not a map", path, key));
      chain.push_back(current[key]);
    }
  }
  YAML::Node parent = chain.back();
  const std::string& last = keys.back();
  if (parent.IsSequence()) {
    const auto index = list_index(last);
    if (!index || *index >= parent.size())
      throw Error(Error::Category::usage, fmt::format("--set {}: '{}' is not an index of the list", path, last));
    parent[*index] = value;
  } else {
    if (keys.size() > 1)
      require_map_for_key(parent, assignment, path.substr(0, path.size() - last.size() - 1), last);
    parent[last] = value;
  }
  source.overridden_paths.insert(path);
}

namespace {

// How the errors about reading a file name it. An experiment (or campaign) file named on the command line
// is "the experiment file"; a campaign's base file, whose errors the campaign prefixes with its own key,
// is "the file".
struct FileWording {
  const char* cannot_open;
  const char* not_a_map;
};
constexpr FileWording kExperimentFile{"cannot open the experiment file",
                                      "an experiment file must be a YAML map (version:, forward:, data:, ...)"};
constexpr FileWording kAnyFile{"cannot open the file", "the file must be a YAML map (key: value lines)"};

// The map `stream` holds, `file` naming it in errors.
YAML::Node parse_yaml_stream(std::istream& stream, const std::filesystem::path& file, const FileWording& wording) {
  YAML::Node root;
  try {
    root = YAML::Load(stream);
  } catch (const YAML::Exception& e) {
    throw Error(Error::Category::config, "malformed YAML: " + e.msg,
                {file.string(), e.mark.is_null() ? 0 : e.mark.line + 1, e.mark.is_null() ? 0 : e.mark.column + 1});
  }
  if (!root.IsMap()) throw Error(Error::Category::config, wording.not_a_map, {file.string()});
  return root;
}

YAML::Node parse_yaml_map(const std::filesystem::path& file, const FileWording& wording) {
  // A folder opens as a stream on Linux and fails only inside yaml-cpp's reader: refuse it first.
  std::error_code ignored;
  if (std::filesystem::is_directory(file, ignored))
    throw Error(Error::Category::config,
                std::string(wording.cannot_open) + ": it is a folder, not a YAML file", {file.string()});
  std::ifstream stream(file);
  if (!stream)
    throw Error(Error::Category::config, std::string(wording.cannot_open) + ": " + std::strerror(errno),
                {file.string()});
  return parse_yaml_stream(stream, file, wording);
}

// `root` (owned: the overrides edit it) with `overrides` applied, as a located ConfigNode.
ConfigNode with_overrides(YAML::Node root, const std::filesystem::path& file,
                          const std::vector<std::pair<std::string, SourceLocation>>& overrides,
                          std::shared_ptr<const std::map<std::string, SourceLocation>> locations,
                          const std::string& command_line_prefix = "") {
  auto source = std::make_shared<ConfigSource>();
  source->file = file.string();
  source->command_line_prefix = command_line_prefix;
  source->locations = std::move(locations);
  for (const auto& [assignment, where] : overrides) {
    try {
      apply_override(root, assignment, *source);
    } catch (const Error& error) {
      // An override written in a file (a campaign's sweep value) is located there.
      if (where.file.empty() || !error.where().file.empty()) throw;
      throw Error(error.category(), error.message(), where, error.key_path());
    }
    if (!where.file.empty()) source->override_locations[assignment.substr(0, assignment.find('='))] = where;
  }
  return ConfigNode(root, "", source, {file.string()});
}

}  // namespace

YAML::Node parse_config_file(const std::filesystem::path& file) { return parse_yaml_map(file, kAnyFile); }

void index_locations(const YAML::Node& node, const std::string& path, const std::string& file,
                     std::map<std::string, SourceLocation>& index) {
  if (!node.IsDefined()) return;
  const YAML::Mark mark = node.Mark();
  if (!mark.is_null()) index[path] = {file, mark.line + 1, mark.column + 1};
  if (node.IsMap()) {
    for (const auto& item : node)
      if (item.first.IsScalar()) index_locations(item.second, join_path(path, item.first.Scalar()), file, index);
  } else if (node.IsSequence()) {
    for (std::size_t i = 0; i < node.size(); ++i) index_locations(node[i], join_path(path, std::to_string(i)), file, index);
  }
}

ConfigNode config_from_node(const YAML::Node& parsed_root, const std::filesystem::path& file,
                            const std::vector<std::pair<std::string, SourceLocation>>& overrides,
                            std::shared_ptr<const std::map<std::string, SourceLocation>> locations) {
  return with_overrides(YAML::Clone(parsed_root), file, overrides, std::move(locations));
}

ConfigNode load_config_file(const std::filesystem::path& file, const std::vector<std::string>& overrides,
                            const std::string& command_line_prefix) {
  std::vector<std::pair<std::string, SourceLocation>> located;
  for (const auto& assignment : overrides) located.emplace_back(assignment, SourceLocation{});
  return with_overrides(parse_yaml_map(file, kExperimentFile), file, located, nullptr, command_line_prefix);
}

ConfigNode load_config_text(const std::string& text, const std::filesystem::path& name,
                            const std::vector<std::string>& overrides) {
  std::istringstream stream(text);
  return load_config_tree(parse_yaml_stream(stream, name, kExperimentFile), name, overrides);
}

ConfigNode load_config_tree(YAML::Node root, const std::filesystem::path& name,
                            const std::vector<std::string>& overrides) {
  if (!root.IsMap()) throw Error(Error::Category::config, kExperimentFile.not_a_map, {name.string()});
  std::vector<std::pair<std::string, SourceLocation>> located;
  for (const auto& assignment : overrides) located.emplace_back(assignment, SourceLocation{});
  return with_overrides(std::move(root), name, located, nullptr);
}

std::uint64_t read_seed(const ConfigNode& map, std::uint64_t absent) {
  const ConfigNode seed = map["seed"];
  if (!seed.defined()) return absent;
  const std::int64_t value = seed.as_int();
  if (value < 0) seed.fail("seed must be a non-negative integer");
  return static_cast<std::uint64_t>(value);
}

}  // namespace geoinv
