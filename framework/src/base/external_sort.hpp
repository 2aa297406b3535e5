// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Sorting more records than memory may hold, for campaign summaries and `collect` (docs/campaigns.md,
// "Memory"). A record is a key of three integers and an opaque byte payload (a CSV line, packed numbers).
//
// Records are kept in memory up to a byte budget; when it is reached they are sorted and written to a
// temporary file (a sorted "run"). `merge` then reads the runs back, at most `fan_in()` at a time (in
// several rounds when there are more, so the number of open files and read buffers stays bounded), and
// hands the records out in key order. When everything fitted, nothing touches the disk.
//
// The sort is stable: records with equal keys come out in the order they were added. Temporary files are
// named `.geoinv-sort-<pid>-<n>-<run>.tmp` in the folder given, and removed as soon as they are merged,
// and in every case by the destructor (also when an exception unwinds).
//
//   ExternalSorter sorter(out_dir, 32 << 20);
//   for (...) sorter.add({run_id, folder, 0}, line);
//   sorter.merge([&](const SortKey& key, std::string_view line) { ... });
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "base/file_io.hpp"  // TempFileWriter, FileReader

namespace geoinv {

// Compared lexicographically: a, then b, then c.
struct SortKey {
  std::int64_t a = 0;
  std::uint64_t b = 0;
  std::uint64_t c = 0;
  friend bool operator<(const SortKey& x, const SortKey& y) {
    return std::tie(x.a, x.b, x.c) < std::tie(y.a, y.b, y.c);
  }
  friend bool operator==(const SortKey& x, const SortKey& y) {
    return x.a == y.a && x.b == y.b && x.c == y.c;
  }
};

class ExternalSorter {
 public:
  // `memory_budget`: bytes of records held before a run is spilled, and of read buffers while merging.
  // A record larger than the budget is still sorted (alone in its run).
  ExternalSorter(std::filesystem::path temp_dir, std::size_t memory_budget);
  ~ExternalSorter();
  ExternalSorter(const ExternalSorter&) = delete;
  ExternalSorter& operator=(const ExternalSorter&) = delete;

  void add(const SortKey& key, std::string_view payload);

  // Calls `visit` for every record added, in key order (stable), then forgets them. Call once.
  void merge(const std::function<void(const SortKey&, std::string_view)>& visit);

  // For tests and diagnostics: runs written to disk so far, rounds of intermediate merging done, and the
  // most runs merged at once.
  std::size_t spilled_runs() const { return spilled_runs_; }
  std::size_t merge_rounds() const { return merge_rounds_; }
  std::size_t fan_in() const { return fan_in_; }

 private:
  struct Entry {
    SortKey key;
    std::size_t offset = 0;  // into arena_
    std::size_t size = 0;
  };
  void spill();
  std::filesystem::path new_run_path();
  // Merges `runs` (in stability order) and hands each record to `visit`.
  void merge_runs(const std::vector<std::filesystem::path>& runs,
                  const std::function<void(const SortKey&, std::string_view)>& visit);

  std::filesystem::path temp_dir_;
  std::size_t budget_;
  std::size_t fan_in_;
  std::uint64_t instance_;
  std::uint64_t next_run_ = 0;
  std::string arena_;
  std::vector<Entry> entries_;
  std::vector<std::filesystem::path> runs_;  // sorted runs on disk, in the order their records were added
  std::size_t spilled_runs_ = 0, merge_rounds_ = 0;
};

// Temporary files of bounded-memory work (sorts, summary groups, figure data) are named
// `.geoinv-<kind>-<pid>[-…].tmp`; removed when done, but kill -9 in that moment leaves them behind. This
// removes those in `dir` whose process no longer runs on this machine; summary.csv, collect and the
// campaign figures call it before they write temporaries into a folder.
void remove_stale_temporaries(const std::filesystem::path& dir);

}  // namespace geoinv
