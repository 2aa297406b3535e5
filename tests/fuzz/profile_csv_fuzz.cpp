// SPDX-License-Identifier: BSD-3-Clause
// The profile CSV reader (configuration/profile_csv.hpp) on any bytes. The first byte picks the
// digitising options (bit 0: sort, bit 1: average duplicates); the rest is the file.
#include "configuration/profile_csv.hpp"

#include "fuzz_support.hpp"
#include "geoinv/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  geoinv::CsvReadOptions options;
  options.sort = (data[0] & 1) != 0;
  options.average_duplicates = (data[0] & 2) != 0;
  const auto file = geoinv::fuzz::write_scratch_file("profile.csv", geoinv::fuzz::as_text(data + 1, size - 1));
  try {
    const geoinv::Profile profile = geoinv::read_profile_csv(file, options);
    if (profile.x.size() != profile.value.size()) __builtin_trap();
  } catch (const geoinv::Error&) {
  }
  return 0;
}
