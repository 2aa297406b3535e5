// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// results.csv on disk while a campaign runs: created with its header, repaired and scanned on --resume,
// and appended in whole runs. Internal to the campaigns room (run_campaign).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "campaigns/campaign.hpp"

namespace geoinv {

// Makes results.csv what --resume may trust and returns the runs it holds done (indexed by run id), by
// scan_results (resume_scan.hpp): the lines of rejected runs are appended to results.rejected.csv beside
// it (with the header; a warning on stderr gives their count), and results.csv is rewritten atomically
// with the done runs' rows alone when anything else was in it. A missing or empty file, or a torn
// header, has no run done. A file whose header is not `header` belongs to another campaign: an io Error.
// `retry_crashed`: runs recorded as crashed are not done (scan_results).
std::vector<bool> prepare_for_resume(const std::filesystem::path& file, const std::string& header,
                                     const std::vector<std::string>& parameter_names,
                                     const RunSolverSets& solvers, std::int64_t runs, bool retry_crashed);
// Creates `file` holding `header` alone, synced, when it is missing or empty.
void create_results_file(const std::filesystem::path& file, const std::string& header);

// Appends the rows to results.csv in whole runs, gathered up to 64 KiB or 50 ms and written by one
// write(): at tens of thousands of runs a second, a system call per run would cost a tenth of the time.
// After kill -9 the file holds every run written so far, whole or torn at its end (prepare_for_resume
// drops a torn tail); the runs still in the buffer are simply not done, and --resume runs them again, with
// the same numbers. fdatasync at most once a second bounds what a power cut loses.
//
// Writes go through write_fully (a short write continues where it stopped). A failed write (a full
// disk) throws an io Error with the OS reason and the path, which ends the campaign; from then on the
// writer writes nothing more (not even from its destructor), so what is on disk is whole runs and at
// most one torn tail, which --resume drops.
//
// With `progress`, reports on stderr: a bar on a terminal (at most every 200 ms), else a line per tenth.
// The progress bar's estimate of the seconds left, or nothing while the rate is unknown. The rate is
// measured from the first completed run, not from the start: the start holds the set-up and, with N
// workers, the first N runs finishing together, so a rate from the start (one run in its first second)
// promised a hundred times the real time. It is known once `kRateWindow` has passed since that first run
// and a second run has completed.
constexpr std::chrono::seconds kRateWindow{1};
std::optional<double> seconds_left(std::int64_t done, std::int64_t total, std::int64_t done_at_first,
                                   std::chrono::steady_clock::duration since_first);

class ResultsWriter final : public RowSink {
 public:
  ResultsWriter(std::filesystem::path file, std::int64_t total, bool progress);
  ~ResultsWriter() override;  // writes what is pending (a failed campaign keeps its completed runs)
  void accept(const RunOutcome& outcome) override;
  void finish();  // writes and syncs what is pending
  std::int64_t done() const { return done_; }
  std::int64_t failed() const { return failed_; }

 private:
  void report(std::chrono::steady_clock::time_point now);
  void write_pending();  // holding mutex_

  static constexpr std::size_t kWriteBytes = 64 * 1024;
  static constexpr std::chrono::milliseconds kWriteInterval{50};

  std::filesystem::path file_;
  int fd_ = -1;
  bool write_failed_ = false;
  std::mutex mutex_;
  std::string pending_;  // whole runs' rows not yet written
  std::int64_t total_, done_ = 0, failed_ = 0, last_decile_ = 0;
  bool progress_, tty_;
  std::chrono::steady_clock::time_point started_, last_sync_, last_print_, last_write_;
  std::chrono::steady_clock::time_point first_done_;  // when the first run of this campaign completed
  std::int64_t done_at_first_ = 0;                     // runs completed at that moment
};

}  // namespace geoinv
