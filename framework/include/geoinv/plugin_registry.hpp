// SPDX-License-Identifier: BSD-3-Clause
#pragma once
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "geoinv/export.hpp"
#include "geoinv/forward_model.hpp"
#include "geoinv/solver.hpp"

namespace geoinv {

enum class PluginKind { forward, solver };
GEOINV_API std::string to_string(PluginKind kind);

// What the host knows about one plugin file, read from its descriptor without calling its factory.
struct GEOINV_API PluginInfo {
  std::string name;
  PluginKind kind = PluginKind::forward;
  std::string version;
  std::string summary;
  std::filesystem::path file;
  unsigned api_major = 0;
  unsigned api_minor = 0;
  std::string abi_tag;
};

// Finds, checks and instantiates plugins (Boost.DLL).
//
// Descriptor first: a plugin file is known by its descriptor, read from the file's "geoinv_descriptor"
// section without loading it (plugin.hpp); a file that is not a geoinv plugin, or was built for another
// API or ABI, is refused before any of its code runs. Load on demand: a library is loaded (dlopen) only
// when create_forward_model() or create_solver() first asks for one of its plugins, so listing, finding
// and validating names run no plugin code. Libraries are never unloaded while an object made from them
// lives: every object handed out holds a reference to its library.
//
// Safe paths only: a plugin folder or file writable by group or others, or owned by neither the user
// nor root, is refused with an Error naming it and the chmod/chown that fixes it, unless
// GEOINV_ALLOW_UNSAFE_PLUGIN_PATH=1 (core/plugin_path_safety.hpp).
//
// Search path (folders that do not exist are skipped and left out of search_path()):
//   1. paths added with add_path() (an experiment's `plugin_paths:`, --plugin-path), the latest first,
//   2. the directories in GEOINV_PLUGIN_PATH (colon-separated),
//   3. the plugin folder beside libgeoinv (<libdir>/geoinv/plugins): the build tree's and, after
//      `cmake --install`, the installed one; only when it does not exist, the install prefix's plugin
//      folder as configured at build time (so a build tree never also searches an installed geoinv),
//   4. the user's own plugin folder: $XDG_DATA_HOME/geoinv/plugins, or ~/.local/share/geoinv/plugins when
//      XDG_DATA_HOME is unset or not absolute. A lab installs its plugins there without root and without
//      setting a variable.
// Nothing is shadowed: two files holding a plugin of the same kind and name (one file found twice is
// one file) clash, and asking for that name is an Error naming both files; the order above only orders
// search_path().
class GEOINV_API PluginRegistry {
 public:
  // A registry over the default search path (2-4 above).
  PluginRegistry();
  ~PluginRegistry();
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;

  // Adds a directory (every *.so in it that is a geoinv plugin) or one plugin file, ahead of the default
  // path. A file given by name that is not a geoinv plugin, or was built for another API or ABI, is an
  // error (Error::Category::plugin) naming the file and both versions; in a directory such files are
  // skipped and listed by diagnostics(). An unsafe folder or plugin file is an error (see above).
  void add_path(const std::filesystem::path& path);

  // Every usable plugin, sorted by kind and name; a name that clashes is left out (see clashes()).
  std::vector<PluginInfo> list() const;
  // Files that were looked at and skipped, with the reason ("not a geoinv plugin", "API 2.0 ..."), and
  // the clashes found as they were found.
  std::vector<std::string> diagnostics() const;
  // One message per clashing kind and name, naming every file that holds it.
  std::vector<std::string> clashes() const;
  // The directories searched, in order.
  std::vector<std::filesystem::path> search_path() const;

  // The plugin `name` of `kind`, from its descriptor (nothing is loaded); an unknown name throws an Error
  // listing the available plugins of that kind and the nearest match, a clashing one an Error naming
  // every file that holds it.
  const PluginInfo& find(const std::string& name, PluginKind kind) const;

  // A new object of plugin `name`, loading its library first if no object of it was made yet. Thread-safe.
  std::shared_ptr<ForwardModel> create_forward_model(const std::string& name) const;
  std::shared_ptr<Solver> create_solver(const std::string& name) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace geoinv
