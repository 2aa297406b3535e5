// SPDX-License-Identifier: BSD-3-Clause
#include "running/block_summary.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace geoinv {

double pearson_correlation(const Eigen::Ref<const Vector>& a, const Eigen::Ref<const Vector>& b) {
  if (a.size() == 0 || a.size() != b.size()) return std::numeric_limits<double>::quiet_NaN();
  // A constant vector has no correlation, although rounding leaves its centred values not quite zero.
  if (!(a.minCoeff() < a.maxCoeff()) || !(b.minCoeff() < b.maxCoeff())) return std::numeric_limits<double>::quiet_NaN();
  // Centred and divided by their largest magnitude: the squares of a block shrunk to 1e-160 would
  // underflow in the norms while its products with the other vector do not, inflating r past the truth.
  Vector da = a.array() - a.mean();
  Vector db = b.array() - b.mean();
  da /= da.cwiseAbs().maxCoeff();
  db /= db.cwiseAbs().maxCoeff();
  return std::clamp(da.dot(db) / (da.norm() * db.norm()), -1.0, 1.0);  // |r| <= 1 up to rounding
}

double normalised_rms_error(const Eigen::Ref<const Vector>& estimate, const Eigen::Ref<const Vector>& truth) {
  const double scale = truth.norm();
  return scale > 0.0 ? (estimate - truth).norm() / scale : std::numeric_limits<double>::quiet_NaN();
}

std::vector<BlockSummary> summarise_blocks(const ParameterLayout& layout, const Vector& estimate,
                                           const Vector& truth) {
  std::vector<BlockSummary> summaries;
  for (std::size_t p = 0; p < layout.count(); ++p) {
    if (!layout.is_block(p)) continue;
    const auto values = estimate.segment(layout.offset(p), layout.size(p));
    BlockSummary s;
    s.name = layout.specs()[p].name;
    s.size = layout.size(p);
    s.norm = values.norm();
    const double largest = values.cwiseAbs().maxCoeff();
    s.nonzeros = largest > 0.0 ? (values.array().abs() > kBlockZeroTolerance * largest).count() : 0;
    if (truth.size() == estimate.size()) {
      const auto true_values = truth.segment(layout.offset(p), layout.size(p));
      s.correlation = pearson_correlation(values, true_values);
      s.nrmse = normalised_rms_error(values, true_values);
    }
    summaries.push_back(std::move(s));
  }
  return summaries;
}

std::string describe_block(const BlockSummary& summary) {
  std::string text = fmt::format("norm {:.4g} nz {}", summary.norm, summary.nonzeros);
  if (std::isfinite(summary.correlation)) text += fmt::format(" corr {:.4g}", summary.correlation);
  if (std::isfinite(summary.nrmse)) text += fmt::format(" nrmse {:.4g}", summary.nrmse);
  return text;
}

}  // namespace geoinv
