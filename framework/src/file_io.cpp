#include "file_io.hpp"

#include <fcntl.h>
#include <unistd.h>

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
  const fs::path temporary = file.string() + ".tmp";
  {
    std::ofstream stream(temporary, std::ios::binary | std::ios::trunc);
    stream << text;
    stream.flush();
    if (!stream) throw Error(Error::Category::io, "cannot write the file", {temporary.string()});
  }
  const int fd = ::open(temporary.c_str(), O_RDONLY);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  std::error_code ec;
  fs::rename(temporary, file, ec);
  if (ec) throw Error(Error::Category::io, "cannot rename into place: " + ec.message(), {file.string()});
}

}  // namespace geoinv
