// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The signature that ties a trained model to what it was trained for (docs/learning-solvers.md): the
// forward plugin, its options, the background, the parameter names and the stations. A model stores it
// (TrainingSet::signature); the host refuses a model_file whose signature names other training, and says
// what differs.
#include <string>

#include "configuration/experiment.hpp"

namespace geoinv {

// Options as "name=value;" for each, in name order: the signature's and the trained-model cache key's text.
std::string options_text(const OptionValues& options);

// "forward=P;options=O;background=B;parameters=N1,N2;stations=COUNT:FINGERPRINT;station_layout=L", where
// L is "FIRST..LAST step S" for evenly spaced stations and "FIRST..LAST uneven steps MIN..MAX" otherwise
// (shortest round-trip numbers). The layout only describes stations the fingerprint already identifies:
// it is there so that a refusal can say how the stations differ, and models saved before it was added
// (signatures ending at the fingerprint) still load.
std::string training_signature(const Experiment& experiment);

// Whether a model trained for `stored` serves an experiment of signature `current`: equal once the
// station layouts are set aside.
bool same_training(const std::string& stored, const std::string& current);

// In words, what differs between a model's signature and the experiment's, e.g. "stations: the model
// has 101 stations, 0..150 step 1.5; the experiment has 51, 0..150 step 3": the stations (count, first
// and last position, spacing; for an older model only its count, its file recording no positions) and
// the forward model, options, background and parameters, each named when it differs.
std::string training_difference(const std::string& stored, const std::string& current);

}  // namespace geoinv
