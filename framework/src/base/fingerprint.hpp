// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// A short, stable fingerprint of bytes: FNV-1a's xor-then-multiply over 64 bits (prime 1099511628211).
// Not a cryptographic hash; it names trained-model caches and tells the shards of one campaign from
// another's, where a collision costs a retrain or a refusal. The values are written into files (cache
// names, campaign.json's fingerprint), so they must never change: that is why the start value stays
// 1469598103934665603, which is what geoinv has always used, and not the published FNV offset basis
// 14695981039346656037 (one digit longer). tests/unit/fingerprint_test.cpp pins the values.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace geoinv {

inline constexpr std::uint64_t kFingerprintSeed = 1469598103934665603ULL;

// The fingerprint of `size` bytes at `data`, chained from `hash`: fingerprint(b, fingerprint(a)) is the
// fingerprint of a followed by b.
std::uint64_t fingerprint(const void* data, std::size_t size, std::uint64_t hash = kFingerprintSeed);

// The same over the bytes of a text.
std::uint64_t fingerprint(std::string_view text, std::uint64_t hash = kFingerprintSeed);

}  // namespace geoinv
