// SPDX-License-Identifier: BSD-3-Clause
#include "reporting/sweep_axis.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "base/csv.hpp"
#include "campaigns/campaign_io.hpp"  // required_column
#include "reporting/figure_files.hpp"  // dat_number
#include "reporting/figures.hpp"       // for_each_csv_row, data_unit_label

namespace geoinv {

namespace fs = std::filesystem;

namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool starts_with(const std::string& text, const std::string& prefix) { return text.rfind(prefix, 0) == 0; }

// The largest gap between consecutive sorted values over the smallest.
double gap_ratio(const std::vector<double>& sorted) {
  double smallest = INFINITY, largest = 0;
  for (std::size_t i = 1; i < sorted.size(); ++i) {
    smallest = std::min(smallest, sorted[i] - sorted[i - 1]);
    largest = std::max(largest, sorted[i] - sorted[i - 1]);
  }
  return largest / smallest;
}

}  // namespace

std::vector<bool> numeric_sweep_keys(const fs::path& file, const std::vector<std::string>& keys) {
  std::vector<bool> numeric(keys.size(), true);
  std::vector<std::size_t> columns;
  bool any_row = false;
  for_each_csv_row(
      file,
      [&](const std::vector<std::string>& header) {
        for (const auto& name : keys) columns.push_back(required_column(header, name, file));
      },
      [&](const std::vector<std::string>& fields) {
        any_row = true;
        for (std::size_t k = 0; k < keys.size(); ++k)
          if (numeric[k] && !std::isfinite(parse_csv_number(fields[columns[k]], CsvNumberRule::whole_cell)))
            numeric[k] = false;
      });
  if (!any_row) numeric.assign(keys.size(), false);
  return numeric;
}

FigureAxis choose_sweep_axis(const std::vector<std::string>& keys, const std::vector<bool>& numeric) {
  FigureAxis axis;
  if (keys.empty()) {
    axis.why = "the campaign has no sweep axis";
    return axis;
  }
  std::vector<std::string> numeric_keys;
  for (std::size_t k = 0; k < keys.size(); ++k) {
    if (ends_with(keys[k], "noise_sigma") && numeric[k]) {
      axis.key = keys[k];
      return axis;
    }
    if (numeric[k]) numeric_keys.push_back(keys[k]);
  }
  if (numeric_keys.size() == 1) {
    axis.key = numeric_keys.front();
    return axis;
  }
  axis.why = numeric_keys.empty()
                 ? fmt::format("no sweep axis is numeric ({})", fmt::join(keys, ", "))
                 : fmt::format(
                       "no sweep axis ends in noise_sigma and {} are numeric ({}): which one to draw "
                       "against is ambiguous",
                       numeric_keys.size(), fmt::join(numeric_keys, ", "));
  return axis;
}

SweepKeyLabel sweep_key_label(const std::string& key, const std::string& data_unit) {
  if (ends_with(key, "noise_sigma")) return {"noise σ", data_unit_label(data_unit)};
  if (key == "budget.max_forward_evaluations") return {"forward-evaluation budget", "evaluations"};
  if (key == "budget.max_wall_time_s") return {"wall-time budget", "s"};
  const std::string truth = "data.synthetic.true_model.";
  if (starts_with(key, truth) && key.size() > truth.size()) return {"true " + key.substr(truth.size()), ""};
  return {key, ""};
}

bool log_spaced(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  if (values.size() < 3 || !(values.front() > 0) || !std::isfinite(values.back())) return false;
  std::vector<double> logs;
  for (double v : values) logs.push_back(std::log(v));
  return gap_ratio(logs) < gap_ratio(values);
}

std::string sweep_range(double low, double high, bool log_axis) {
  if (log_axis) {
    const double pad = std::exp(0.06 * (high > low ? std::log(high / low) : 1.0));
    return fmt::format("[{}:{}]", dat_number(low / pad), dat_number(high * pad));
  }
  const double pad = 0.06 * (high > low ? high - low : std::max(1.0, std::abs(low)));
  return fmt::format("[{}:{}]", dat_number(low - pad), dat_number(high + pad));
}

double dodged(double x, std::size_t s, std::size_t solvers, double low, double high, bool log_axis) {
  const double offset = static_cast<double>(s) - 0.5 * static_cast<double>(solvers - 1);
  if (log_axis) {
    const double span = std::log(high) - std::log(low);
    return x * std::exp(0.015 * offset * (span > 0 ? span : 1.0));
  }
  const double span = high - low;
  return x + 0.015 * offset * (span > 0 ? span : std::max(1.0, std::abs(x)));
}

}  // namespace geoinv
