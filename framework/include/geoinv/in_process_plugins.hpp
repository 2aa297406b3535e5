// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Forward models registered by the running process rather than loaded from a plugin file: the Python
// module's models (`geoinv.register_forward_model`, docs/python.md) register here, and every
// PluginRegistry made afterwards lists them and creates them by name as it does a plugin file's, so
// a YAML experiment names them in `forward: {plugin: NAME}` and every solver and campaign thread uses
// them. Nothing is shadowed: a name that a plugin file also holds is a clash, as between two files.
//
// The table is process-wide and thread-safe. A registry takes a snapshot of it when it is made, so a
// registration is seen by registries made after it (each experiment run and each campaign worker makes
// its own). A worker process forked by a campaign inherits the table, but not necessarily what a
// factory needs to run there (an interpreter): a factory refuses to run where it cannot, with an Error.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "geoinv/export.hpp"
#include "geoinv/forward_model.hpp"
#include "geoinv/plugin_registry.hpp"

namespace geoinv {

using InProcessForwardFactory = std::function<std::unique_ptr<ForwardModel>()>;

struct GEOINV_API InProcessForwardModel {
  PluginInfo info;  // kind forward; `file` says where it came from, e.g. "<python: module.Class>"
  InProcessForwardFactory factory;
};

// Registers (or, for a name registered before, replaces) an in-process forward model.
GEOINV_API void register_in_process_forward_model(InProcessForwardModel model);
// Removes the model `name`; false when there was none.
GEOINV_API bool unregister_in_process_forward_model(const std::string& name);
// The models registered now, sorted by name.
GEOINV_API std::vector<InProcessForwardModel> in_process_forward_models();

}  // namespace geoinv
