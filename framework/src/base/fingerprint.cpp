// SPDX-License-Identifier: BSD-3-Clause
#include "base/fingerprint.hpp"

namespace geoinv {

std::uint64_t fingerprint(const void* data, std::size_t size, std::uint64_t hash) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * 1099511628211ULL;
  return hash;
}

std::uint64_t fingerprint(std::string_view text, std::uint64_t hash) {
  return fingerprint(text.data(), text.size(), hash);
}

}  // namespace geoinv
