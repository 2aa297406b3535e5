#pragma once
// Small file and CSV helpers of campaigns, shared by campaign.cpp (running) and campaign_summary.cpp
// (summary.csv and collect).
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace geoinv {

std::string read_text(const std::filesystem::path& file);

// A CSV field: quoted (RFC 4180) when it holds a comma, a quote or a line break; line breaks become spaces.
std::string csv_field(const std::string& text);

// The shortest text that reads back to the same double; "nan" for what is not finite.
std::string csv_number(double value);

// Writes `text` to `file` through a temporary sibling and a rename: readers see the old file or the new.
void write_atomically(const std::filesystem::path& file, const std::string& text);

// DIR/campaign.json, parsed; an io Error naming the file when it is not JSON.
nlohmann::ordered_json read_campaign_json(const std::filesystem::path& dir);

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
