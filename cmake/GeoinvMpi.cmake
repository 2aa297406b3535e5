# SPDX-License-Identifier: BSD-3-Clause
# GEOINV_WITH_MPI and GEOINV_MPI_ENABLED, included from the top-level CMakeLists.txt (docs/packaging.md).
#
# The MPI campaign executor (`mpirun -n N geoinv campaign ...`, docs/campaigns.md) needs an MPI (Open MPI
# on Debian) and Boost.MPI. A laptop needs neither: without them geoinv runs campaigns on threads and
# Slurm shards, and `geoinv campaign` under a launcher with several ranks fails saying how it was built.
#   GEOINV_WITH_MPI  AUTO (default): build the MPI executor when MPI and Boost.MPI are found, else leave
#                    it out with a configure message; ON: fail when they are missing; OFF: never use them.
set(GEOINV_WITH_MPI AUTO CACHE STRING
    "Build the MPI campaign executor: AUTO (when found), ON (required) or OFF")
set_property(CACHE GEOINV_WITH_MPI PROPERTY STRINGS AUTO ON OFF)
string(TOUPPER "${GEOINV_WITH_MPI}" GEOINV_WITH_MPI_CHOICE)
if(NOT GEOINV_WITH_MPI_CHOICE MATCHES "^(AUTO|ON|OFF)$")
  message(FATAL_ERROR "GEOINV_WITH_MPI is '${GEOINV_WITH_MPI}'; valid values: AUTO (default), ON, OFF")
endif()
set(GEOINV_MPI_ENABLED OFF)  # what the build does; read by framework/ and tests/
if(GEOINV_WITH_MPI_CHOICE STREQUAL "OFF")
  message(STATUS "geoinv: MPI campaign executor off (GEOINV_WITH_MPI=OFF)")
else()
  find_package(MPI QUIET COMPONENTS CXX)
  if(MPI_CXX_FOUND)
    find_package(boost_mpi 1.74 CONFIG QUIET)  # Boost.MPI, with Boost.Serialization
  endif()
  if(MPI_CXX_FOUND AND boost_mpi_FOUND)
    set(GEOINV_MPI_ENABLED ON)
    message(STATUS "geoinv: MPI campaign executor on (MPI ${MPI_CXX_VERSION}, Boost.MPI ${boost_mpi_VERSION})")
  elseif(GEOINV_WITH_MPI_CHOICE STREQUAL "ON")
    set(GEOINV_MPI_MISSING "Boost.MPI")
    if(NOT MPI_CXX_FOUND)
      set(GEOINV_MPI_MISSING "MPI (C++)")
    endif()
    message(FATAL_ERROR "GEOINV_WITH_MPI=ON, but ${GEOINV_MPI_MISSING} was not found: install libopenmpi-dev and "
                        "libboost-mpi-dev, or configure with -DGEOINV_WITH_MPI=AUTO or OFF")
  else()
    message(NOTICE "geoinv: MPI or Boost.MPI not found: the MPI campaign executor is left out (threads and "
                   "--shard still work; `geoinv campaign` under mpirun with several ranks will refuse to run). "
                   "Install libopenmpi-dev and libboost-mpi-dev for it, or set -DGEOINV_WITH_MPI=OFF to "
                   "silence this message.")
  endif()
endif()
