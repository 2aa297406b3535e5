// SPDX-License-Identifier: BSD-3-Clause
// Windowed training sets (running/learning.hpp, TrainingSet::window): traces from the random sparse
// reflectivity prior through a forward model with one parameter block of one value per sample, cut into
// (window, centre value) pairs by trace_windows(); noise given as an SNR per trace.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>

#include "fixtures/sample_block_model.hpp"
#include "geoinv/error.hpp"
#include "running/learning.hpp"

namespace geoinv {
namespace {

using ::testing::HasSubstr;

Experiment sample_block_experiment(Eigen::Index samples) {
  Experiment e;
  e.forward_plugin = "sample_block";
  e.stations = Vector::LinSpaced(samples, 0.0, static_cast<double>(samples - 1));
  e.forward = std::make_shared<geoinv_fixture::SampleBlockModel>();
  e.forward->configure(OptionValues(), e.stations);
  e.layout = ParameterLayout(e.forward->parameters());
  e.parameters = e.layout.flattened();
  return e;
}

PriorSpec windowed_prior(std::int64_t window) {
  PriorSpec prior;
  prior.sampling = PriorSpec::Sampling::sparse;
  prior.samples = 20;  // traces
  prior.seed = 5;
  prior.window = window;
  return prior;
}

TEST(TraceWindows, EachRowIsTheWindowCentredOnItsSampleZeroPaddedAtTheEnds) {
  const Vector trace = (Vector(4) << 1.0, 2.0, 3.0, 4.0).finished();
  Matrix expected(4, 3);
  expected << 0, 1, 2,  //
      1, 2, 3,          //
      2, 3, 4,          //
      3, 4, 0;
  EXPECT_EQ(trace_windows(trace, 3), expected);
  EXPECT_EQ(trace_windows(trace, 1), Matrix(trace));
  EXPECT_EQ(trace_windows(trace, 11).row(0).segment(5, 4), trace.transpose());  // wider than the trace
  EXPECT_THROW(trace_windows(trace, 4), Error);
}

TEST(WindowedTrainingSet, RowsAreWindowsOfNoiseFreeTracesAndTargetsTheirCentreValue) {
  const Experiment e = sample_block_experiment(64);
  const TrainingSet set = make_training_set(e, windowed_prior(5));
  ASSERT_EQ(set.window, 5);
  ASSERT_EQ(set.inputs.rows(), 20 * 64);  // every window of every trace
  ASSERT_EQ(set.inputs.cols(), 5);
  ASSERT_EQ(set.targets.cols(), 1);
  ASSERT_EQ(set.parameters.size(), 1u);
  EXPECT_EQ(set.parameters[0].name, "r");
  // Trace by trace, sample by sample: the centre of row i is the data at sample i % 64, and with no noise
  // the data are the three-point wavelet on the targets.
  for (Eigen::Index trace = 0; trace < 20; ++trace) {
    const Eigen::Index first = trace * 64;
    const Vector r = set.targets.col(0).segment(first, 64);
    Vector data(64);
    e.forward->predict(r, data);
    EXPECT_EQ(set.inputs.col(2).segment(first, 64), data);
    EXPECT_EQ(set.inputs.block(first, 0, 64, 5), trace_windows(data, 5));
    EXPECT_EQ((r.array() != 0.0).count(), 3);  // round(0.05 · 64) spikes
  }
  EXPECT_THAT(set.description, HasSubstr("window 5: 1280 pairs"));
}

TEST(WindowedTrainingSet, PairsSubsampleAndAnSnrSetsTheNoisePerTrace) {
  Experiment e = sample_block_experiment(64);
  PriorSpec prior = windowed_prior(7);
  prior.pairs = 300;
  prior.snr = 2.0;
  const TrainingSet set = make_training_set(e, prior);
  EXPECT_EQ(set.inputs.rows(), 300);
  EXPECT_THAT(set.description, HasSubstr("snr 2"));

  // Whole traces (window 0) with the same seed: noisy data = clean + noise of RMS(clean)/2 per trace.
  prior.window = 0;
  prior.pairs = 0;
  const TrainingSet traces = make_training_set(e, prior);
  ASSERT_EQ(traces.inputs.rows(), 20);
  for (Eigen::Index k = 0; k < 20; ++k) {
    Vector clean(64);
    e.forward->predict(traces.targets.row(k).transpose(), clean);
    const double noise_rms = (traces.inputs.row(k).transpose() - clean).norm() / 8.0;
    const double sigma = clean.norm() / 8.0 / 2.0;
    EXPECT_NEAR(noise_rms / sigma, 1.0, 0.35);
  }
}

TEST(WindowedTrainingSet, NeedsOneValuePerSample) {
  Experiment e = sample_block_experiment(64);
  ParameterSpecs half = e.forward->parameters();
  half[0].size = 32;
  e.layout = ParameterLayout(half);
  e.parameters = e.layout.flattened();
  EXPECT_THAT([&] { make_training_set(e, windowed_prior(5)); },
              ::testing::ThrowsMessage<Error>(HasSubstr("one parameter block of one value per data sample")));
}

}  // namespace
}  // namespace geoinv
