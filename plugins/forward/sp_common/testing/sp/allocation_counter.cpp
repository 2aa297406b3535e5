// SPDX-License-Identifier: BSD-3-Clause
#include "sp/allocation_counter.hpp"

#include <atomic>
#include <cstddef>

// The plugin resolves malloc to the executable's, so defining it here counts the plugin's allocations
// too. Eigen allocates with malloc, not operator new, hence malloc itself; everything is forwarded to
// glibc's allocator, so memory allocated one way and freed another stays consistent (glibc only).
namespace {
std::atomic<long> allocations{0};
}  // namespace

extern "C" {
void* __libc_malloc(std::size_t size) noexcept;
void* __libc_calloc(std::size_t count, std::size_t size) noexcept;
void* __libc_realloc(void* pointer, std::size_t size) noexcept;
void __libc_free(void* pointer) noexcept;

void* malloc(std::size_t size) noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}
void* calloc(std::size_t count, std::size_t size) noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_calloc(count, size);
}
void* realloc(void* pointer, std::size_t size) noexcept {
  allocations.fetch_add(1, std::memory_order_relaxed);
  return __libc_realloc(pointer, size);
}
void free(void* pointer) noexcept { __libc_free(pointer); }
}

namespace geoinv::sp::testing {

long heap_allocations() { return allocations.load(std::memory_order_relaxed); }

}  // namespace geoinv::sp::testing
