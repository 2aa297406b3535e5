// SPDX-License-Identifier: BSD-3-Clause
#include "campaigns/results_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "base/file_io.hpp"
#include "campaigns/result_row.hpp"
#include "campaigns/resume_scan.hpp"
#include "geoinv/error.hpp"

namespace geoinv {

namespace fs = std::filesystem;

std::vector<bool> prepare_for_resume(const fs::path& file, const std::string& header,
                                     const std::vector<std::string>& parameter_names,
                                     const RunSolverSets& solvers, std::int64_t runs, bool retry_crashed) {
  std::vector<bool> none(static_cast<std::size_t>(std::max<std::int64_t>(runs, 0)), false);
  std::error_code ec;
  if (!fs::exists(file, ec)) return none;
  const std::string text = read_text(file);
  if (text.compare(0, header.size(), header) != 0) {
    if (text.size() < header.size() && header.compare(0, text.size(), text) == 0) {
      fs::resize_file(file, 0);  // empty, or a torn header: start the file again
      return none;
    }
    throw Error(Error::Category::io, "results.csv has another header: it belongs to another campaign",
                {file.string()});
  }
  const ResultColumns columns(split_csv_line(std::string_view(header).substr(0, header.size() - 1)),
                              parameter_names, file);
  ResumeScan scan =
      scan_results(std::string_view(text).substr(header.size()), columns, solvers, runs, retry_crashed);
  if (scan.rejected_lines > 0) {
    const fs::path rejected = file.parent_path() / "results.rejected.csv";
    append_with_header(rejected, header, scan.rejected);
    std::cerr << fmt::format("warning: {} line(s) of {} are not valid rows of this campaign: moved to {}; "
                             "their runs run again\n",
                             scan.rejected_lines, file.string(), rejected.string());
  }
  if (scan.changed) {
    AtomicFileWriter rewritten(file);
    rewritten.write(header);
    rewritten.write(scan.kept);
    rewritten.commit();
  }
  return std::move(scan.done);
}

void create_results_file(const fs::path& file, const std::string& header) {
  std::error_code ec;
  if (fs::exists(file, ec) && fs::file_size(file, ec) != 0) return;
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw io_error("cannot create results.csv", file);
  try {
    write_fully(fd, header, file);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::fsync(fd);
  ::close(fd);
}

ResultsWriter::ResultsWriter(fs::path file, std::int64_t total, bool progress)
    : file_(std::move(file)), total_(total), progress_(progress), tty_(::isatty(2) == 1) {
  fd_ = ::open(file_.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (fd_ < 0)
    throw Error(Error::Category::io, std::string("cannot open: ") + std::strerror(errno), {file_.string()});
  started_ = last_sync_ = last_print_ = last_write_ = std::chrono::steady_clock::now();
  pending_.reserve(kWriteBytes + 4096);
}

ResultsWriter::~ResultsWriter() {
  // Unwinding from a failed campaign: keep the completed runs (a failed write leaves them to --resume).
  try {
    std::lock_guard<std::mutex> lock(mutex_);
    write_pending();
  } catch (...) {
  }
  if (fd_ >= 0) ::close(fd_);
}

void ResultsWriter::accept(const RunOutcome& outcome) {
  std::lock_guard<std::mutex> lock(mutex_);
  pending_ += outcome.rows;
  ++done_;
  if (outcome.failed) ++failed_;
  const auto now = std::chrono::steady_clock::now();
  if (pending_.size() >= kWriteBytes || now - last_write_ >= kWriteInterval) {
    write_pending();
    last_write_ = now;
  }
  if (now - last_sync_ > std::chrono::seconds(1)) {
    ::fdatasync(fd_);
    last_sync_ = now;
  }
  if (progress_) report(now);
}

void ResultsWriter::finish() {
  std::lock_guard<std::mutex> lock(mutex_);
  write_pending();
  ::fdatasync(fd_);
  if (progress_ && tty_ && total_ > 0) std::cerr << "\n";
}

void ResultsWriter::write_pending() {
  if (write_failed_ || pending_.empty()) return;
  write_failed_ = true;  // until the write returns: a throw leaves it set, and nothing is written again
  write_fully(fd_, pending_, file_);
  write_failed_ = false;
  pending_.clear();
}

std::optional<double> seconds_left(std::int64_t done, std::int64_t total, std::int64_t done_at_first,
                                   std::chrono::steady_clock::duration since_first) {
  const std::int64_t since = done - done_at_first;
  if (done_at_first < 1 || since < 1 || since_first < kRateWindow) return std::nullopt;
  const double rate = static_cast<double>(since) / std::chrono::duration<double>(since_first).count();
  return static_cast<double>(total - done) / rate;
}

void ResultsWriter::report(std::chrono::steady_clock::time_point now) {
  const double elapsed = std::chrono::duration<double>(now - started_).count();
  if (done_at_first_ == 0) {
    first_done_ = now;
    done_at_first_ = done_;
  }
  if (tty_) {
    if (now - last_print_ < std::chrono::milliseconds(200) && done_ != total_) return;
    last_print_ = now;
    const int width = 30;
    const double fraction = total_ > 0 ? static_cast<double>(done_) / static_cast<double>(total_) : 1.0;
    const int filled = static_cast<int>(fraction * width);
    const auto eta = seconds_left(done_, total_, done_at_first_, now - first_done_);
    std::cerr << fmt::format("\r[{}{}] {:3.0f}% {}/{} runs, {} failed{}   ", std::string(filled, '#'),
                             std::string(width - filled, '-'), 100 * fraction, done_, total_, failed_,
                             eta ? fmt::format(", ETA {:.0f} s", *eta) : std::string())
              << std::flush;
  } else {
    const std::int64_t decile = total_ > 0 ? done_ * 10 / total_ : 10;
    if (decile <= last_decile_) return;
    last_decile_ = decile;
    std::cerr << fmt::format("campaign: {}/{} runs ({}%), {} failed, {:.1f} s\n", done_, total_,
                             decile * 10, failed_, elapsed);
  }
}

}  // namespace geoinv
