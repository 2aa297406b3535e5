// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The forward model of an experiment evaluated on a dense grid across the profile (fit_curves.hpp,
// posterior_band.hpp): DenseGrid configures the model with the grid for as long as it lives, then with the
// experiment's stations again, also when an evaluation throws. It must not live while another thread
// uses that model.
#include <string>
#include <vector>

#include "base/csv.hpp"
#include "geoinv/error.hpp"
#include "geoinv/parameter_layout.hpp"
#include "configuration/experiment.hpp"

namespace geoinv {

//
// A model whose parameters are sized by its stations (a block with one value per sample, as the
// `convolution` and `impedance` traces have) has no curve between its stations: the estimate has one value
// per station, and a grid of other points would ask it for more. The constructor then restores the stations
// and throws geoinv::Error, as it does when the model refuses the grid, so the callers write no dense file.
class DenseGrid {
 public:
  DenseGrid(const Experiment& experiment, const Vector& grid) : experiment_(experiment) {
    const Eigen::Index parameters = ParameterLayout(experiment_.forward->parameters()).total_size();
    try {
      experiment_.forward->configure(experiment_.forward_options, grid);
      if (ParameterLayout(experiment_.forward->parameters()).total_size() != parameters)
        throw Error(Error::Category::plugin, "the forward model's parameters are sized by its stations");
    } catch (...) {
      restore_stations();
      throw;
    }
  }
  ~DenseGrid() { restore_stations(); }
  DenseGrid(const DenseGrid&) = delete;
  DenseGrid& operator=(const DenseGrid&) = delete;

 private:
  // The stations configured the model before the run, so configuring it with them again does not fail.
  void restore_stations() noexcept {
    try {
      experiment_.forward->configure(experiment_.forward_options, experiment_.stations);
    } catch (...) {
    }
  }

  const Experiment& experiment_;
};

// kFitCurvePoints (fit_curves.hpp) evenly spaced points from the first to the last station.
inline Vector dense_profile_grid(const Experiment& experiment, Eigen::Index points) {
  return Vector::LinSpaced(points, experiment.stations.minCoeff(), experiment.stations.maxCoeff());
}

// A CSV of equally long columns under one header line, numbers as csv_number writes them.
inline std::string columns_csv(const std::vector<std::string>& header, const std::vector<Vector>& columns) {
  std::string text;
  for (std::size_t c = 0; c < header.size(); ++c) text += (c ? "," : "") + header[c];
  text += "\n";
  for (Eigen::Index i = 0; i < columns.front().size(); ++i) {
    for (std::size_t c = 0; c < columns.size(); ++c) text += (c ? "," : "") + csv_number(columns[c](i));
    text += "\n";
  }
  return text;
}

}  // namespace geoinv
