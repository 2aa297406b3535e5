// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// A parameter block (parameter.hpp, size != 1) summarised by a few numbers, where a table cannot show
// its hundreds of values: the console's summary table, result.json's "blocks" and a campaign's
// results.csv (block_<name>_correlation, block_<name>_nrmse) all use these, so they agree.
#include <Eigen/Core>

#include <limits>
#include <string>
#include <vector>

#include "geoinv/forward_model.hpp"
#include "geoinv/parameter_layout.hpp"

namespace geoinv {

struct BlockSummary {
  std::string name;        // the block's parameter name
  Eigen::Index size = 0;   // number of values
  double norm = 0.0;       // Euclidean norm of the estimate, display units
  Eigen::Index nonzeros = 0;  // values with |v| > kBlockZeroTolerance · max|v| (0 for an all-zero block)
  // Against the true block (synthetic data only, NaN otherwise or when undefined): Pearson correlation
  // (NaN when either block is constant) and NRMSE = ‖estimate − truth‖ / ‖truth‖ (NaN when truth is 0).
  double correlation = std::numeric_limits<double>::quiet_NaN();
  double nrmse = std::numeric_limits<double>::quiet_NaN();
};

// A value counts as non-zero above this fraction of the block's largest magnitude: sparse solvers give
// exact zeros, smooth ones tiny values, and a relative rule treats both the same whatever the unit.
constexpr double kBlockZeroTolerance = 1e-6;

// Pearson correlation of two equally long vectors, in [−1, 1] and independent of either vector's scale
// (a block shrunk to 1e-160 included); NaN when either is constant (every value equal) or they are empty.
double pearson_correlation(const Eigen::Ref<const Vector>& a, const Eigen::Ref<const Vector>& b);
// ‖estimate − truth‖ / ‖truth‖; NaN when the truth is all zeros.
double normalised_rms_error(const Eigen::Ref<const Vector>& estimate, const Eigen::Ref<const Vector>& truth);

// One summary per block of `layout` (scalars skipped), from the flat `estimate` and, when not empty, the
// flat `truth` (internal units; blocks are never angles, so display and internal units agree).
std::vector<BlockSummary> summarise_blocks(const ParameterLayout& layout, const Vector& estimate,
                                           const Vector& truth);

// "norm 0.412 nz 12 corr 0.981 nrmse 0.121": a summary on one line, for the console and the report
// (correlation and NRMSE only when known).
std::string describe_block(const BlockSummary& summary);

}  // namespace geoinv
