# SPDX-License-Identifier: BSD-3-Clause
# GEOINV_BUILD_PYTHON and GEOINV_PYTHON_ENABLED, included from the top-level CMakeLists.txt
# (docs/python.md, docs/packaging.md).
#
# The Python module `geoinv` (python/) is built with pybind11 against one Python 3 interpreter.
#   GEOINV_BUILD_PYTHON  AUTO (default): build it when pybind11 (Debian's pybind11-dev) and the Python 3
#                        headers (python3-dev) are found, else leave it out with a configure message;
#                        ON: fail when they are missing; OFF: never build it.
#   Python3_EXECUTABLE   the interpreter the module is built for and the tests run (default: the first
#                        python3 FindPython3 finds; give /usr/bin/python3 when another one comes first
#                        on PATH, e.g. a pyenv shim without NumPy).
#   GEOINV_PYTHON_INSTALL_DIR  where `cmake --install` puts the package folder geoinv/, relative to the
#                        install prefix (default: lib/python3/dist-packages, Debian's folder for
#                        packaged modules, which /usr/bin/python3 searches under /usr and /usr/local).
set(GEOINV_BUILD_PYTHON AUTO CACHE STRING "Build the Python module: AUTO (when found), ON (required) or OFF")
set_property(CACHE GEOINV_BUILD_PYTHON PROPERTY STRINGS AUTO ON OFF)
string(TOUPPER "${GEOINV_BUILD_PYTHON}" GEOINV_BUILD_PYTHON_CHOICE)
if(NOT GEOINV_BUILD_PYTHON_CHOICE MATCHES "^(AUTO|ON|OFF)$")
  message(FATAL_ERROR "GEOINV_BUILD_PYTHON is '${GEOINV_BUILD_PYTHON}'; valid values: AUTO (default), ON, OFF")
endif()
set(GEOINV_PYTHON_INSTALL_DIR "lib/python3/dist-packages" CACHE STRING
    "Folder, relative to the install prefix, that receives the Python package geoinv/")

set(GEOINV_PYTHON_ENABLED OFF)  # what the build does; read by python/, tests/ and cmake/Packaging.cmake
if(GEOINV_BUILD_PYTHON_CHOICE STREQUAL "OFF")
  message(STATUS "geoinv: Python module off (GEOINV_BUILD_PYTHON=OFF)")
else()
  # Development.Embed (libpython) only for the conformance suite's embedded interpreter (tests/CMakeLists.txt).
  find_package(Python3 3.8 QUIET COMPONENTS Interpreter Development.Module OPTIONAL_COMPONENTS Development.Embed)
  if(Python3_FOUND)
    set(PYBIND11_FINDPYTHON ON)  # pybind11 uses the Python3 found above
    find_package(pybind11 2.6 CONFIG QUIET)
  endif()
  if(Python3_FOUND AND pybind11_FOUND)
    set(GEOINV_PYTHON_ENABLED ON)
    message(STATUS "geoinv: Python module on (Python ${Python3_VERSION} at ${Python3_EXECUTABLE}, "
                   "pybind11 ${pybind11_VERSION})")
  else()
    set(GEOINV_PYTHON_MISSING "pybind11 (pybind11-dev)")
    if(NOT Python3_FOUND)
      set(GEOINV_PYTHON_MISSING "the Python 3 headers (python3-dev)")
    endif()
    if(GEOINV_BUILD_PYTHON_CHOICE STREQUAL "ON")
      message(FATAL_ERROR "GEOINV_BUILD_PYTHON=ON, but ${GEOINV_PYTHON_MISSING} was not found: install "
                          "pybind11-dev and python3-dev, or configure with -DGEOINV_BUILD_PYTHON=AUTO or OFF")
    endif()
    message(NOTICE "geoinv: ${GEOINV_PYTHON_MISSING} not found: the Python module is left out. Install "
                   "pybind11-dev and python3-dev for it, or set -DGEOINV_BUILD_PYTHON=OFF to silence this message.")
  endif()
endif()
