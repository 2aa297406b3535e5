// SPDX-License-Identifier: BSD-3-Clause
// ParameterLayout (geoinv/parameter_layout.hpp): offsets and names of scalars and blocks in the flat model
// vector; and the block summaries (running/block_summary.hpp) the console, result.json and results.csv
// share.
#include <gtest/gtest.h>

#include <cmath>

#include "geoinv/error.hpp"
#include "geoinv/parameter_layout.hpp"
#include "running/block_summary.hpp"

namespace {

geoinv::ParameterSpec spec(const std::string& name, std::size_t size) {
  geoinv::ParameterSpec s;
  s.name = name;
  s.size = size;
  s.lower = -1.0;
  s.upper = 2.0;
  s.unit = "m";
  return s;
}

TEST(ParameterLayout, ScalarsOnlyIsTheIdentity) {
  const geoinv::ParameterLayout layout({spec("x0", 1), spec("h", 1)});
  EXPECT_FALSE(layout.has_blocks());
  EXPECT_EQ(layout.total_size(), 2);
  EXPECT_EQ(layout.offset(1), 1);
  EXPECT_EQ(layout.value_name(1), "h");
  const geoinv::ParameterSpecs flat = layout.flattened();
  ASSERT_EQ(flat.size(), 2u);
  EXPECT_EQ(flat[0].name, "x0");
  EXPECT_EQ(flat[1].name, "h");
}

TEST(ParameterLayout, BlocksConcatenateInDeclarationOrder) {
  const geoinv::ParameterLayout layout({spec("a", 1), spec("r", 4), spec("b", 1), spec("z", 2)});
  EXPECT_TRUE(layout.has_blocks());
  EXPECT_EQ(layout.count(), 4u);
  EXPECT_EQ(layout.total_size(), 8);
  EXPECT_EQ(layout.offset(1), 1);
  EXPECT_EQ(layout.offset(2), 5);
  EXPECT_EQ(layout.offset(3), 6);
  EXPECT_EQ(layout.block_of(0), 0u);
  EXPECT_EQ(layout.block_of(4), 1u);
  EXPECT_EQ(layout.block_of(5), 2u);
  EXPECT_EQ(layout.block_of(7), 3u);
  EXPECT_EQ(layout.value_name(3), "r[2]");
  EXPECT_EQ(layout.value_name(5), "b");
  EXPECT_EQ(layout.value_name(7), "z[1]");
  EXPECT_EQ(layout.find("b"), 2u);
  EXPECT_FALSE(layout.find("q").has_value());
  const geoinv::ParameterSpecs flat = layout.flattened();
  ASSERT_EQ(flat.size(), 8u);
  EXPECT_EQ(flat[1].name, "r[0]");
  EXPECT_EQ(flat[1].size, 1u);
  EXPECT_EQ(flat[1].unit, "m");
  EXPECT_EQ(flat[1].upper, 2.0);
}

TEST(ParameterLayout, RefusesAnUnsizedBlock) {
  EXPECT_THROW(geoinv::ParameterLayout({spec("r", 0)}), geoinv::Error);
}

TEST(BlockSummary, NormNonzerosCorrelationAndNrmseAgainstTheTruth) {
  const geoinv::ParameterLayout layout({spec("x0", 1), spec("r", 4)});
  geoinv::Vector estimate(5), truth(5);
  estimate << 7.0, 0.0, 0.2, -0.1, 1e-9;
  truth << 7.0, 0.0, 0.2, -0.2, 0.0;
  const auto summaries = geoinv::summarise_blocks(layout, estimate, truth);
  ASSERT_EQ(summaries.size(), 1u);
  const geoinv::BlockSummary& s = summaries[0];
  EXPECT_EQ(s.name, "r");
  EXPECT_EQ(s.size, 4);
  EXPECT_NEAR(s.norm, std::sqrt(0.05), 1e-9);
  EXPECT_EQ(s.nonzeros, 2);  // 1e-9 is below 1e-6 of the largest value
  EXPECT_NEAR(s.nrmse, 0.1 / std::sqrt(0.08), 1e-6);
  // Pearson correlation of (0, 0.2, -0.1, 1e-9) and (0, 0.2, -0.2, 0), computed by hand
  EXPECT_NEAR(s.correlation, 0.9733285272968534, 1e-6);
  EXPECT_EQ(geoinv::describe_block(s), "norm 0.2236 nz 2 corr 0.9733 nrmse 0.3536");
}

TEST(BlockSummary, WithoutATruthOrForAConstantBlockTheMetricsAreUnknown) {
  const geoinv::ParameterLayout layout({spec("r", 3)});
  const auto no_truth = geoinv::summarise_blocks(layout, geoinv::Vector::Constant(3, 0.5), geoinv::Vector());
  EXPECT_TRUE(std::isnan(no_truth[0].correlation));
  EXPECT_TRUE(std::isnan(no_truth[0].nrmse));
  EXPECT_EQ(geoinv::describe_block(no_truth[0]), "norm 0.866 nz 3");
  const auto zero_truth = geoinv::summarise_blocks(layout, geoinv::Vector::Zero(3), geoinv::Vector::Zero(3));
  EXPECT_TRUE(std::isnan(zero_truth[0].nrmse));
  EXPECT_EQ(zero_truth[0].nonzeros, 0);
}

}  // namespace
