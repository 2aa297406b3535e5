// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Whether plugin code found at a path may be trusted, by the rule ssh applies to its keys: a plugin
// file, and the folder it was found in, must be owned by the user running geoinv or by root, and be
// writable by nobody else (no group or other write bit). Otherwise anyone who can write there could
// plant a library that geoinv would run. The build tree (made with umask 022, as CI's clone is), the
// installed tree (root's) and the user's own plugin folder pass; a shared scratch folder does not.
//
// GEOINV_ALLOW_UNSAFE_PLUGIN_PATH=1 (what `geoinv --allow-unsafe-plugin-path` sets for its process)
// turns the refusal off, for a folder the user trusts anyway (a group's shared plugin folder).
#include <filesystem>
#include <string>

namespace geoinv {

// Name of the environment variable that allows unsafe plugin paths when set to "1".
inline constexpr const char* kAllowUnsafePluginPathVariable = "GEOINV_ALLOW_UNSAFE_PLUGIN_PATH";

// Whether GEOINV_ALLOW_UNSAFE_PLUGIN_PATH is "1".
bool unsafe_plugin_paths_allowed();

// Empty when `path` (a plugin folder or file) is safe, or when it cannot be inspected (a missing path is
// reported by its caller); otherwise one message naming the path, what is wrong, the command that fixes
// it and the override, e.g.
//   "/srv/plugins: plugin folder is writable by group or others (mode 0777); fix: chmod go-w '/srv/plugins'
//    (or allow it with --allow-unsafe-plugin-path, GEOINV_ALLOW_UNSAFE_PLUGIN_PATH=1)".
std::string unsafe_plugin_path_problem(const std::filesystem::path& path);

}  // namespace geoinv
