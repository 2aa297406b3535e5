// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// --figure-formats LIST, shared by `geoinv run`, `campaign`, `collect` and `plot`.
#include <boost/program_options.hpp>
#include <string>

#include "reporting/figure_formats.hpp"

namespace geoinv_cli {

// Declares --figure-formats on a command's options.
inline void add_figure_formats_option(boost::program_options::options_description& options) {
  options.add_options()("figure-formats", boost::program_options::value<std::string>(),
                        "comma-separated figure formats among png, svg, pdf (default png,svg)");
}

// The formats asked for; the default when the option is absent. An unknown word is a usage error that
// lists the valid ones.
inline geoinv::FigureFormats figure_formats_of(const boost::program_options::variables_map& vm) {
  if (!vm.count("figure-formats")) return geoinv::default_figure_formats();
  return geoinv::parse_figure_formats(vm["figure-formats"].as<std::string>());
}

}  // namespace geoinv_cli
