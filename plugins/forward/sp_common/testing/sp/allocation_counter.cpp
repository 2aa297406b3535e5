// SPDX-License-Identifier: BSD-3-Clause
#include "sp/allocation_counter.hpp"

#include <atomic>
#include <cstddef>

// Sanitizers that intercept malloc: defining malloc here as well would bypass them (and free memory the
// sanitizer allocated through glibc).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define GEOINV_SANITIZER_OWNS_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define GEOINV_SANITIZER_OWNS_MALLOC 1
#endif
#endif

namespace {
std::atomic<long> allocations{0};
}  // namespace

#ifndef GEOINV_SANITIZER_OWNS_MALLOC
// The plugin resolves malloc to the executable's, so defining it here counts the plugin's allocations
// too. Eigen allocates with malloc, not operator new, hence malloc itself; everything is forwarded to
// glibc's allocator, so memory allocated one way and freed another stays consistent (glibc only).
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
#endif

namespace geoinv::sp::testing {

#ifdef GEOINV_SANITIZER_OWNS_MALLOC
bool heap_allocations_counted() { return false; }
#else
bool heap_allocations_counted() { return true; }
#endif

long heap_allocations() { return allocations.load(std::memory_order_relaxed); }

}  // namespace geoinv::sp::testing
