// SPDX-License-Identifier: BSD-3-Clause
// The fixed-target comparison's pieces (campaigns/fixed_target.hpp, anytime_column.hpp): evaluations to a
// target, censoring, ties, the ECDF's steps and denominator, the censored median, and the anytime cell of
// results.csv read back.
#include "campaigns/fixed_target.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "campaigns/anytime_column.hpp"
#include "campaigns/result_row.hpp"

namespace geoinv {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

const AnytimeRecord kRecord = {{1, 100.0}, {5, 50.0}, {12, 10.0}, {40, 9.0}};

TEST(FixedTarget, TargetCostIsOnTheRmsScale) {
  EXPECT_DOUBLE_EQ(target_cost(4.0, 0.1), 1.21 * 4.0);
  // RMS within 1 % of the best known RMS: √(cost) ≤ 1.01·√(best).
  EXPECT_NEAR(std::sqrt(target_cost(36.0, 0.01)), 6.06, 1e-12);
}

TEST(FixedTarget, EvaluationsToTargetIsTheFirstPointAtOrBelowIt) {
  EXPECT_EQ(evaluations_to_target(kRecord, 60.0), 5);
  EXPECT_EQ(evaluations_to_target(kRecord, 50.0), 5);  // reaching the target exactly counts
  EXPECT_EQ(evaluations_to_target(kRecord, 1000.0), 1);
  EXPECT_EQ(evaluations_to_target(kRecord, 9.0), 40);
}

TEST(FixedTarget, ATargetNeverReachedIsCensored) {
  EXPECT_FALSE(evaluations_to_target(kRecord, 8.99).has_value());
  EXPECT_FALSE(evaluations_to_target(AnytimeRecord(), 1e300).has_value());
}

TEST(FixedTarget, BestCostAtHoldsTheLastPointBeforeAndAfterTheRecord) {
  EXPECT_EQ(best_cost_at(kRecord, 0), kInf);
  EXPECT_EQ(best_cost_at(kRecord, 1), 100.0);
  EXPECT_EQ(best_cost_at(kRecord, 11), 50.0);
  EXPECT_EQ(best_cost_at(kRecord, 12), 10.0);
  EXPECT_EQ(best_cost_at(kRecord, 1000000), 9.0);
  EXPECT_EQ(best_cost_at(AnytimeRecord(), 10), kInf);
}

TEST(FixedTarget, EcdfCountsCensoredPairsInTheDenominatorAndTiesAsOneStep) {
  const std::vector<std::optional<std::int64_t>> hits = {7, std::nullopt, 3, 7, std::nullopt, 20,
                                                         7, std::nullopt};
  const std::vector<EcdfStep> steps = evaluations_ecdf(hits);
  ASSERT_EQ(steps.size(), 3u);
  EXPECT_EQ(steps[0].evaluations, 3);
  EXPECT_DOUBLE_EQ(steps[0].fraction, 1.0 / 8);
  EXPECT_EQ(steps[1].evaluations, 7);  // three pairs at 7: one step
  EXPECT_DOUBLE_EQ(steps[1].fraction, 4.0 / 8);
  EXPECT_EQ(steps[2].evaluations, 20);
  EXPECT_DOUBLE_EQ(steps[2].fraction, 5.0 / 8);  // the share reached at all, not 1
}

TEST(FixedTarget, EcdfOfNothingReachedIsEmpty) {
  EXPECT_TRUE(evaluations_ecdf({std::nullopt, std::nullopt}).empty());
  EXPECT_TRUE(evaluations_ecdf({}).empty());
}

TEST(FixedTarget, CensoredMedianCountsUnreachedAsLongerThanAny) {
  EXPECT_DOUBLE_EQ(censored_median({5, 1, 3}), 3.0);
  EXPECT_DOUBLE_EQ(censored_median({4, 1, 3, 10}), 3.5);
  EXPECT_DOUBLE_EQ(censored_median({2, std::nullopt, 8}), 8.0);          // 2 of 3 reached
  EXPECT_EQ(censored_median({2, std::nullopt, std::nullopt}), kInf);     // fewer than half
  EXPECT_EQ(censored_median({2, 4, std::nullopt, std::nullopt}), kInf);  // the upper middle is censored
  EXPECT_TRUE(std::isnan(censored_median({})));
}

TEST(AnytimeColumn, CellReadsBackToTheSameRecord) {
  const AnytimeRecord record = {{1, 5413.2}, {9, 0.1 + 0.2}, {40, 1e-300}};
  const std::string cell = anytime_cell(record);
  EXPECT_EQ(cell, "1:5413.2 9:0.30000000000000004 40:1e-300");
  const auto back = parse_anytime_cell(cell);
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ((*back)[i].evaluations, record[i].evaluations);
    EXPECT_EQ((*back)[i].best_cost, record[i].best_cost);
  }
  EXPECT_EQ(anytime_cell({}), "");
  EXPECT_TRUE(parse_anytime_cell("")->empty());
}

TEST(AnytimeColumn, DamagedCellsAreRefused) {
  for (const char* cell : {"1", "1:x", "a:3", "1:2 ", "1:2  3:4", "1:2,3:4"})
    EXPECT_FALSE(parse_anytime_cell(cell).has_value()) << cell;
}

TEST(AnytimeColumn, AChainCountsItsPredecessorsEvaluations) {
  const AnytimeRecord before = {{1, 100.0}, {30, 20.0}};
  // The successor starts at the predecessor's estimate (its first point no better), then improves.
  const AnytimeRecord own = {{1, 20.0}, {4, 15.0}, {9, 14.0}};
  const AnytimeRecord chained = chained_record(before, 50, own);
  ASSERT_EQ(chained.size(), 4u);
  EXPECT_EQ(chained[2].evaluations, 54);
  EXPECT_EQ(chained[2].best_cost, 15.0);
  EXPECT_EQ(chained[3].evaluations, 59);
  EXPECT_EQ(evaluations_to_target(chained, 15.0), 54);
}

TEST(AnytimeColumn, ResultsHeaderAndRowCarryTheColumnOnlyWhenAsked) {
  EXPECT_EQ(results_header({}, {"h"}).find("anytime"), std::string::npos);
  const std::string header = results_header({}, {"h"}, {}, true);
  EXPECT_EQ(header.substr(header.size() - 17), ",message,anytime\n");
  ResultRow row;
  row.solver = "dls";
  row.message = "done";
  fmt::memory_buffer plain;
  write_row(plain, "0,0,0,0,1", row, 1);
  row.anytime = anytime_cell(kRecord);
  fmt::memory_buffer with;
  write_row(with, "0,0,0,0,1", row, 1);
  EXPECT_EQ(fmt::to_string(with),
            fmt::to_string(plain).substr(0, plain.size() - 1) + ",1:100 5:50 12:10 40:9\n");
}

}  // namespace
}  // namespace geoinv
