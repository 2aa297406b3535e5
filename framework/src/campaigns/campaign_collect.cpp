// SPDX-License-Identifier: BSD-3-Clause
// geoinv collect (docs/campaigns.md, "Shards and collect"): folders of one campaign merged into one, in
// memory bounded by a budget. Everything is written into a staging folder and moved into place at the
// end, so a collect that fails leaves the output folder as it was.
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>

#include "base/external_sort.hpp"
#include "base/folder_lock.hpp"
#include "campaigns/campaign.hpp"
#include "campaigns/campaign_io.hpp"
#include "campaigns/result_row.hpp"

namespace geoinv {

namespace fs = std::filesystem;
using json = nlohmann::ordered_json;

namespace {

// The files collect writes, moved from the staging folder into the output folder together.
const std::vector<std::string> kCollectedFiles = {"manifest.csv", "results.csv", "campaign.json",
                                                  "summary.csv"};
// Written only for a campaign with `fixed_target:`; moved with them when it is there.
const std::vector<std::string> kCollectedFilesWhenPresent = {"fixed_target.csv"};

// Where collect writes before anything reaches `out`. When `out` does not exist yet, a private folder
// beside it that commit() renames to `out`; when it does (`collect DIR` rewrites DIR), a private folder
// inside it whose files commit() renames into `out`. Without commit(), the folder is removed.
class CollectStaging {
 public:
  explicit CollectStaging(const fs::path& out) : out_(out.lexically_normal()) {
    if (!out_.has_filename()) out_ = out_.parent_path();
    std::error_code ec;
    replaces_folder_ = !fs::exists(out_, ec);
    const fs::path parent = replaces_folder_ ? out_.parent_path() : out_;
    if (!parent.empty()) fs::create_directories(parent, ec);
    std::string pattern =
        (parent / (replaces_folder_ ? "." + out_.filename().string() + ".geoinv-collect-XXXXXX"
                                    : std::string(".geoinv-collect-XXXXXX")))
            .string();
    if (ec || ::mkdtemp(pattern.data()) == nullptr)
      throw Error(
          Error::Category::io,
          "cannot create the output folder: " + (ec ? ec.message() : std::string(std::strerror(errno))),
          {out_.string()});
    path_ = pattern;
  }
  ~CollectStaging() {
    std::error_code ignored;
    if (!committed_) fs::remove_all(path_, ignored);
  }
  CollectStaging(const CollectStaging&) = delete;
  CollectStaging& operator=(const CollectStaging&) = delete;

  const fs::path& path() const { return path_; }

  void commit() {
    std::error_code ec;
    if (replaces_folder_) {
      fs::rename(path_, out_, ec);
    } else {
      for (const auto& name : kCollectedFiles)
        if (!ec) fs::rename(path_ / name, out_ / name, ec);
      for (const auto& name : kCollectedFilesWhenPresent)
        if (!ec && fs::exists(path_ / name, ec)) fs::rename(path_ / name, out_ / name, ec);
    }
    if (ec)
      throw Error(Error::Category::io, "cannot move the collected files into place: " + ec.message(),
                  {out_.string()});
    committed_ = replaces_folder_;  // inside `out`, the emptied staging folder is still to be removed
  }

 private:
  fs::path out_, path_;
  bool replaces_folder_ = false, committed_ = false;
};

// A folder's campaign.json, with every key collect reads present and of its type: else an io Error naming
// the file (a damaged or foreign campaign.json), never a JSON library exception.
json checked_campaign_json(const fs::path& folder) {
  json info = read_campaign_json(folder);
  try {
    info.at("fingerprint").get<std::string>();
    info.at("runs").get<std::int64_t>();
    RunSolverSets::from_campaign_json(info, folder / "campaign.json");
    info.at("parameters").get<std::vector<std::string>>();
    info.at("shard").at("index").get<std::int64_t>();
    info.at("shard").at("count").get<std::int64_t>();
  } catch (const json::exception& e) {
    throw Error(Error::Category::io, "not a geoinv campaign.json: " + std::string(e.what()),
                {(folder / "campaign.json").string()});
  }
  return info;
}

// campaign.json of the first folder, after checking that every folder holds a shard of the same campaign.
json same_campaign(const std::vector<fs::path>& folders) {
  json first = checked_campaign_json(folders.front());
  for (const auto& folder : folders) {
    const json info = checked_campaign_json(folder);
    if (info.at("fingerprint") != first.at("fingerprint") || info.at("runs") != first.at("runs") ||
        info.at("solvers") != first.at("solvers") ||
        info.value("solver_sets", json()) != first.value("solver_sets", json()))
      throw Error(
          Error::Category::io,
          fmt::format(
              "conflicting manifests: {} and {} are not folders of the same campaign (fingerprints {} "
              "and {})",
              folders.front().string(), folder.string(), first.at("fingerprint").dump(),
              info.at("fingerprint").dump()),
          {folder.string()});
  }
  return first;
}

// The results.csv header the folders share, from the first folder that has one; headers that differ, an
// empty first line, or no results.csv in any folder are io Errors naming the input.
std::string shared_results_header(const std::vector<fs::path>& folders) {
  std::string results_header;
  for (const auto& folder : folders) {
    const fs::path file = folder / "results.csv";
    std::ifstream results(file, std::ios::binary);
    std::string line;
    if (!results || !std::getline(results, line)) continue;
    if (line.empty())
      throw Error(Error::Category::io,
                  "the first line is empty: results.csv starts with its header (run_id, ...)",
                  {file.string(), 1});
    if (results_header.empty())
      results_header = line;
    else if (line != results_header)
      throw Error(Error::Category::io, "results.csv headers differ", {file.string()});
  }
  if (results_header.empty())
    throw Error(Error::Category::io,
                "no folder has a results.csv with a header: no run of the campaign has started",
                {(folders.front() / "results.csv").string()});
  return results_header;
}

// The runs of a folder's shard (campaign.json's shard {index, count}) among the campaign's `runs`.
std::int64_t shard_runs(const fs::path& folder, std::int64_t runs) {
  const json shard = read_campaign_json(folder).at("shard");
  const auto index = shard.at("index").get<std::int64_t>(), count = shard.at("count").get<std::int64_t>();
  return index < runs && count > 0 ? (runs - 1 - index) / count + 1 : 0;
}

// Adds the lines of FOLDER/manifest.csv to `sorter`, keyed (run id, `f`), and returns its header. The
// manifest is written whole before its campaign runs, so anything collect cannot read in it (no header, a
// line that is not a run of the campaign, a last line cut short, no runs at all) means it was damaged: an
// io Error at the line.
std::string sort_manifest(const fs::path& folder, std::size_t f, std::int64_t runs, ExternalSorter& sorter) {
  const fs::path file = folder / "manifest.csv";
  std::ifstream stream(file, std::ios::binary);
  if (!stream)
    throw Error(Error::Category::io, std::string("cannot read manifest.csv: ") + std::strerror(errno),
                {file.string()});
  std::string header;
  if (!std::getline(stream, header) || header.rfind("run_id,", 0) != 0)
    throw Error(Error::Category::io,
                "no manifest header (run_id, point, replicate, ...): not a manifest geoinv wrote",
                {file.string(), 1});
  const std::size_t width = split_csv_line(header).size();
  CsvFields fields;
  int number = 1;
  std::int64_t listed = 0;
  for (std::string line; std::getline(stream, line); ++listed) {
    ++number;
    if (stream.eof())
      throw Error(Error::Category::io, "the last line is cut short: the manifest is truncated",
                  {file.string(), number});
    fields.split(line);
    const auto id = leading_run_id(line);
    if (!id || *id < 0 || *id >= runs || fields.size() != width)
      throw Error(
          Error::Category::io,
          fmt::format("not a line of the manifest: expected {} fields, the first a run id from 0 to {}",
                      width, runs - 1),
          {file.string(), number});
    sorter.add({*id, f, 0}, line);
  }
  if (listed == 0 && shard_runs(folder, runs) > 0)
    throw Error(Error::Category::io, "the manifest lists no runs: it is truncated", {file.string()});
  return header;
}

// 1. The manifests, merged by run id: the same run id must read the same everywhere.
void merge_manifests(const std::vector<fs::path>& folders, const fs::path& temp_dir, std::int64_t runs,
                     std::size_t memory_budget, AtomicFileWriter& manifest) {
  std::string manifest_header;
  ExternalSorter sorter(temp_dir, memory_budget);
  for (std::size_t f = 0; f < folders.size(); ++f) {
    const std::string header = sort_manifest(folders[f], f, runs, sorter);
    if (manifest_header.empty())
      manifest_header = header;
    else if (header != manifest_header)
      throw Error(Error::Category::io, "manifest.csv headers differ",
                  {(folders[f] / "manifest.csv").string()});
  }
  manifest.write(manifest_header + "\n");
  std::optional<std::int64_t> last_id;
  std::string last_line;
  sorter.merge([&](const SortKey& key, std::string_view line) {
    if (last_id == key.a) {
      if (line != last_line)
        throw Error(Error::Category::io, fmt::format("conflicting manifests: run {} differs", key.a),
                    {folders[key.b].string()});
      return;
    }
    last_id = key.a;
    last_line = line;
    manifest.write(line);
    manifest.write("\n");
  });
}

// The lines of the folders' results.csv that collect could not read (the wrong number of fields, no run
// id, a solver the campaign does not have): counted for the CLI to report, and kept by run, so that a run
// with such a line and no complete rows elsewhere is refused rather than lost without a word.
struct UnreadableLines {
  std::int64_t count = 0;
  SourceLocation first;
  std::map<std::int64_t, SourceLocation> runs;  // run id → its first unreadable line

  void add(const fs::path& file, int line, std::optional<std::int64_t> run) {
    const SourceLocation where{file.string(), line};
    if (count++ == 0) first = where;
    if (run) runs.emplace(*run, where);
  }
};

// Adds the rows of FOLDER/results.csv to `sorter`, keyed (run id, `f`, the solver's index in its run). A torn
// last line (the campaign was killed while writing it) is skipped, as --resume does.
void sort_results(const fs::path& folder, std::size_t f, const ResultColumns& columns,
                  const RunSolverSets& run_solvers, std::int64_t runs, ExternalSorter& sorter,
                  UnreadableLines& unreadable) {
  const fs::path file = folder / "results.csv";
  std::ifstream stream(file, std::ios::binary);
  std::string line;
  if (!stream || !std::getline(stream, line)) return;
  const std::vector<std::string>& solvers = run_solvers.all();
  CsvFields fields;
  for (int number = 2; std::getline(stream, line); ++number) {
    if (stream.eof()) break;
    const auto id = leading_run_id(line);
    fields.split(line);
    const auto solver = fields.size() == columns.count()
                            ? std::find(solvers.begin(), solvers.end(), fields[columns.solver()])
                            : solvers.end();
    // The row's place in its run's solver order; a solver of the campaign that the run does not have (a
    // sweep over `solvers`) is no row of it. A run id out of range keeps the campaign's order.
    const std::vector<std::string>& order = id && *id >= 0 && *id < runs ? run_solvers.of_run(*id) : solvers;
    const auto place = solver == solvers.end() ? order.end() : std::find(order.begin(), order.end(), *solver);
    if (!id || place == order.end()) {
      unreadable.add(file, number, id);
      continue;
    }
    sorter.add({*id, f, static_cast<std::uint64_t>(place - order.begin())}, line);
  }
}

// 2. The results, by (run id, folder, solver): each run's rows come from the first folder (in the order
//    given) that holds a row of every solver of that run, one row each, in the run's solver order (the
//    campaign's, unless a sweep over `solvers` gives runs their own). Returns the number of the campaign's
//    runs written; a run with unreadable lines and no rows written is an Error.
std::int64_t merge_results(const std::vector<fs::path>& folders, const fs::path& temp_dir,
                           std::size_t memory_budget, const std::string& results_header,
                           const ResultColumns& columns, const RunSolverSets& run_solvers, std::int64_t runs,
                           AtomicFileWriter& merged, UnreadableLines& unreadable) {
  const std::vector<std::string>& solvers = run_solvers.all();
  std::int64_t runs_with_rows = 0;
  ExternalSorter sorter(temp_dir, memory_budget);
  for (std::size_t f = 0; f < folders.size(); ++f)
    sort_results(folders[f], f, columns, run_solvers, runs, sorter, unreadable);
  merged.write(results_header + "\n");
  std::optional<std::int64_t> run;
  std::uint64_t folder = 0;
  bool written = false;
  std::vector<std::string> rows(solvers.size());
  std::size_t filled = 0;
  const auto finish_folder = [&] {
    const std::size_t wanted = *run >= 0 && *run < runs ? run_solvers.of_run(*run).size() : solvers.size();
    if (!written && filled == wanted) {
      for (std::size_t s = 0; s < wanted; ++s) {
        const std::string& row = rows[s];
        merged.write(row);
        merged.write("\n");
      }
      written = true;
      unreadable.runs.erase(*run);
      if (*run >= 0 && *run < runs) ++runs_with_rows;
    }
    for (auto& row : rows) row.clear();  // rows[s]: the run's solver s
    filled = 0;
  };
  sorter.merge([&](const SortKey& key, std::string_view line) {
    if (run != key.a || folder != key.b) {
      if (run) finish_folder();
      if (run != key.a) written = false;
      run = key.a;
      folder = key.b;
    }
    std::string& row = rows[key.c];
    if (!written && row.empty()) {
      row = line;
      ++filled;
    }
  });
  if (run) finish_folder();
  if (!unreadable.runs.empty()) {
    const auto& [id, where] = *unreadable.runs.begin();
    throw Error(
        Error::Category::io,
        fmt::format("run {}: this line cannot be read ({} fields expected, with a solver of the campaign: "
                    "{}) and no folder holds all the run's rows",
                    id, columns.count(), fmt::join(solvers, ", ")),
        where);
  }
  return runs_with_rows;
}

}  // namespace

CollectReport collect_campaign(const std::vector<fs::path>& folders, const fs::path& out,
                               std::size_t memory_budget) {
  if (folders.empty()) throw Error(Error::Category::usage, "collect needs one or more campaign folders");
  json first = same_campaign(folders);
  const auto runs = first.at("runs").get<std::int64_t>();
  const RunSolverSets solvers = RunSolverSets::from_campaign_json(first, folders.front() / "campaign.json");
  // The results headers agree (checked before anything is sorted), and say where the columns are.
  const std::string results_header = shared_results_header(folders);
  const ResultColumns columns(split_csv_line(results_header),
                              first.at("parameters").get<std::vector<std::string>>(),
                              folders.front() / "results.csv");

  const FolderLock lock(out);  // one writer per folder, as a campaign
  CollectStaging staging(out);
  AtomicFileWriter manifest(staging.path() / "manifest.csv");
  merge_manifests(folders, staging.path(), runs, memory_budget, manifest);
  AtomicFileWriter merged(staging.path() / "results.csv");
  UnreadableLines unreadable;
  const std::int64_t runs_with_rows = merge_results(folders, staging.path(), memory_budget, results_header,
                                                    columns, solvers, runs, merged, unreadable);
  manifest.commit();
  merged.commit();
  first["shard"] = {{"index", 0}, {"count", 1}};
  first["collected_from"] = json::array();
  for (const auto& folder : folders)
    first["collected_from"].push_back(fs::absolute(folder).lexically_normal().string());
  write_atomically(staging.path() / "campaign.json", first.dump(2) + "\n");
  write_summary(staging.path(), memory_budget);
  staging.commit();
  CollectReport report;
  report.runs_without_rows = runs - runs_with_rows;
  report.unreadable_lines = unreadable.count;
  report.first_unreadable = unreadable.first;
  return report;
}

}  // namespace geoinv
