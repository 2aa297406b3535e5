#pragma once
// Whole-file reads and writes for the plain-text outputs (run folders, campaigns, reports), each failure
// a geoinv::Error of category io naming the file.
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace geoinv {

// The whole file, bytes as they are.
std::string read_text(const std::filesystem::path& file);

// Creates or replaces `file` with `text` (a plain write: for files inside a folder that is itself renamed
// into place, or that nothing reads while it is written).
void write_text(const std::filesystem::path& file, const std::string& text);

// Writes `text` to `file` through a temporary sibling, fsync and a rename: readers see the old file or the
// new one, never a part.
void write_atomically(const std::filesystem::path& file, const std::string& text);

// Writes a file that may be larger than memory atomically: the text streams to `<file>.tmp`, and
// commit() syncs it and renames it into place. Without commit() (an exception unwound), the temporary is
// removed and `file` is left as it was.
class AtomicFileWriter {
 public:
  explicit AtomicFileWriter(std::filesystem::path file);
  ~AtomicFileWriter();
  AtomicFileWriter(const AtomicFileWriter&) = delete;
  AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;
  void write(std::string_view text);
  void commit();

 private:
  std::filesystem::path file_, temporary_;
  std::vector<char> buffer_;
  std::FILE* stream_ = nullptr;
};

}  // namespace geoinv
