// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// What the campaign's plan and its run evaluators share: a run's experiment read from the parsed base
// with the run's overrides, and the plugin search path the base names. Internal to the campaigns room.
#include <cstdint>

#include "base/random.hpp"  // kSeedMask
#include "campaigns/campaign.hpp"
#include "configuration/experiment.hpp"
#include "geoinv/plugin_registry.hpp"

namespace geoinv {

// The experiment of run `spec`: `base_root` (a private copy of plan.base_root) with run_overrides. A key
// path that does not fit the base is a config Error naming the campaign file and the run.
Experiment load_run(const CampaignPlan& plan, const YAML::Node& base_root, PluginRegistry& registry,
                    const RunSpec& spec);

// Adds the base's plugin_paths (relative to the base file) to `registry`.
void add_plugin_paths(const CampaignPlan& plan, PluginRegistry& registry);

}  // namespace geoinv
