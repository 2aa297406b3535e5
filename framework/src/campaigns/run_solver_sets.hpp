// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Which solvers each run of a campaign has (docs/campaigns.md, "Sweeping the solvers").
//
// Usually every run has the same solvers (the base's, or the campaign file's `solvers:`). A sweep over
// `solvers` (sweep.zip: {noise_sigma: [0, 1], solvers: [[a], [b, c]]}) gives runs different ones. A
// run's solvers depend only on its positions on the sweep axes that change them (the "solver axes"), so
// one label list is kept per combination of those positions, not per run: memory grows with the product
// of the solver axes' sizes (a handful of values in practice), never with the number of runs, and a run's
// labels are found from its id in O(axes) without reading its experiment.
//
// campaign.json keeps `solvers`: every label, in order of first appearance (the union; all the solvers
// when every run has the same, so such a campaign.json is unchanged). Only when runs differ does it get
// `solver_sets` (to_json), which resume, collect and summary readers use to know each run's labels.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace geoinv {

class RunSolverSets {
 public:
  RunSolverSets() = default;
  // Every run has `labels` (distinct).
  explicit RunSolverSets(std::vector<std::string> labels);
  // Runs differ. `axis_sizes`: the number of values of every sweep axis, in plan order (the last varies
  // fastest); `replicates`: runs per sweep point; `solver_axes`: the indices of the axes that change the
  // labels, ascending; `labels_of`: the labels (distinct) of each combination of the solver axes'
  // positions, in mixed radix with the last solver axis fastest.
  RunSolverSets(std::vector<std::int64_t> axis_sizes, std::int64_t replicates,
                std::vector<std::size_t> solver_axes, const std::vector<std::vector<std::string>>& labels_of);

  // Every label of the campaign, in order of first appearance (campaign.json's `solvers`).
  const std::vector<std::string>& all() const { return all_; }
  // Every run has all().
  bool uniform() const { return sets_.size() <= 1; }
  // The distinct label lists; each a sub-list of all(), in its run's solver (row) order.
  const std::vector<std::vector<std::string>>& sets() const { return sets_; }
  // The index into sets() of run `run_id`'s labels (0 <= run_id < the campaign's runs).
  std::size_t set_of_run(std::int64_t run_id) const;
  const std::vector<std::string>& of_run(std::int64_t run_id) const { return sets_[set_of_run(run_id)]; }

  // campaign.json's `solver_sets` (only written when !uniform()): {"axis_sizes", "replicates", "axes",
  // "sets", "set_of"}.
  nlohmann::ordered_json to_json() const;
  // From a campaign.json (`solvers`, and `solver_sets` when present). A key missing or of the wrong type
  // throws nlohmann::json::exception (callers name the file); indices out of range or sets with labels
  // not in `solvers` are an io Error naming `file`.
  static RunSolverSets from_campaign_json(const nlohmann::ordered_json& info,
                                          const std::filesystem::path& file);

 private:
  std::vector<std::string> all_;
  std::vector<std::vector<std::string>> sets_;
  std::vector<std::int64_t> axis_sizes_;
  std::int64_t replicates_ = 1;
  std::vector<std::size_t> solver_axes_;
  std::vector<std::size_t> set_of_;  // per combination of the solver axes' positions: an index into sets_
};

}  // namespace geoinv
