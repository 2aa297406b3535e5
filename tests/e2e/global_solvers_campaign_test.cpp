// SPDX-License-Identifier: BSD-3-Clause
// The reduced global-solvers campaign (configs/campaigns/global_solvers_ci.yaml: dls, pso, mcmc, mlp and
// mlp -> dls on 3 random sphere models, 1000 evaluations each) through the real CLI: its fixed-target
// comparison (docs/campaigns.md, "Fixed-target comparison") writes fixed_target.csv, the two anytime
// figures and the report's section; the numbers agree with the anytime column of results.csv, recomputed
// here; and the column is the same whatever wrote it (threads, worker processes, shards collected,
// --resume, MPI ranks).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "e2e/campaign_support.hpp"

namespace geoinv_test {
namespace {

using ::testing::HasSubstr;

const std::vector<std::string> kSolvers = {"dls", "pso", "mcmc", "mlp", "mlp_dls"};
const std::vector<std::string> kPrecisions = {"0.1", "0.01", "0.001"};
constexpr int kRuns = 3;
constexpr double kNoiseSigma = 3.1622776601683795;  // mV, configs/experiments/global_sphere.yaml
constexpr double kStations = 101;

fs::path campaign_file() { return source_dir() / "configs/campaigns/global_solvers_ci.yaml"; }

CliResult run_campaign(const TempDir& dir, const std::vector<std::string>& extra) {
  std::vector<std::string> args{"campaign", campaign_file().string(), "--quiet"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_geoinv(args, dir.path());
}

// (evaluations, best cost) pairs of an anytime cell.
std::vector<std::pair<long, double>> anytime_points(const std::string& cell) {
  std::vector<std::pair<long, double>> points;
  std::istringstream stream(cell);
  std::string point;
  while (stream >> point) {
    const auto colon = point.find(':');
    points.emplace_back(std::stol(point.substr(0, colon)), std::stod(point.substr(colon + 1)));
  }
  return points;
}

// fixed_target.csv without its last column (median_wall_time_s, which no two campaigns share).
std::string fixed_target_without_time(const fs::path& dir) {
  std::istringstream stream(read_file(dir / "fixed_target.csv"));
  std::string line, text;
  while (std::getline(stream, line)) text += line.substr(0, line.rfind(',')) + "\n";
  return text;
}

TEST(GlobalSolversCampaign, ReportsTheFixedTargetComparison) {
  TempDir dir;
  const CliResult run = run_campaign(dir, {"--jobs", "2", "--out", "c"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const fs::path out = dir.path() / "c";
  for (const char* file :
       {"fixed_target.csv", "figures/anytime_rms_excess.gp", "figures/anytime_rms_excess.dat",
        "figures/ecdf_evaluations_to_target.gp", "figures/ecdf_evaluations_to_target.dat"})
    EXPECT_TRUE(fs::exists(out / file)) << file;
  const std::string report = read_file(out / "report.html");
  EXPECT_THAT(report, HasSubstr("<h2>Fixed-target comparison</h2>"));
  EXPECT_THAT(report, HasSubstr("anytime_rms_excess"));
  EXPECT_THAT(report, HasSubstr("ecdf_evaluations_to_target"));
  EXPECT_EQ(read_json(out / "campaign.json")["fixed_target"]["instance"], "run");

  // The targets recomputed from results.csv: the best known of a run is the least cost any solver reached.
  const CsvTable results = read_csv(out / "results.csv");
  const std::size_t c_run = results.column("run_id"), c_solver = results.column("solver"),
                    c_anytime = results.column("anytime"), c_rms = results.column("rms"),
                    c_evaluations = results.column("forward_evaluations");
  ASSERT_EQ(results.rows.size(), kSolvers.size() * kRuns);
  std::map<std::string, double> best;
  for (const auto& row : results.rows) {
    const auto points = anytime_points(row[c_anytime]);
    if (points.empty()) continue;
    for (std::size_t i = 1; i < points.size(); ++i) {
      EXPECT_GT(points[i].first, points[i - 1].first);
      EXPECT_LT(points[i].second, points[i - 1].second);
    }
    const std::string& solver = row[c_solver];
    if (solver != "mlp_dls") EXPECT_LE(points.back().first, std::stol(row[c_evaluations])) << solver;
    // dls's estimate is its best model: its RMS is σ·√(Σ r²/N) of the record's last cost.
    if (solver == "dls")
      EXPECT_NEAR(kNoiseSigma * std::sqrt(points.back().second / kStations), std::stod(row[c_rms]),
                  1e-9 * std::stod(row[c_rms]));
    auto [at, inserted] = best.try_emplace(row[c_run], points.back().second);
    if (!inserted) at->second = std::min(at->second, points.back().second);
  }
  std::map<std::string, std::vector<int>> reached;  // per solver and target
  for (const auto& row : results.rows) {
    auto& counts = reached[row[c_solver]];
    counts.resize(kPrecisions.size());
    const auto points = anytime_points(row[c_anytime]);
    for (std::size_t t = 0; t < kPrecisions.size(); ++t) {
      const double tau = std::stod(kPrecisions[t]);
      if (!points.empty() && std::sqrt(points.back().second) <= (1 + tau) * std::sqrt(best[row[c_run]]))
        ++counts[t];
    }
  }
  EXPECT_EQ(reached["mlp"], std::vector<int>(3, 0));  // a prediction spends no counted evaluation
  EXPECT_EQ(reached["dls"], std::vector<int>(3, kRuns));
  const CsvTable table = read_csv(out / "fixed_target.csv");
  ASSERT_EQ(table.rows.size(), kSolvers.size());
  double pooled_reached = 0;
  for (std::size_t s = 0; s < kSolvers.size(); ++s) {
    const auto& row = table.rows[s];
    EXPECT_EQ(row[table.column("solver")], kSolvers[s]);
    EXPECT_EQ(row[table.column("runs")], std::to_string(kRuns));
    for (std::size_t t = 0; t < kPrecisions.size(); ++t) {
      const int count = std::stoi(row[table.column("reached_" + kPrecisions[t])]);
      EXPECT_EQ(count, reached[kSolvers[s]][t]) << kSolvers[s] << " " << kPrecisions[t];
      EXPECT_DOUBLE_EQ(std::stod(row[table.column("success_rate_" + kPrecisions[t])]), count / double(kRuns));
      const std::string median = row[table.column("median_evaluations_" + kPrecisions[t])];
      EXPECT_EQ(median == "inf", 2 * count < kRuns) << kSolvers[s] << " " << kPrecisions[t] << ": " << median;
      pooled_reached += count;
    }
    // The ECDF's last step is the share of (run, target) pairs reached at all.
    if (kSolvers[s] != "dls") continue;
    std::istringstream ecdf(read_file(out / "figures/ecdf_evaluations_to_target.dat"));
    std::string line, last;
    std::getline(ecdf, line);  // the first solver's (dls's) block
    while (std::getline(ecdf, line) && !line.empty()) last = line;
    EXPECT_DOUBLE_EQ(std::stod(last.substr(last.find(' ') + 1)), 1.0) << last;
  }
  EXPECT_GT(pooled_reached, 0);
}

TEST(GlobalSolversCampaign, TheAnytimeColumnIsTheSameWhateverWroteIt) {
  TempDir dir;
  ASSERT_EQ(run_campaign(dir, {"--jobs", "1", "--executor", "threads", "--out", "threads"}).exit_code, 0);
  const auto expected = rows_of(dir.path() / "threads");
  const std::string targets = fixed_target_without_time(dir.path() / "threads");
  ASSERT_EQ(run_campaign(dir, {"--jobs", "2", "--out", "processes"}).exit_code, 0);
  EXPECT_EQ(rows_of(dir.path() / "processes"), expected);
  for (const char* shard : {"0/2", "1/2"})
    ASSERT_EQ(
        run_campaign(dir, {"--jobs", "1", "--shard", shard, "--out", std::string("s") + shard[0]}).exit_code,
        0);
  const CliResult merged = run_geoinv({"collect", "s0", "s1", "--out", "merged"}, dir.path());
  ASSERT_EQ(merged.exit_code, 0) << merged.err;
  EXPECT_EQ(rows_of(dir.path() / "merged"), expected);
  EXPECT_EQ(fixed_target_without_time(dir.path() / "merged"), targets);
  // --resume after the first run: the other runs' rows are written again, the same.
  {
    const fs::path results = dir.path() / "processes" / "results.csv";
    std::istringstream stream(read_file(results));
    std::string line, kept;
    for (std::size_t lines = 0; lines < 1 + kSolvers.size() && std::getline(stream, line); ++lines)
      kept += line + "\n";
    std::ofstream(results, std::ios::trunc) << kept + "1,0,0,1,1000";  // and a torn line
  }
  const CliResult resumed = run_campaign(dir, {"--jobs", "1", "--out", "processes", "--resume"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(rows_of(dir.path() / "processes"), expected);
  EXPECT_EQ(fixed_target_without_time(dir.path() / "processes"), targets);
  if (!kBuiltWithMpi) GTEST_SKIP() << kWithoutMpi << " (every other writer was checked)";
  const CliResult mpi = run_geoinv_under(
      mpirun(dir, 2), {"campaign", campaign_file().string(), "--quiet", "--out", "mpi"}, dir.path());
  ASSERT_EQ(mpi.exit_code, 0) << mpi.err;
  EXPECT_EQ(rows_of(dir.path() / "mpi"), expected);
}

}  // namespace
}  // namespace geoinv_test
