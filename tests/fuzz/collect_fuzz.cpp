// SPDX-License-Identifier: BSD-3-Clause
// collect's readers (campaigns/campaign_collect.cpp: campaign.json, manifest.csv, results.csv of a
// campaign folder) through collect_campaign itself. The input is the folder's three files, in that
// order, separated by NUL bytes; a missing part is a missing file. The merged output goes to a folder
// that is removed after each input.
#include <string>
#include <string_view>
#include <vector>

#include "campaigns/campaign.hpp"
#include "fuzz_support.hpp"
#include "geoinv/error.hpp"

namespace fs = std::filesystem;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const fs::path shard = geoinv::fuzz::scratch_folder() / "shard";
  const fs::path out = geoinv::fuzz::scratch_folder() / "collected";
  std::error_code ignored;
  fs::remove_all(shard, ignored);
  fs::remove_all(out, ignored);
  fs::create_directories(shard);
  std::string_view rest = geoinv::fuzz::as_text(data, size);
  for (const char* name : {"campaign.json", "manifest.csv", "results.csv"}) {
    if (rest.empty()) break;
    const std::size_t end = std::min(rest.find('\0'), rest.size());
    geoinv::fuzz::write_scratch_file("shard/" + std::string(name), rest.substr(0, end));
    rest.remove_prefix(std::min(end + 1, rest.size()));
  }
  try {
    geoinv::collect_campaign({shard}, out, /*memory_budget=*/1 << 20);
  } catch (const geoinv::Error&) {
  }
  return 0;
}
