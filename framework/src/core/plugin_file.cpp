// SPDX-License-Identifier: BSD-3-Clause
#include "core/plugin_file.hpp"

#include <fmt/format.h>

#include <cstring>

#include "core/elf_section.hpp"
#include "geoinv/plugin.hpp"
#include "geoinv/version.hpp"

namespace geoinv {

namespace fs = std::filesystem;

namespace {

PluginFileRead refused(std::string why) {
  PluginFileRead read;
  read.refusal = std::move(why);
  return read;
}

template <std::size_t N>
std::string field(const char (&text)[N]) {
  return std::string(text, strnlen(text, N));
}

// Why a file without a descriptor section is not usable: plugins of API 2 and older kept their
// descriptor, with pointers, in the "geoinv" section beside the factory.
std::string missing_descriptor_reason(const fs::path& file) {
  if (elf::read_section(file, GEOINV_STRINGIFY(GEOINV_PLUGIN_SECTION)).status == elf::SectionStatus::found)
    return fmt::format(
        "built for geoinv plugin API 2 or older (no '{}' section); this geoinv has API {}.{} "
        "(rebuild the plugin)",
        GEOINV_DESCRIPTOR_SECTION, kApiMajor, kApiMinor);
  return "not a geoinv plugin (no geoinv descriptor in it)";
}

// The descriptor in `bytes`, or a refusal when the bytes are not a descriptor of the layout this geoinv
// reads.
std::optional<PluginDescriptor> parse_descriptor(const std::string& bytes, std::string* why) {
  const std::size_t magic_size = sizeof(PluginDescriptor::magic);
  if (bytes.size() < magic_size || std::memcmp(bytes.data(), GEOINV_DESCRIPTOR_MAGIC, magic_size) != 0) {
    *why = "not a geoinv plugin (damaged descriptor: wrong magic)";
    return std::nullopt;
  }
  std::uint32_t layout = 0;
  if (bytes.size() >= magic_size + sizeof layout)
    std::memcpy(&layout, bytes.data() + magic_size, sizeof layout);
  if (layout != kPluginDescriptorLayout || bytes.size() != sizeof(PluginDescriptor)) {
    *why = fmt::format(
        "descriptor layout {} of {} bytes; this geoinv reads layout {} of {} bytes (rebuild the plugin)",
        layout, bytes.size(), kPluginDescriptorLayout, sizeof(PluginDescriptor));
    return std::nullopt;
  }
  PluginDescriptor descriptor;
  std::memcpy(&descriptor, bytes.data(), sizeof descriptor);
  return descriptor;
}

PluginInfo info_of(const PluginDescriptor& descriptor, const fs::path& file) {
  PluginInfo info;
  info.file = fs::absolute(file).lexically_normal();
  info.api_major = descriptor.api_major;
  info.api_minor = descriptor.api_minor;
  info.name = field(descriptor.name);
  info.version = field(descriptor.version);
  info.summary = field(descriptor.summary);
  info.abi_tag = field(descriptor.abi_tag);
  return info;
}

}  // namespace

PluginFileRead read_plugin_file(const fs::path& file) {
  const elf::SectionRead section = elf::read_section(file, GEOINV_DESCRIPTOR_SECTION);
  switch (section.status) {
    case elf::SectionStatus::not_elf:
      return refused("not a shared library (" + section.problem + ")");
    case elf::SectionStatus::malformed:
      return refused("damaged shared library (" + section.problem + ")");
    case elf::SectionStatus::missing:
      return refused(missing_descriptor_reason(file));
    case elf::SectionStatus::found:
      break;
  }
  std::string why;
  const auto descriptor = parse_descriptor(section.bytes, &why);
  if (!descriptor) return refused(why);
  PluginInfo info = info_of(*descriptor, file);
  if (info.api_major != kApiMajor || info.api_minor > kApiMinor)
    return refused(fmt::format("plugin '{}' was built for geoinv plugin API {}.{}; this geoinv has API {}.{}",
                               info.name, info.api_major, info.api_minor, kApiMajor, kApiMinor));
  if (info.abi_tag != GEOINV_ABI_TAG)
    return refused(
        fmt::format("plugin '{}' was built with ABI '{}'; this geoinv has ABI '{}' (rebuild the plugin)",
                    info.name, info.abi_tag, GEOINV_ABI_TAG));
  const std::string kind = field(descriptor->kind);
  if (kind == "forward")
    info.kind = PluginKind::forward;
  else if (kind == "solver")
    info.kind = PluginKind::solver;
  else
    return refused(
        fmt::format("plugin '{}' declares kind '{}' (expected forward or solver)", info.name, kind));
  if (info.name.empty()) return refused("plugin descriptor has an empty name");
  PluginFileRead read;
  read.info = std::move(info);
  return read;
}

}  // namespace geoinv
