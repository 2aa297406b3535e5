// SPDX-License-Identifier: BSD-3-Clause
#include "base/file_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "geoinv/error.hpp"

namespace geoinv {

namespace fs = std::filesystem;

std::string quote_on_one_line(std::string_view text, char quote) {
  std::string quoted(1, quote);
  quoted.reserve(text.size() + 2);
  for (char c : text) {
    if (c == quote)
      quoted += quote;
    if (c == '\n' || c == '\r')
      quoted += ' ';
    else
      quoted += c;
  }
  quoted += quote;
  return quoted;
}

Error io_error(const std::string& what, const fs::path& file) {
  return Error(Error::Category::io, what + (errno ? std::string(": ") + std::strerror(errno) : ""),
               {file.string()});
}

std::string read_text(const fs::path& file) {
  errno = 0;
  std::ifstream stream(file, std::ios::binary);
  if (!stream) throw io_error("cannot read the file", file);
  std::stringstream text;
  text << stream.rdbuf();
  return text.str();
}

void write_text(const fs::path& file, const std::string& text) {
  errno = 0;
  std::ofstream stream(file, std::ios::binary | std::ios::trunc);
  stream << text;
  stream.close();
  if (!stream) throw io_error("cannot write the file", file);
}

void write_atomically(const fs::path& file, const std::string& text) {
  AtomicFileWriter writer(file);
  writer.write(text);
  writer.commit();
}

void write_fully(int fd, std::string_view bytes, const fs::path& file) {
  const char* next = bytes.data();
  std::size_t left = bytes.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, next, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      throw io_error("cannot write the file", file);
    }
    next += written;
    left -= static_cast<std::size_t>(written);
  }
}

void append_with_header(const fs::path& file, std::string_view header, std::string_view text) {
  const int fd = ::open(file.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) throw io_error("cannot open the file", file);
  try {
    if (::lseek(fd, 0, SEEK_END) == 0) write_fully(fd, header, file);
    write_fully(fd, text, file);
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
}

namespace {

// Opens `file` with stdio reading or writing through `buffer` (which must outlive the stream).
std::FILE* open_buffered(const fs::path& file, const char* mode, std::vector<char>& buffer, const char* what) {
  errno = 0;
  std::FILE* stream = std::fopen(file.c_str(), mode);
  if (!stream) throw io_error(what, file);
  std::setvbuf(stream, buffer.data(), _IOFBF, buffer.size());
  return stream;
}

}  // namespace

TempFileWriter::TempFileWriter(fs::path file, std::size_t buffer_bytes)
    : file_(std::move(file)), buffer_(std::max<std::size_t>(buffer_bytes, 512)) {
  stream_ = open_buffered(file_, "wb", buffer_, "cannot write the file");
}

TempFileWriter::~TempFileWriter() {
  if (stream_) std::fclose(stream_);
  if (!keep_) {
    std::error_code ec;
    fs::remove(file_, ec);
  }
}

void TempFileWriter::write(const void* data, std::size_t bytes) {
  if (bytes == 0) return;
  errno = 0;
  if (std::fwrite(data, 1, bytes, stream_) != bytes) throw io_error("cannot write the file", file_);
}

void TempFileWriter::close(bool durable) {
  if (!stream_) return;
  errno = 0;
  const bool failed = std::fflush(stream_) != 0 || std::ferror(stream_) != 0;
  if (!failed && durable) ::fsync(::fileno(stream_));
  const bool closed = std::fclose(stream_) == 0;
  stream_ = nullptr;
  if (failed || !closed) throw io_error("cannot write the file", file_);
}

FileReader::FileReader(const fs::path& file, std::size_t buffer_bytes)
    : file_(file), buffer_(std::max<std::size_t>(buffer_bytes, 512)) {
  stream_ = open_buffered(file_, "rb", buffer_, "cannot read the file");
}

FileReader::~FileReader() {
  if (stream_) std::fclose(stream_);
}

bool FileReader::read(void* data, std::size_t bytes) {
  errno = 0;
  const std::size_t got = std::fread(data, 1, bytes, stream_);
  if (got == bytes) return true;
  if (got == 0 && std::feof(stream_)) return false;
  throw io_error("cannot read the file", file_);
}

AtomicFileWriter::AtomicFileWriter(fs::path file)
    : file_(std::move(file)), temporary_(file_.string() + ".tmp", 1 << 16) {}

void AtomicFileWriter::commit() {
  temporary_.close(/*durable=*/true);  // on failure the temporary's destructor removes it
  std::error_code ec;
  fs::rename(temporary_.path(), file_, ec);
  if (ec) throw Error(Error::Category::io, "cannot rename into place: " + ec.message(), {file_.string()});
  temporary_.keep();
}

}  // namespace geoinv
