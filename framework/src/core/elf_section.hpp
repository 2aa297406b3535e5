// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Reads the bytes of one named section of an ELF file without loading it: the plugin registry reads a
// plugin's descriptor this way, so that no code of a file it refuses ever runs.
//
// The file is untrusted. Every offset, size and count read from it is checked against the file's size
// before use, and against the limits below, so a truncated, garbage or hostile file yields a status and
// a reason, never a crash, a read out of bounds or an allocation the size of a lie in a header.
// Only the host's own kind of ELF is understood (64-bit, little-endian); anything else is `not_elf`,
// which is also what loading it would say.
#include <cstdint>
#include <filesystem>
#include <string>

namespace geoinv::elf {

enum class SectionStatus {
  found,      // `bytes` holds the section's contents
  missing,    // a well-formed ELF file without that section
  not_elf,    // not a 64-bit little-endian ELF file (or unreadable): `problem` says which
  malformed,  // an ELF header or section table that points outside the file or is inconsistent
};

struct SectionRead {
  SectionStatus status = SectionStatus::missing;
  std::string bytes;    // the section's contents when found
  std::string problem;  // why, when not_elf or malformed
};

// Sections larger than this are refused as malformed (a descriptor is a few hundred bytes).
inline constexpr std::uint64_t kMaxSectionBytes = 1u << 20;
// Section name tables larger than this are refused as malformed (real ones are a few KiB).
inline constexpr std::uint64_t kMaxNameTableBytes = 1u << 20;

// The contents of the section called `name` in `file`. An SHT_NOBITS section (no bytes in the file) is
// reported as missing.
SectionRead read_section(const std::filesystem::path& file, const std::string& name);

}  // namespace geoinv::elf
