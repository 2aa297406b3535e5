// SPDX-License-Identifier: BSD-3-Clause
// elf::read_section on a real plugin and on every kind of damaged file: it must answer with a status,
// never crash or read outside the file (the suite also runs under the sanitizers).
#include "core/elf_section.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "core/plugin_file.hpp"
#include "e2e/cli_runner.hpp"  // TempDir
#include "geoinv/plugin.hpp"

namespace geoinv::elf {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string plugin_bytes() {
  std::ifstream stream(GEOINV_FIXTURE_NO_JACOBIAN_FILE, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(stream), {});
}

void put_le(std::string& bytes, std::size_t offset, std::uint64_t value, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) bytes[offset + i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

class ElfSectionTest : public ::testing::Test {
 protected:
  // `bytes` as the test's one file (written over each time).
  fs::path write(const std::string& bytes) {
    const fs::path file = dir_.path() / "file.so";
    std::ofstream(file, std::ios::binary | std::ios::trunc) << bytes;
    return file;
  }
  SectionRead read(const std::string& bytes) { return read_section(write(bytes), GEOINV_DESCRIPTOR_SECTION); }

  geoinv_test::TempDir dir_;
};

TEST_F(ElfSectionTest, ReadsTheDescriptorOfARealPlugin) {
  const SectionRead section = read_section(GEOINV_FIXTURE_NO_JACOBIAN_FILE, GEOINV_DESCRIPTOR_SECTION);
  ASSERT_EQ(section.status, SectionStatus::found) << section.problem;
  ASSERT_EQ(section.bytes.size(), sizeof(PluginDescriptor));
  EXPECT_EQ(section.bytes.substr(0, 7), GEOINV_DESCRIPTOR_MAGIC);
  EXPECT_EQ(read_section(GEOINV_FIXTURE_NO_JACOBIAN_FILE, "no_such_section").status, SectionStatus::missing);
  // A stripped plugin keeps its descriptor (it is an allocated section).
#ifdef GEOINV_FIXTURE_STRIPPED_FILE
  EXPECT_EQ(read_section(GEOINV_FIXTURE_STRIPPED_FILE, GEOINV_DESCRIPTOR_SECTION).status,
            SectionStatus::found);
#endif
}

TEST_F(ElfSectionTest, MissingEmptyAndForeignFilesAreNotElf) {
  EXPECT_EQ(read_section(dir_.path() / "missing.so", GEOINV_DESCRIPTOR_SECTION).status,
            SectionStatus::not_elf);
  EXPECT_EQ(read("").status, SectionStatus::not_elf);
  EXPECT_EQ(read("\x7f"
                 "EL")
                .status,
            SectionStatus::not_elf);
  EXPECT_EQ(read("This is a text file named fake.so\n").status, SectionStatus::not_elf);
  std::string elf32 = plugin_bytes();
  elf32[4] = 1;  // ELFCLASS32
  EXPECT_THAT(read(elf32).problem, HasSubstr("64-bit little-endian"));
  std::string big_endian = plugin_bytes();
  big_endian[5] = 2;
  EXPECT_EQ(read(big_endian).status, SectionStatus::not_elf);
  EXPECT_EQ(read_section(dir_.path(), GEOINV_DESCRIPTOR_SECTION).status, SectionStatus::not_elf);  // a folder
}

TEST_F(ElfSectionTest, EveryTruncationOfAPluginIsAnsweredWithoutACrash) {
  const std::string whole = plugin_bytes();
  ASSERT_GT(whole.size(), 128u);
  // The whole plugin, cut shorter and shorter in place: at every byte of its first 128 (the ELF header
  // and just past it), and at 200 places spread over the rest.
  const fs::path file = write(whole);
  const std::size_t stride = std::max<std::size_t>(1, (whole.size() - 128) / 200);
  int found = 0;
  for (std::size_t length = whole.size() - 1; length > 0;
       length -= length > 128 ? std::min(stride, length - 128) : 1) {
    fs::resize_file(file, length);
    const SectionRead section = read_section(file, GEOINV_DESCRIPTOR_SECTION);
    EXPECT_NE(section.status, SectionStatus::missing)
        << "truncated to " << length;  // the table is at the end
    if (section.status == SectionStatus::found) ++found;
  }
  fs::resize_file(file, 0);
  EXPECT_EQ(read_section(file, GEOINV_DESCRIPTOR_SECTION).status, SectionStatus::not_elf);
  EXPECT_EQ(found, 0) << "a file cut before its section table cannot yield a section";
}

TEST_F(ElfSectionTest, HeaderFieldsPointingOutsideTheFileAreMalformed) {
  const std::string whole = plugin_bytes();
  const auto with = [&](std::size_t offset, std::uint64_t value, std::size_t count) {
    std::string bytes = whole;
    put_le(bytes, offset, value, count);
    return read(bytes);
  };
  EXPECT_EQ(with(0x28, 0, 8).status, SectionStatus::malformed);                      // no section table
  EXPECT_EQ(with(0x28, ~std::uint64_t{0} - 8, 8).status, SectionStatus::malformed);  // e_shoff near 2^64
  EXPECT_EQ(with(0x28, whole.size() - 10, 8).status, SectionStatus::malformed);      // table past the end
  EXPECT_EQ(with(0x3A, 40, 2).status, SectionStatus::malformed);                     // entry size
  EXPECT_EQ(with(0x3C, 0xfeff, 2).status, SectionStatus::malformed);                 // too many sections
  EXPECT_EQ(with(0x3E, 0xfeff, 2).status, SectionStatus::malformed);                 // name table index
  // The extended name index reads section 0's link, 0 in a real file: no name table, nothing found.
  EXPECT_EQ(with(0x3E, 0xffff, 2).status, SectionStatus::missing);
}

TEST_F(ElfSectionTest, SectionHeadersPointingOutsideTheFileAreMalformed) {
  const std::string whole = plugin_bytes();
  std::uint64_t table = 0;
  std::memcpy(&table, whole.data() + 0x28, 8);
  std::uint16_t count = 0, names = 0;
  std::memcpy(&count, whole.data() + 0x3C, 2);
  std::memcpy(&names, whole.data() + 0x3E, 2);
  // Every section's offset, then size, then name, in turn set far outside the file.
  for (std::uint16_t i = 0; i < count; ++i) {
    for (const std::size_t field : {24u, 32u}) {
      std::string bytes = whole;
      put_le(bytes, table + i * 64u + field, ~std::uint64_t{0} - 3, 8);
      const SectionRead section = read(bytes);
      EXPECT_NE(section.status, SectionStatus::not_elf) << "section " << i;
      if (i == names) {
        EXPECT_EQ(section.status, SectionStatus::malformed);
      }
    }
    std::string bytes = whole;
    put_le(bytes, table + i * 64u, 0xfffffff0u, 4);
    EXPECT_NE(read(bytes).status, SectionStatus::not_elf);
  }
}

TEST_F(ElfSectionTest, RandomGarbageBehindAnElfHeaderIsAnsweredWithoutACrash) {
  const std::string whole = plugin_bytes();
  std::mt19937_64 random(20261204);
  for (int trial = 0; trial < 200; ++trial) {
    std::string bytes = whole.substr(0, 64);
    bytes.resize(64 + random() % 8192);
    for (std::size_t i = 16; i < bytes.size(); ++i) bytes[i] = static_cast<char>(random());
    if (trial % 2 == 0) put_le(bytes, 0x3A, 64, 2);  // a plausible entry size, to get further in
    const SectionRead section = read(bytes);
    EXPECT_TRUE(section.status == SectionStatus::malformed || section.status == SectionStatus::missing ||
                section.status == SectionStatus::found);
  }
}

TEST_F(ElfSectionTest, ADamagedDescriptorIsRefusedByTheRegistryReader) {
  std::string bytes = plugin_bytes();
  const std::size_t at = bytes.find(GEOINV_DESCRIPTOR_MAGIC);
  ASSERT_NE(at, std::string::npos);
  std::string layout = bytes;
  put_le(layout, at + 8, 7, 4);
  EXPECT_THAT(read_plugin_file(write(layout)).refusal, HasSubstr("descriptor layout 7"));
  std::string magic = bytes;
  magic[at] = 'X';
  EXPECT_THAT(read_plugin_file(write(magic)).refusal, HasSubstr("not a geoinv plugin"));
  // A plugin of API 2 or older: the "geoinv" section, no "geoinv_descriptor" (renamed in the name table).
  std::string old_api = bytes;
  const std::string section_name = std::string(1, '\0') + GEOINV_DESCRIPTOR_SECTION + '\0';
  const std::size_t name_at = old_api.rfind(section_name);
  ASSERT_NE(name_at, std::string::npos);
  old_api[name_at + 1] = 'X';
  EXPECT_THAT(read_plugin_file(write(old_api)).refusal, HasSubstr("built for geoinv plugin API 2 or older"));
  std::string unterminated = bytes;  // a name filling its whole field, without its NUL
  std::memset(&unterminated[at + offsetof(PluginDescriptor, name)], 'n', sizeof(PluginDescriptor::name));
  const PluginFileRead read = read_plugin_file(write(unterminated));
  ASSERT_TRUE(read.info) << read.refusal;
  EXPECT_EQ(read.info->name, std::string(sizeof(PluginDescriptor::name), 'n'));
}

}  // namespace
}  // namespace geoinv::elf
