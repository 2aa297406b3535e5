// SPDX-License-Identifier: BSD-3-Clause
#include "campaigns/run_solver_sets.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "geoinv/error.hpp"

namespace geoinv {

RunSolverSets::RunSolverSets(std::vector<std::string> labels) : all_(labels), sets_{std::move(labels)} {}

RunSolverSets::RunSolverSets(std::vector<std::int64_t> axis_sizes, std::int64_t replicates,
                             std::vector<std::size_t> solver_axes,
                             const std::vector<std::vector<std::string>>& labels_of)
    : axis_sizes_(std::move(axis_sizes)), replicates_(replicates), solver_axes_(std::move(solver_axes)) {
  for (const auto& labels : labels_of) {
    auto known = std::find(sets_.begin(), sets_.end(), labels);
    if (known == sets_.end()) known = sets_.insert(sets_.end(), labels);
    set_of_.push_back(static_cast<std::size_t>(known - sets_.begin()));
    for (const auto& label : labels)
      if (std::find(all_.begin(), all_.end(), label) == all_.end()) all_.push_back(label);
  }
  if (sets_.size() <= 1) {  // the same everywhere after all
    axis_sizes_.clear();
    solver_axes_.clear();
    set_of_.assign(1, 0);
  }
}

std::size_t RunSolverSets::set_of_run(std::int64_t run_id) const {
  if (solver_axes_.empty()) return 0;
  std::vector<std::int64_t> positions(axis_sizes_.size());
  std::int64_t rest = run_id / replicates_;
  for (std::size_t a = axis_sizes_.size(); a-- > 0;) {
    positions[a] = rest % axis_sizes_[a];
    rest /= axis_sizes_[a];
  }
  std::size_t combination = 0;
  for (const std::size_t axis : solver_axes_)
    combination =
        combination * static_cast<std::size_t>(axis_sizes_[axis]) + static_cast<std::size_t>(positions[axis]);
  return set_of_[combination];
}

nlohmann::ordered_json RunSolverSets::to_json() const {
  return {{"axis_sizes", axis_sizes_},
          {"replicates", replicates_},
          {"axes", solver_axes_},
          {"sets", sets_},
          {"set_of", set_of_}};
}

RunSolverSets RunSolverSets::from_campaign_json(const nlohmann::ordered_json& info,
                                                const std::filesystem::path& file) {
  auto all = info.at("solvers").get<std::vector<std::string>>();
  if (!info.contains("solver_sets")) return RunSolverSets(std::move(all));
  const auto& sets = info.at("solver_sets");
  const auto axis_sizes = sets.at("axis_sizes").get<std::vector<std::int64_t>>();
  const auto replicates = sets.at("replicates").get<std::int64_t>();
  const auto axes = sets.at("axes").get<std::vector<std::size_t>>();
  const auto lists = sets.at("sets").get<std::vector<std::vector<std::string>>>();
  const auto set_of = sets.at("set_of").get<std::vector<std::size_t>>();
  const auto fail = [&](const std::string& what) {
    throw Error(Error::Category::io, "not a geoinv campaign.json: solver_sets: " + what, {file.string()});
  };
  if (replicates < 1) fail("replicates must be at least 1");
  if (std::any_of(axis_sizes.begin(), axis_sizes.end(), [](std::int64_t size) { return size < 1; }))
    fail("an axis size is below 1");
  std::size_t combinations = 1;
  for (std::size_t i = 0; i < axes.size(); ++i) {
    if (axes[i] >= axis_sizes.size() || (i > 0 && axes[i] <= axes[i - 1]))
      fail("axes must be ascending axis indices");
    combinations *= static_cast<std::size_t>(axis_sizes[axes[i]]);
    if (combinations > set_of.size()) break;
  }
  if (axes.empty() || set_of.size() != combinations)
    fail("set_of must have one entry per combination of axes");
  std::vector<std::vector<std::string>> labels_of;
  for (const std::size_t index : set_of) {
    if (index >= lists.size()) fail("set_of names a set it does not have");
    labels_of.push_back(lists[index]);
  }
  RunSolverSets result(axis_sizes, replicates, axes, labels_of);
  if (result.all_ != all) fail("the labels of its sets are not those of `solvers`");
  return result;
}

}  // namespace geoinv
