// SPDX-License-Identifier: BSD-3-Clause
#include "core/plugin_path_safety.hpp"

#include <fmt/format.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace geoinv {

namespace {

constexpr const char* kOverride =
    "(or allow it with --allow-unsafe-plugin-path, GEOINV_ALLOW_UNSAFE_PLUGIN_PATH=1)";

std::string user_name(uid_t uid) {
  const passwd* entry = getpwuid(uid);
  return entry ? entry->pw_name : std::to_string(uid);
}

}  // namespace

bool unsafe_plugin_paths_allowed() {
  const char* value = std::getenv(kAllowUnsafePluginPathVariable);
  return value && std::strcmp(value, "1") == 0;
}

std::string unsafe_plugin_path_problem(const std::filesystem::path& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) return "";
  const char* what = S_ISDIR(status.st_mode) ? "plugin folder" : "plugin file";
  const uid_t me = ::geteuid();
  if (status.st_uid != 0 && status.st_uid != me)
    return fmt::format("{}: {} is owned by {}, neither you ({}) nor root; fix: chown {} '{}' {}",
                       path.string(), what, user_name(status.st_uid), user_name(me), user_name(me),
                       path.string(), kOverride);
  if ((status.st_mode & (S_IWGRP | S_IWOTH)) != 0)
    return fmt::format("{}: {} is writable by group or others (mode {:04o}); fix: chmod go-w '{}' {}",
                       path.string(), what, status.st_mode & 07777, path.string(), kOverride);
  return "";
}

}  // namespace geoinv
