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

// Finds, checks and instantiates plugins (Boost.DLL). Everything is loaded once, up front, in the
// thread that builds the registry; libraries are never unloaded while an object made from them lives:
// every object handed out holds a reference to its library.
//
// Search path, in order (the first plugin of a name wins; later ones are reported as shadowed):
//   1. paths added with add_path() (an experiment's `plugin_paths:`),
//   2. the directories in GEOINV_PLUGIN_PATH (colon-separated),
//   3. the plugin folder beside libgeoinv (<libdir>/geoinv/plugins): the build tree's and, after
//      `cmake --install`, the installed one,
//   4. the install prefix's plugin folder as configured at build time,
//   5. the user's own plugin folder: $XDG_DATA_HOME/geoinv/plugins, or ~/.local/share/geoinv/plugins when
//      XDG_DATA_HOME is unset or not absolute. A lab installs its plugins there without root and without
//      setting a variable; searched last, a user plugin never replaces a built-in one of the same name
//      (it is reported as shadowed by diagnostics()).
// Folders that do not exist are skipped and left out of search_path().
class GEOINV_API PluginRegistry {
 public:
  // A registry over the default search path (2-5 above).
  PluginRegistry();
  ~PluginRegistry();
  PluginRegistry(const PluginRegistry&) = delete;
  PluginRegistry& operator=(const PluginRegistry&) = delete;

  // Adds a directory (every *.so in it that is a geoinv plugin) or one plugin file, ahead of the default
  // path. A file given by name that is not a geoinv plugin, or was built for another API or ABI, is an
  // error (Error::Category::plugin) naming the file and both versions; in a directory such files are
  // skipped and listed by diagnostics().
  void add_path(const std::filesystem::path& path);

  // Every usable plugin, sorted by kind and name.
  std::vector<PluginInfo> list() const;
  // Files that were looked at and skipped, with the reason ("not a geoinv plugin", "API 2.0 ...").
  std::vector<std::string> diagnostics() const;
  // The directories searched, in order.
  std::vector<std::filesystem::path> search_path() const;

  // The plugin `name` of `kind`; an unknown name throws an Error listing the available plugins of that
  // kind and the nearest match.
  const PluginInfo& find(const std::string& name, PluginKind kind) const;

  std::shared_ptr<ForwardModel> create_forward_model(const std::string& name) const;
  std::shared_ptr<Solver> create_solver(const std::string& name) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace geoinv
