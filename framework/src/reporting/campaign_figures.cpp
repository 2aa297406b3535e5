// SPDX-License-Identifier: BSD-3-Clause
// The figures of a campaign folder: results.csv read once and reduced to a group per solver and value of
// the sweep axis, then the box plots (campaign_box_figures.cpp) and the error and success rate against
// the sweep axis (campaign_curve_figures.cpp).
//
// In memory bounded by the campaign's budget, whatever the number of runs (docs/campaigns.md, "Memory"):
// the relative errors are sorted by (axis value, solver, row) through an ExternalSorter and reduced one
// group at a time in a BoundedValues; the outliers go to another BoundedValues until the boxes' axis
// ranges are known.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <optional>

#include "base/csv.hpp"
#include "base/external_sort.hpp"
#include "base/quantiles.hpp"
#include "campaigns/campaign.hpp"  // campaign_memory_budget
#include "campaigns/result_row.hpp"
#include "geoinv/termination.hpp"
#include "reporting/campaign_figure_data.hpp"
#include "reporting/figure_files.hpp"
#include "reporting/sweep_axis.hpp"

namespace geoinv {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

// One pass over results.csv: per solver its rows and failures; every row that did not fail goes to
// `sorter` as its relative errors in % (NaN where there are none), keyed (axis value, solver, row).
void read_results(const fs::path& dir, CampaignData& data, ExternalSorter& sorter) {
  const std::size_t solvers = data.solvers.size(), parameters = data.parameters.size();
  data.rows.assign(solvers, 0);
  data.failed.assign(solvers, 0);
  const fs::path file = dir / "results.csv";
  std::optional<ResultColumns> columns;
  std::optional<std::size_t> c_axis;
  const std::string failed_status = to_string(RunStatus::failed);
  std::vector<double> row(parameters);
  std::uint64_t row_number = 0;
  for_each_csv_row(
      file,
      [&](const std::vector<std::string>& header) {
        columns.emplace(header, data.parameters, file);
        if (!data.axis_key.empty()) c_axis = columns->named(data.axis_key);
      },
      [&](const std::vector<std::string>& fields) {
        const auto solver = std::find(data.solvers.begin(), data.solvers.end(), fields[columns->solver()]);
        if (solver == data.solvers.end()) return;
        const auto s = static_cast<std::size_t>(solver - data.solvers.begin());
        ++data.rows[s];
        if (fields[columns->status()] == failed_status) {
          ++data.failed[s];
          return;
        }
        for (std::size_t p = 0; p < parameters; ++p) {
          const double value = parse_csv_number(fields[columns->relative_error(p)], CsvNumberRule::whole_cell);
          row[p] = std::isfinite(value) ? 100.0 * value : kNaN;
          data.any_error = data.any_error || std::isfinite(value);
        }
        const double level = c_axis ? parse_csv_number(fields[*c_axis], CsvNumberRule::whole_cell) : 0.0;
        if (!std::isfinite(level)) return;
        sorter.add({signed_order_key(level), s, row_number++},
                   std::string_view(reinterpret_cast<const char*>(row.data()), parameters * sizeof(double)));
      });
}

// A group's boxes and magnitudes from its values (the relative errors, then their magnitudes); its
// outliers are added to `outliers` as (group index, parameter, value).
SweepGroup reduce_group(BoundedValues& values, double level, std::size_t solver, std::size_t parameters,
                        std::size_t index, BoundedValues& outliers) {
  SweepGroup group;
  group.level = level;
  group.solver = solver;
  const std::vector<std::array<double, 3>> q = values.quartiles();
  group.boxes.resize(parameters);
  for (std::size_t p = 0; p < parameters; ++p) {
    Box& box = group.boxes[p];
    box.q1 = box.whisker_low = q[p][0];
    box.median = q[p][1];
    box.q3 = box.whisker_high = q[p][2];
    group.magnitudes.push_back(q[parameters + p]);
  }
  values.for_each([&](const double* row) {
    for (std::size_t p = 0; p < parameters; ++p) {
      const double v = row[p];
      if (std::isnan(v)) continue;
      Box& box = group.boxes[p];
      ++box.count;
      if (box.outside(v)) {
        ++box.outliers;
        const double outlier[3] = {static_cast<double>(index), static_cast<double>(p), v};
        outliers.add(outlier);
      } else {
        box.whisker_low = std::min(box.whisker_low, v);
        box.whisker_high = std::max(box.whisker_high, v);
      }
    }
  });
  return group;
}

// The sorted rows, a group (axis value, solver) at a time, reduced to SweepGroups in that order.
std::vector<SweepGroup> group_results(const CampaignData& data, ExternalSorter& sorter, std::size_t budget,
                                      const fs::path& figures, BoundedValues& outliers) {
  const std::size_t parameters = data.parameters.size();
  BoundedValues values(2 * parameters, budget,
                       figures / fmt::format(".geoinv-figure-{}-group.tmp", static_cast<long>(::getpid())));
  std::vector<SweepGroup> groups;
  std::optional<SortKey> current;
  const auto finish_group = [&] {
    if (!current) return;
    groups.push_back(reduce_group(values, from_signed_order_key(current->a), current->b, parameters,
                                  groups.size(), outliers));
    values.clear();
  };
  std::vector<double> row(2 * parameters);
  sorter.merge([&](const SortKey& key, std::string_view payload) {
    if (!current || key.a != current->a || key.b != current->b) {
      finish_group();
      current = key;
    }
    std::memcpy(row.data(), payload.data(), parameters * sizeof(double));
    for (std::size_t p = 0; p < parameters; ++p) row[parameters + p] = std::abs(row[p]);
    values.add(row.data());
  });
  finish_group();
  return groups;
}

CampaignData campaign_data(const fs::path& dir, const json& campaign) {
  CampaignData data;
  data.name = campaign.value("name", dir.filename().string());
  data.solvers = campaign.at("solvers").get<std::vector<std::string>>();
  data.parameters = campaign.at("parameters").get<std::vector<std::string>>();
  data.axes = campaign.at("axis_columns").get<std::vector<std::string>>();
  data.data_unit = campaign.value("data_unit", std::string());
  return data;
}

}  // namespace

std::vector<double> sweep_levels(const std::vector<SweepGroup>& groups) {
  std::vector<double> levels;
  for (const auto& group : groups) levels.push_back(group.level);
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  return levels;
}

std::string pooled_note(const CampaignData& data) {
  std::vector<std::string> others;
  for (const auto& axis : data.axes)
    if (axis != data.axis_key) others.push_back(axis);
  return others.empty() ? std::string()
                        : fmt::format(" Pooled over the other sweep axes ({}).", fmt::join(others, ", "));
}

FigurePlan write_campaign_figures(const fs::path& dir, const json& campaign, const fs::path& figures) {
  FigurePlan plan;
  CampaignData data = campaign_data(dir, campaign);
  // The axis first (from summary.csv when there is one: a row per condition, not per run), so that one
  // pass over results.csv gathers everything. The budget: half to the sort, a quarter each to one group's
  // values and to the outliers.
  std::error_code ec;
  const fs::path axis_source = fs::exists(dir / "summary.csv", ec) ? dir / "summary.csv" : dir / "results.csv";
  const FigureAxis axis = choose_sweep_axis(data.axes, numeric_sweep_keys(axis_source, data.axes));
  data.axis_key = axis.key;
  const std::size_t budget = campaign_memory_budget();
  remove_stale_temporaries(figures);
  ExternalSorter sorter(figures, budget / 2);
  read_results(dir, data, sorter);
  if (std::all_of(data.rows.begin(), data.rows.end(), [](std::int64_t rows) { return rows == 0; })) {
    plan.notes.push_back("results.csv has no rows yet: no campaign figures");
    return plan;
  }
  write_wedge_section_figures(dir, campaign, figures, plan);
  write_wedge_metric_figures(dir, campaign, figures, plan);
  write_campaign_crossplot(dir, campaign, figures, plan);
  std::set<std::string> stems{"error_vs_noise", "success_vs_noise"};
  if (data.any_error) {
    BoundedValues outliers(3, budget / 4,
                           figures / fmt::format(".geoinv-figure-{}-outliers.tmp", static_cast<long>(::getpid())));
    const std::vector<SweepGroup> groups = group_results(data, sorter, budget / 4, figures, outliers);
    write_box_figures(data, groups, outliers, figures, plan, stems);
    if (!axis.key.empty()) write_error_figure(data, groups, figures, plan);
  } else {
    plan.notes.push_back(
        "results.csv has no relative errors (no true model: the base's data come from a file, or every "
        "run failed): no box plots and no error figure");
  }
  if (axis.key.empty()) {
    plan.notes.push_back("no error and success-rate figures against the noise level: " + axis.why);
    return plan;
  }
  write_success_figure(dir, campaign, data, figures, plan);
  return plan;
}

}  // namespace geoinv
