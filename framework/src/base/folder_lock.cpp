// SPDX-License-Identifier: BSD-3-Clause
#include "base/folder_lock.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <map>

#include "base/file_io.hpp"
#include "geoinv/error.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

// The lock files this process holds (flock conflicts between two descriptors of one process too), with
// the pid that took them: a child forked without exec inherits the set, not the right to nest.
std::mutex held_mutex;
std::map<std::string, pid_t>& held_files() {
  static std::map<std::string, pid_t> files;
  return files;
}

std::string host_name() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return "unknown";
  return name;
}

// "pid P on host H" from a holder's lock file, or a plain phrase when it was not written yet.
std::string holder_of(const fs::path& file) {
  std::string pid, host;
  try {
    const std::string text = read_text(file);
    char pid_text[32] = {}, host_text[256] = {};
    if (std::sscanf(text.c_str(), "pid %31s host %255s", pid_text, host_text) == 2)
      return fmt::format("pid {} on host {}", pid_text, host_text);
  } catch (const Error&) {
  }
  return "a process that has not written its pid yet";
}

bool same_file(int fd, const fs::path& file) {
  struct stat opened {}, named {};
  return ::fstat(fd, &opened) == 0 && ::stat(file.c_str(), &named) == 0 && opened.st_dev == named.st_dev &&
         opened.st_ino == named.st_ino;
}

}  // namespace

fs::path FolderLock::lock_file(const fs::path& folder) {
  fs::path normal = folder.lexically_normal();
  if (!normal.empty() && normal.filename().empty()) normal = normal.parent_path();
  return normal.string() + ".lock";
}

FolderLock::FolderLock(const fs::path& folder) : file_(lock_file(folder)) {
  const std::string key = fs::absolute(file_).lexically_normal().string();
  {
    std::lock_guard<std::mutex> guard(held_mutex);
    const auto held = held_files().find(key);
    if (held != held_files().end() && held->second == ::getpid()) return;  // nested: the outer one releases
  }
  std::error_code ec;
  if (file_.has_parent_path()) fs::create_directories(file_.parent_path(), ec);
  for (;;) {
    fd_ = ::open(file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
      throw Error(Error::Category::io,
                  fmt::format("cannot write in the folder's parent: the lock file {} cannot be created: {}",
                              file_.filename().string(), std::strerror(errno)),
                  {folder.string()});
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int reason = errno;
      ::close(fd_);
      fd_ = -1;
      if (reason == EINTR) continue;
      if (reason != EWOULDBLOCK)
        throw Error(Error::Category::io, std::string("cannot lock the folder: ") + std::strerror(reason),
                    {file_.string()});
      throw Error(Error::Category::io,
                  fmt::format("another geoinv process ({}) is writing this folder (lock file {}); wait for "
                              "it to finish or choose another --out",
                              holder_of(file_), file_.string()),
                  {folder.string()});
    }
    if (same_file(fd_, file_)) break;
    ::close(fd_);  // the previous holder removed this file as we locked it: lock the current one
  }
  const std::string holder = fmt::format("pid {} host {}\n", ::getpid(), host_name());
  try {
    if (::ftruncate(fd_, 0) == 0) write_fully(fd_, holder, file_);
  } catch (...) {
    ::close(fd_);
    throw;
  }
  std::lock_guard<std::mutex> guard(held_mutex);
  held_files()[key] = ::getpid();
}

FolderLock::~FolderLock() {
  if (fd_ < 0) return;
  {
    std::lock_guard<std::mutex> guard(held_mutex);
    held_files().erase(fs::absolute(file_).lexically_normal().string());
  }
  ::unlink(file_.c_str());
  ::close(fd_);
}

}  // namespace geoinv
