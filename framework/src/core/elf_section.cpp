// SPDX-License-Identifier: BSD-3-Clause
#include "core/elf_section.hpp"

#include <fmt/format.h>

#include <cstring>
#include <fstream>
#include <optional>
#include <vector>

namespace geoinv::elf {

namespace {

// ELF64 constants and offsets (System V gABI, "ELF Header" and "Sections").
constexpr std::size_t kHeaderSize = 64;
constexpr std::size_t kSectionHeaderSize = 64;
constexpr unsigned char kClass64 = 2;
constexpr unsigned char kLittleEndian = 1;
constexpr std::uint32_t kNoBits = 8;              // SHT_NOBITS
constexpr std::uint32_t kExtendedIndex = 0xffff;  // SHN_XINDEX

std::uint64_t little_endian(const unsigned char* bytes, std::size_t count) {
  std::uint64_t value = 0;
  for (std::size_t i = count; i-- > 0;) value = (value << 8) | bytes[i];
  return value;
}

// One section header's fields that matter here.
struct SectionHeader {
  std::uint32_t name = 0;
  std::uint32_t type = 0;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::uint32_t link = 0;
};

SectionHeader parse_section_header(const unsigned char* entry) {
  SectionHeader header;
  header.name = static_cast<std::uint32_t>(little_endian(entry + 0, 4));
  header.type = static_cast<std::uint32_t>(little_endian(entry + 4, 4));
  header.offset = little_endian(entry + 24, 8);
  header.size = little_endian(entry + 32, 8);
  header.link = static_cast<std::uint32_t>(little_endian(entry + 40, 4));
  return header;
}

// The file, read only in ranges that lie inside it.
class BoundedFile {
 public:
  explicit BoundedFile(const std::filesystem::path& path) : stream_(path, std::ios::binary) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (stream_ && !ec)
      size_ = size;
    else
      stream_.setstate(std::ios::failbit);
  }
  bool is_open() const { return static_cast<bool>(stream_); }
  std::uint64_t size() const { return size_; }
  bool contains(std::uint64_t offset, std::uint64_t count) const {
    return offset <= size_ && count <= size_ - offset;
  }
  // The `count` bytes at `offset`, or nullopt when they are not all inside the file.
  std::optional<std::vector<unsigned char>> read(std::uint64_t offset, std::uint64_t count) {
    if (!contains(offset, count)) return std::nullopt;
    std::vector<unsigned char> bytes(static_cast<std::size_t>(count));
    stream_.clear();
    stream_.seekg(static_cast<std::streamoff>(offset));
    if (count > 0) stream_.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(count));
    if (!stream_) return std::nullopt;
    return bytes;
  }

 private:
  std::ifstream stream_;
  std::uint64_t size_ = 0;
};

SectionRead failure(SectionStatus status, std::string problem) {
  SectionRead read;
  read.status = status;
  read.problem = std::move(problem);
  return read;
}

// Where the section table is, how many entries it has and which one names the sections.
struct SectionTable {
  std::uint64_t offset = 0;
  std::uint64_t count = 0;
  std::uint64_t names_index = 0;
};

// The section table's place from the ELF header, with the extended numbering of files with 0xff00 or
// more sections (count and name index then live in section 0).
std::optional<SectionTable> locate_section_table(BoundedFile& file, const std::vector<unsigned char>& header,
                                                 std::string* problem) {
  SectionTable table;
  table.offset = little_endian(&header[0x28], 8);
  const auto entry_size = little_endian(&header[0x3A], 2);
  table.count = little_endian(&header[0x3C], 2);
  table.names_index = little_endian(&header[0x3E], 2);
  if (table.offset == 0) {
    *problem = "no section table";
    return std::nullopt;
  }
  if (entry_size != kSectionHeaderSize) {
    *problem = fmt::format("section header size {} (expected {})", entry_size, kSectionHeaderSize);
    return std::nullopt;
  }
  if (table.count == 0 || table.names_index == kExtendedIndex) {
    const auto first = file.read(table.offset, kSectionHeaderSize);
    if (!first) {
      *problem = "section table lies outside the file";
      return std::nullopt;
    }
    const SectionHeader zero = parse_section_header(first->data());
    if (table.count == 0) table.count = zero.size;
    if (table.names_index == kExtendedIndex) table.names_index = zero.link;
  }
  if (table.count > file.size() / kSectionHeaderSize ||
      !file.contains(table.offset, table.count * kSectionHeaderSize)) {
    *problem = fmt::format("section table of {} entries at offset {} lies outside the file", table.count,
                           table.offset);
    return std::nullopt;
  }
  if (table.names_index >= table.count) {
    *problem = fmt::format("section name table index {} out of {} sections", table.names_index, table.count);
    return std::nullopt;
  }
  return table;
}

// The section's name from the name table, or nullopt when its offset is outside the table.
std::optional<std::string> section_name(const std::vector<unsigned char>& names, std::uint32_t offset) {
  if (offset >= names.size()) return std::nullopt;
  const auto* start = reinterpret_cast<const char*>(names.data()) + offset;
  return std::string(start, strnlen(start, names.size() - offset));
}

}  // namespace

SectionRead read_section(const std::filesystem::path& path, const std::string& name) {
  BoundedFile file(path);
  if (!file.is_open()) return failure(SectionStatus::not_elf, "cannot be read");
  const auto header = file.read(0, kHeaderSize);
  if (!header || std::memcmp(header->data(),
                             "\x7f"
                             "ELF",
                             4) != 0)
    return failure(SectionStatus::not_elf, "not an ELF file");
  if ((*header)[4] != kClass64 || (*header)[5] != kLittleEndian)
    return failure(SectionStatus::not_elf, "not a 64-bit little-endian ELF file");

  std::string problem;
  const auto table = locate_section_table(file, *header, &problem);
  if (!table) return failure(SectionStatus::malformed, problem);
  const auto entries = file.read(table->offset, table->count * kSectionHeaderSize);
  if (!entries) return failure(SectionStatus::malformed, "section table cannot be read");

  const SectionHeader names_header =
      parse_section_header(&(*entries)[table->names_index * kSectionHeaderSize]);
  if (names_header.size > kMaxNameTableBytes)
    return failure(SectionStatus::malformed,
                   fmt::format("section name table of {} bytes", names_header.size));
  const auto names = file.read(names_header.offset, names_header.size);
  if (!names) return failure(SectionStatus::malformed, "section name table lies outside the file");

  for (std::uint64_t i = 0; i < table->count; ++i) {
    const SectionHeader section = parse_section_header(&(*entries)[i * kSectionHeaderSize]);
    if (section_name(*names, section.name) != name) continue;
    if (section.type == kNoBits) return SectionRead{};
    if (section.size > kMaxSectionBytes)
      return failure(SectionStatus::malformed, fmt::format("section '{}' of {} bytes", name, section.size));
    const auto bytes = file.read(section.offset, section.size);
    if (!bytes)
      return failure(SectionStatus::malformed, fmt::format("section '{}' lies outside the file", name));
    SectionRead read;
    read.status = SectionStatus::found;
    read.bytes.assign(bytes->begin(), bytes->end());
    return read;
  }
  return SectionRead{};
}

}  // namespace geoinv::elf
