// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// What the figures of a campaign folder share: campaign_figures.cpp reads results.csv once and reduces
// it to one group per solver and value of the sweep axis; campaign_box_figures.cpp draws the box plots,
// campaign_curve_figures.cpp the error and success rate against the sweep axis. Internal to the
// reporting room.
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "base/quantiles.hpp"
#include "reporting/figures.hpp"

namespace geoinv {

// What a campaign's figures know of it: campaign.json's columns and the counts of results.csv.
struct CampaignData {
  std::string name;
  std::vector<std::string> solvers, parameters, axes;
  std::string data_unit;                    // campaign.json's, possibly empty
  std::string axis_key;                     // the sweep axis (sweep_axis.hpp); empty: none
  std::vector<std::int64_t> rows, failed;  // per solver
  bool any_error = false;                   // a finite relative error in some row
};

// Tukey's box of one parameter's relative errors (%): quartiles (as summary.csv computes them), whiskers
// at the most extreme values within 1.5 IQR of the box, and how many values lie beyond (outliers).
struct Box {
  std::size_t count = 0, outliers = 0;
  double whisker_low = std::numeric_limits<double>::quiet_NaN(), q1 = whisker_low, median = whisker_low,
         q3 = whisker_low, whisker_high = whisker_low;
  bool outside(double v) const {
    const double reach = 1.5 * (q3 - q1);
    return v < q1 - reach || v > q3 + reach;
  }
};

// The runs of one solver at one value of the sweep axis (every run of the solver when there is no axis)
// that did not fail; points of the sweep that share the value are pooled.
struct SweepGroup {
  double level = 0;  // the sweep axis' value (0 without an axis)
  std::size_t solver = 0;
  std::vector<Box> boxes;                          // per parameter: relative error in %
  std::vector<std::array<double, 3>> magnitudes;  // per parameter: q25, median, q75 of |relative error| in %
};

// Draws the box plot of each parameter's relative error, one box per solver and value of the sweep axis,
// with each solver's outlier count in the legend. `outliers` holds every outlier of the groups' boxes as
// a row (group index, parameter index, relative error in %).
void write_box_figures(const CampaignData& data, const std::vector<SweepGroup>& groups, BoundedValues& outliers,
                       const std::filesystem::path& figures, FigurePlan& plan, std::set<std::string>& stems);

// The median |relative error| with its IQR band against the sweep axis, per parameter and solver.
void write_error_figure(const CampaignData& data, const std::vector<SweepGroup>& groups,
                        const std::filesystem::path& figures, FigurePlan& plan);

// The success rate with its Wilson 95 % interval against the sweep axis, from summary.csv.
void write_success_figure(const std::filesystem::path& dir, const nlohmann::json& campaign,
                          const CampaignData& data, const std::filesystem::path& figures, FigurePlan& plan);

// The sorted distinct values of the sweep axis among `groups`.
std::vector<double> sweep_levels(const std::vector<SweepGroup>& groups);

// " Pooled over the other sweep axes (…)." for a caption; empty when the axis is the only one.
std::string pooled_note(const CampaignData& data);

}  // namespace geoinv
