// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The forward model of an experiment evaluated on a dense grid across the profile (fit_curves.hpp,
// posterior_band.hpp): DenseGrid configures the model with the grid for as long as it lives, then with the
// experiment's stations again, also when an evaluation throws. It must not live while another thread
// uses that model.
#include <string>
#include <vector>

#include "base/csv.hpp"
#include "configuration/experiment.hpp"

namespace geoinv {

class DenseGrid {
 public:
  DenseGrid(const Experiment& experiment, const Vector& grid) : experiment_(experiment) {
    experiment_.forward->configure(experiment_.forward_options, grid);
  }
  // The stations configured the model before the run, so configuring it with them again does not fail.
  ~DenseGrid() {
    try {
      experiment_.forward->configure(experiment_.forward_options, experiment_.stations);
    } catch (...) {
    }
  }
  DenseGrid(const DenseGrid&) = delete;
  DenseGrid& operator=(const DenseGrid&) = delete;

 private:
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
