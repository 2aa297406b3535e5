// SPDX-License-Identifier: BSD-3-Clause
// geoinv compare and plot: the commands that read finished run or campaign folders.
#include <fmt/format.h>

#include <iostream>
#include <string>
#include <vector>

#include "arguments.hpp"
#include "command_functions.hpp"
#include "figure_formats_option.hpp"
#include "reporting/report.hpp"
#include "running/compare.hpp"
#include "running/run_outputs.hpp"
#include "shared_options.hpp"

namespace fs = std::filesystem;

namespace geoinv_cli {

namespace {

// `geoinv plot DIR --out OUT`: OUT receives a copy of DIR's result files (not its old figures/ and
// report.html), so the report drawn there links to files beside it, as in DIR, and DIR is left as it was.
fs::path copy_for_plot(const fs::path& folder, const fs::path& out, bool overwrite) {
  geoinv::detect_result_folder(folder);  // refuses a folder that is not a geoinv run or campaign folder
  geoinv::check_output_dir(out, overwrite);
  std::error_code ec;
  if (fs::exists(out, ec)) fs::remove_all(out, ec);
  fs::create_directories(out, ec);
  if (ec)
    throw geoinv::Error(geoinv::Error::Category::io, "cannot create the folder: " + ec.message(),
                        {out.string()});
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name == "figures" || name == "report.html") continue;
    fs::copy(entry.path(), out / name, fs::copy_options::recursive, ec);
    if (ec)
      throw geoinv::Error(geoinv::Error::Category::io, "cannot copy " + name + ": " + ec.message(),
                          {out.string()});
  }
  return out;
}

void print_plot(const std::string& folder, const geoinv::ReportOutcome& outcome) {
  std::cout << fmt::format("{} ({} folder):\n", folder,
                           outcome.kind == geoinv::ResultFolderKind::run ? "run" : "campaign");
  for (const auto& file : outcome.files) std::cout << "  " << file.string() << "\n";
  for (const auto& report : outcome.run_reports) std::cout << "  " << report.string() << "\n";
  std::cout << "  " << outcome.report.string() << "\n";
  for (const auto& note : outcome.notes) std::cout << "  note: " << note << "\n";
}

}  // namespace

void compare_options(po::options_description& options) {
  options.add_options()("force", "rank runs on different data anyway, with one warning on stderr (default: refuse "
                                 "them, exit code 4)")(
      "format", po::value<std::string>()->value_name("FORMAT"), "table, csv or json (default: table)");
}

void plot_options(po::options_description& options) {
  add_out_option(options,
                 "each folder itself; with --out, one folder only, copied there without its old "
                 "figures, then drawn");
  add_overwrite_option(options);
  add_figure_formats_option(options);
}

// Ranks finished runs by BIC (running/compare.hpp); --force's warning goes to stderr, once.
int compare_command(const po::variables_map& arguments) {
  const auto folders = positionals(arguments);
  if (folders.empty()) throw usage_error("compare needs one or more run folders", "compare");
  geoinv::CompareOptions compare;
  compare.force = has_flag(arguments, "force");
  if (arguments.count("format")) {
    const std::string word = arguments["format"].as<std::string>();
    const auto format = geoinv::compare_format_from_string(word);
    if (!format) throw usage_error("--format must be table, csv or json, got '" + word + "'", "compare");
    compare.format = *format;
  }
  const geoinv::Comparison comparison =
      geoinv::compare_runs(std::vector<fs::path>(folders.begin(), folders.end()), compare);
  if (!comparison.note.empty()) std::cerr << "geoinv: " << comparison.note << "\n";
  std::cout << comparison.text;
  return 0;
}

// Draws the figures and writes report.html of each run or campaign folder, and lists what it wrote. A
// folder that fails does not stop the others; the exit code is the first failure's.
int plot_command(const po::variables_map& arguments) {
  const auto folders = positionals(arguments);
  if (folders.empty()) throw usage_error("plot needs one or more run or campaign folders", "plot");
  const geoinv::FigureFormats formats = figure_formats_of(arguments);
  if (arguments.count("out")) {
    if (folders.size() > 1) throw usage_error("plot --out DIR draws one folder; name one", "plot");
    const std::string out = arguments["out"].as<std::string>();
    print_plot(out,
               geoinv::render_report(copy_for_plot(folders.front(), out, has_flag(arguments, "overwrite")), formats));
    return 0;
  }
  if (has_flag(arguments, "overwrite")) throw usage_error("--overwrite applies to plot --out only", "plot");
  int status = 0;
  for (const auto& folder : folders) {
    try {
      print_plot(folder, geoinv::render_report(folder, formats));
    } catch (const geoinv::Error& error) {
      std::cerr << "geoinv: error: " << error.what() << "\n";
      if (status == 0) status = error.exit_code();
    }
  }
  return status;
}

}  // namespace geoinv_cli
