// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The data section of an experiment file (docs/experiment-schema.md, "Data"): a CSV profile or synthetic
// data from a true model, and the data's unit.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>

#include "configuration/config_node.hpp"

namespace geoinv {

struct Experiment;

// The section as written. The true model is keyed by the forward plugin's parameters, so it is read when
// resolving; everything else is read here.
struct DataSection {
  ConfigNode node;         // the section, for errors about the data as a whole
  std::string unit;        // data.unit: default none ("data unit" in labels); 1 to 32 bytes, one line
  bool synthetic = false;  // exactly one of data.file and data.synthetic is given
  // data.window: default none; [x_min, x_max], m (station units), x_min < x_max: only the stations with
  // x_min <= x <= x_max are kept, of a data file or of synthetic data's stations.
  std::optional<std::pair<double, double>> window;
  ConfigNode window_node;

  // A CSV profile.
  std::filesystem::path file;        // data.file: as written, relative to the experiment file's folder
  ConfigNode file_node;              // where, for errors of reading the file
  bool sort = false;                 // data.sort: default false; sort rows by x instead of refusing
  std::string duplicates = "error";  // data.duplicates: error (default) | average (merge rows of equal x)
  std::optional<double> sigma;       // data.sigma: default none; σ for a file with no σ column, > 0
  ConfigNode sigma_node;             // (data units)

  // Synthetic data.
  ConfigNode synthetic_node;     // data.synthetic
  ConfigNode true_model;         // data.synthetic.true_model: required; every parameter, display units
  double noise_sigma = 0.0;      // data.synthetic.noise_sigma: >= 0; Gaussian noise σ, data units
  std::optional<double> noise_snr;  // data.synthetic.snr instead: RMS(signal) / RMS(noise) (noise_level.hpp)
  std::uint64_t noise_seed = 0;  // data.synthetic.seed: default derive_seed(experiment seed, 0) & kSeedMask
};

// Reads the section; `experiment_seed` gives the default noise seed.
DataSection read_data_section(const ConfigNode& data, std::uint64_t experiment_seed);

// Reads the profile CSV (data file) or the stations (synthetic data) into the
// experiment, whose forward plugin and parameters are resolved already. Synthetic data are generated
// later (make_synthetic_data), once everything they depend on is valid.
void resolve_data_section(const DataSection& section, Experiment& experiment);

// Fails unless there are at least as many data as parameters (at data.window when one is given).
void check_enough_data(const DataSection& section, const Experiment& experiment);

// Reads data.synthetic.true_model, once the forward model is configured (its blocks sized).
void resolve_true_model(const DataSection& section, Experiment& experiment);

// Fails unless the forward model calls the true model physically valid (synthetic data only).
void check_true_model(const DataSection& section, const Experiment& experiment);

// Generates the synthetic data (generate_synthetic_data), failing at the true model if they are not finite.
void make_synthetic_data(const DataSection& section, Experiment& experiment);

void emit_data_section(const Experiment& experiment, YAML::Emitter& out);

}  // namespace geoinv
