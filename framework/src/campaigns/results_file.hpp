#pragma once
// results.csv on disk while a campaign runs: created with its header, repaired and scanned on --resume,
// and appended in whole runs. Internal to the campaigns room (run_campaign).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "campaigns/campaign.hpp"

namespace geoinv {

// Reads results.csv: drops a torn last line (no newline) and a run whose rows are incomplete at the end
// (the file is truncated to before them), and marks completed runs (indexed by run id). A file whose
// header is not `header` belongs to another campaign: an io Error. A missing file has no run done.
std::vector<bool> repair_and_scan(const std::filesystem::path& file, std::int64_t runs, std::size_t solvers,
                                  const std::string& header);

// Creates `file` holding `header` alone, synced, when it is missing or empty.
void create_results_file(const std::filesystem::path& file, const std::string& header);

// Appends the rows to results.csv in whole runs, gathered up to 64 KiB or 50 ms and written by one
// write(): at tens of thousands of runs a second, a system call per run would cost a tenth of the time.
// After kill -9 the file holds every run written so far, whole or torn at its end (repair_and_scan cuts
// a torn tail); the runs still in the buffer are simply not done, and --resume runs them again, with
// the same numbers. fdatasync at most once a second bounds what a power cut loses.
//
// With `progress`, reports on stderr: a bar on a terminal (at most every 200 ms), else a line per tenth.
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

  static constexpr std::size_t kWriteBytes = 64 * 1024;
  static constexpr std::chrono::milliseconds kWriteInterval{50};

  std::filesystem::path file_;
  int fd_ = -1;
  std::mutex mutex_;
  std::string pending_;  // whole runs' rows not yet written
  std::int64_t total_, done_ = 0, failed_ = 0, last_decile_ = 0;
  bool progress_, tty_;
  std::chrono::steady_clock::time_point started_, last_sync_, last_print_, last_write_;
};

}  // namespace geoinv
