// SPDX-License-Identifier: BSD-3-Clause
#include "campaigns/campaign_io.hpp"

#include <algorithm>
#include <charconv>

#include "base/file_io.hpp"
#include "geoinv/error.hpp"

namespace geoinv {

namespace fs = std::filesystem;

std::size_t required_column(const std::vector<std::string>& header, const std::string& name,
                            const fs::path& file) {
  const auto it = std::find(header.begin(), header.end(), name);
  if (it == header.end())
    throw Error(Error::Category::io, "no column '" + name + "': not a file geoinv wrote", {file.string()});
  return static_cast<std::size_t>(it - header.begin());
}

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<std::int64_t> leading_run_id(std::string_view line) {
  return parse_integer(line.substr(0, line.find(',')));
}

nlohmann::ordered_json read_campaign_json(const fs::path& dir) {
  const fs::path file = dir / "campaign.json";
  try {
    return nlohmann::ordered_json::parse(read_text(file));
  } catch (const nlohmann::ordered_json::exception& e) {
    throw Error(Error::Category::io, "not a geoinv campaign.json: " + std::string(e.what()), {file.string()});
  }
}

}  // namespace geoinv
