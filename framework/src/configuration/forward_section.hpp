// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The forward section of an experiment file (docs/experiment-schema.md, "Complete example", "Stations",
// "Regional background", "Summed bodies"): which forward plugin (or sum of plugins), its options, its
// stations, the host's background term.
#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <vector>

#include "configuration/background_model.hpp"
#include "configuration/config_node.hpp"
#include "geoinv/forward_model.hpp"
#include "geoinv/plugin_registry.hpp"

namespace geoinv {

struct Experiment;

// How the stations were given, kept so the resolved config writes them back the same way.
struct StationsSpec {
  enum class Kind { data_file, list, range };
  Kind kind = Kind::data_file;  // forward.stations: default `data`, the data file's x
  std::vector<double> list;     // Kind::list: [x1, x2, ...], m
  double from = 0, to = 0;      // Kind::range: {from, to, count}, m
  std::int64_t count = 0;       // Kind::range: 2 to kMaxStations
};

// The most stations a {from, to, count} range may ask for: every station costs a few doubles per solver
// iteration, and 10^7 of them (80 MB per vector) is far beyond any profile; a typing slip (1e9, 8 GB per
// vector) fails at the key instead of in an allocation.
constexpr std::int64_t kMaxStations = 10000000;

// One forward plugin as written: forward itself, or one entry of forward.sum.
struct ForwardBodySection {
  std::string plugin;      // plugin: required; `geoinv plugins` lists the names
  ConfigNode plugin_node;  // where the plugin was named, for errors loading or calling it
  ConfigNode options;      // options: default the plugin's declared defaults
};

// One body of a resolved sum, as the resolved configuration writes it back.
struct ForwardBody {
  std::string plugin;
  OptionValues options;  // the body's own option names, every default filled in
};

// The section as written. The options are the plugin's to declare, so they are read when resolving.
struct ForwardSection {
  ConfigNode node;                           // the section, for errors of configuring the model
  std::string plugin;                        // forward.plugin: one of plugin and sum is required
  ConfigNode plugin_node;                    // where the plugin (or the sum) was named
  ConfigNode options;                        // forward.options: default the plugin's declared defaults
  std::vector<ForwardBodySection> sum;       // forward.sum: bodies added up (SummedForwardModel), not nested
  Background background = Background::none;  // forward.background: none | constant (c0) | linear (c0 + c1 x) | quadratic (+ c2 u²)
  StationsSpec stations;                     // forward.stations: read_stations, once the data's kind is known
};

// Reads the section's keys and its plugin, options and background; not its stations.
ForwardSection read_forward_section(const ConfigNode& forward);

// Reads forward.stations: synthetic data need a list or a range; a data file's stations are its x.
StationsSpec read_stations(const ConfigNode& node, bool synthetic);

// The positions a list or a range gives, m; empty for Kind::data_file.
Vector station_positions(const StationsSpec& spec);

// Loads the forward plugin (or each body of the sum), validates its options and wraps it in the background term (its coefficients
// labelled with `data_unit`): sets the experiment's forward model, options, background and parameters.
void resolve_forward_section(const ForwardSection& section, const std::string& data_unit,
                             PluginRegistry& registry, Experiment& experiment);

// Configures the forward model with its options and the experiment's stations, once the data exist,
// and takes its parameters as they are then (blocks sized): experiment.layout and .parameters.
void configure_forward_model(const ForwardSection& section, Experiment& experiment);

void emit_forward_section(const Experiment& experiment, YAML::Emitter& out);

}  // namespace geoinv
