// SPDX-License-Identifier: BSD-3-Clause
// summary.csv and collect in bounded memory: with a tiny budget (every group spilled, quartiles by radix
// selection over files, many merge rounds) the files are the same bytes as in memory, whatever the order
// of the rows; the quartiles are those of a plain sort; collect of shuffled shards is sorted and once.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "campaigns/campaign.hpp"
#include "e2e/cli_runner.hpp"  // TempDir
#include "geoinv/error.hpp"

namespace geoinv {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kTiny = 1024;  // bytes: everything goes through temporary files
constexpr std::int64_t kReplicates = 400, kPoints = 3, kRuns = kReplicates * kPoints;
const std::vector<std::string> kSolvers = {"dls", "gn"};

using geoinv_test::read_file;

void write(const fs::path& file, const std::string& text) { std::ofstream(file, std::ios::binary) << text; }

std::string lines(const std::string& header, const std::vector<std::string>& rows) {
  std::string text = header + "\n";
  for (const auto& row : rows) text += row + "\n";
  return text;
}

// No temporary file of the sort or of a group is left in `dir`.
bool no_temporaries(const fs::path& dir) {
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().filename().string().rfind(".geoinv-", 0) == 0 || entry.path().extension() == ".tmp")
      return false;
  return true;
}

class CampaignSummary : public ::testing::Test {
 protected:
  static constexpr const char* kResultsHeader =
      "run_id,shard,point,replicate,noise,seed,solver,status,termination,relative_error_x,relative_error_h,"
      "rms,iterations,forward_evaluations,wall_time_s,message";
  static constexpr const char* kManifestHeader = "run_id,point,replicate,noise,seed";

  void SetUp() override {
    // Values with ties, both zeros, NaN, failed runs, a quoted sweep value and message.
    std::mt19937_64 random(7);
    std::normal_distribution<double> normal(0.0, 0.3);
    const std::vector<std::string> noise = {"1", "\"a,b\"", "3.5"};
    const auto error = [&]() -> std::string {
      switch (random() % 10) {
        case 0:
          return "0";
        case 1:
          return "-0";
        case 2:
          return "nan";
        case 3:
          return "0.125";
        default:
          return fmt_double(normal(random));
      }
    };
    for (std::int64_t run = 0; run < kRuns; ++run) {
      const std::int64_t point = run / kReplicates, replicate = run % kReplicates;
      manifest_.push_back(std::to_string(run) + "," + std::to_string(point) + "," +
                          std::to_string(replicate) + "," + noise[point] + "," + std::to_string(1000 + run));
      for (const auto& solver : kSolvers) {
        const bool failed = random() % 10 == 0;
        rows_.push_back(std::to_string(run) + ",0," + std::to_string(point) + "," +
                        std::to_string(replicate) + "," + noise[point] + "," + std::to_string(1000 + run) +
                        "," + solver + "," + (failed ? "failed,plugin_error" : "converged,gradient") + "," +
                        error() + "," + error() + ",1.5," + std::to_string(random() % 20) + "," +
                        std::to_string(10 + random() % 30) + "," + fmt_double(1e-5 * (random() % 100)) +
                        (failed ? ",\"it failed, badly\"" : ","));
      }
    }
  }
  static std::string fmt_double(double value) {
    std::ostringstream text;
    text.precision(17);
    text << value;
    return text.str();
  }

  // A campaign folder (campaign.json, manifest.csv, results.csv) holding `rows`.
  fs::path folder(const std::string& name, const std::vector<std::string>& rows,
                  const std::vector<std::string>& manifest) const {
    const fs::path dir = dir_ / name;
    fs::create_directories(dir);
    write(dir / "campaign.json", R"({"name": "t", "fingerprint": "00000000000000ab", "runs": )" +
                                     std::to_string(kRuns) +
                                     R"(, "points": 3, "replicates": 400, "shard": {"index": 0, "count": 1},
  "axis_columns": ["noise"], "value_columns": ["noise"], "solvers": ["dls", "gn"], "parameters": ["x", "h"],
  "success": {"parameter": "h", "relative_error": 0.2,
              "definition": "status != failed and |relative_error_h| <= 0.2"}})");
    write(dir / "manifest.csv", lines(kManifestHeader, manifest));
    write(dir / "results.csv", lines(kResultsHeader, rows));
    return dir;
  }

  std::vector<std::string> shuffled(std::vector<std::string> rows, unsigned seed) const {
    std::mt19937 random(seed);
    std::shuffle(rows.begin(), rows.end(), random);
    return rows;
  }

  geoinv_test::TempDir temp_;
  const fs::path& dir_ = temp_.path();
  std::vector<std::string> rows_, manifest_;
};

// The quartile of a plain sort, as summary.csv documents it.
double quantile(std::vector<double> values, double q) {
  if (values.empty()) return std::nan("");
  std::sort(values.begin(), values.end());
  const double position = q * static_cast<double>(values.size() - 1);
  const auto below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (position - static_cast<double>(below)) * (values[above] - values[below]);
}

bool same(double a, double b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

TEST_F(CampaignSummary, IsTheSameBytesWhateverTheOrderAndTheBudget) {
  const fs::path ordered = folder("ordered", rows_, manifest_);
  write_summary(ordered, std::size_t{64} << 20);
  const std::string expected = read_file(ordered / "summary.csv");
  // Shuffled, with some rows written twice (as a resumed or collected file could hold them).
  std::vector<std::string> twice = rows_;
  for (std::size_t i = 0; i < rows_.size(); i += 7) twice.push_back(rows_[i]);
  const fs::path mixed = folder("mixed", shuffled(twice, 3), manifest_);
  for (const std::size_t budget : {kTiny, std::size_t{20000}, std::size_t{64} << 20}) {
    write_summary(mixed, budget);
    EXPECT_EQ(read_file(mixed / "summary.csv"), expected) << "budget " << budget;
    EXPECT_TRUE(no_temporaries(mixed)) << "budget " << budget;
  }
  EXPECT_TRUE(no_temporaries(ordered));

  // The numbers: those of a plain sort of each group's values.
  std::istringstream summary(expected);
  std::string line;
  std::getline(summary, line);
  EXPECT_EQ(
      line,
      "point,noise,solver,runs,succeeded,failed,success_rate,success_definition,median_relative_error_x,"
      "iqr_relative_error_x,median_relative_error_h,iqr_relative_error_h,median_wall_time_s,"
      "median_forward_evaluations,success_rate_ci95_low,success_rate_ci95_high,median_abs_relative_error_x,"
      "median_abs_relative_error_h");
  std::size_t groups = 0;
  while (std::getline(summary, line)) {
    const auto fields = split_csv_line(line);
    ASSERT_EQ(fields.size(), 18u) << line;
    const std::int64_t point = std::stoll(fields[0]);
    const std::string solver = fields[2];
    std::vector<double> x, h, abs_x, abs_h, time, evaluations;
    std::int64_t runs = 0, failed = 0, succeeded = 0;
    for (const auto& row : rows_) {
      const auto f = split_csv_line(row);
      if (std::stoll(f[2]) != point || f[6] != solver) continue;
      ++runs;
      if (f[7] == "failed") {
        ++failed;
        continue;
      }
      const double ex = std::stod(f[9]), eh = std::stod(f[10]);
      if (std::isfinite(ex)) {
        x.push_back(ex);
        abs_x.push_back(std::abs(ex));
      }
      if (std::isfinite(eh)) {
        h.push_back(eh);
        abs_h.push_back(std::abs(eh));
      }
      if (std::isfinite(eh) && std::abs(eh) <= 0.2) ++succeeded;
      evaluations.push_back(std::stod(f[13]));
      time.push_back(std::stod(f[14]));
    }
    EXPECT_EQ(fields[1], point == 1 ? "a,b" : point == 0 ? "1" : "3.5");
    EXPECT_EQ(std::stoll(fields[3]), runs);
    EXPECT_EQ(std::stoll(fields[4]), succeeded);
    EXPECT_EQ(std::stoll(fields[5]), failed);
    EXPECT_TRUE(same(std::stod(fields[8]), quantile(x, 0.5))) << line;
    EXPECT_TRUE(same(std::stod(fields[9]), quantile(x, 0.75) - quantile(x, 0.25))) << line;
    EXPECT_TRUE(same(std::stod(fields[10]), quantile(h, 0.5))) << line;
    EXPECT_TRUE(same(std::stod(fields[11]), quantile(h, 0.75) - quantile(h, 0.25))) << line;
    EXPECT_TRUE(same(std::stod(fields[12]), quantile(time, 0.5))) << line;
    EXPECT_TRUE(same(std::stod(fields[13]), quantile(evaluations, 0.5))) << line;
    // Wilson's 95 % interval of succeeded/runs, by its formula.
    const double n = static_cast<double>(runs), p = static_cast<double>(succeeded) / n, z = 1.959963984540054;
    const double centre = (p + z * z / (2 * n)) / (1 + z * z / n);
    const double half = z / (1 + z * z / n) * std::sqrt(p * (1 - p) / n + z * z / (4 * n * n));
    EXPECT_NEAR(std::stod(fields[14]), std::max(0.0, centre - half), 1e-12) << line;
    EXPECT_NEAR(std::stod(fields[15]), std::min(1.0, centre + half), 1e-12) << line;
    EXPECT_TRUE(same(std::stod(fields[16]), quantile(abs_x, 0.5))) << line;
    EXPECT_TRUE(same(std::stod(fields[17]), quantile(abs_h, 0.5))) << line;
    ++groups;
  }
  EXPECT_EQ(groups, 6u);
}

// kill -9 during a summary leaves its temporaries behind; the next summary into the folder removes those
// of processes that no longer run, and only those.
// A campaign.json without a key the summary needs (found by geoinv_fuzz_collect): an io Error naming the
// file, not an exception of the JSON library that ends the program.
TEST_F(CampaignSummary, CampaignJsonWithoutAKeyIsAnIoErrorNamingIt) {
  const fs::path dir = folder("damaged", rows_, manifest_);
  write(dir / "campaign.json", R"({"runs": 3, "solvers": ["dls"], "parameters": ["h"], "axis_columns": [],
                                   "success": {"parameter": "h", "definition": "d"}})");
  try {
    write_summary(dir, kTiny);
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), Error::Category::io);
    EXPECT_THAT(error.what(), ::testing::HasSubstr("campaign.json"));
    EXPECT_THAT(error.what(), ::testing::HasSubstr("relative_error"));
  }
}

TEST_F(CampaignSummary, RemovesTheTemporariesOfProcessesThatNoLongerRun) {
  const fs::path dir = folder("stale", rows_, manifest_);
  // A pid above the kernel's pid_max (2^22) belongs to no process; 1 (init) always runs.
  const std::vector<std::string> stale = {".geoinv-sort-99999999-0-3.tmp", ".geoinv-group-99999999.tmp"};
  const std::vector<std::string> kept = {".geoinv-sort-1-0-0.tmp", ".geoinv-notes.tmp", "mine.tmp"};
  for (const auto& name : stale) write(dir / name, "x");
  for (const auto& name : kept) write(dir / name, "x");
  write_summary(dir, kTiny);
  for (const auto& name : stale) EXPECT_FALSE(fs::exists(dir / name)) << name;
  for (const auto& name : kept) EXPECT_TRUE(fs::exists(dir / name)) << name;
}

TEST_F(CampaignSummary, TheMemoryBudgetComesFromTheEnvironment) {
  ::unsetenv("GEOINV_CAMPAIGN_MEMORY_BYTES");
  EXPECT_EQ(campaign_memory_budget(), kCampaignMemoryBudget);
  ::setenv("GEOINV_CAMPAIGN_MEMORY_BYTES", "4096", 1);
  EXPECT_EQ(campaign_memory_budget(), 4096u);
  ::setenv("GEOINV_CAMPAIGN_MEMORY_BYTES", "4 MB", 1);
  EXPECT_THROW(campaign_memory_budget(), Error);
  ::unsetenv("GEOINV_CAMPAIGN_MEMORY_BYTES");
}

TEST_F(CampaignSummary, CollectOfShuffledShardsIsSortedAndOnce) {
  // Shards by run id % 2, rows shuffled; shard 0 also holds rows written twice and a complete copy of run 1
  // (whose gn row shard 1 lacks); nobody has all of run 3; shard 1 ends in a torn line.
  std::vector<std::string> rows[2], manifest[2];
  for (std::int64_t run = 0; run < kRuns; ++run) manifest[run % 2].push_back(manifest_[run]);
  for (std::size_t i = 0; i < rows_.size(); ++i) {
    const std::int64_t run = static_cast<std::int64_t>(i / 2);
    if (run == 3 && i % 2 == 1) continue;
    if (run == 1 && i % 2 == 1) {
      rows[0].push_back(rows_[i - 1]);
      rows[0].push_back(rows_[i]);
      continue;
    }
    rows[run % 2].push_back(rows_[i]);
    if (i % 11 == 0) rows[0].push_back(rows_[i]);
  }
  const fs::path s0 = folder("s0", shuffled(rows[0], 1), manifest[0]);
  const fs::path s1 = folder("s1", shuffled(rows[1], 2), manifest[1]);
  std::ofstream(s1 / "results.csv", std::ios::app) << "5,0,0,5,1,1005,dls,conv";

  EXPECT_EQ(collect_campaign({s0, s1}, dir_ / "merged", kTiny).runs_without_rows, 1);
  std::vector<std::string> expected;
  for (std::size_t i = 0; i < rows_.size(); ++i)
    if (i / 2 != 3) expected.push_back(rows_[i]);
  EXPECT_EQ(read_file(dir_ / "merged" / "results.csv"), lines(kResultsHeader, expected));
  EXPECT_EQ(read_file(dir_ / "merged" / "manifest.csv"), lines(kManifestHeader, manifest_));
  EXPECT_TRUE(no_temporaries(dir_ / "merged"));
  // The same bytes in memory.
  EXPECT_EQ(collect_campaign({s0, s1}, dir_ / "in_memory", std::size_t{64} << 20).runs_without_rows, 1);
  for (const char* file : {"results.csv", "manifest.csv", "summary.csv"})
    EXPECT_EQ(read_file(dir_ / "merged" / file), read_file(dir_ / "in_memory" / file)) << file;

  // Manifests that disagree about a run: refused, and the folder collect created is gone again.
  std::ofstream(s1 / "manifest.csv", std::ios::app) << "4,0,4,1,999\n";
  try {
    collect_campaign({s0, s1}, dir_ / "conflict", kTiny);
    ADD_FAILURE() << "no error";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), ::testing::HasSubstr("conflicting manifests: run 4 differs"));
  }
  EXPECT_FALSE(fs::exists(dir_ / "conflict"));
  EXPECT_TRUE(no_temporaries(s0));
  EXPECT_TRUE(no_temporaries(s1));
}

}  // namespace
}  // namespace geoinv
