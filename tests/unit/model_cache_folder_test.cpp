// SPDX-License-Identifier: BSD-3-Clause
// The trained models' cache folder: private (0700), unpredictable, and stale folders of dead processes
// removed (issue 16: a predictable /tmp/geoinv-models-<pid> was left behind after kill -9).
#include "running/model_cache_folder.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "geoinv/error.hpp"

namespace geoinv {
namespace {

namespace fs = std::filesystem;

class ModelCacheFolder : public ::testing::Test {
 protected:
  ModelCacheFolder() {
    std::string pattern = (fs::temp_directory_path() / "geoinv-cache-test-XXXXXX").string();
    temp_ = ::mkdtemp(pattern.data());
  }
  ~ModelCacheFolder() override {
    std::error_code ec;
    fs::remove_all(temp_, ec);
  }
  // A pid that no longer runs: a child that has exited and been reaped.
  static pid_t dead_pid() {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    ::waitpid(child, nullptr, 0);
    return child;
  }
  fs::path temp_;
};

TEST_F(ModelCacheFolder, IsPrivateAndNamedAfterThisProcess) {
  const fs::path folder = create_model_cache_folder(temp_);
  struct stat info {};
  ASSERT_EQ(::stat(folder.c_str(), &info), 0);
  EXPECT_TRUE(S_ISDIR(info.st_mode));
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  const std::string prefix = "geoinv-models-" + std::to_string(::getpid()) + "-";
  EXPECT_EQ(folder.filename().string().rfind(prefix, 0), 0u) << folder;
  EXPECT_EQ(folder.filename().string().size(), prefix.size() + 6) << "mkdtemp's six random characters";
  EXPECT_NE(create_model_cache_folder(temp_), folder) << "a second folder is another one";
}

TEST_F(ModelCacheFolder, StaleFoldersOfDeadProcessesAreRemovedAndOthersKept) {
  const fs::path stale = temp_ / ("geoinv-models-" + std::to_string(dead_pid()) + "-abcdef");
  const fs::path live = temp_ / ("geoinv-models-" + std::to_string(::getppid()) + "-abcdef");
  const fs::path unrelated = temp_ / "geoinv-models-notapid";
  for (const auto& folder : {stale, live, unrelated}) fs::create_directories(folder);
  std::ofstream(stale / "model.json") << "{}";
  const fs::path folder = create_model_cache_folder(temp_);
  EXPECT_FALSE(fs::exists(stale));
  EXPECT_TRUE(fs::exists(live));
  EXPECT_TRUE(fs::exists(unrelated));
  EXPECT_TRUE(fs::exists(folder));
  EXPECT_EQ(remove_stale_model_cache_folders(temp_), 0);
}

TEST_F(ModelCacheFolder, AnUnwritableTemporaryFolderIsALocatedIoError) {
  const fs::path missing = temp_ / "missing";
  try {
    create_model_cache_folder(missing);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), Error::Category::io);
    EXPECT_NE(std::string(error.what()).find("No such file or directory"), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find(missing.string()), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace geoinv
