# SPDX-License-Identifier: BSD-3-Clause
# cmake -DRESULT=run/result.json [-DTOLERANCE=0.1] [-DPLUGIN=name] -P check_result.cmake
#
# Fails unless the run's single solver converged, its forward plugin is PLUGIN, and every estimated
# parameter lies within TOLERANCE of the synthetic truth, as result.json's relative_error measures it
# (|estimate - truth| / |truth|, angles the short way round). CMake reads the JSON, so the test needs
# nothing beyond what builds geoinv.
cmake_minimum_required(VERSION 3.20)
if(NOT DEFINED TOLERANCE)
  set(TOLERANCE 0.1)
endif()
if(NOT EXISTS "${RESULT}")
  message(FATAL_ERROR "no result file: ${RESULT}")
endif()
file(READ "${RESULT}" json)

if(DEFINED PLUGIN)
  string(JSON forward GET "${json}" forward plugin)
  if(NOT forward STREQUAL PLUGIN)
    message(FATAL_ERROR "${RESULT}: forward plugin '${forward}', expected '${PLUGIN}'")
  endif()
endif()

string(JSON solvers LENGTH "${json}" results)
if(NOT solvers EQUAL 1)
  message(FATAL_ERROR "${RESULT}: ${solvers} solver results, expected 1")
endif()
string(JSON status GET "${json}" results 0 status)
string(JSON termination GET "${json}" results 0 termination)
string(JSON why GET "${json}" results 0 message)
if(NOT status STREQUAL "converged")
  message(FATAL_ERROR "${RESULT}: status ${status} (${termination}: ${why}), expected converged")
endif()

string(JSON count LENGTH "${json}" parameters)
math(EXPR last "${count} - 1")
set(report "")
set(failed FALSE)
foreach(i RANGE ${last})
  string(JSON name GET "${json}" parameters ${i} name)
  string(JSON truth GET "${json}" true_model ${name})
  string(JSON estimate GET "${json}" results 0 estimate ${name})
  string(JSON error GET "${json}" results 0 relative_error ${name})
  string(REGEX REPLACE "^-" "" magnitude "${error}")
  string(APPEND report "  ${name}: estimate ${estimate}, truth ${truth}, relative error ${error}\n")
  if(NOT magnitude LESS TOLERANCE)
    set(failed TRUE)
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR
          "${RESULT}: an estimate is farther than ${TOLERANCE} (relative) from the truth:\n${report}")
endif()
message(STATUS "converged (${termination}); every estimate within ${TOLERANCE} of the truth:\n${report}")
