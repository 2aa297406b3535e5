// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Counts every heap allocation of the test process, a plugin's included, so a test can prove that a hot
// path allocates nothing. Link allocation_counter.cpp (target geoinv_allocation_counter) into the test.
//
// Under AddressSanitizer, ThreadSanitizer or MemorySanitizer (GEOINV_SANITIZE, docs/testing.md) the
// sanitizer owns malloc, so nothing is counted: heap_allocations_counted() is then false, and a test that
// counts skips itself (GTEST_SKIP) rather than pass on a counter that never moves.

namespace geoinv::sp::testing {

// Whether heap_allocations() counts: false in a build whose sanitizer replaces malloc.
bool heap_allocations_counted();

// Heap allocations (malloc, calloc, realloc) made by the process so far; 0 when not counted.
long heap_allocations();

// The reason a counting test gives when it skips.
inline constexpr const char* kNotCountedUnderSanitizer =
    "heap allocations are not counted: a sanitizer replaces malloc in this build";

}  // namespace geoinv::sp::testing
