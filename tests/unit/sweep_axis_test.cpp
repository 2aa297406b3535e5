// SPDX-License-Identifier: BSD-3-Clause
// The campaign figures' sweep axis (reporting/sweep_axis.hpp): its label from the table of known keys,
// and the documented rule for a log scale.
#include "reporting/sweep_axis.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace geoinv {
namespace {

TEST(SweepAxis, KnownKeysAreLabelledByWhatTheyMean) {
  EXPECT_EQ(sweep_key_label("data.synthetic.noise_sigma", "mV").axis_label(), "noise σ [mV]");
  EXPECT_EQ(sweep_key_label("data.synthetic.noise_sigma", "mV").name, "noise σ");
  EXPECT_EQ(sweep_key_label("data.synthetic.noise_sigma", "").axis_label(), "noise σ [data unit]");
  EXPECT_EQ(sweep_key_label("budget.max_forward_evaluations", "mV").axis_label(),
            "forward-evaluation budget [evaluations]");
  EXPECT_EQ(sweep_key_label("budget.max_wall_time_s", "mV").axis_label(), "wall-time budget [s]");
  EXPECT_EQ(sweep_key_label("data.synthetic.true_model.h", "mV").axis_label(), "true h");
  EXPECT_EQ(sweep_key_label("solvers.0.options.max_iterations", "mV").axis_label(),
            "solvers.0.options.max_iterations");
}

TEST(SweepAxis, LogScaleWhenTheValuesAreLogSpaced) {
  EXPECT_TRUE(log_spaced({1, std::sqrt(10.0), 5, 10}));  // the seed study's noise levels
  EXPECT_TRUE(log_spaced({10, 0.1, 1, 1}));               // any order, repeats
  EXPECT_TRUE(log_spaced({1, 2, 4, 8, 16}));
  EXPECT_FALSE(log_spaced({1, 2, 3, 4}));
  EXPECT_FALSE(log_spaced({1, 10}));         // two values say nothing of the spacing
  EXPECT_FALSE(log_spaced({0, 1, 10, 100}));  // not positive
  EXPECT_FALSE(log_spaced({-1, 1, 10}));
  EXPECT_FALSE(log_spaced({5, 5, 5}));
}

TEST(SweepAxis, ChoosesTheNoiseKeyElseTheOnlyNumericKey) {
  EXPECT_EQ(choose_sweep_axis({"a", "data.synthetic.noise_sigma"}, {true, true}).key, "data.synthetic.noise_sigma");
  EXPECT_EQ(choose_sweep_axis({"a", "b"}, {false, true}).key, "b");
  const FigureAxis ambiguous = choose_sweep_axis({"a", "b"}, {true, true});
  EXPECT_TRUE(ambiguous.key.empty());
  EXPECT_NE(ambiguous.why.find("ambiguous"), std::string::npos);
}

TEST(SweepAxis, DodgedPointsAreCentredOnTheValue) {
  EXPECT_DOUBLE_EQ(dodged(5, 1, 3, 1, 10, false), 5);
  EXPECT_LT(dodged(5, 0, 2, 1, 10, false), 5);
  EXPECT_GT(dodged(5, 1, 2, 1, 10, true), 5);
  EXPECT_DOUBLE_EQ(dodged(5, 0, 2, 1, 10, true) * dodged(5, 1, 2, 1, 10, true), 25);
}

}  // namespace
}  // namespace geoinv
