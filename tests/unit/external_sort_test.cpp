// SPDX-License-Identifier: BSD-3-Clause
// ExternalSorter: the order of std::stable_sort whatever the budget, several merge rounds when runs
// outnumber the fan-in, and no temporary file left behind (also when the consumer throws).
#include "base/external_sort.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "e2e/cli_runner.hpp"  // TempDir

namespace geoinv {
namespace {

namespace fs = std::filesystem;

class ExternalSort : public ::testing::Test {
 protected:
  bool empty() const { return fs::is_empty(dir_); }

  // Records with many equal keys (stability shows) and payloads of 0 to 200 bytes.
  static std::vector<std::pair<SortKey, std::string>> records(std::size_t count) {
    std::mt19937_64 random(42);
    std::vector<std::pair<SortKey, std::string>> result;
    for (std::size_t i = 0; i < count; ++i) {
      const SortKey key{static_cast<std::int64_t>(random() % 50) - 25, random() % 3, random() % 2};
      result.emplace_back(key, std::to_string(i) + std::string(random() % 200, 'x'));
    }
    return result;
  }

  std::vector<std::pair<SortKey, std::string>> sorted(ExternalSorter& sorter) {
    std::vector<std::pair<SortKey, std::string>> out;
    sorter.merge([&](const SortKey& key, std::string_view payload) { out.emplace_back(key, payload); });
    return out;
  }

  geoinv_test::TempDir temp_;
  const fs::path& dir_ = temp_.path();
};

TEST_F(ExternalSort, GivesTheStableOrderInMemoryAndThroughFiles) {
  auto input = records(3000);
  auto expected = input;
  std::stable_sort(expected.begin(), expected.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  for (const std::size_t budget : {std::size_t{64} << 20, std::size_t{1024}, std::size_t{300000}}) {
    ExternalSorter sorter(dir_, budget);
    for (const auto& [key, payload] : input) sorter.add(key, payload);
    const auto output = sorted(sorter);
    EXPECT_TRUE(output == expected) << "budget " << budget;
    EXPECT_TRUE(empty()) << "budget " << budget;
    if (budget == 1024) {  // hundreds of runs, merged two at a time: several rounds
      EXPECT_GT(sorter.spilled_runs(), 100u);
      EXPECT_EQ(sorter.fan_in(), 2u);
      EXPECT_GT(sorter.merge_rounds(), 5u);
    }
    if (budget == (std::size_t{64} << 20)) {
      EXPECT_EQ(sorter.spilled_runs(), 0u);
    }
  }
}

TEST_F(ExternalSort, RemovesItsFilesWhenTheConsumerThrowsOrNothingIsMerged) {
  {
    ExternalSorter sorter(dir_, 1024);
    for (const auto& [key, payload] : records(500)) sorter.add(key, payload);
    EXPECT_FALSE(empty());
    int seen = 0;
    EXPECT_THROW(sorter.merge([&](const SortKey&, std::string_view) {
      if (++seen == 100) throw std::runtime_error("stop");
    }),
                 std::runtime_error);
  }
  EXPECT_TRUE(empty());
  {
    ExternalSorter sorter(dir_, 1024);
    for (const auto& [key, payload] : records(500)) sorter.add(key, payload);
  }
  EXPECT_TRUE(empty());
}

TEST_F(ExternalSort, SortsARecordLargerThanTheBudget) {
  ExternalSorter sorter(dir_, 1024);
  sorter.add({2, 0, 0}, std::string(5000, 'b'));
  sorter.add({1, 0, 0}, std::string(3000, 'a'));
  sorter.add({3, 0, 0}, "");
  const auto output = sorted(sorter);
  ASSERT_EQ(output.size(), 3u);
  EXPECT_EQ(output[0].second, std::string(3000, 'a'));
  EXPECT_EQ(output[1].second, std::string(5000, 'b'));
  EXPECT_EQ(output[2].second, "");
  EXPECT_TRUE(empty());
}

}  // namespace
}  // namespace geoinv
