# SPDX-License-Identifier: BSD-3-Clause
# geoinv_add_gtest(NAME SOURCES ... [LIBRARIES ...])
#
# One GoogleTest executable, registered with CTest test by test (discovered when ctest runs, not at build
# time). Every test binary knows where the sources, the repository's data folder (data/: the seed and
# field profiles), the CLI and the plugin folder are, through compile definitions, so tests never depend
# on the working directory.
include(GoogleTest)

function(geoinv_add_gtest NAME)
  if(NOT (BUILD_TESTING AND GEOINV_BUILD_TESTS))
    return()
  endif()
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  add_executable(${NAME} ${ARG_SOURCES})
  # The host library too: tests reach the host's rooms ("campaigns/campaign.hpp") as the CLI does.
  target_link_libraries(${NAME} PRIVATE geoinv_host GTest::gtest GTest::gtest_main ${ARG_LIBRARIES})
  target_include_directories(${NAME} PRIVATE "${PROJECT_SOURCE_DIR}/tests")
  target_compile_definitions(${NAME} PRIVATE
    GEOINV_TEST_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    GEOINV_TEST_DATA_DIR="${PROJECT_SOURCE_DIR}/data"
    GEOINV_TEST_BINARY_DIR="${PROJECT_BINARY_DIR}"
    GEOINV_TEST_CLI="$<TARGET_FILE:geoinv_cli>"
    GEOINV_TEST_MPIEXEC="${MPIEXEC_EXECUTABLE}"
    GEOINV_TEST_PLUGIN_DIR="${GEOINV_PLUGIN_OUTPUT_DIRECTORY}")
  # The CLI and every plugin must be built before any test runs them.
  add_dependencies(${NAME} geoinv_cli geoinv_all_plugins)
  gtest_discover_tests(${NAME} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60)
endfunction()

# geoinv_add_portable_run(NAME)
#
# Registers the test executable NAME (made by geoinv_add_gtest) once more, as one CTest test NAME.portable
# run with GEOINV_SIMD=portable: the hot loops then take their baseline (SSE2) instantiation, which a CPU
# with AVX2 and FMA otherwise never runs (simd/simd.hpp).
function(geoinv_add_portable_run NAME)
  if(NOT TARGET ${NAME})
    return()
  endif()
  add_test(NAME ${NAME}.portable COMMAND ${NAME})
  set_tests_properties(${NAME}.portable PROPERTIES ENVIRONMENT "GEOINV_SIMD=portable")
endfunction()
