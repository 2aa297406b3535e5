// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The file formats a folder's figures are drawn in: `--figure-formats png,svg,pdf` of `geoinv run`,
// `campaign`, `collect` and `plot`. Default: png,svg. PNG (pngcairo) for a quick look, SVG for report.html
// and editing, PDF (pdfcairo, vector, fonts embedded) for a paper. Every format is drawn from the same
// script body, so they always agree (figure_files.hpp: script).
#include <string>
#include <vector>

namespace geoinv {

enum class FigureFormat { png, svg, pdf };

// The formats to draw, in the order given, without repeats; never empty.
using FigureFormats = std::vector<FigureFormat>;

// png, svg.
FigureFormats default_figure_formats();

// A comma-separated list of format words ("png,svg,pdf"; spaces around words ignored). An unknown or
// empty word throws Error (usage) naming it and listing the valid formats; a repeat is dropped.
FigureFormats parse_figure_formats(const std::string& list);

// The file extension without its dot, which is also the format's word: "png".
std::string extension(FigureFormat format);

// `formats` as the words of the figure scripts' `formats` variable (figure_files.hpp: script): "png svg".
std::string gnuplot_formats(const FigureFormats& formats);

// The gnuplot `set terminal` arguments for a figure of `width` × `height` pixels (a PDF gets the same
// aspect at 100 pixels per inch).
std::string gnuplot_terminal(FigureFormat format, int width, int height);

}  // namespace geoinv
