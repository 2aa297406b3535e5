# SPDX-License-Identifier: BSD-3-Clause
# geoinv_add_forward_plugin(NAME SOURCES ... [EXAMPLE example.yaml] [LIBRARIES ...])
# geoinv_add_solver_plugin(NAME SOURCES ... [EXAMPLE example.yaml] [LIBRARIES ...])
# geoinv_add_plugin(NAME SOURCES ... [NO_INSTALL] ...)
#
# NO_INSTALL builds the plugin but leaves it out of `cmake --install` (test fixtures, tests/fixtures).
#
# EXAMPLE names the plugin's complete example experiment. Its text is compiled into the plugin as
#   inline constexpr const char* kGeoinvPluginExampleYaml   (header "geoinv_plugin_example.hpp")
# so that example_yaml() returns exactly the file the README shows and the tests run: one source.
#
# Builds one geoinv plugin as a MODULE library named geoinv_<NAME>.so with hidden visibility (only the
# descriptor and factory that GEOINV_*_PLUGIN exports are visible), places it in the plugin folder the
# host searches, and installs it beside the other plugins. The CMake target is geoinv_plugin_<NAME>.
#
# The same functions serve in-tree plugins (plugins/*/*) and out-of-tree projects, which get this file
# from the installed package (find_package(geoinv), cmake/geoinvConfig.cmake.in). Where the plugin goes:
#
#                 built into                                   installed into (cmake --install)
#   in-tree       <build>/<libdir>/geoinv/plugins, found by     <prefix>/<libdir>/geoinv/plugins, beside
#                 the build tree's host                         libgeoinv, where the installed host looks
#   out-of-tree   GEOINV_PLUGIN_OUTPUT_DIRECTORY if set, else   GEOINV_PLUGIN_INSTALL_DIR, default
#                 CMake's default (the binary folder of the     <libdir>/geoinv/plugins under the project's
#                 CMakeLists.txt that declares it); load it     own CMAKE_INSTALL_PREFIX. Found without
#                 with `plugin_paths:`, --plugin-path or        configuration only when that prefix is
#                 GEOINV_PLUGIN_PATH                            geoinv's; otherwise add the folder to
#                                                               GEOINV_PLUGIN_PATH. Empty: no install rule
#
# An installed plugin finds libgeoinv through its RUNPATH: in-tree $ORIGIN/../.. (the libdir beside the
# plugin folder), out-of-tree the folder of the libgeoinv it was linked against.
if(NOT DEFINED GEOINV_PLUGIN_SUBDIR)
  # Out of tree: geoinv's own CMakeLists.txt sets GEOINV_PLUGIN_SUBDIR before including this file.
  include(GNUInstallDirs)
  set(GEOINV_PLUGIN_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/geoinv/plugins" CACHE STRING
      "Where cmake --install puts geoinv plugins (relative to CMAKE_INSTALL_PREFIX); empty: nowhere")
endif()

function(geoinv_add_plugin NAME)
  cmake_parse_arguments(ARG "NO_INSTALL" "EXAMPLE" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "geoinv_add_plugin(${NAME}): SOURCES is required")
  endif()
  set(target geoinv_plugin_${NAME})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE geoinv::geoinv ${ARG_LIBRARIES})
  # Every symbol bound when the host loads the plugin, not at its first call: lazily, the first evaluations
  # of a solve resolved the plugin's calls into libgeoinv, libm and libstdc++ inside the timed solve
  # (37 of a 96 µs one-generation pso solve, docs/benchmarks.md).
  target_link_options(${target} PRIVATE "LINKER:-z,now")
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME "geoinv_${NAME}"
    CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  if(ARG_EXAMPLE)
    get_filename_component(example "${ARG_EXAMPLE}" ABSOLUTE)
    set(generated_dir "${CMAKE_CURRENT_BINARY_DIR}/${target}_generated")
    file(READ "${example}" GEOINV_EXAMPLE_TEXT)
    file(CONFIGURE OUTPUT "${generated_dir}/geoinv_plugin_example.hpp"
         CONTENT "#pragma once\n// Generated from ${example}: edit that file.\ninline constexpr const char* kGeoinvPluginExampleYaml = R\"geoinv_yaml(${GEOINV_EXAMPLE_TEXT})geoinv_yaml\";\n"
         @ONLY)
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${example}")
    target_include_directories(${target} PRIVATE "${generated_dir}")
  endif()
  if(GEOINV_PLUGIN_OUTPUT_DIRECTORY)
    set_target_properties(${target} PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${GEOINV_PLUGIN_OUTPUT_DIRECTORY}")
  endif()
  # Lets the test suite depend on every plugin at once.
  if(TARGET geoinv_all_plugins)
    add_dependencies(geoinv_all_plugins ${target})
  endif()
  if(DEFINED GEOINV_PLUGIN_SUBDIR)
    set(destination "${GEOINV_PLUGIN_SUBDIR}")
    # From <libdir>/geoinv/plugins back to <libdir>, where libgeoinv is installed.
    file(RELATIVE_PATH to_libdir "/${GEOINV_PLUGIN_SUBDIR}" "/${CMAKE_INSTALL_LIBDIR}")
    string(REGEX REPLACE "/$" "" to_libdir "${to_libdir}")
    set_target_properties(${target} PROPERTIES INSTALL_RPATH "$ORIGIN/${to_libdir}")
  else()
    set(destination "${GEOINV_PLUGIN_INSTALL_DIR}")
    set_target_properties(${target} PROPERTIES INSTALL_RPATH_USE_LINK_PATH ON)
  endif()
  if(destination AND NOT ARG_NO_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION "${destination}")
  endif()
endfunction()

function(geoinv_add_forward_plugin NAME)
  geoinv_add_plugin(${NAME} ${ARGN})
endfunction()

function(geoinv_add_solver_plugin NAME)
  geoinv_add_plugin(${NAME} ${ARGN})
endfunction()
