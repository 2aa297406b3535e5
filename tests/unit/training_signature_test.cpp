// SPDX-License-Identifier: BSD-3-Clause
// The trained-model signature (running/training_signature.hpp): the station layout it records describes
// the stations without deciding whether a model serves, so models saved before it still load, and a
// refusal says how the stations differ.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "running/training_signature.hpp"

namespace geoinv {
namespace {

using ::testing::HasSubstr;

const std::string kTraining = "forward=sphere;options=convention=minus;;background=none;parameters=x0,theta,h,K";

TEST(TrainingSignature, AModelSavedBeforeLayoutsWereRecordedStillServes) {
  const std::string old_model = kTraining + ";stations=101:00000000000000aa";
  const std::string current = old_model + ";station_layout=0..150 step 1.5";
  EXPECT_TRUE(same_training(old_model, current));
  EXPECT_TRUE(same_training(current, current));
  EXPECT_FALSE(same_training(kTraining + ";stations=101:00000000000000bb", current));
  EXPECT_FALSE(same_training("forward=line" + old_model.substr(14), current));
}

TEST(TrainingSignature, TheDifferenceNamesCountEndsAndSpacing) {
  const std::string model = kTraining + ";stations=101:00000000000000aa;station_layout=0..150 step 1.5";
  const std::string experiment = kTraining + ";stations=51:00000000000000bb;station_layout=0..150 step 3";
  EXPECT_EQ(training_difference(model, experiment),
            "stations: the model has 101 stations, 0..150 step 1.5; the experiment has 51 stations, 0..150 step 3");
  const std::string old_model = kTraining + ";stations=101:00000000000000cc";
  EXPECT_THAT(training_difference(old_model, experiment), HasSubstr("101 stations (its file records no positions)"));
  const std::string other_forward = "forward=cylinder" + model.substr(14);
  EXPECT_THAT(training_difference(other_forward, model), HasSubstr("forward model, options, background or parameters"));
}

}  // namespace
}  // namespace geoinv
