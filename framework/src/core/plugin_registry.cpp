// SPDX-License-Identifier: BSD-3-Clause
#include "geoinv/plugin_registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>
#include <cstdlib>
#include <mutex>
#include <set>
#include <sstream>

#include "core/plugin_file.hpp"
#include "core/plugin_path_safety.hpp"
#include "geoinv/error.hpp"
#include "geoinv/in_process_plugins.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv/version.hpp"

namespace geoinv {

namespace fs = std::filesystem;

std::string to_string(PluginKind kind) { return kind == PluginKind::forward ? "forward" : "solver"; }

namespace {

// A plugin known from its descriptor; its library is loaded when an object is first asked of it.
struct KnownPlugin {
  PluginInfo info;
  mutable std::shared_ptr<boost::dll::shared_library> library;  // null until loaded, under Impl::loading
  InProcessForwardFactory in_process;  // set for a model registered in-process (in_process_plugins.hpp)
};

bool looks_like_library(const fs::path& file) {
  const std::string name = file.filename().string();
  return file.extension() == ".so" || name.find(".so.") != std::string::npos;
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

// Throws the located refusal of an unsafe plugin folder or file, unless unsafe paths are allowed.
void require_safe(const fs::path& path) {
  if (unsafe_plugin_paths_allowed()) return;
  const std::string problem = unsafe_plugin_path_problem(path);
  if (!problem.empty()) throw Error(Error::Category::plugin, "refusing an unsafe plugin path: " + problem);
}

std::string clash_message(const std::vector<const KnownPlugin*>& same_name) {
  std::vector<std::string> files;
  for (const auto* plugin : same_name) files.push_back(plugin->info.file.string());
  return fmt::format(
      "{} {} plugins are named '{}': {}; nothing is shadowed: remove or rename all but one, or "
      "take its folder off the plugin path",
      same_name.size(), to_string(same_name.front()->info.kind), same_name.front()->info.name,
      fmt::join(files, " and "));
}

}  // namespace

struct PluginRegistry::Impl {
  std::vector<fs::path> search_path;
  std::vector<KnownPlugin> plugins;  // every usable file, clashing names included
  std::vector<std::string> diagnostics;
  std::set<fs::path> seen_files;
  std::mutex loading;  // guards KnownPlugin::library

  std::vector<const KnownPlugin*> named(const std::string& name, PluginKind kind) const {
    std::vector<const KnownPlugin*> found;
    for (const auto& plugin : plugins)
      if (plugin.info.name == name && plugin.info.kind == kind) found.push_back(&plugin);
    return found;
  }

  void note(const std::string& line) {
    if (std::find(diagnostics.begin(), diagnostics.end(), line) == diagnostics.end())
      diagnostics.push_back(line);
  }

  void consider_file(const fs::path& file, bool explicit_request) {
    if (!seen_files.insert(fs::weakly_canonical(file)).second) return;
    PluginFileRead read = read_plugin_file(file);
    if (!read.info) {
      if (explicit_request) throw Error(Error::Category::plugin, read.refusal, {file.string()});
      note(file.string() + ": " + read.refusal);
      return;
    }
    require_safe(file);
    plugins.push_back({std::move(*read.info), nullptr, {}});
    const auto same_name = named(plugins.back().info.name, plugins.back().info.kind);
    if (same_name.size() > 1) note(clash_message(same_name));
  }

  void consider_directory(const fs::path& directory) {
    std::error_code ec;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(directory, ec))
      if (entry.is_regular_file(ec) && looks_like_library(entry.path())) files.push_back(entry.path());
    std::sort(files.begin(), files.end());  // a deterministic order of diagnostics
    for (const auto& file : files) consider_file(file, false);
  }

  // Adds a folder to the search path (explicit ones ahead of the defaults, the latest first) or reads one
  // plugin file; a folder or file already seen changes nothing.
  void add(const fs::path& path, bool explicit_request) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
      require_safe(path);
      const auto same = [&](const fs::path& p) {
        return fs::weakly_canonical(p) == fs::weakly_canonical(path);
      };
      if (std::any_of(search_path.begin(), search_path.end(), same)) return;
      search_path.insert(explicit_request ? search_path.begin() : search_path.end(), path);
      consider_directory(path);
    } else if (fs::exists(path, ec)) {
      if (explicit_request) require_safe(fs::absolute(path).parent_path());
      consider_file(path, explicit_request);
    } else if (explicit_request) {
      throw Error(Error::Category::plugin, "plugin path does not exist", {path.string()});
    }
  }

  // The library of `plugin`, loaded now if it is not yet.
  std::shared_ptr<boost::dll::shared_library> library_of(const KnownPlugin& plugin,
                                                         const char* factory_symbol) {
    const std::lock_guard<std::mutex> lock(loading);
    auto& library = plugin.library;
    if (library) return library;
    auto loaded = std::make_shared<boost::dll::shared_library>();
    try {
      loaded->load(plugin.info.file, boost::dll::load_mode::rtld_lazy | boost::dll::load_mode::rtld_local);
    } catch (const std::exception& e) {
      throw Error(Error::Category::plugin, std::string("could not be loaded: ") + e.what(),
                  {plugin.info.file.string()});
    }
    if (!loaded->has(factory_symbol))
      throw Error(Error::Category::plugin,
                  fmt::format("plugin '{}' declares kind '{}' but exports no {}", plugin.info.name,
                              to_string(plugin.info.kind), factory_symbol),
                  {plugin.info.file.string()});
    library = std::move(loaded);
    return library;
  }
};

PluginRegistry::PluginRegistry() : impl_(std::make_unique<Impl>()) {
  for (const auto& path : split_path_list(std::getenv("GEOINV_PLUGIN_PATH"))) impl_->add(path, false);
  // The built-in plugins: the folder beside libgeoinv, which the same rule finds in the build tree and
  // the installed tree; the configured install folder only when there is none, so that a build tree
  // never also searches an installed geoinv's plugins (each built-in plugin would clash with itself).
  const fs::path beside_library =
      boost::dll::this_line_location().parent_path() / GEOINV_PLUGIN_DIR_BESIDE_LIBRARY;
  std::error_code ec;
  impl_->add(fs::is_directory(beside_library, ec) ? beside_library : fs::path(GEOINV_INSTALLED_PLUGIN_DIR),
             false);
  const fs::path user_dir = user_plugin_dir();
  if (!user_dir.empty()) impl_->add(user_dir, false);
  for (auto& model : in_process_forward_models()) {
    impl_->plugins.push_back({std::move(model.info), nullptr, std::move(model.factory)});
    const auto same_name = impl_->named(impl_->plugins.back().info.name, PluginKind::forward);
    if (same_name.size() > 1) impl_->note(clash_message(same_name));
  }
}

PluginRegistry::~PluginRegistry() = default;

void PluginRegistry::add_path(const fs::path& path) { impl_->add(path, true); }

std::vector<PluginInfo> PluginRegistry::list() const {
  std::vector<PluginInfo> infos;
  for (const auto& plugin : impl_->plugins)
    if (impl_->named(plugin.info.name, plugin.info.kind).size() == 1) infos.push_back(plugin.info);
  std::sort(infos.begin(), infos.end(), [](const PluginInfo& a, const PluginInfo& b) {
    return std::tie(a.kind, a.name) < std::tie(b.kind, b.name);
  });
  return infos;
}

std::vector<std::string> PluginRegistry::diagnostics() const { return impl_->diagnostics; }

std::vector<std::string> PluginRegistry::clashes() const {
  std::vector<std::string> messages;
  std::set<std::pair<PluginKind, std::string>> reported;
  for (const auto& plugin : impl_->plugins) {
    const auto same_name = impl_->named(plugin.info.name, plugin.info.kind);
    if (same_name.size() > 1 && reported.insert({plugin.info.kind, plugin.info.name}).second)
      messages.push_back(clash_message(same_name));
  }
  return messages;
}

std::vector<fs::path> PluginRegistry::search_path() const { return impl_->search_path; }

const PluginInfo& PluginRegistry::find(const std::string& name, PluginKind kind) const {
  const auto same_name = impl_->named(name, kind);
  if (same_name.size() == 1) return same_name.front()->info;
  if (same_name.size() > 1) throw Error(Error::Category::plugin, clash_message(same_name));
  std::vector<std::string> names;
  for (const auto& plugin : impl_->plugins)
    if (plugin.info.kind == kind) names.push_back(plugin.info.name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
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
    message += fmt::format("; searched: {}",
                           searched.empty() ? "(nothing)" : fmt::format("{}", fmt::join(searched, ":")));
  }
  throw Error(Error::Category::plugin, message);
}

namespace {
template <typename Interface>
std::shared_ptr<Interface> make(const PluginInfo& info,
                                const std::shared_ptr<boost::dll::shared_library>& library,
                                const char* symbol) {
  auto& factory = library->get_alias<std::unique_ptr<Interface>()>(symbol);
  std::unique_ptr<Interface> object;
  try {
    object = factory();
  } catch (const std::exception& e) {
    throw Error(Error::Category::plugin,
                fmt::format("plugin '{}' failed to construct: {}", info.name, e.what()));
  }
  if (!object) throw Error(Error::Category::plugin, fmt::format("plugin '{}' returned no object", info.name));
  // The deleter holds the library: the object's code stays mapped for as long as the object lives.
  Interface* raw = object.release();
  return std::shared_ptr<Interface>(raw, [library](Interface* p) { delete p; });
}

std::shared_ptr<ForwardModel> make_in_process(const PluginInfo& info, const InProcessForwardFactory& factory) {
  std::unique_ptr<ForwardModel> object;
  try {
    object = factory();
  } catch (const Error&) {
    throw;  // already says what is wrong, in its own category
  } catch (const std::exception& e) {
    throw Error(Error::Category::plugin,
                fmt::format("plugin '{}' failed to construct: {}", info.name, e.what()));
  }
  if (!object) throw Error(Error::Category::plugin, fmt::format("plugin '{}' returned no object", info.name));
  return std::shared_ptr<ForwardModel>(std::move(object));
}
}  // namespace

std::shared_ptr<ForwardModel> PluginRegistry::create_forward_model(const std::string& name) const {
  const PluginInfo& info = find(name, PluginKind::forward);
  const auto& plugin = *impl_->named(name, PluginKind::forward).front();
  if (plugin.in_process) return make_in_process(info, plugin.in_process);
  return make<ForwardModel>(info, impl_->library_of(plugin, GEOINV_FORWARD_FACTORY_SYMBOL),
                            GEOINV_FORWARD_FACTORY_SYMBOL);
}

std::shared_ptr<Solver> PluginRegistry::create_solver(const std::string& name) const {
  const PluginInfo& info = find(name, PluginKind::solver);
  const auto& plugin = *impl_->named(name, PluginKind::solver).front();
  return make<Solver>(info, impl_->library_of(plugin, GEOINV_SOLVER_FACTORY_SYMBOL),
                      GEOINV_SOLVER_FACTORY_SYMBOL);
}

}  // namespace geoinv
