// SPDX-License-Identifier: BSD-3-Clause
#include "configuration/data_section.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>
#include <vector>

#include "base/random.hpp"
#include "configuration/experiment.hpp"
#include "configuration/noise_level.hpp"
#include "configuration/parameter_values.hpp"
#include "configuration/plugin_options.hpp"
#include "configuration/profile_csv.hpp"
#include "configuration/top_level_section.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

// data.unit: a label, 1 to 32 bytes on one line.
std::string read_data_unit(const ConfigNode& data) {
  const ConfigNode unit = data["unit"];
  if (!unit.defined()) return "";
  const std::string text = unit.as_string();
  if (text.empty() || text.size() > 32 ||
      std::any_of(text.begin(), text.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
    unit.fail("unit must be a short label on one line (1 to 32 bytes), e.g. mV");
  return text;
}

void read_synthetic(const ConfigNode& data, std::uint64_t experiment_seed, DataSection& section) {
  for (const char* key : {"sigma", "sort", "duplicates"})
    if (data[key].defined()) data[key].fail("applies to a data file only, not to synthetic data");
  const ConfigNode& synthetic = section.synthetic_node;
  synthetic.expect_map({"true_model", "noise_sigma", "snr", "seed"});
  section.true_model = synthetic.required("true_model");
  const NoiseLevel noise = read_noise_level(synthetic, true);
  section.noise_sigma = noise.sigma.value_or(0.0);
  section.noise_snr = noise.snr;
  section.noise_seed = read_seed(synthetic, derive_seed(experiment_seed, 0) & kSeedMask);
}

// data.window: [x_min, x_max], two finite numbers in increasing order.
void read_window(const ConfigNode& data, DataSection& section) {
  const ConfigNode window = data["window"];
  if (!window.defined()) return;
  if (!window.is_sequence() || window.size() != 2)
    window.fail("expected [x_min, x_max]: the stations kept, m");
  const double low = window.at(0).as_real(), high = window.at(1).as_real();
  if (!(low < high)) window.fail(fmt::format("x_min must be less than x_max, got [{}, {}]", low, high));
  section.window = std::make_pair(low, high);
  section.window_node = window;
}

// Keeps the stations (and their data and σ, when read already) inside the window.
void apply_window(const std::pair<double, double>& window, Experiment& experiment) {
  std::vector<Eigen::Index> kept;
  for (Eigen::Index i = 0; i < experiment.stations.size(); ++i)
    if (experiment.stations(i) >= window.first && experiment.stations(i) <= window.second) kept.push_back(i);
  const auto select = [&](Vector& values) {
    if (values.size() == 0) return;
    Vector inside(static_cast<Eigen::Index>(kept.size()));
    for (std::size_t k = 0; k < kept.size(); ++k) inside(static_cast<Eigen::Index>(k)) = values(kept[k]);
    values = std::move(inside);
  };
  select(experiment.stations);
  select(experiment.observed);
  select(experiment.sigma);
}

void read_file_keys(const ConfigNode& data, DataSection& section) {
  section.file = path_value(section.file_node);
  if (const ConfigNode sort = data["sort"]; sort.defined()) section.sort = sort.as_bool();
  if (const ConfigNode duplicates = data["duplicates"]; duplicates.defined()) {
    section.duplicates = duplicates.as_string();
    if (section.duplicates != "average" && section.duplicates != "error")
      duplicates.fail("unknown duplicates policy '" + section.duplicates + "'; valid: error, average");
  }
  if (const ConfigNode sigma = data["sigma"]; sigma.defined()) {
    const double value = sigma.as_real();
    if (!(value > 0.0))
      sigma.fail(fmt::format("sigma must be positive (a standard deviation), got {}", value));
    section.sigma = value;
    section.sigma_node = sigma;
  }
}

void read_profile(const DataSection& section, Experiment& experiment) {
  CsvReadOptions options;
  options.sort = section.sort;
  options.average_duplicates = section.duplicates == "average";
  Profile profile;
  try {
    profile = read_profile_csv(relative_to(experiment.file, section.file), options);
  } catch (const Error& error) {
    // Name the config key that pointed at the file as well as the file's own line.
    throw Error(error.category(), error.where().to_string() + ": " + error.message(),
                section.file_node.location(), section.file_node.path());
  }
  experiment.data_notes = profile.notes;
  experiment.stations = profile.x;
  experiment.observed = profile.value;
  experiment.sigma = profile.sigma;
  if (section.sigma) {
    if (profile.sigma.size() > 0)
      section.sigma_node.fail("the data file has a sigma column already; remove data.sigma");
    experiment.data_sigma = section.sigma;
    experiment.sigma = Vector::Constant(profile.x.size(), *section.sigma);
  }
}

}  // namespace

DataSection read_data_section(const ConfigNode& data, std::uint64_t experiment_seed) {
  data.expect_map({"file", "sigma", "sort", "duplicates", "synthetic", "unit", "window"});
  DataSection section;
  section.node = data;
  section.unit = read_data_unit(data);
  read_window(data, section);
  section.file_node = data["file"];
  section.synthetic_node = data["synthetic"];
  if (section.file_node.defined() == section.synthetic_node.defined())
    data.fail("give exactly one of 'file' (a CSV profile) or 'synthetic' (a true model with noise)");
  section.synthetic = section.synthetic_node.defined();
  if (section.synthetic)
    read_synthetic(data, experiment_seed, section);
  else
    read_file_keys(data, section);
  return section;
}

void resolve_data_section(const DataSection& section, Experiment& experiment) {
  experiment.data_unit = section.unit;
  experiment.synthetic = section.synthetic;
  if (section.synthetic) {
    experiment.noise_sigma = section.noise_sigma;
    experiment.noise_snr = section.noise_snr;
    experiment.noise_seed = section.noise_seed;
    experiment.stations = station_positions(experiment.stations_spec);
  } else {
    experiment.data_file = section.file;
    experiment.sort_rows = section.sort;
    experiment.duplicates = section.duplicates;
    read_profile(section, experiment);
  }
  experiment.data_window = section.window;
  if (section.window) apply_window(*section.window, experiment);
}

void check_enough_data(const DataSection& section, const Experiment& experiment) {
  const auto n = static_cast<Eigen::Index>(experiment.parameters.size());
  if (section.window && experiment.stations.size() < n)
    throw Error(Error::Category::data,
                fmt::format("the window [{}, {}] keeps {} stations for {} parameters: an inversion needs at "
                            "least as many data as parameters; widen it",
                            section.window->first, section.window->second, experiment.stations.size(), n),
                section.window_node.location(), section.window_node.path());
  if (experiment.stations.size() < n)
    throw Error(
        Error::Category::data,
        fmt::format("{} data for {} parameters: an inversion needs at least as many data as parameters",
                    experiment.stations.size(), n),
        section.node.location(), section.node.path());
}

void resolve_true_model(const DataSection& section, Experiment& experiment) {
  if (section.synthetic) experiment.true_model = read_model(section.true_model, experiment);
}

void check_true_model(const DataSection& section, const Experiment& experiment) {
  if (!section.synthetic) return;
  std::string why;
  const bool valid = call_plugin(section.synthetic_node, experiment.forward_plugin,
                                 [&] { return experiment.forward->is_valid(experiment.true_model, &why); });
  if (!valid) section.true_model.fail("the true model is not physically valid: " + why);
}

void make_synthetic_data(const DataSection& section, Experiment& experiment) {
  if (!section.synthetic) return;
  call_plugin(section.synthetic_node, experiment.forward_plugin, [&] {
    generate_synthetic_data(experiment);
    return 0;
  });
  if (!experiment.observed.allFinite())
    section.true_model.fail("the forward model gives non-finite data for the true model");
}

void emit_data_section(const Experiment& e, YAML::Emitter& out) {
  out << YAML::Key << "data" << YAML::Value << YAML::BeginMap;
  if (!e.data_unit.empty()) out << YAML::Key << "unit" << YAML::Value << YAML::DoubleQuoted << e.data_unit;
  if (e.data_window) {
    out << YAML::Key << "window" << YAML::Value << YAML::Flow << YAML::BeginSeq;
    emit_number(out, e.data_window->first);
    emit_number(out, e.data_window->second);
    out << YAML::EndSeq;
  }
  if (e.synthetic) {
    out << YAML::Key << "synthetic" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "true_model" << YAML::Value;
    emit_model(out, e.layout, e.true_model);
    out << YAML::Key << (e.noise_snr ? "snr" : "noise_sigma") << YAML::Value;
    emit_number(out, e.noise_snr ? *e.noise_snr : e.noise_sigma);
    out << YAML::Key << "seed" << YAML::Value << e.noise_seed;
    out << YAML::EndMap;
  } else {
    // Absolute, so that the resolved file runs from the run directory too.
    out << YAML::Key << "file" << YAML::Value
        << fs::absolute(relative_to(e.file, e.data_file)).lexically_normal().string();
    out << YAML::Key << "sort" << YAML::Value << e.sort_rows;
    out << YAML::Key << "duplicates" << YAML::Value << e.duplicates;
    if (e.data_sigma) {
      out << YAML::Key << "sigma" << YAML::Value;
      emit_number(out, *e.data_sigma);
    }
  }
  out << YAML::EndMap;
}

}  // namespace geoinv
