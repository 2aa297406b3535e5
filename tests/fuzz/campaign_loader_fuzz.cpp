// SPDX-License-Identifier: BSD-3-Clause
// The campaign loader (campaigns/campaign.hpp: load_campaign, then validate_campaign, which resolves the
// runs covering every sweep value) on any bytes as a campaign file. Beside it lies `base.yaml`, a copy of
// examples/synthetic_sphere/synthetic_sphere.yaml, for the input's `base:` to name.
#include "base/file_io.hpp"
#include "campaigns/campaign.hpp"
#include "fuzz_support.hpp"
#include "geoinv/error.hpp"

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  geoinv::fuzz::keep_plugins_loaded();
  geoinv::fuzz::write_scratch_file(
      "base.yaml", geoinv::read_text(GEOINV_FUZZ_SOURCE_DIR "/examples/synthetic_sphere/synthetic_sphere.yaml"));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto file = geoinv::fuzz::write_scratch_file("campaign.yaml", geoinv::fuzz::as_text(data, size));
  try {
    geoinv::CampaignPlan plan = geoinv::load_campaign(file);
    geoinv::validate_campaign(plan);
  } catch (const geoinv::Error&) {
  }
  return 0;
}
