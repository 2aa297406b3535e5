#include "campaign_io.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "geoinv/error.hpp"

namespace geoinv {

namespace fs = std::filesystem;

std::string read_text(const fs::path& file) {
  std::ifstream stream(file, std::ios::binary);
  if (!stream) throw Error(Error::Category::io, "cannot read the file", {file.string()});
  std::stringstream text;
  text << stream.rdbuf();
  return text.str();
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\n\r") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"')
      quoted += "\"\"";
    else if (c == '\n' || c == '\r')
      quoted += ' ';
    else
      quoted += c;
  }
  return quoted + "\"";
}

std::string csv_number(double value) { return std::isfinite(value) ? fmt::format("{}", value) : "nan"; }

void write_atomically(const fs::path& file, const std::string& text) {
  AtomicFileWriter writer(file);
  writer.write(text);
  writer.commit();
}

nlohmann::ordered_json read_campaign_json(const fs::path& dir) {
  const fs::path file = dir / "campaign.json";
  try {
    return nlohmann::ordered_json::parse(read_text(file));
  } catch (const nlohmann::ordered_json::exception& e) {
    throw Error(Error::Category::io, std::string("not a geoinv campaign.json: ") + e.what(), {file.string()});
  }
}

AtomicFileWriter::AtomicFileWriter(fs::path file)
    : file_(std::move(file)), temporary_(file_.string() + ".tmp"), buffer_(1 << 16) {
  stream_ = std::fopen(temporary_.c_str(), "wb");
  if (!stream_)
    throw Error(Error::Category::io, std::string("cannot write the file: ") + std::strerror(errno),
                {temporary_.string()});
  std::setvbuf(stream_, buffer_.data(), _IOFBF, buffer_.size());
}

AtomicFileWriter::~AtomicFileWriter() {
  if (!stream_) return;  // committed
  std::fclose(stream_);
  std::error_code ec;
  fs::remove(temporary_, ec);
}

void AtomicFileWriter::write(std::string_view text) {
  if (!text.empty() && std::fwrite(text.data(), 1, text.size(), stream_) != text.size())
    throw Error(Error::Category::io, "cannot write the file", {temporary_.string()});
}

void AtomicFileWriter::commit() {
  const bool written = std::fflush(stream_) == 0 && std::ferror(stream_) == 0;
  if (written) ::fsync(::fileno(stream_));
  const bool closed = std::fclose(stream_) == 0;
  stream_ = nullptr;
  std::error_code ec;
  if (!written || !closed) {
    fs::remove(temporary_, ec);
    throw Error(Error::Category::io, "cannot write the file", {temporary_.string()});
  }
  fs::rename(temporary_, file_, ec);
  if (ec) {
    std::error_code ignored;
    fs::remove(temporary_, ignored);
    throw Error(Error::Category::io, "cannot rename into place: " + ec.message(), {file_.string()});
  }
}

}  // namespace geoinv
