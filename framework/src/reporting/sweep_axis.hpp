// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The sweep axis a campaign's figures are drawn against (campaign_figures.cpp): which sweep key it is,
// how it is labelled, and whether its values are drawn on a log scale. Internal to the reporting room.
#include <filesystem>
#include <string>
#include <vector>

namespace geoinv {

// The sweep key the figures are drawn against (the figures' axis): the first key ending in `noise_sigma` whose values are
// all numbers, else the only numeric key; `key` is empty when there is none, and `why` says why.
struct FigureAxis {
  std::string key;
  std::string why;
};

// Whether every value of each sweep key is a number, read from `file` (summary.csv, a row per condition,
// or results.csv before there is one); no key is numeric when the file has no rows.
std::vector<bool> numeric_sweep_keys(const std::filesystem::path& file, const std::vector<std::string>& keys);

FigureAxis choose_sweep_axis(const std::vector<std::string>& keys, const std::vector<bool>& numeric);

// What a sweep key means, for labels, from a table of the keys geoinv knows:
//   *noise_sigma                     noise σ [data unit]  (`data_unit`: campaign.json's, or "data unit")
//   budget.max_forward_evaluations   forward-evaluation budget [evaluations]
//   budget.max_wall_time_s           wall-time budget [s]
//   data.synthetic.true_model.P      true P  (no unit: campaign.json does not hold the parameters')
// Any other key is its own name, without a unit.
struct SweepKeyLabel {
  std::string name;  // for titles: "noise σ"
  std::string unit;  // empty when unknown
  std::string axis_label() const { return unit.empty() ? name : name + " [" + unit + "]"; }  // "noise σ [mV]"
};
SweepKeyLabel sweep_key_label(const std::string& key, const std::string& data_unit);

// Whether the sweep values (any order, repeats allowed) are log-spaced, and so drawn on a log axis. The
// rule (docs/campaigns.md): every value is positive, there are at least three distinct values, and the
// gaps between consecutive values are more even on a log scale than on a linear one, measured by the
// ratio of the largest gap to the smallest. {1, √10, 5, 10} and {0.1, 1, 10} are log-spaced;
// {1, 2, 3, 4} and any two values are not.
bool log_spaced(std::vector<double> values);

// The x range "[low:high]" of a figure against sweep values from `low` to `high`: 6 % of the span (of its
// logarithm on a log axis) beyond each end, so that the first and last points and their error bars stay
// clear of the frame.
std::string sweep_range(double low, double high, bool log_axis);

// Where solver `s` of `solvers` draws its point at sweep value `x`: beside the others, so that error bars
// at one value do not hide each other. A shift of 1.5 % of the axis' span (of its logarithm on a log axis)
// per solver, centred on `x`; `low` and `high` are the axis' smallest and largest sweep values.
double dodged(double x, std::size_t s, std::size_t solvers, double low, double high, bool log_axis);

}  // namespace geoinv
