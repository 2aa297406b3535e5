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

nlohmann::ordered_json read_campaign_json(const fs::path& dir) {
  const fs::path file = dir / "campaign.json";
  try {
    return nlohmann::ordered_json::parse(read_text(file));
  } catch (const nlohmann::ordered_json::exception& e) {
    throw Error(Error::Category::io, std::string("not a geoinv campaign.json: ") + e.what(), {file.string()});
  }
}

}  // namespace geoinv
