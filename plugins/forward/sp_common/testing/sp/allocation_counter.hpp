// SPDX-License-Identifier: BSD-3-Clause
#pragma once
// Counts every heap allocation of the test process, a plugin's included, so a test can prove that a hot
// path allocates nothing. Link allocation_counter.cpp (target geoinv_allocation_counter) into the test.

namespace geoinv::sp::testing {

// Heap allocations (malloc, calloc, realloc) made by the process so far.
long heap_allocations();

}  // namespace geoinv::sp::testing
