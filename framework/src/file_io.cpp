#include "file_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
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

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream stream(file, std::ios::binary | std::ios::trunc);
  stream << text;
  stream.close();
  if (!stream) throw Error(Error::Category::io, "cannot write the file", {file.string()});
}

void write_atomically(const fs::path& file, const std::string& text) {
  AtomicFileWriter writer(file);
  writer.write(text);
  writer.commit();
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
