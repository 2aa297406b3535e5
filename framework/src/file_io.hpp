#pragma once
// Whole-file reads and writes for the plain-text outputs (run folders, campaigns, reports), each failure
// a geoinv::Error of category io naming the file.
#include <filesystem>
#include <string>

namespace geoinv {

// The whole file, bytes as they are.
std::string read_text(const std::filesystem::path& file);

// Creates or replaces `file` with `text` (a plain write: for files inside a folder that is itself renamed
// into place, or that nothing reads while it is written).
void write_text(const std::filesystem::path& file, const std::string& text);

// Writes `text` to `file` through a temporary sibling, fsync and a rename: readers see the old file or the
// new one, never a part.
void write_atomically(const std::filesystem::path& file, const std::string& text);

}  // namespace geoinv
