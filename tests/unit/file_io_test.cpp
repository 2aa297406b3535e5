// SPDX-License-Identifier: BSD-3-Clause
// The file writers every output and temporary goes through: an atomic write replaces the file whole or
// not at all, a temporary is removed unless kept, a reader stops at the end, and the one-line quoting
// that CSV fields and gnuplot strings share.
#include "base/file_io.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "campaigns/campaign_io.hpp"  // csv_field
#include "campaigns/results_file.hpp"  // create_results_file
#include "e2e/cli_runner.hpp"  // TempDir, read_file
#include "geoinv/error.hpp"
#include "reporting/gnuplot.hpp"  // gnuplot_quote

namespace geoinv {
namespace {

namespace fs = std::filesystem;
using geoinv_test::read_file;
using geoinv_test::TempDir;

TEST(FileIo, AtomicWriterReplacesTheFileOnlyOnCommit) {
  TempDir dir;
  const fs::path file = dir.write("out.csv", "old\n");
  {
    AtomicFileWriter writer(file);
    writer.write("new ");
    writer.write("text\n");
    EXPECT_EQ(read_file(file), "old\n");  // readers see the old file until commit
    writer.commit();
  }
  EXPECT_EQ(read_file(file), "new text\n");
  EXPECT_FALSE(fs::exists(dir.path() / "out.csv.tmp"));
}

TEST(FileIo, AtomicWriterUnwoundBeforeCommitLeavesTheOldFileAndNoTemporary) {
  TempDir dir;
  const fs::path file = dir.write("out.csv", "old\n");
  try {
    AtomicFileWriter writer(file);
    writer.write(std::string(1 << 17, 'x'));  // past the buffer: part of it is on disk
    throw std::runtime_error("a failure while writing");
  } catch (const std::runtime_error&) {
  }
  EXPECT_EQ(read_file(file), "old\n");
  EXPECT_FALSE(fs::exists(dir.path() / "out.csv.tmp"));
}

TEST(FileIo, AtomicWriterInAMissingFolderIsAnIoErrorNamingTheFile) {
  TempDir dir;
  try {
    AtomicFileWriter writer(dir.path() / "missing" / "out.csv");
    FAIL() << "no error";
  } catch (const Error& error) {
    EXPECT_EQ(error.category(), Error::Category::io);
    EXPECT_NE(std::string(error.what()).find("missing/out.csv.tmp"), std::string::npos) << error.what();
  }
}

// Every I/O error names the path and the OS reason, for each way a file is read or written.
TEST(FileIo, EveryIoErrorNamesThePathAndTheOsReason) {
  TempDir dir;
  const fs::path missing = dir.path() / "missing" / "file.csv";
  const std::string reason = std::strerror(ENOENT);
  const auto expect_path_and_reason = [&](const auto& act, const std::string& what) {
    try {
      act();
      ADD_FAILURE() << what << ": no error";
    } catch (const Error& error) {
      EXPECT_EQ(error.category(), Error::Category::io) << what;
      EXPECT_NE(std::string(error.what()).find(missing.string()), std::string::npos) << error.what();
      EXPECT_NE(std::string(error.what()).find(reason), std::string::npos) << error.what();
    }
  };
  expect_path_and_reason([&] { read_text(missing); }, "read_text");
  expect_path_and_reason([&] { write_text(missing, "text\n"); }, "write_text");
  expect_path_and_reason([&] { append_with_header(missing, "header\n", "row\n"); }, "append_with_header");
  expect_path_and_reason([&] { create_results_file(missing, "header\n"); }, "create_results_file");
  expect_path_and_reason([&] { FileReader reader(missing, 512); }, "FileReader");
}

TEST(FileIo, TemporaryIsRemovedUnlessKeptAndReadsBackExactly) {
  TempDir dir;
  const fs::path removed = dir.path() / "removed.tmp", kept = dir.path() / "kept.tmp";
  const std::uint64_t values[3] = {1, 2, 0xffffffffffffffffULL};
  {
    TempFileWriter writer(removed, 512);
    writer.write(values, sizeof values);
    writer.close();
    EXPECT_TRUE(fs::exists(removed));
  }
  EXPECT_FALSE(fs::exists(removed));
  {
    TempFileWriter writer(kept, 512);
    writer.write(values, sizeof values);
    writer.close(/*durable=*/true);
    writer.keep();
  }
  FileReader reader(kept, 512);
  std::uint64_t back[3] = {};
  ASSERT_TRUE(reader.read(back, sizeof back));
  EXPECT_EQ(back[2], values[2]);
  EXPECT_FALSE(reader.read(back, sizeof back[0]));  // the end, before any byte
}

TEST(FileIo, ShortReadIsAnIoError) {
  TempDir dir;
  const fs::path file = dir.write("short.tmp", "abc");
  FileReader reader(file, 512);
  char bytes[8];
  EXPECT_THROW(reader.read(bytes, sizeof bytes), Error);
}

TEST(FileIo, OneLineQuotingDoublesTheQuoteAndFlattensLineBreaks) {
  EXPECT_EQ(quote_on_one_line("a \"b\"\nc\r", '"'), "\"a \"\"b\"\" c \"");
  EXPECT_EQ(quote_on_one_line("it's", '\''), "'it''s'");
  EXPECT_EQ(quote_on_one_line("", '"'), "\"\"");
  // CSV quotes only fields that need it; gnuplot quotes every string.
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\"\n"), "\"say \"\"hi\"\" \"");
  EXPECT_EQ(gnuplot_quote("h (m)"), "'h (m)'");
  EXPECT_EQ(gnuplot_quote("K's\nunit"), "'K''s unit'");
}

}  // namespace
}  // namespace geoinv
