// SPDX-License-Identifier: BSD-3-Clause
#include "running/model_cache_folder.hpp"

#include <fmt/format.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "geoinv/error.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kPrefix = "geoinv-models-";

// The pid of a cache folder's name geoinv-models-<pid>-XXXXXX, or nothing for any other name.
std::optional<pid_t> owner_pid(std::string_view name) {
  if (name.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  name.remove_prefix(kPrefix.size());
  pid_t pid = 0;
  const auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), pid);
  if (error != std::errc() || pid <= 0 || end == name.data() + name.size() || *end != '-')
    return std::nullopt;
  return pid;
}

bool process_is_gone(pid_t pid) { return ::kill(pid, 0) == -1 && errno == ESRCH; }

}  // namespace

int remove_stale_model_cache_folders(const fs::path& temp) {
  int removed = 0;
  std::error_code ec;
  for (fs::directory_iterator it(temp, ec), end; !ec && it != end; it.increment(ec)) {
    const auto pid = owner_pid(it->path().filename().string());
    struct stat info {};
    if (!pid || ::lstat(it->path().c_str(), &info) != 0 || !S_ISDIR(info.st_mode) ||
        info.st_uid != ::getuid() || !process_is_gone(*pid))
      continue;
    std::error_code removal;
    fs::remove_all(it->path(), removal);
    if (!removal) ++removed;
  }
  return removed;
}

fs::path create_model_cache_folder(const fs::path& temp) {
  remove_stale_model_cache_folders(temp);
  std::string pattern = (temp / fmt::format("{}{}-XXXXXX", kPrefix, ::getpid())).string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw Error(Error::Category::io,
                fmt::format("cannot create the folder for trained models: {}", std::strerror(errno)),
                {pattern});
  return pattern;
}

}  // namespace geoinv
