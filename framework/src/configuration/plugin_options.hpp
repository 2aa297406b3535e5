// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// A plugin's options in an experiment file (forward.options, solvers[].options): read against the
// plugin's declared OptionSpecs, so plugins never parse YAML, and written back with every default.
#include <yaml-cpp/yaml.h>

#include <exception>
#include <string>

#include "configuration/config_node.hpp"
#include "geoinv/error.hpp"
#include "geoinv/options.hpp"

namespace geoinv {

// Calls into a plugin. Plugins throw whatever they like; the user sees the plugin's message at the config
// key that caused the call (`node`). An Error that already names a file passes through unchanged.
template <typename Function>
auto call_plugin(const ConfigNode& node, const std::string& plugin, Function&& function) {
  try {
    return function();
  } catch (const Error& error) {
    if (!error.where().file.empty()) throw;
    throw Error(Error::Category::plugin, "plugin '" + plugin + "': " + error.message(), node.location(),
                node.path());
  } catch (const std::exception& error) {
    throw Error(Error::Category::plugin, "plugin '" + plugin + "': " + error.what(), node.location(),
                node.path());
  }
}

// Creates a plugin instance through `create` (a registry call). The registry's error (an unknown name
// with the nearest match, a refused library) is reported at `node`, where the plugin was named.
template <typename Create>
auto create_plugin(const ConfigNode& node, Create&& create) {
  try {
    return create();
  } catch (const Error& error) {
    throw Error(error.category(), error.message(), node.location(), node.path());
  }
}

// The options map `node` validated against `specs`: the declared defaults, replaced by the values given.
// An undefined node gives the defaults; an unknown key, a wrong type or a value out of range fails at
// its key, naming what is valid.
OptionValues read_options(const ConfigNode& node, const OptionSpecs& specs, const std::string& plugin);

// Writes `options` as a block map in declaration order: reals with 15 significant digits, strings quoted.
void emit_options(YAML::Emitter& out, const OptionValues& options);

}  // namespace geoinv
