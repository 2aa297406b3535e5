// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The colour of each solver in the figures of a run and of a campaign: one rule, so that a solver label
// has the same colour in every figure of a folder, and in a campaign's figures and those of its kept runs.
//
// The rule: a label's colour is the Okabe–Ito colour (figure_files.hpp: colour) of its position in the
// solver list it belongs to: the experiment's `solvers` (a run folder: result.json's "results", written
// in that order) or the campaign's `solvers` (campaign.json's "solvers", which its runs also use, in the
// same order). A solver that fails, or draws no curve in some figure, keeps its colour and never passes
// it to the next one. A label not in the list (a hand-edited file) gets the colour after the list's.
// Internal to the reporting room.
#include <string>
#include <vector>

namespace geoinv {

class SolverPalette {
 public:
  // `solvers`: the labels in the experiment's or campaign's order.
  explicit SolverPalette(std::vector<std::string> solvers);

  // "#rrggbb", for a gnuplot `lc rgb` term.
  std::string colour(const std::string& label) const;

 private:
  std::vector<std::string> solvers_;
};

}  // namespace geoinv
