// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// The summary section of a campaign's report.html (docs/campaigns.md): the success definition stated once,
// the solver × sweep-point pivot of the success rate with its Wilson 95 % interval and the median |relative
// error|, then every row of summary.csv (at most 2000 rows and sweep points; the file holds them all).
// Internal to the reporting room.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace geoinv {

// `summary` is DIR/summary.csv and `campaign` DIR/campaign.json's object. A missing summary.csv (an
// unfinished campaign) gives a short note in the page and one in `notes`.
std::string campaign_summary_html(const std::filesystem::path& summary, const nlohmann::json& campaign,
                                  std::vector<std::string>& notes);

}  // namespace geoinv
