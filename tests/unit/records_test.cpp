// SPDX-License-Identifier: BSD-3-Clause
// The output schemas' single owners: results.csv's row (result_row.hpp), result.json read back
// (result_json.hpp) and ranked (compare.hpp), and the two rules of reading a CSV cell as a number.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "base/csv.hpp"
#include "campaigns/result_row.hpp"
#include "e2e/cli_runner.hpp"  // TempDir
#include "geoinv/error.hpp"
#include "running/compare.hpp"
#include "running/result_json.hpp"

namespace geoinv {
namespace {

namespace fs = std::filesystem;
using geoinv_test::TempDir;
using ::testing::HasSubstr;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(ResultRow, HeaderDeclaresEveryColumnOnce) {
  EXPECT_EQ(results_header({"noise", "a,b"}, {"x", "h"}),
            "run_id,shard,point,replicate,noise,\"a,b\",seed,solver,status,termination,estimate_x,estimate_h,"
            "true_x,true_h,relative_error_x,relative_error_h,rms,chi2,iterations,forward_evaluations,"
            "jacobian_evaluations,wall_time_s,message\n");
}

TEST(ResultRow, WritesARowInTheHeadersOrder) {
  ResultRow row;
  row.solver = "dls";
  row.status = "converged";
  row.termination = "function_tolerance";
  row.estimate = {1.5, -2.0};
  row.relative_error = {0.25, kNaN};  // truth left empty: NaN for every parameter
  row.rms = 0.1;
  row.chi2 = kNaN;
  row.iterations = 3;
  row.forward_evaluations = 4;
  row.jacobian_evaluations = 5;
  row.wall_time_s = 0.0;
  row.message = "stopped: a, b";
  fmt::memory_buffer out;
  write_row(out, run_columns(7, 1, 2, 3, {"1", "a,b"}, 42), row, 2);
  EXPECT_EQ(fmt::to_string(out),
            "7,1,2,3,1,\"a,b\",42,dls,converged,function_tolerance,1.5,-2,nan,nan,0.25,nan,0.1,nan,3,4,5,0,"
            "\"stopped: a, b\"\n");
  const std::vector<std::string> header = split_csv_line(results_header({"noise", "a,b"}, {"x", "h"}));
  EXPECT_EQ(split_csv_line(fmt::to_string(out).substr(0, out.size() - 1)).size(), header.size());
}

TEST(ResultRow, ColumnsAreFoundByNameAndAMissingOneNamesTheFile) {
  std::vector<std::string> header = split_csv_line(results_header({"noise"}, {"x", "h"}));
  header.back().pop_back();  // the '\n'
  const ResultColumns columns(header, {"x", "h"}, "results.csv");
  EXPECT_EQ(columns.count(), header.size());
  EXPECT_EQ(header[columns.run_id()], "run_id");
  EXPECT_EQ(header[columns.point()], "point");
  EXPECT_EQ(header[columns.solver()], "solver");
  EXPECT_EQ(header[columns.status()], "status");
  EXPECT_EQ(header[columns.wall_time_s()], "wall_time_s");
  EXPECT_EQ(header[columns.forward_evaluations()], "forward_evaluations");
  EXPECT_EQ(header[columns.relative_error(1)], "relative_error_h");
  EXPECT_EQ(header[columns.named("noise")], "noise");
  try {
    ResultColumns(header, {"x", "K"}, "dir/results.csv");
    FAIL() << "a missing column was accepted";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("relative_error_K"));
    EXPECT_THAT(error.what(), HasSubstr("dir/results.csv"));
  }
}

TEST(CsvNumber, TheTwoRulesDifferOnlyWhereTheHeaderSays) {
  for (const double value : {0.0, -0.0, 0.1, 3.1622776601683795, -2.5e-300, 5e-324})
    for (const CsvNumberRule rule : {CsvNumberRule::leading, CsvNumberRule::whole_cell})
      EXPECT_EQ(parse_csv_number(csv_number(value), rule), value) << csv_number(value);
  EXPECT_EQ(parse_csv_number("12abc", CsvNumberRule::leading), 12.0);
  EXPECT_TRUE(std::isnan(parse_csv_number("12abc", CsvNumberRule::whole_cell)));
  EXPECT_TRUE(std::isnan(parse_csv_number("3 mV", CsvNumberRule::whole_cell)));
  EXPECT_EQ(parse_csv_number("+5", CsvNumberRule::whole_cell), 5.0);
  EXPECT_TRUE(std::isnan(parse_csv_number("+5", CsvNumberRule::leading)));
  for (const CsvNumberRule rule : {CsvNumberRule::leading, CsvNumberRule::whole_cell}) {
    EXPECT_TRUE(std::isnan(parse_csv_number("", rule)));
    EXPECT_TRUE(std::isnan(parse_csv_number("nan", rule)));
  }
}

// A result.json as geoinv writes it, cut to what the reader needs.
// `fingerprint`: data.fingerprint, absent (as before geoinv recorded it) when null.
std::string result_json_text(const std::string& experiment, const std::string& background, double bic,
                        const char* data_file, const char* fingerprint = nullptr) {
  return std::string("{\"geoinv_version\": \"1.0\", \"experiment\": \"") + experiment +
         "\", \"forward\": {\"plugin\": \"sphere\", \"background\": \"" + background +
         "\"}, \"parameters\": [{\"name\": \"x0\", \"unit\": \"m\"}, {\"name\": \"h\", \"unit\": \"m\"}], "
         "\"data\": {\"source\": \"file\", \"count\": 101, \"sigma_known\": false" +
         (data_file ? std::string(", \"file\": \"") + data_file + "\"" : std::string()) +
         (fingerprint ? std::string(", \"fingerprint\": \"") + fingerprint + "\"" : std::string()) +
         "}, \"seeds\": {\"experiment\": 1}, \"results\": [{\"solver\": \"dls\", \"plugin\": \"dls\", "
         "\"status\": \"converged\", \"termination\": \"function_tolerance\", \"estimate\": {\"x0\": 76.5, "
         "\"h\": null}, \"std_error\": null, \"rms\": 3.25, \"chi2\": null, \"aic\": " +
         std::to_string(bic - 1.0) + ", \"bic\": " + std::to_string(bic) +
         ", \"num_parameters\": 4, \"iterations\": 13, \"wall_time_s\": 0.028, \"training\": "
         "{\"description\": \"mlp 64-64\"}}]}\n";
}

TEST(RunRecord, ReadsResultJsonByField) {
  TempDir dir;
  const fs::path file = dir.write("run/result.json", result_json_text("seed", "linear", 141.5, "d.csv"));
  const RunRecord run = read_run_record(file);
  EXPECT_EQ(run.experiment, "seed");
  EXPECT_EQ(run.forward_plugin, "sphere");
  EXPECT_EQ(run.background, "linear");
  ASSERT_EQ(run.parameters.size(), 2u);
  EXPECT_EQ(run.parameters[1].name, "h");
  EXPECT_EQ(run.data_file, "d.csv");
  EXPECT_EQ(run.data_count, 101);
  EXPECT_FALSE(run.sigma_known);
  EXPECT_FALSE(run.true_model.has_value());
  EXPECT_EQ(run.experiment_seed, 1u);
  ASSERT_EQ(run.results.size(), 1u);
  const SolverRecord& dls = run.results.front();
  EXPECT_EQ(dls.solver, "dls");
  EXPECT_EQ(dls.estimate[0], 76.5);
  EXPECT_TRUE(std::isnan(dls.estimate[1])) << "null reads as NaN";
  EXPECT_TRUE(dls.std_error.empty()) << "no uncertainty";
  EXPECT_EQ(dls.rms, 3.25);
  EXPECT_TRUE(std::isnan(dls.chi2));
  EXPECT_EQ(dls.iterations, 13);
  EXPECT_FALSE(dls.forward_evaluations.has_value());
  EXPECT_TRUE(dls.trained);
  EXPECT_EQ(dls.training_description, "mlp 64-64");
}

TEST(RunRecord, ADamagedFileIsAnErrorNamingIt) {
  TempDir dir;
  for (const char* text : {"{\"experiment\": ", "{\"experiment\": \"x\"}", "[1, 2]"}) {
    const fs::path file = dir.write("run/result.json", text);
    try {
      read_run_record(file);
      FAIL() << "accepted: " << text;
    } catch (const Error& error) {
      EXPECT_THAT(error.what(), HasSubstr("not a geoinv result.json"));
      EXPECT_THAT(error.what(), HasSubstr(file.string()));
    }
  }
}

// Runs on different data are refused; --force ranks them with the warning apart from the table.
TEST(Compare, RanksByBicAndWarnsAboutDifferentData) {
  TempDir dir;
  dir.write("a/result.json", result_json_text("a", "none", 150.0, "d.csv", "00000000000000aa"));
  dir.write("b/result.json", result_json_text("b", "linear", 140.0, nullptr, "00000000000000bb"));
  try {
    compare_runs({dir.path() / "a", dir.path() / "b"});
    FAIL() << "runs on different data were ranked";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), Error::Category::data);
    EXPECT_THAT(error.what(), HasSubstr("not on the same data"));
    EXPECT_THAT(error.what(), HasSubstr("00000000000000aa"));
    EXPECT_THAT(error.what(), HasSubstr("--force"));
  }
  CompareOptions force;
  force.force = true;
  const Comparison comparison = compare_runs({dir.path() / "a", dir.path() / "b"}, force);
  const std::string& table = comparison.text;
  EXPECT_THAT(comparison.note, HasSubstr("warning: these runs are not on the same data"));
  EXPECT_EQ(table.find("warning"), std::string::npos);
  EXPECT_LT(table.find("sphere+linear"), table.find("sphere "));
  EXPECT_THAT(table, HasSubstr("lowest BIC first"));
  EXPECT_THROW(compare_runs({dir.path() / "missing"}), Error);
}

TEST(Compare, AResultJsonWithoutAFingerprintCannotBeComparedByContent) {
  TempDir dir;
  dir.write("a/result.json", result_json_text("a", "none", 150.0, "d.csv"));
  dir.write("b/result.json", result_json_text("b", "linear", 140.0, "d.csv"));
  EXPECT_EQ(read_run_record(dir.path() / "a/result.json").data_fingerprint, "");
  try {
    compare_runs({dir.path() / "a", dir.path() / "b"});
    FAIL() << "runs without data fingerprints were ranked";
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("cannot be compared by content"));
  }
  EXPECT_NO_THROW(compare_runs({dir.path() / "a"})) << "one run's solvers are on the same data";
}

TEST(Compare, SameDataRanksWithoutANoteAndEachRowNamesItsRunFolder) {
  TempDir dir;
  dir.write("a/result.json", result_json_text("a", "none", 150.0, "d.csv", "0123456789abcdef"));
  dir.write("b/result.json", result_json_text("b", "linear", 140.0, "/elsewhere/d.csv", "0123456789abcdef"));
  const fs::path a = dir.path() / "a", b = dir.path() / "b" / "result.json";
  const Comparison comparison = compare_runs({a, b});
  EXPECT_EQ(comparison.note, "");
  EXPECT_THAT(comparison.text, HasSubstr(" run\n"));
  EXPECT_THAT(comparison.text, HasSubstr(a.string() + "\n"));
  EXPECT_THAT(comparison.text, HasSubstr((dir.path() / "b").string() + "\n"));
  EXPECT_EQ(compare_format_from_string("csv"), CompareFormat::csv);
  EXPECT_EQ(compare_format_from_string("xml"), std::nullopt);
}

}  // namespace
}  // namespace geoinv
