// SPDX-License-Identifier: BSD-3-Clause
#include "simd/simd.hpp"

#include <cstdlib>
#include <cstring>

namespace geoinv::simd {
namespace {

bool detect_avx2_fma() {
  const char* forced = std::getenv("GEOINV_SIMD");
  if (forced != nullptr && std::strcmp(forced, "portable") == 0) return false;
#if GEOINV_SIMD_AVX2
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

}  // namespace

bool avx2_fma() {
  static const bool available = detect_avx2_fma();
  return available;
}

}  // namespace geoinv::simd
