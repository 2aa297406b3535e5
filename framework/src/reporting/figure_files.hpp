// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// What the run and campaign figures share (figures.hpp): the gnuplot script around a figure's commands,
// colours (solver_palette.hpp picks a solver's), numbers in .dat files, file stems, and CSV files of
// numbers read into a table. Internal to the reporting room.
#include <filesystem>
#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "reporting/figure_formats.hpp"
#include "reporting/figures.hpp"

namespace geoinv {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The i-th colour of the Okabe–Ito palette (repeating): distinguishable with the common colour-vision
// deficiencies, and in grey print.
std::string colour(std::size_t i);

// A number in a .dat file: shortest round-trip text, "NaN" (gnuplot's missing value) when not finite.
std::string dat_number(double value);

// A file stem from a solver label: letters, digits, '.', '-', '_'; unique within `used`.
std::string file_stem(const std::string& prefix, const std::string& label, std::set<std::string>& used);

// The script of one figure: the body (gnuplot commands, each line ending in '\n') is drawn once per
// word of the gnuplot string variable `formats` ("png svg pdf": figure_formats.hpp), as <name>.png
// (pngcairo), <name>.svg and <name>.pdf (pdfcairo), so the formats always agree. geoinv sets `formats`
// on gnuplot's command line (gnuplot_formats); a script run by hand draws png and svg. `width` and
// `height` in pixels.
std::string script(const Figure& figure, int width, int height, const std::string& body);

// A CSV file of numbers (fit.csv, trace_*.csv, loss_*.csv): its header and rows, each cell a number by
// the whole-cell rule (NaN for text).
struct NumericTable {
  std::vector<std::string> header;
  std::vector<std::vector<double>> rows;
  std::optional<std::size_t> column(const std::string& name) const;
  bool any_finite(std::size_t c) const;
  bool positive_where_finite(std::size_t c) const;
};
NumericTable read_numeric_table(const std::filesystem::path& file);

// Writes the chosen columns of a table as a whitespace-separated .dat file, NaN for missing values.
void write_dat(const std::filesystem::path& file, const NumericTable& table, const std::vector<std::size_t>& columns);

// Integer tics for an axis of counts (iterations, epochs) from 0 to `last`.
std::string count_tics(const char* axis, double last);

}  // namespace geoinv
