#pragma once
// CSV and campaign.json helpers of campaigns, shared by campaign.cpp (running) and campaign_summary.cpp
// (summary.csv and collect).
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "file_io.hpp"  // read_text, write_atomically, AtomicFileWriter

namespace geoinv {

// A CSV field: quoted (RFC 4180) when it holds a comma, a quote or a line break; line breaks become spaces.
std::string csv_field(const std::string& text);

// The shortest text that reads back to the same double; "nan" for what is not finite.
std::string csv_number(double value);

// DIR/campaign.json, parsed; an io Error naming the file when it is not JSON.
nlohmann::ordered_json read_campaign_json(const std::filesystem::path& dir);


}  // namespace geoinv
