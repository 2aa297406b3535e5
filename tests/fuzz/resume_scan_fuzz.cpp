// SPDX-License-Identifier: BSD-3-Clause
// The resume scan (campaigns/resume_scan.hpp) on any bytes as the rows of results.csv, held to its
// invariant: every run it calls done has, among the rows it keeps, exactly one valid row per solver, and
// it keeps no other line. The campaign is fixed (one sweep key, two parameters, solvers dls and gn); the
// first byte is its number of runs (0 to 15), the rest are the rows.
#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

#include "base/csv.hpp"
#include "campaigns/result_row.hpp"
#include "campaigns/resume_scan.hpp"
#include "fuzz_support.hpp"

namespace {

const std::vector<std::string> kLabels{"dls", "gn"};
const std::vector<std::string> kParameters{"x", "h"};

const geoinv::ResultColumns& columns() {
  static const geoinv::ResultColumns layout = [] {
    std::string header = geoinv::results_header({"noise"}, kParameters);
    header.pop_back();  // its '\n'
    return geoinv::ResultColumns(geoinv::split_csv_line(header), kParameters, "results.csv");
  }();
  return layout;
}

void require(bool holds) {
  if (!holds) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::int64_t runs = data[0] % 16;
  const std::string_view rows = geoinv::fuzz::as_text(data + 1, size - 1);
  const geoinv::ResumeScan scan = geoinv::scan_results(rows, columns(), kLabels, runs);
  require(scan.done.size() == static_cast<std::size_t>(runs));

  // What stays in results.csv: `kept` when the scan changed something, else the file's rows as they are.
  const std::string_view kept = scan.changed ? std::string_view(scan.kept) : rows;
  require(kept.empty() || kept.back() == '\n');
  std::vector<int> rows_per_solver(static_cast<std::size_t>(runs) * kLabels.size(), 0);
  geoinv::CsvFields fields;
  std::size_t start = 0;
  for (std::size_t end; (end = kept.find('\n', start)) != std::string_view::npos; start = end + 1) {
    fields.split(kept.substr(start, end - start));
    require(columns().holds_a_row(fields));
    std::int64_t run = -1;
    const std::string_view id = fields[columns().run_id()];
    std::from_chars(id.data(), id.data() + id.size(), run);
    require(run >= 0 && run < runs && scan.done[static_cast<std::size_t>(run)]);
    const auto label = std::find(kLabels.begin(), kLabels.end(), fields[columns().solver()]);
    require(label != kLabels.end());
    ++rows_per_solver[static_cast<std::size_t>(run) * kLabels.size() +
                      static_cast<std::size_t>(label - kLabels.begin())];
  }
  for (std::int64_t run = 0; run < runs; ++run)
    for (std::size_t solver = 0; solver < kLabels.size(); ++solver)
      require(rows_per_solver[static_cast<std::size_t>(run) * kLabels.size() + solver] ==
              (scan.done[static_cast<std::size_t>(run)] ? 1 : 0));
  return 0;
}
