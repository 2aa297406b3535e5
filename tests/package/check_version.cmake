# SPDX-License-Identifier: BSD-3-Clause
# cmake -DVERSION=x.y.z -DSOURCE_DIR=... -DGEOINV=path/to/geoinv -P check_version.cmake
#
# The version lives in one place, project(geoinv VERSION ...) (passed here as VERSION). Fails unless
# CITATION.cff's `version:` equals it, CHANGELOG.md has its `## [x.y.z]` section, and `geoinv --version`,
# `geoinv version` and `geoinv -V` print the same line starting "geoinv x.y.z ".
cmake_minimum_required(VERSION 3.20)
file(STRINGS "${SOURCE_DIR}/CITATION.cff" citation_version REGEX "^version:")
string(REGEX REPLACE "^version:[ \t]*\"?([^\" \t]*)\"?[ \t]*$" "\\1" citation_version "${citation_version}")
if(NOT citation_version STREQUAL VERSION)
  message(FATAL_ERROR "CITATION.cff says version '${citation_version}', CMakeLists.txt's project() says "
                      "'${VERSION}': set CITATION.cff's version (and date-released) to ${VERSION}")
endif()
file(STRINGS "${SOURCE_DIR}/CHANGELOG.md" changelog_section REGEX "^## \\[${VERSION}\\]")
if(NOT changelog_section)
  message(FATAL_ERROR "CHANGELOG.md has no '## [${VERSION}]' section for the version in CMakeLists.txt")
endif()
set(first_output "")
foreach(argument IN ITEMS --version version -V)
  execute_process(COMMAND "${GEOINV}" ${argument}
                  RESULT_VARIABLE code OUTPUT_VARIABLE output ERROR_VARIABLE error)
  if(NOT code EQUAL 0 OR NOT output MATCHES "^geoinv ${VERSION} ")
    message(FATAL_ERROR
            "geoinv ${argument}: exit ${code}, printed '${output}${error}'; expected 'geoinv ${VERSION} ...'")
  endif()
  if(first_output AND NOT output STREQUAL first_output)
    message(FATAL_ERROR "geoinv ${argument} printed '${output}', geoinv --version '${first_output}'")
  endif()
  set(first_output "${output}")
endforeach()
message(STATUS "version ${VERSION} everywhere: ${first_output}")
