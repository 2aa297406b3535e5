#include "campaigns/results_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

#include "geoinv/error.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

void write_all(int fd, const std::string& text, const fs::path& file) {
  const char* data = text.data();
  std::size_t left = text.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      throw Error(Error::Category::io, std::string("cannot append: ") + std::strerror(errno),
                  {file.string()});
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
}

}  // namespace

std::vector<bool> repair_and_scan(const fs::path& file, std::int64_t runs, std::size_t solvers,
                                  const std::string& header) {
  std::vector<bool> done(static_cast<std::size_t>(runs), false);
  std::error_code ec;
  if (!fs::exists(file, ec)) return done;
  std::ifstream stream(file, std::ios::binary);
  if (!stream) throw Error(Error::Category::io, "cannot read results.csv", {file.string()});
  std::string line;
  if (!std::getline(stream, line)) return done;  // empty
  if (stream.eof() || line + "\n" != header) {
    if (stream.eof() && header.compare(0, line.size(), line) == 0) {
      fs::resize_file(file, 0);  // a torn header: start the file again
      return done;
    }
    throw Error(Error::Category::io, "results.csv has another header: it belongs to another campaign",
                {file.string()});
  }
  std::uint64_t position = header.size();
  std::uint64_t keep = position;  // bytes to keep: complete runs only
  std::int64_t group = -1;
  std::size_t group_rows = 0;
  while (std::getline(stream, line)) {
    if (stream.eof()) break;  // a torn last line, without its newline
    const std::int64_t id = std::strtoll(line.c_str(), nullptr, 10);
    if (id != group) {
      if (group >= 0 && group_rows != solvers) break;  // an incomplete run: only ever the last one
      group = id;
      group_rows = 0;
    }
    ++group_rows;
    position += line.size() + 1;
    if (group_rows == solvers) {
      if (group >= 0 && group < runs) done[static_cast<std::size_t>(group)] = true;
      keep = position;
    }
  }
  stream.close();
  if (keep < fs::file_size(file, ec)) fs::resize_file(file, keep);
  return done;
}

void create_results_file(const fs::path& file, const std::string& header) {
  std::error_code ec;
  if (fs::exists(file, ec) && fs::file_size(file, ec) != 0) return;
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) throw Error(Error::Category::io, "cannot create results.csv", {file.string()});
  write_all(fd, header, file);
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
    if (!pending_.empty()) write_all(fd_, pending_, file_);
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
    write_all(fd_, pending_, file_);
    pending_.clear();
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
  write_all(fd_, pending_, file_);
  pending_.clear();
  ::fdatasync(fd_);
  if (progress_ && tty_ && total_ > 0) std::cerr << "\n";
}

void ResultsWriter::report(std::chrono::steady_clock::time_point now) {
  const double elapsed = std::chrono::duration<double>(now - started_).count();
  if (tty_) {
    if (now - last_print_ < std::chrono::milliseconds(200) && done_ != total_) return;
    last_print_ = now;
    const int width = 30;
    const double fraction = total_ > 0 ? static_cast<double>(done_) / static_cast<double>(total_) : 1.0;
    const int filled = static_cast<int>(fraction * width);
    const double eta =
        done_ > 0 ? elapsed / static_cast<double>(done_) * static_cast<double>(total_ - done_) : 0.0;
    std::cerr << fmt::format("\r[{}{}] {:3.0f}% {}/{} runs, {} failed, ETA {:.0f} s   ",
                             std::string(filled, '#'), std::string(width - filled, '-'), 100 * fraction,
                             done_, total_, failed_, eta)
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
