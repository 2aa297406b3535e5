// SPDX-License-Identifier: BSD-3-Clause
// One writer per folder (base/folder_lock.hpp): a second process is refused naming the holder, the lock
// is re-entrant within a process, and a dead holder leaves nothing that blocks.
#include "base/folder_lock.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "e2e/cli_runner.hpp"  // TempDir
#include "geoinv/error.hpp"

namespace geoinv {
namespace {

namespace fs = std::filesystem;
using geoinv_test::TempDir;
using ::testing::HasSubstr;

// Tries the lock in a child process: its exit code says whether it got it (0), or was refused naming
// `folder` and this process (1).
int lock_in_another_process(const fs::path& folder) {
  const pid_t child = ::fork();
  if (child == 0) {
    try {
      const FolderLock lock(folder);
      ::_exit(0);
    } catch (const Error& error) {
      const std::string what = error.what();
      const bool named = what.find(folder.string()) != std::string::npos &&
                         what.find("pid " + std::to_string(::getppid())) != std::string::npos;
      ::_exit(named ? 1 : 2);
    }
  }
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(FolderLock, ASecondProcessIsRefusedNamingTheFolderAndTheHolder) {
  TempDir dir;
  const fs::path folder = dir.path() / "out";
  {
    const FolderLock lock(folder);
    EXPECT_TRUE(fs::exists(dir.path() / "out.lock"));
    EXPECT_THAT(geoinv_test::read_file(dir.path() / "out.lock"), HasSubstr("pid " + std::to_string(::getpid())));
    EXPECT_EQ(lock_in_another_process(folder), 1);
    const FolderLock nested(folder / "");  // the same folder, re-entrant in this process
  }
  EXPECT_FALSE(fs::exists(dir.path() / "out.lock"));
  EXPECT_EQ(lock_in_another_process(folder), 0);
}

TEST(FolderLock, ADeadHoldersLockFileDoesNotBlock) {
  TempDir dir;
  const fs::path folder = dir.path() / "out";
  const pid_t holder = ::fork();
  if (holder == 0) {
    const FolderLock lock(folder);
    ::kill(::getpid(), SIGKILL);
  }
  int status = 0;
  ::waitpid(holder, &status, 0);
  EXPECT_TRUE(fs::exists(FolderLock::lock_file(folder)));
  const FolderLock lock(folder);
  EXPECT_THAT(geoinv_test::read_file(dir.path() / "out.lock"), HasSubstr("pid " + std::to_string(::getpid())));
}

}  // namespace
}  // namespace geoinv
