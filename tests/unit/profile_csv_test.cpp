// SPDX-License-Identifier: BSD-3-Clause
// The CSV profile reader: irregular spacing, headers, comments, and digitizing defects handled
// deliberately (refused with the lines named, or sorted/averaged when asked), never misread.
#include "configuration/profile_csv.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "geoinv/error.hpp"

namespace geoinv {
namespace {

using ::testing::HasSubstr;
namespace fs = std::filesystem;

class ProfileCsv : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "geoinv-csv-XXXXXX").string();
    dir_ = ::mkdtemp(pattern.data());
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& text) {
    const fs::path file = dir_ / "profile.csv";
    std::ofstream(file) << text;
    return file;
  }
  std::string error_of(const std::string& text, const CsvReadOptions& options = {}) {
    try {
      read_profile_csv(write(text), options);
    } catch (const Error& error) {
      EXPECT_EQ(error.category(), Error::Category::data);
      return error.what();
    }
    ADD_FAILURE() << "no error for:\n" << text;
    return {};
  }
  fs::path dir_;
};

TEST_F(ProfileCsv, ReadsCommentsHeaderIrregularSpacingAndSigma) {
  const Profile p = read_profile_csv(write("# provenance line\n\nx_m, sp_mV, s\n-3.5, 1, 0.5\n0, 2.5, 0.5\n# mid comment\n"
                                           "10.25;-4;1\n"));
  ASSERT_EQ(p.x.size(), 3);
  EXPECT_EQ(p.column_names, (std::vector<std::string>{"x_m", "sp_mV", "s"}));
  EXPECT_DOUBLE_EQ(p.x(0), -3.5);
  EXPECT_DOUBLE_EQ(p.x(2), 10.25);
  EXPECT_DOUBLE_EQ(p.value(2), -4.0);
  EXPECT_DOUBLE_EQ(p.sigma(1), 0.5);
  EXPECT_EQ(p.lines, (std::vector<int>{4, 5, 7}));
}

TEST_F(ProfileCsv, ReadsWhitespaceSeparatedRowsWithoutHeader) {
  const Profile p = read_profile_csv(write("0 1\n1.5   2\n3\t4\n"));
  ASSERT_EQ(p.x.size(), 3);
  EXPECT_EQ(p.sigma.size(), 0);
  EXPECT_DOUBLE_EQ(p.value(2), 4.0);
}

TEST_F(ProfileCsv, RefusesNonIncreasingXNamingBothLines) {
  EXPECT_THAT(error_of("x,v\n0,1\n2,1\n1,1\n3,1\n"),
              HasSubstr("profile.csv:4: x must increase: x = 1 follows x = 2 on line 3 (set data.sort: true"));
}

TEST_F(ProfileCsv, SortsWhenAskedAndSaysWhichLinesMoved) {
  CsvReadOptions options;
  options.sort = true;
  const Profile p = read_profile_csv(write("x,v\n0,10\n2,12\n1,11\n3,13\n"), options);
  EXPECT_EQ(p.x, (Eigen::VectorXd(4) << 0, 1, 2, 3).finished());
  EXPECT_EQ(p.value, (Eigen::VectorXd(4) << 10, 11, 12, 13).finished());
  EXPECT_EQ(p.lines, (std::vector<int>{2, 4, 3, 5}));
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_THAT(p.notes[0], HasSubstr("sorted by x: lines 4, 3 were out of order"));
}

TEST_F(ProfileCsv, RefusesDuplicateXNamingTheLines) {
  EXPECT_THAT(error_of("x,v\n0,1\n1,1\n1,3\n2,1\n"),
              HasSubstr("profile.csv:4: x = 1 appears on lines 3 and 4 (set data.duplicates: average"));
}

TEST_F(ProfileCsv, AveragesDuplicatesWhenAskedCombiningSigma) {
  CsvReadOptions options;
  options.average_duplicates = true;
  const Profile p = read_profile_csv(write("x,v,s\n0,1,1\n1,2,3\n1,4,4\n2,1,1\n"), options);
  ASSERT_EQ(p.x.size(), 3);
  EXPECT_DOUBLE_EQ(p.value(1), 3.0);
  EXPECT_DOUBLE_EQ(p.sigma(1), 2.5);  // sqrt(9 + 16) / 2
  ASSERT_EQ(p.notes.size(), 1u);
  EXPECT_THAT(p.notes[0], HasSubstr("averaged 2 rows with x = 1 (lines 3, 4)"));
}

TEST_F(ProfileCsv, RefusesBadCells) {
  EXPECT_THAT(error_of("x,v\n0,1\n1,\n"), HasSubstr("profile.csv:3: column 2 ('v'): '' is not a finite number"));
  EXPECT_THAT(error_of("x,v\n0,1\n1,inf\n"), HasSubstr("'inf' is not a finite number"));
  EXPECT_THAT(error_of("x,v\n0,1,2\n"), HasSubstr("profile.csv:2: 3 cells but the header names 2 columns"));
  EXPECT_THAT(error_of("x,v\n0,1\n1,2,3\n"), HasSubstr("profile.csv:3: 3 cells; the rows above have 2"));
  EXPECT_THAT(error_of("0,1\n1,2,3\n"), HasSubstr("profile.csv:2: 3 cells; the rows above have 2"));
  EXPECT_THAT(error_of("x,v,s\n0,1,0\n"), HasSubstr("sigma must be positive, found 0"));
  EXPECT_THAT(error_of("# only a comment\n"), HasSubstr("holds no data rows"));
  EXPECT_THAT(error_of("a,b,c,d\n"), HasSubstr("the header names 4 columns"));
}

TEST_F(ProfileCsv, MissingFile) {
  try {
    read_profile_csv(dir_ / "absent.csv");
    FAIL();
  } catch (const Error& error) {
    EXPECT_THAT(error.what(), HasSubstr("absent.csv: data file not found"));
  }
}

TEST(FieldProfiles, ShippedDefectsAreFoundAndHandledAsAsked) {
  const fs::path field = fs::path(GEOINV_TEST_DATA_DIR) / "field";
  // Bavarian Woods has a non-monotonic x, Surda a duplicated x: refused by default, read when asked.
  for (const char* name : {"bavarian_woods", "surda"}) {
    const fs::path file = field / name / (std::string(name) + "_anomaly.csv");
    EXPECT_THROW(read_profile_csv(file), Error) << name;
    CsvReadOptions options;
    options.sort = true;
    options.average_duplicates = true;
    const Profile p = read_profile_csv(file, options);
    EXPECT_GT(p.x.size(), 30);
    EXPECT_FALSE(p.notes.empty()) << name;
    for (Eigen::Index i = 1; i < p.x.size(); ++i) EXPECT_LT(p.x(i - 1), p.x(i));
  }
}

}  // namespace
}  // namespace geoinv
