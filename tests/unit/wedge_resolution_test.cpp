// SPDX-License-Identifier: BSD-3-Clause
// The wedge's resolved-thickness rule (campaigns/wedge_resolution.hpp, issue 13 section 4) on traces
// built by hand, each case one clause of the rule, and the section's resolved thickness.
#include <gtest/gtest.h>

#include "campaigns/wedge_resolution.hpp"

namespace {

using Eigen::VectorXd;

// Zeros, with `top_value` at `top` and `base_value` at `base`.
VectorXd trace(Eigen::Index top, double top_value, Eigen::Index base, double base_value) {
  VectorXd e = VectorXd::Zero(64);
  e(top) += top_value;
  e(base) += base_value;
  return e;
}

TEST(WedgeResolution, ExactSpikesOfTheRightSignsResolve) {
  const geoinv::WedgeTrace wedge{20, 5, 0.2, -0.2};
  EXPECT_TRUE(geoinv::wedge_trace_resolved(trace(20, 0.2, 25, -0.2), wedge));
  // Same-sign wedge: the base must be a maximum.
  EXPECT_TRUE(geoinv::wedge_trace_resolved(trace(20, 0.2, 25, 0.2), {20, 5, 0.2, 0.2}));
  EXPECT_FALSE(geoinv::wedge_trace_resolved(trace(20, 0.2, 25, -0.2), {20, 5, 0.2, 0.2}));
}

TEST(WedgeResolution, EachClauseOfTheRuleCanFail) {
  const geoinv::WedgeTrace wedge{20, 5, 0.2, -0.2};
  // Wrong sign at the base.
  EXPECT_FALSE(geoinv::wedge_trace_resolved(trace(20, 0.2, 25, 0.2), wedge));
  // Below 10 % of the amplitude (0.02).
  EXPECT_FALSE(geoinv::wedge_trace_resolved(trace(20, 0.019, 25, -0.2), wedge));
  EXPECT_TRUE(geoinv::wedge_trace_resolved(trace(20, 0.021, 25, -0.2), wedge));
  // Top more than 2 samples off.
  EXPECT_FALSE(geoinv::wedge_trace_resolved(trace(17, 0.2, 25, -0.2), wedge));
  // Both within ±2 samples, but the separation 8 is 3 more than the thickness 5.
  EXPECT_FALSE(geoinv::wedge_trace_resolved(trace(19, 0.2, 27, -0.2), wedge));
  // Separation 6: within ±1 of 5.
  EXPECT_TRUE(geoinv::wedge_trace_resolved(trace(19, 0.2, 25, -0.2), wedge));
  // Thickness 0 never resolves.
  EXPECT_FALSE(geoinv::wedge_trace_resolved(trace(20, 0.2, 20, 0.0), {20, 0, 0.2, -0.2}));
}

TEST(WedgeResolution, PlateausCountOnceAndTheTopMustComeFirst) {
  // A flat top of two equal samples is an extremum at its first sample (> before, >= after).
  VectorXd e = trace(20, 0.2, 23, -0.2);
  e(21) = 0.2;
  EXPECT_TRUE(geoinv::wedge_trace_resolved(e, {20, 3, 0.2, -0.2}));
  // Thickness 1: a top at 21 and a base at 20 are within ±2 of both, but the base comes first.
  EXPECT_FALSE(geoinv::wedge_trace_resolved(trace(21, 0.2, 20, -0.2), {20, 1, 0.2, -0.2}));
}

TEST(WedgeResolution, ResolvedThicknessIsTheSmallestFromWhichEveryThickerTracePasses) {
  EXPECT_EQ(geoinv::resolved_thickness({0, 1, 2, 3, 4}, {false, false, true, true, true}), 2);
  // An unresolved trace at 3 moves it past 3.
  EXPECT_EQ(geoinv::resolved_thickness({0, 1, 2, 3, 4}, {false, true, true, false, true}), 4);
  // Any order, and repeated thicknesses (two traces of thickness 2, one unresolved).
  EXPECT_EQ(geoinv::resolved_thickness({4, 2, 3, 2, 1}, {true, true, true, false, true}), 3);
  // The unresolved one of two traces of one thickness comes first in thickness order: that thickness is
  // still unresolved (the seismic peer's rule, and geoinv's before, answered 2 here).
  EXPECT_EQ(geoinv::resolved_thickness({1, 2, 2, 3}, {true, false, true, true}), 3);
  EXPECT_EQ(geoinv::resolved_thickness({2, 2, 3}, {false, true, true}), 3);
  // Every trace resolved: the thinnest.
  EXPECT_EQ(geoinv::resolved_thickness({3, 1, 2}, {true, true, true}), 1);
  // The thickest fails: not resolved.
  EXPECT_FALSE(geoinv::resolved_thickness({0, 1, 2}, {true, true, false}).has_value());
  EXPECT_FALSE(geoinv::resolved_thickness({}, {}).has_value());
}

}  // namespace
