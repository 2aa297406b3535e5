// SPDX-License-Identifier: BSD-3-Clause
#include "geoinv/plugin_registry.hpp"

#include <boost/dll/library_info.hpp>
#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>

#include "geoinv/error.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv/version.hpp"

namespace geoinv {

namespace fs = std::filesystem;

std::string to_string(PluginKind kind) { return kind == PluginKind::forward ? "forward" : "solver"; }

namespace {

struct LoadedPlugin {
  PluginInfo info;
  std::shared_ptr<boost::dll::shared_library> library;
};

bool looks_like_library(const fs::path& file) {
  const std::string name = file.filename().string();
  return file.extension() == ".so" || name.find(".so.") != std::string::npos;
}

// Reads and checks one file. Returns the plugin, or nullopt with `*why` set.
std::optional<LoadedPlugin> load(const fs::path& file, std::string* why) {
  // Look at the file's sections before running any of its code: a library that is not a geoinv plugin
  // is never loaded.
  std::vector<std::string> symbols, sections;
  try {
    boost::dll::library_info info(file);
    symbols = info.symbols(GEOINV_STRINGIFY(GEOINV_PLUGIN_SECTION));
    sections = info.sections();
  } catch (const std::exception&) {
    *why = "not a shared library";
    return std::nullopt;
  }
  // library_info reads .symtab, which `strip` (and `cmake --install --strip`, and packaging) removes; the
  // geoinv section survives. A stripped file with that section is loaded and its exports checked below.
  const bool has_descriptor =
      std::find(symbols.begin(), symbols.end(), GEOINV_DESCRIPTOR_SYMBOL) != symbols.end() ||
      (symbols.empty() && std::find(sections.begin(), sections.end(),
                                    GEOINV_STRINGIFY(GEOINV_PLUGIN_SECTION)) != sections.end());
  if (!has_descriptor) {
    *why = "not a geoinv plugin (no geoinv descriptor in it)";
    return std::nullopt;
  }
  auto library = std::make_shared<boost::dll::shared_library>();
  try {
    library->load(file, boost::dll::load_mode::rtld_lazy | boost::dll::load_mode::rtld_local);
  } catch (const std::exception& e) {
    *why = std::string("could not be loaded: ") + e.what();
    return std::nullopt;
  }
  if (!library->has(GEOINV_DESCRIPTOR_SYMBOL)) {
    *why = "not a geoinv plugin (no geoinv descriptor exported)";
    return std::nullopt;
  }
  const auto& descriptor = library->get_alias<const PluginDescriptor>(GEOINV_DESCRIPTOR_SYMBOL);
  LoadedPlugin plugin;
  plugin.library = library;
  plugin.info.file = fs::absolute(file).lexically_normal();
  plugin.info.api_major = descriptor.api_major;
  plugin.info.api_minor = descriptor.api_minor;
  plugin.info.name = descriptor.name ? descriptor.name : "";
  plugin.info.version = descriptor.version ? descriptor.version : "";
  plugin.info.summary = descriptor.summary ? descriptor.summary : "";
  plugin.info.abi_tag = descriptor.abi_tag ? descriptor.abi_tag : "";
  const std::string kind = descriptor.kind ? descriptor.kind : "";

  if (descriptor.api_major != kApiMajor || descriptor.api_minor > kApiMinor) {
    *why = fmt::format("plugin '{}' was built for geoinv plugin API {}.{}; this geoinv has API {}.{}",
                       plugin.info.name, descriptor.api_major, descriptor.api_minor, kApiMajor, kApiMinor);
    return std::nullopt;
  }
  if (plugin.info.abi_tag != GEOINV_ABI_TAG) {
    *why = fmt::format("plugin '{}' was built with ABI '{}'; this geoinv has ABI '{}' (rebuild the plugin)",
                       plugin.info.name, plugin.info.abi_tag, GEOINV_ABI_TAG);
    return std::nullopt;
  }
  if (kind == "forward" && library->has(GEOINV_FORWARD_FACTORY_SYMBOL)) {
    plugin.info.kind = PluginKind::forward;
  } else if (kind == "solver" && library->has(GEOINV_SOLVER_FACTORY_SYMBOL)) {
    plugin.info.kind = PluginKind::solver;
  } else {
    *why = fmt::format("plugin '{}' declares kind '{}' but has no matching factory", plugin.info.name, kind);
    return std::nullopt;
  }
  if (plugin.info.name.empty()) {
    *why = "plugin descriptor has an empty name";
    return std::nullopt;
  }
  return plugin;
}

std::vector<fs::path> split_path_list(const char* text) {
  std::vector<fs::path> paths;
  if (!text) return paths;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ':'))
    if (!item.empty()) paths.emplace_back(item);
  return paths;
}

// $XDG_DATA_HOME/geoinv/plugins, or ~/.local/share/geoinv/plugins; empty without a usable home. A relative
// XDG_DATA_HOME is ignored, as the XDG base directory specification asks.
fs::path user_plugin_dir() {
  const char* data_home = std::getenv("XDG_DATA_HOME");
  if (data_home && fs::path(data_home).is_absolute()) return fs::path(data_home) / "geoinv" / "plugins";
  const char* home = std::getenv("HOME");
  if (home && fs::path(home).is_absolute()) return fs::path(home) / ".local" / "share" / "geoinv" / "plugins";
  return {};
}

}  // namespace

struct PluginRegistry::Impl {
  std::vector<fs::path> search_path;
  std::vector<LoadedPlugin> plugins;
  std::vector<std::string> diagnostics;
  std::set<fs::path> seen_files;

  void consider_file(const fs::path& file, bool explicit_request) {
    fs::path canonical = fs::weakly_canonical(file);
    if (!seen_files.insert(canonical).second) return;
    std::string why;
    auto plugin = load(file, &why);
    if (!plugin) {
      if (explicit_request) throw Error(Error::Category::plugin, why, {file.string()});
      const std::string line = file.string() + ": " + why;
      if (std::find(diagnostics.begin(), diagnostics.end(), line) == diagnostics.end())
        diagnostics.push_back(line);
      return;
    }
    for (const auto& existing : plugins) {
      if (existing.info.name == plugin->info.name && existing.info.kind == plugin->info.kind) {
        diagnostics.push_back(fmt::format("{}: {} plugin '{}' is shadowed by {}", file.string(),
                                          to_string(plugin->info.kind), plugin->info.name,
                                          existing.info.file.string()));
        return;
      }
    }
    plugins.push_back(std::move(*plugin));
  }

  void consider_directory(const fs::path& directory) {
    std::error_code ec;
    if (!fs::is_directory(directory, ec)) return;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(directory, ec))
      if (entry.is_regular_file(ec) && looks_like_library(entry.path())) files.push_back(entry.path());
    std::sort(files.begin(), files.end());  // a deterministic order, so shadowing is predictable
    for (const auto& file : files) consider_file(file, false);
  }

  void add(const fs::path& path, bool explicit_request) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      search_path.push_back(path);
      consider_directory(path);
    } else if (fs::exists(path, ec)) {
      consider_file(path, explicit_request);
    } else if (explicit_request) {
      throw Error(Error::Category::plugin, "plugin path does not exist", {path.string()});
    }
  }
};

PluginRegistry::PluginRegistry() : impl_(std::make_unique<Impl>()) {
  for (const auto& path : split_path_list(std::getenv("GEOINV_PLUGIN_PATH"))) impl_->add(path, false);
  // The folder beside libgeoinv itself: the same rule finds the build tree's plugins and the installed ones.
  const fs::path library_dir = boost::dll::this_line_location().parent_path();
  impl_->add(library_dir / GEOINV_PLUGIN_DIR_BESIDE_LIBRARY, false);
  impl_->add(fs::path(GEOINV_INSTALLED_PLUGIN_DIR), false);
  const fs::path user_dir = user_plugin_dir();
  if (!user_dir.empty()) impl_->add(user_dir, false);
}

PluginRegistry::~PluginRegistry() = default;

void PluginRegistry::add_path(const fs::path& path) {
  // Explicit paths go first in the search order: a researcher's own plugin may shadow a built-in one.
  auto previous = std::move(impl_->plugins);
  auto previous_search = std::move(impl_->search_path);
  impl_->plugins.clear();
  impl_->search_path.clear();
  impl_->seen_files.clear();
  impl_->add(path, true);
  for (auto& plugin : previous) {
    bool shadowed = false;
    for (const auto& added : impl_->plugins)
      if (added.info.name == plugin.info.name && added.info.kind == plugin.info.kind) {
        // The same file found again (a path added twice) is not a shadow.
        if (fs::weakly_canonical(added.info.file) != fs::weakly_canonical(plugin.info.file))
          impl_->diagnostics.push_back(fmt::format("{}: {} plugin '{}' is shadowed by {}",
                                                   plugin.info.file.string(), to_string(plugin.info.kind),
                                                   plugin.info.name, added.info.file.string()));
        shadowed = true;
      }
    impl_->seen_files.insert(fs::weakly_canonical(plugin.info.file));
    if (!shadowed) impl_->plugins.push_back(std::move(plugin));
  }
  for (auto& directory : previous_search) {
    const auto same = [&](const fs::path& p) {
      return fs::weakly_canonical(p) == fs::weakly_canonical(directory);
    };
    if (std::none_of(impl_->search_path.begin(), impl_->search_path.end(), same))
      impl_->search_path.push_back(std::move(directory));
  }
}

std::vector<PluginInfo> PluginRegistry::list() const {
  std::vector<PluginInfo> infos;
  for (const auto& plugin : impl_->plugins) infos.push_back(plugin.info);
  std::sort(infos.begin(), infos.end(), [](const PluginInfo& a, const PluginInfo& b) {
    return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
  });
  return infos;
}

std::vector<std::string> PluginRegistry::diagnostics() const { return impl_->diagnostics; }

std::vector<fs::path> PluginRegistry::search_path() const { return impl_->search_path; }

const PluginInfo& PluginRegistry::find(const std::string& name, PluginKind kind) const {
  for (const auto& plugin : impl_->plugins)
    if (plugin.info.name == name && plugin.info.kind == kind) return plugin.info;
  std::vector<std::string> names;
  for (const auto& plugin : impl_->plugins)
    if (plugin.info.kind == kind) names.push_back(plugin.info.name);
  std::sort(names.begin(), names.end());
  std::string message = fmt::format("unknown {} plugin '{}'", to_string(kind), name);
  const std::string nearest = nearest_match(name, names);
  if (!nearest.empty()) message += fmt::format(" (did you mean '{}'?)", nearest);
  message += names.empty() ? "; no " + to_string(kind) + " plugins were found"
                           : fmt::format("; available: {}", fmt::join(names, ", "));
  // A file that was refused (wrong API, ABI) may be the one the user meant: say so.
  for (const auto& line : impl_->diagnostics)
    if (line.find("'" + name + "'") != std::string::npos) message += "; " + line;
  if (names.empty() || nearest.empty()) {
    std::vector<std::string> searched;
    for (const auto& path : impl_->search_path) searched.push_back(path.string());
    message += fmt::format("; searched: {}", searched.empty() ? "(nothing)" : fmt::format("{}", fmt::join(searched, ":")));
  }
  throw Error(Error::Category::plugin, message);
}

namespace {
template <typename Interface>
std::shared_ptr<Interface> make(const std::vector<LoadedPlugin>& plugins, const PluginInfo& info, const char* symbol) {
  for (const auto& plugin : plugins) {
    if (&plugin.info != &info) continue;
    auto& factory = plugin.library->get_alias<std::unique_ptr<Interface>()>(symbol);
    std::unique_ptr<Interface> object;
    try {
      object = factory();
    } catch (const std::exception& e) {
      throw Error(Error::Category::plugin, fmt::format("plugin '{}' failed to construct: {}", info.name, e.what()));
    }
    if (!object) throw Error(Error::Category::plugin, fmt::format("plugin '{}' returned no object", info.name));
    // The deleter holds the library: the object's code stays mapped for as long as the object lives.
    auto library = plugin.library;
    Interface* raw = object.release();
    return std::shared_ptr<Interface>(raw, [library](Interface* p) { delete p; });
  }
  throw Error(Error::Category::plugin, "internal: plugin info does not belong to this registry");
}
}  // namespace

std::shared_ptr<ForwardModel> PluginRegistry::create_forward_model(const std::string& name) const {
  return make<ForwardModel>(impl_->plugins, find(name, PluginKind::forward), GEOINV_FORWARD_FACTORY_SYMBOL);
}

std::shared_ptr<Solver> PluginRegistry::create_solver(const std::string& name) const {
  return make<Solver>(impl_->plugins, find(name, PluginKind::solver), GEOINV_SOLVER_FACTORY_SYMBOL);
}

}  // namespace geoinv
