// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// A folder's figures are drawn beside the old ones and replace them only when asked to, once everything is
// drawn: `geoinv plot` never destroys figures it cannot draw again (a missing or failing gnuplot leaves
// DIR/figures/ and DIR/report.html exactly as they were). Internal to the reporting room.
#include <filesystem>

namespace geoinv {

class FigureStaging {
 public:
  // Creates the empty folder DIR/.figures.partial-<pid> (removing one a killed process of the same id
  // left). Throws Error (io) when it cannot.
  explicit FigureStaging(const std::filesystem::path& dir);
  // Removes the staged folder and what is left in it.
  ~FigureStaging();
  FigureStaging(const FigureStaging&) = delete;
  FigureStaging& operator=(const FigureStaging&) = delete;

  // Where the scripts, data and figures are written and drawn.
  const std::filesystem::path& path() const { return staged_; }

  // Replaces the figures of DIR/figures/ (every .png, .svg, .pdf, .gp and .dat: a figure that no longer
  // applies does not linger; other files stay) by the staged files. Throws Error (io) when it cannot.
  void install() const;

 private:
  std::filesystem::path figures_, staged_;
};

}  // namespace geoinv
