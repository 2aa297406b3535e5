// SPDX-License-Identifier: BSD-3-Clause
// A fault-injection shim for the durability tests (tests/e2e/durability_test.cpp), loaded with
// LD_PRELOAD into the geoinv command. It wraps write(2) for descriptors whose file is named results.csv:
//
//   GEOINV_SHIM_SHORT_WRITE_EVERY=N  every N-th such write writes only the first half of its bytes (at
//                                    least one) and returns that count, as a full disk, a quota or NFS may;
//   GEOINV_SHIM_FAIL_WRITE_AT=N      the N-th such write writes nothing and fails with ENOSPC;
//   GEOINV_SHIM_FIRST_WRITE_DELAY_MS=N  the first such write (a campaign's header) first sleeps N
//                                    milliseconds: a slow disk, which keeps a campaign running, holding
//                                    its folder, long enough for another process to meet it.
//
// Counts start at 1 and are shared by all threads. Every other write passes through unchanged.
#include <dlfcn.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

using WriteFunction = ssize_t (*)(int, const void*, size_t);

long setting(const char* name) {
  const char* text = std::getenv(name);
  return text ? std::strtol(text, nullptr, 10) : 0;
}

bool names_results_csv(int fd) {
  char link[64], target[4096];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  const ssize_t length = ::readlink(link, target, sizeof target - 1);
  if (length <= 0) return false;
  target[length] = '\0';
  const char* name = std::strrchr(target, '/');
  return std::strcmp(name ? name + 1 : target, "results.csv") == 0;
}

std::atomic<long> results_writes{0};

}  // namespace

extern "C" ssize_t write(int fd, const void* data, size_t bytes) {
  static const auto real_write = reinterpret_cast<WriteFunction>(::dlsym(RTLD_NEXT, "write"));
  if (bytes == 0 || !names_results_csv(fd)) return real_write(fd, data, bytes);
  const long index = results_writes.fetch_add(1) + 1;
  if (const long delay = setting("GEOINV_SHIM_FIRST_WRITE_DELAY_MS"); index == 1 && delay > 0)
    ::usleep(static_cast<useconds_t>(delay * 1000));
  const long fail_at = setting("GEOINV_SHIM_FAIL_WRITE_AT");
  if (fail_at > 0 && index == fail_at) {
    errno = ENOSPC;
    return -1;
  }
  const long every = setting("GEOINV_SHIM_SHORT_WRITE_EVERY");
  if (every > 0 && index % every == 0 && bytes > 1) return real_write(fd, data, bytes / 2);
  return real_write(fd, data, bytes);
}
