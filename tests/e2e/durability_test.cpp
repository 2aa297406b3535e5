// SPDX-License-Identifier: BSD-3-Clause
// Nothing lost (docs/campaigns.md, "Resume" and "One writer per folder"), with the real binary: short
// and failed writes of results.csv (injected by tests/faults/short_write_shim.cpp), hand-damaged
// results.csv files repaired by --resume, and one writer per output folder.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "e2e/campaign_support.hpp"
#include "e2e/cli_runner.hpp"

namespace geoinv_test {
namespace {

using ::testing::HasSubstr;

std::vector<std::string> with_shim(const std::string& setting) {
  return {"env", std::string("LD_PRELOAD=") + GEOINV_TEST_SHORT_WRITE_SHIM, setting};
}

// A small campaign in `dir` and its rows from one undisturbed run in DIR/whole.
class Durability : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_.write("base.yaml", kBase);
    dir_.write("c.yaml", campaign_text(20));
    const CliResult whole = run_geoinv({"campaign", "c.yaml", "--jobs", "1", "--out", "whole"}, dir_.path());
    ASSERT_EQ(whole.exit_code, 0) << whole.err;
    whole_ = rows_of(dir_.path() / "whole");
    ASSERT_EQ(whole_.size(), 80u);
  }

  // Copies DIR/whole to DIR/`name` with `damage` applied to its results.csv, resumes it, and checks its
  // rows are the undisturbed ones and the damaged lines went to results.rejected.csv.
  void expect_repaired(const std::string& name, const std::function<std::string(std::string)>& damage) {
    SCOPED_TRACE(name);
    const fs::path out = dir_.path() / name;
    fs::copy(dir_.path() / "whole", out, fs::copy_options::recursive);
    const std::string damaged = damage(read_file(out / "results.csv"));
    std::ofstream(out / "results.csv", std::ios::binary | std::ios::trunc) << damaged;
    const CliResult resumed = run_geoinv({"campaign", "c.yaml", "--out", name, "--resume"}, dir_.path());
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_THAT(resumed.err, HasSubstr("not valid rows of this campaign"));
    EXPECT_THAT(resumed.out, HasSubstr("39 done before, 1 now"));  // run 3 ran again
    EXPECT_EQ(rows_of(out), whole_);
    const std::string results = read_file(out / "results.csv");
    const std::string header = results.substr(0, results.find('\n') + 1);
    const std::string rejected = read_file(out / "results.rejected.csv");
    EXPECT_EQ(rejected.substr(0, header.size()), header);
    EXPECT_THAT(rejected.substr(header.size()), ::testing::StartsWith("3,"));
  }

  TempDir dir_;
  std::map<std::pair<long, std::string>, std::vector<std::string>> whole_;
};

// The line of run `run` and solver `solver` in results.csv text, with its '\n'.
std::string::size_type line_of(const std::string& text, int run, const std::string& solver) {
  const std::string start = std::to_string(run) + ",";
  for (std::string::size_type at = text.find('\n'); at != std::string::npos; at = text.find('\n', at + 1)) {
    const std::string line = text.substr(at + 1, text.find('\n', at + 1) - at - 1);
    if (line.compare(0, start.size(), start) == 0 && line.find("," + solver + ",") != std::string::npos)
      return at + 1;
  }
  ADD_FAILURE() << "no row of run " << run << " " << solver;
  return std::string::npos;
}

TEST_F(Durability, ShortWritesLoseAndDuplicateNothing) {
  for (const char* every : {"1", "2", "3"}) {
    const std::string out = std::string("short") + every;
    const CliResult shorted =
        run_geoinv_under(with_shim(std::string("GEOINV_SHIM_SHORT_WRITE_EVERY=") + every),
                         {"campaign", "c.yaml", "--jobs", "2", "--out", out}, dir_.path());
    ASSERT_EQ(shorted.exit_code, 0) << shorted.err;
    EXPECT_EQ(rows_of(dir_.path() / out), whole_) << "every " << every << "th write short";
  }
}

TEST_F(Durability, AFullDiskEndsTheCampaignNamingThePathAndResumeCompletesIt) {
  // The first write is the header, the second the first runs' rows.
  const CliResult full = run_geoinv_under(with_shim("GEOINV_SHIM_FAIL_WRITE_AT=2"),
                                          {"campaign", "c.yaml", "--jobs", "1", "--out", "full"}, dir_.path());
  EXPECT_NE(full.exit_code, 0);
  EXPECT_THAT(full.err, HasSubstr("No space left on device"));
  EXPECT_THAT(full.err, HasSubstr((fs::path("full") / "results.csv").string()));
  // The same with some runs written before, and short writes on the way.
  const CliResult later = run_geoinv_under(
      {"env", std::string("LD_PRELOAD=") + GEOINV_TEST_SHORT_WRITE_SHIM, "GEOINV_SHIM_SHORT_WRITE_EVERY=2",
       "GEOINV_SHIM_FAIL_WRITE_AT=5"},
      {"campaign", "c.yaml", "--jobs", "1", "--out", "later"}, dir_.path());
  for (const char* out : {"full", "later"}) {
    const CliResult resumed = run_geoinv({"campaign", "c.yaml", "--out", out, "--resume"}, dir_.path());
    ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
    EXPECT_EQ(rows_of(dir_.path() / out), whole_) << out;
  }
  EXPECT_TRUE(later.exit_code != 0 || rows_of(dir_.path() / "later") == whole_);
}

TEST_F(Durability, ResumeRepairsWrongFieldCounts) {
  expect_repaired("fields", [](std::string text) {
    const auto at = line_of(text, 3, "dls");
    text.insert(text.find('\n', at), ",extra");
    return text;
  });
}

TEST_F(Durability, ResumeRepairsUnknownSolvers) {
  expect_repaired("unknown", [](std::string text) {
    const auto at = line_of(text, 3, "dls_short");
    text.replace(text.find(",dls_short,", at), 11, ",nobody,");
    return text;
  });
}

TEST_F(Durability, ResumeRepairsDuplicateSolverRows) {
  expect_repaired("duplicate", [](std::string text) {
    const auto at = line_of(text, 3, "dls");
    const std::string line = text.substr(at, text.find('\n', at) + 1 - at);
    text += line;
    return text;
  });
}

TEST_F(Durability, ResumeRepairsANonNumberWhereANumberBelongs) {
  expect_repaired("number", [](std::string text) {
    const auto at = line_of(text, 3, "dls");
    text.replace(text.find(',', at) + 1, 1, "x");  // the shard
    return text;
  });
}

// Waits (at most 30 s) until `file` exists.
bool wait_for(const fs::path& file) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  std::error_code ec;
  while (!fs::exists(file, ec)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

int exit_code_of(pid_t child) {
  int status = 0;
  ::waitpid(child, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(OneWriter, ASecondCampaignInTheSameFolderIsRefusedNamingTheHolder) {
  TempDir dir;
  dir.write("base.yaml", kBase);
  dir.write("c.yaml", campaign_text(500));
  // A slow disk keeps the first campaign in its folder for three seconds while the others start.
  const pid_t first =
      start_geoinv(dir.path(), {"campaign", "c.yaml", "--jobs", "1", "--out", "same", "--no-figures"},
                   {std::string("LD_PRELOAD=") + GEOINV_TEST_SHORT_WRITE_SHIM, "GEOINV_SHIM_FIRST_WRITE_DELAY_MS=3000"});
  ASSERT_TRUE(wait_for(dir.path() / "same" / "results.csv"));
  const CliResult second = run_geoinv({"campaign", "c.yaml", "--out", "same"}, dir.path());
  const CliResult resumed = run_geoinv({"campaign", "c.yaml", "--out", "same", "--resume"}, dir.path());
  const int first_exit = exit_code_of(first);
  ASSERT_EQ(first_exit, 0);
  ASSERT_EQ(run_geoinv({"campaign", "c.yaml", "--out", "alone", "--no-figures"}, dir.path()).exit_code, 0);
  for (const CliResult* refused : {&second, &resumed}) {
    EXPECT_NE(refused->exit_code, 0);
    EXPECT_THAT(refused->err, HasSubstr("same"));
    EXPECT_THAT(refused->err, HasSubstr("pid " + std::to_string(first)));
    EXPECT_THAT(refused->err, HasSubstr("another geoinv process"));
  }
  EXPECT_EQ(rows_of(dir.path() / "same"), rows_of(dir.path() / "alone"));
  EXPECT_FALSE(fs::exists(dir.path() / "same.lock"));
}

TEST(OneWriter, AKilledHoldersLockDoesNotBlockTheNextCampaign) {
  TempDir dir;
  dir.write("base.yaml", kBase);
  dir.write("c.yaml", campaign_text(500));
  const pid_t first = start_geoinv(dir.path(), {"campaign", "c.yaml", "--jobs", "1", "--out", "killed"},
                                   {std::string("LD_PRELOAD=") + GEOINV_TEST_SHORT_WRITE_SHIM,
                                    "GEOINV_SHIM_FIRST_WRITE_DELAY_MS=3000"});
  ASSERT_TRUE(wait_for(dir.path() / "killed" / "results.csv"));
  ::kill(first, SIGKILL);
  exit_code_of(first);
  EXPECT_TRUE(fs::exists(dir.path() / "killed.lock"));  // left behind, no longer locked
  const CliResult resumed =
      run_geoinv({"campaign", "c.yaml", "--out", "killed", "--resume", "--jobs", "2", "--no-figures"}, dir.path());
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(rows_of(dir.path() / "killed").size(), 2000u);
}

// The campaign's lock covers the run folders it keeps: it writes runs/<id>/ without a lock file of its own
// there (one per run made every later file creation slower), so a lock file under runs/ that another
// process holds does not stop it.
TEST(OneWriter, ACampaignWritesItsKeptRunFoldersUnderItsOwnLock) {
  TempDir dir;
  dir.write("base.yaml", kBase);
  dir.write("c.yaml", campaign_text(2) + "keep_details: all\n");
  const pid_t campaign = start_geoinv(dir.path(), {"campaign", "c.yaml", "--jobs", "1", "--out", "kept", "--no-figures"},
                                      {std::string("LD_PRELOAD=") + GEOINV_TEST_SHORT_WRITE_SHIM,
                                       "GEOINV_SHIM_FIRST_WRITE_DELAY_MS=2000"});
  ASSERT_TRUE(wait_for(dir.path() / "kept" / "results.csv"));
  fs::create_directories(dir.path() / "kept" / "runs");
  const fs::path held = dir.path() / "kept" / "runs" / "3.lock";
  const int fd = ::open(held.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  const int exit_code = exit_code_of(campaign);
  ::close(fd);
  ASSERT_EQ(exit_code, 0);
  for (const char* run : {"0", "1", "2", "3"})
    EXPECT_TRUE(fs::exists(dir.path() / "kept" / "runs" / run / "result.json")) << run;
  EXPECT_TRUE(fs::exists(held));  // not the campaign's: neither taken nor removed
  EXPECT_FALSE(fs::exists(dir.path() / "kept.lock"));
}

TEST(OneWriter, TwoRunsIntoOneFolderAtOnceOneFailsClearly) {
  TempDir dir;
  dir.write("e.yaml", kBase);
  std::vector<pid_t> runs;
  for (int i = 0; i < 2; ++i)
    runs.push_back(start_geoinv(dir.path(), {"run", "e.yaml", "--out", "o", "--no-figures"}));
  int failures = 0;
  for (const pid_t run : runs) failures += exit_code_of(run) != 0;
  EXPECT_EQ(failures, 1);
  EXPECT_TRUE(fs::exists(dir.path() / "o" / "result.json"));
  EXPECT_FALSE(fs::exists(dir.path() / "o.lock"));
}

}  // namespace
}  // namespace geoinv_test
