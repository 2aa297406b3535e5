// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// File reads and writes for the outputs (run folders, campaigns, reports) and for the temporary files of
// bounded-memory work, each failure a geoinv::Error of category io naming the file.
#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "geoinv/error.hpp"

namespace geoinv {

// An io Error "<what>: <strerror(errno)>" naming `file`: the path and the OS reason of the call that has
// just failed. Callers clear errno before that call, so a failure that set no errno (a stream's
// formatting state) reads "<what>" alone rather than a stale reason.
Error io_error(const std::string& what, const std::filesystem::path& file);

// The whole file, bytes as they are.
std::string read_text(const std::filesystem::path& file);

// Creates or replaces `file` with `text` (a plain write: for files inside a folder that is itself renamed
// into place, or that nothing reads while it is written).
void write_text(const std::filesystem::path& file, const std::string& text);

// Writes `text` to `file` through a temporary sibling, fsync and a rename: readers see the old file or the
// new one, never a part.
void write_atomically(const std::filesystem::path& file, const std::string& text);

// Writes all of `bytes` to the open descriptor `fd`: a short write (a full disk, a quota, NFS, a signal)
// is continued from the first byte not yet written, never retried from the start, so no byte is written
// twice. EINTR is retried; any other failure is an io Error "cannot write the file: <strerror>" naming
// `file`. Returns normally only when every byte is written. Every ::write of the framework goes through
// here (results.csv, results.rejected.csv, lock files).
void write_fully(int fd, std::string_view bytes, const std::filesystem::path& file);

// Appends `text` to `file` (created, mode 0644, when missing) through write_fully; when the file is
// missing or empty, `header` is written first.
void append_with_header(const std::filesystem::path& file, std::string_view header, std::string_view text);

// `text` between two `quote` characters, each `quote` inside doubled and each line break made a space:
// a one-line string in the quoting of CSV fields ('"') and of gnuplot strings ('\'').
std::string quote_on_one_line(std::string_view text, char quote);

// A binary file written through a stdio buffer of a chosen size, checked on every write, and removed by
// the destructor unless `keep` was called: an exception that unwinds leaves no part-written file.
class TempFileWriter {
 public:
  TempFileWriter(std::filesystem::path file, std::size_t buffer_bytes);
  ~TempFileWriter();
  TempFileWriter(const TempFileWriter&) = delete;
  TempFileWriter& operator=(const TempFileWriter&) = delete;
  void write(const void* data, std::size_t bytes);
  // Flushes and closes; throws on a write error (a full disk). `durable`: fsync before closing, for a
  // file that is renamed into place next.
  void close(bool durable = false);
  void keep() { keep_ = true; }
  const std::filesystem::path& path() const { return file_; }

 private:
  std::filesystem::path file_;
  std::vector<char> buffer_;
  std::FILE* stream_ = nullptr;
  bool keep_ = false;
};

// Reads a binary file through a buffer of a chosen size.
class FileReader {
 public:
  FileReader(const std::filesystem::path& file, std::size_t buffer_bytes);
  ~FileReader();
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;
  // Reads exactly `bytes`; false at the end of the file (before any byte); throws on a short read.
  bool read(void* data, std::size_t bytes);

 private:
  std::filesystem::path file_;
  std::vector<char> buffer_;
  std::FILE* stream_ = nullptr;
};

// Writes a file that may be larger than memory atomically: the text streams to `<file>.tmp`, and
// commit() syncs it and renames it into place. Without commit() (an exception unwound), the temporary is
// removed and `file` is left as it was.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::filesystem::path file);
  void write(std::string_view text) { temporary_.write(text.data(), text.size()); }
  void commit();

 private:
  std::filesystem::path file_;
  TempFileWriter temporary_;
};

}  // namespace geoinv
