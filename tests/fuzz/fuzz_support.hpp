// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// What the libFuzzer targets of tests/fuzz share (docs/testing.md, "Fuzzing").
//
// Each target feeds its input to one reader of the host, as a file in a scratch folder of its own, and
// holds the reader to the contract every reader of geoinv has: bad input ends in a geoinv::Error (file,
// line, key, what is valid), never in a crash. So a target catches geoinv::Error and nothing else: any
// other exception escapes to libFuzzer and is reported, as are the sanitizers' findings (address,
// undefined behaviour, leaks) and inputs that take more than the memory or time limits.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string_view>

namespace geoinv::fuzz {

// A folder private to this process, created on first use and removed at exit; files of one input are
// replaced by the next.
const std::filesystem::path& scratch_folder();

// Writes `bytes` as `name` inside scratch_folder() and returns its path.
std::filesystem::path write_scratch_file(const std::string& name, std::string_view bytes);

// Loads every plugin of the build's plugin folder once more, never to be unloaded (RTLD_NODELETE). A loader
// that makes its own PluginRegistry closes the plugins again after each input, and libFuzzer would then
// read the coverage counters of an unmapped library (a crash of the fuzzer, not of geoinv). Call it from
// LLVMFuzzerInitialize.
void keep_plugins_loaded();

// The input as text.
inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace geoinv::fuzz
