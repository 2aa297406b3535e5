# SPDX-License-Identifier: BSD-3-Clause
# GEOINV_SANITIZE and GEOINV_FUZZ, included from the top-level CMakeLists.txt before any target is made,
# so that the framework, every plugin and every test carry the same instrumentation (docs/testing.md).
#
#   GEOINV_SANITIZE  "" (default): no sanitizer. Otherwise a comma-separated list of sanitizers that
#                    every target is compiled and linked with: address, undefined, thread, leak
#                    (e.g. "address,undefined", CI's sanitizer stage; "thread" for ThreadSanitizer, which
#                    excludes address and leak). Undefined behaviour aborts the program
#                    (-fno-sanitize-recover), so a test that meets it fails. Use it with
#                    CMAKE_BUILD_TYPE=RelWithDebInfo, in a build folder of its own.
#   GEOINV_FUZZ      OFF (default). ON builds the libFuzzer targets of tests/fuzz (one per input reader),
#                    with every target instrumented for fuzzing, AddressSanitizer and UBSan. Needs clang
#                    (CMAKE_CXX_COMPILER=clang++) and its runtime (Debian: clang, libclang-rt-14-dev).
#                    Excludes GEOINV_SANITIZE, which it implies.
set(GEOINV_SANITIZE "" CACHE STRING
    "Sanitizers for every target, comma-separated: address, undefined, thread, leak (empty: none)")
option(GEOINV_FUZZ "Build the libFuzzer targets of tests/fuzz (clang; implies address,undefined)" OFF)

set(GEOINV_SANITIZERS "")  # the list in effect, read by tests/ (GEOINV_SANITIZERS_IN_EFFECT)
if(NOT GEOINV_SANITIZE STREQUAL "")
  string(REPLACE "," ";" GEOINV_SANITIZERS "${GEOINV_SANITIZE}")
  foreach(sanitizer IN LISTS GEOINV_SANITIZERS)
    if(NOT sanitizer MATCHES "^(address|undefined|thread|leak)$")
      message(FATAL_ERROR "GEOINV_SANITIZE is '${GEOINV_SANITIZE}': '${sanitizer}' is not a sanitizer geoinv "
                          "builds with; valid: a comma-separated list of address, undefined, thread, leak")
    endif()
  endforeach()
  if("thread" IN_LIST GEOINV_SANITIZERS AND ("address" IN_LIST GEOINV_SANITIZERS OR "leak" IN_LIST GEOINV_SANITIZERS))
    message(FATAL_ERROR "GEOINV_SANITIZE is '${GEOINV_SANITIZE}': thread cannot be combined with address or leak")
  endif()
endif()

if(GEOINV_FUZZ)
  if(NOT GEOINV_SANITIZE STREQUAL "")
    message(FATAL_ERROR "GEOINV_FUZZ=ON already builds with address,undefined; leave GEOINV_SANITIZE empty")
  endif()
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "GEOINV_FUZZ=ON needs clang (libFuzzer), not ${CMAKE_CXX_COMPILER_ID}: configure a "
                        "build folder of its own with -DCMAKE_CXX_COMPILER=clang++")
  endif()
  set(GEOINV_SANITIZERS address undefined)
  # Coverage instrumentation everywhere; only the fuzz targets link libFuzzer's main (tests/fuzz).
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

if(GEOINV_SANITIZERS)
  list(JOIN GEOINV_SANITIZERS "," geoinv_sanitize_flag)
  add_compile_options(-fsanitize=${geoinv_sanitize_flag} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${geoinv_sanitize_flag})
  if("undefined" IN_LIST GEOINV_SANITIZERS)
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
  # Eigen decides at compile time how it allocates: with glibc's malloc, already 16-byte aligned, unless
  # __SANITIZE_ADDRESS__ is defined, when it over-allocates and keeps the offset in the byte before the
  # block (handmade_aligned_malloc). Eigen objects cross into libraries built without the sanitizer
  # (pagmo::cmaes keeps Eigen matrices that libpagmo allocates and the plugin's inline destructor frees),
  # so both sides must agree: keep the uninstrumented libraries' convention. ASan's malloc, too, returns
  # 16-byte aligned blocks on x86-64.
  if("address" IN_LIST GEOINV_SANITIZERS)
    add_compile_definitions(EIGEN_MALLOC_ALREADY_ALIGNED=1)
  endif()
  message(STATUS "geoinv: sanitizers ${geoinv_sanitize_flag}")
endif()
