// SPDX-License-Identifier: BSD-3-Clause
#include "reporting/figure_formats.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "geoinv/error.hpp"

namespace geoinv {

namespace {

constexpr FigureFormat kAll[] = {FigureFormat::png, FigureFormat::svg, FigureFormat::pdf};

std::string trimmed(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

}  // namespace

FigureFormats default_figure_formats() { return {FigureFormat::png, FigureFormat::svg}; }

std::string extension(FigureFormat format) {
  switch (format) {
    case FigureFormat::png:
      return "png";
    case FigureFormat::svg:
      return "svg";
    case FigureFormat::pdf:
      return "pdf";
  }
  return "png";
}

FigureFormats parse_figure_formats(const std::string& list) {
  FigureFormats formats;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = list.find(',', start);
    const std::string word =
        trimmed(list.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    const auto* found = std::find_if(std::begin(kAll), std::end(kAll),
                                     [&](FigureFormat format) { return extension(format) == word; });
    if (found == std::end(kAll))
      throw Error(Error::Category::usage,
                  fmt::format("--figure-formats: unknown figure format '{}' in '{}': valid formats are png, "
                              "svg, pdf (a comma-separated list, e.g. png,svg,pdf)",
                              word, list));
    if (std::find(formats.begin(), formats.end(), *found) == formats.end()) formats.push_back(*found);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return formats;
}

std::string gnuplot_formats(const FigureFormats& formats) {
  std::vector<std::string> words;
  for (FigureFormat format : formats) words.push_back(extension(format));
  return fmt::format("{}", fmt::join(words, " "));
}

std::string gnuplot_terminal(FigureFormat format, int width, int height) {
  switch (format) {
    case FigureFormat::svg:
      return fmt::format("svg noenhanced size {},{} dynamic font ',10' background '#ffffff'", width, height);
    case FigureFormat::pdf:
      return fmt::format("pdfcairo noenhanced size {:g}in,{:g}in font ',10'", width / 100.0, height / 100.0);
    case FigureFormat::png:
      break;
  }
  return fmt::format("pngcairo noenhanced size {},{} font ',10'", width, height);
}

}  // namespace geoinv
