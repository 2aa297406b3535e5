// SPDX-License-Identifier: BSD-3-Clause
// The experiment loader (configuration/experiment.hpp) on any bytes as an experiment file: YAML parsing,
// the schema, every section, the built-in plugins' options, the data (synthetic, or a CSV file the input
// names) and the starts. The file's plugin_paths are recorded, never loaded: an input must not make the
// target open libraries.
#include "configuration/config_node.hpp"
#include "configuration/experiment.hpp"
#include "fuzz_support.hpp"
#include "geoinv/error.hpp"
#include "geoinv/plugin_registry.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  geoinv::fuzz::keep_plugins_loaded();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static geoinv::PluginRegistry registry;  // the build's plugins, loaded once
  const auto file = geoinv::fuzz::write_scratch_file("experiment.yaml", geoinv::fuzz::as_text(data, size));
  try {
    const geoinv::ConfigNode root = geoinv::load_config_file(file, {});
    geoinv::load_experiment(root, file, registry, /*add_plugin_paths=*/false);
  } catch (const geoinv::Error&) {
  }
  return 0;
}
