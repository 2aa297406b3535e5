// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// What the campaign e2e tests (campaign_test.cpp, durability_test.cpp, swept_solvers_test.cpp) share: a
// small base experiment, a campaign over it, results.csv read as rows keyed by (run, solver), summary.csv
// without timings, and a campaign killed midway.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "e2e/cli_runner.hpp"

namespace geoinv_test {

inline constexpr const char* kBase = R"(version: 1
name: base
forward:
  plugin: sphere
  stations: {from: 0, to: 150, count: 31}
data:
  synthetic:
    true_model: {x0: 77.07, theta: 309.37, h: 41.81, K: 94686}
    noise_sigma: 3.1622776601683795
start:
  model: {x0: 20, theta: 300, h: 40, K: 94500}
solvers:
  - plugin: dls
)";

inline std::string campaign_text(int replicates) {
  return "version: 1\nname: small\nseed: 11\nbase: base.yaml\n"
         "solvers:\n  - {plugin: dls, label: dls}\n  - {plugin: dls, label: dls_short, options: "
         "{max_iterations: 3}}\n"
         "success: {parameter: h, relative_error: 0.2}\n"
         "sweep:\n  grid:\n    data.synthetic.noise_sigma: [1, 10]\n  replicates: " +
         std::to_string(replicates) + "\n";
}

// results.csv as {(run_id, solver) -> the row without shard and wall_time_s}, checking every key once.
inline std::map<std::pair<long, std::string>, std::vector<std::string>> rows_of(const fs::path& dir) {
  CsvTable table = read_csv(dir / "results.csv");
  const std::size_t shard = table.column("shard"), time = table.column("wall_time_s"),
                    solver = table.column("solver");
  std::map<std::pair<long, std::string>, std::vector<std::string>> rows;
  for (auto& fields : table.rows) {
    EXPECT_EQ(fields.size(), table.header.size()) << fields.front();
    const auto key = std::make_pair(std::stol(fields[0]), fields[solver]);
    fields[shard] = fields[time] = "";
    EXPECT_TRUE(rows.emplace(key, fields).second)
        << "duplicate row for run " << key.first << " " << key.second;
  }
  return rows;
}

// summary.csv without median_wall_time_s: timing is the one thing that differs between two campaigns.
inline std::string summary_of(const fs::path& dir) {
  CsvTable table = read_csv(dir / "summary.csv");
  const std::size_t time = table.column("median_wall_time_s");
  std::string text;
  for (const auto& name : table.header) text += name + "|";
  text += "\n";
  for (auto& fields : table.rows) {
    if (time < fields.size()) fields[time] = "";
    for (const auto& field : fields) text += field + "|";
    text += "\n";
  }
  return text;
}

inline std::size_t count_lines(const fs::path& file) {
  const std::string text = read_file(file);
  return static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
}

// Starts `geoinv campaign c.yaml --jobs 2 --out OUT` in `dir` and kills it (SIGKILL) once results.csv
// holds more than `bytes`.
inline void kill_campaign_midway(const fs::path& dir, const std::string& out, std::uintmax_t bytes = 20000) {
  const fs::path results = dir / out / "results.csv";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execl(GEOINV_TEST_CLI, GEOINV_TEST_CLI, "campaign", "c.yaml", "--jobs", "2", "--out", out.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::error_code ec;
    if (fs::exists(results, ec) && fs::file_size(results, ec) > bytes) break;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
}

// Starts `geoinv ARGS...` in `dir` in the background, with `environment` (NAME=value) added, its stdout
// into DIR/`stdout_name` (empty: /dev/null) and its stderr to /dev/null; returns its pid.
inline pid_t start_geoinv(const fs::path& dir, const std::vector<std::string>& args,
                          const std::vector<std::string>& environment = {}, const std::string& stdout_name = "") {
  const pid_t child = ::fork();
  if (child == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(127);
    for (const auto& setting : environment) ::putenv(const_cast<char*>(setting.c_str()));
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(stdout_name.empty() ? null : ::open(stdout_name.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644), 1);
    ::dup2(null, 2);
    std::vector<char*> argv{const_cast<char*>(GEOINV_TEST_CLI)};
    for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
    argv.push_back(nullptr);
    ::execv(GEOINV_TEST_CLI, argv.data());
    ::_exit(127);
  }
  return child;
}

// The MPI executor is optional at build time (GEOINV_WITH_MPI, docs/packaging.md); tests/CMakeLists.txt
// says whether this build has it. Without it the tests that launch ranks are skipped, saying why.
inline constexpr bool kBuiltWithMpi = GEOINV_TEST_WITH_MPI;
inline constexpr const char* kWithoutMpi = "this geoinv was built without MPI (GEOINV_WITH_MPI): no mpirun test";

// mpirun as the campaign's launcher, run in `dir`. As root Open MPI refuses to start without the two
// ALLOW variables; each launch gets its own session folder, because two mpiruns starting at once (ctest -j)
// race to create the shared default one in /tmp.
inline std::vector<std::string> mpirun(const TempDir& dir, int ranks, bool oversubscribe = false) {
  const fs::path session = dir.path() / "ompi";
  fs::create_directories(session);
  std::vector<std::string> launcher{"env", "OMPI_ALLOW_RUN_AS_ROOT=1", "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1",
                                    "OMPI_MCA_orte_tmpdir_base=" + session.string(), GEOINV_TEST_MPIEXEC,
                                    "-n", std::to_string(ranks)};
  if (oversubscribe) launcher.push_back("--oversubscribe");
  return launcher;
}

}  // namespace geoinv_test
