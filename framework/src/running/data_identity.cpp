// SPDX-License-Identifier: BSD-3-Clause
#include "running/data_identity.hpp"

#include <fmt/format.h>

#include <cstdint>

#include "base/fingerprint.hpp"

namespace geoinv {

namespace {

std::uint64_t chain(const Vector& values, std::uint64_t hash) {
  const auto count = static_cast<std::int64_t>(values.size());
  hash = fingerprint(&count, sizeof count, hash);
  return fingerprint(values.data(), static_cast<std::size_t>(values.size()) * sizeof(double), hash);
}

}  // namespace

std::string data_fingerprint(const Vector& stations, const Vector& observed, const Vector& sigma) {
  return fmt::format("{:016x}", chain(sigma, chain(observed, chain(stations, kFingerprintSeed))));
}

}  // namespace geoinv
