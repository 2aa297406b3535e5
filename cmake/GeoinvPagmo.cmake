# SPDX-License-Identifier: BSD-3-Clause
# geoinv_add_pagmo_solver_plugin(NAME SOURCES ... [EXAMPLE example.yaml])
#
# A solver plugin whose algorithm is pagmo's (de, sade, cmaes, pso, simulated_annealing, sga): finds pagmo
# 2.18 or later through its CMake package (Debian 12: libpagmo-dev, in tools/bootstrap.sh) and builds the
# plugin with geoinv_add_solver_plugin, linked to pagmo and given the shared pieces: the generation loop
# and pagmo problem (plugins/solver/pagmo/include/geoinv_pagmo) and the population rules
# (plugins/solver/common/include/geoinv_population: the search box, the fitness, the batch evaluation on
# worker threads, hence Threads). Without pagmo the plugin is left out, with a note: the rest of geoinv
# builds and runs without it.
function(geoinv_add_pagmo_solver_plugin NAME)
  find_package(Pagmo 2.18 CONFIG QUIET)
  if(NOT Pagmo_FOUND)
    message(STATUS "pagmo >= 2.18 not found (Debian: libpagmo-dev): solver plugin ${NAME} is not built")
    return()
  endif()
  find_package(Threads REQUIRED)
  geoinv_add_solver_plugin(${NAME} ${ARGN} LIBRARIES Pagmo::pagmo Threads::Threads geoinv_solver_common)
  target_include_directories(geoinv_plugin_${NAME} PRIVATE "${PROJECT_SOURCE_DIR}/plugins/solver/pagmo/include")
endfunction()
