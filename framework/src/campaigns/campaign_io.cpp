#include "campaigns/campaign_io.hpp"

#include <algorithm>

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

nlohmann::ordered_json read_campaign_json(const fs::path& dir) {
  const fs::path file = dir / "campaign.json";
  try {
    return nlohmann::ordered_json::parse(read_text(file));
  } catch (const nlohmann::ordered_json::exception& e) {
    throw Error(Error::Category::io, "not a geoinv campaign.json: " + std::string(e.what()), {file.string()});
  }
}

}  // namespace geoinv
