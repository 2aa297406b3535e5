# SPDX-License-Identifier: BSD-3-Clause
# The Debian package: `cpack -G DEB` in a build tree (docs/packaging.md) makes geoinv_<version>_<arch>.deb
# with everything `cmake --install` installs (the top-level CMakeLists.txt lists the layout), under /usr.
#
# Runtime dependencies are computed by dpkg-shlibdeps from the binaries (GEOINV_DEB_SHLIBDEPS, ON when
# dpkg-shlibdeps is installed, as on Debian with dpkg-dev); without it they are the Debian 12 packages
# listed below, the MPI ones only when the build has MPI (GEOINV_WITH_MPI). gnuplot is recommended, not
# required: without it geoinv warns and writes no figures (docs/outputs.md).
find_program(GEOINV_DPKG_SHLIBDEPS dpkg-shlibdeps)
if(GEOINV_DPKG_SHLIBDEPS)
  set(GEOINV_DEB_SHLIBDEPS_DEFAULT ON)
else()
  set(GEOINV_DEB_SHLIBDEPS_DEFAULT OFF)
endif()
option(GEOINV_DEB_SHLIBDEPS "Let dpkg-shlibdeps compute the .deb's dependencies (else a fixed Debian 12 list)"
       ${GEOINV_DEB_SHLIBDEPS_DEFAULT})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME geoinv)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "geoinv developers")
set(CPACK_PACKAGE_CONTACT "geoinv developers")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_RESOURCE_FILE_LICENSE "${PROJECT_SOURCE_DIR}/LICENSE")
set(CPACK_RESOURCE_FILE_README "${PROJECT_SOURCE_DIR}/README.md")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)  # plugins keep their descriptor section when stripped (tests/fixtures: stripped)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # geoinv_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "geoinv developers")
set(CPACK_DEBIAN_PACKAGE_SECTION science)
# The extended description; CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY before it as the synopsis.
string(CONCAT CPACK_DEBIAN_PACKAGE_DESCRIPTION
  "geoinv inverts geophysical profiles (self-potential anomalies today) for the parameters of buried\n"
  "bodies. The geoinv command loads forward-model and solver plugins, wired together by YAML\n"
  "experiment files. The package holds the command, the plugins, libgeoinv and libgeoinv_host, the\n"
  "plugin API headers and CMake package for writing plugins, the Python module geoinv (when built),\n"
  "the documentation, and the example\n"
  "configs and data in /usr/share/geoinv.")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gnuplot-nox | gnuplot")
# The Python module (GEOINV_BUILD_PYTHON), in /usr/lib/python3/dist-packages/geoinv: built for one Python
# minor version, it needs NumPy; pandas gives DataFrames (docs/python.md).
if(GEOINV_PYTHON_ENABLED)
  string(APPEND CPACK_DEBIAN_PACKAGE_RECOMMENDS ", python3 (>= ${Python3_VERSION_MAJOR}.${Python3_VERSION_MINOR}), "
                "python3-numpy, python3-pandas")
endif()
# For writing plugins against the installed headers (find_package(geoinv)).
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "cmake, g++, libeigen3-dev, libboost-dev")
if(GEOINV_DEB_SHLIBDEPS)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
  # libgeoinv and libgeoinv_host are in the package itself: dpkg-shlibdeps finds them here.
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS "${CMAKE_LIBRARY_OUTPUT_DIRECTORY}")
else()
  set(GEOINV_DEB_DEPENDS libc6 libstdc++6 libgcc-s1 libyaml-cpp0.7 libfmt9 libboost-program-options1.74.0
                         libnetcdf-c++4-1)
  if(GEOINV_MPI_ENABLED)
    list(APPEND GEOINV_DEB_DEPENDS libboost-mpi1.74.0 libboost-serialization1.74.0 libopenmpi3)
  endif()
  list(JOIN GEOINV_DEB_DEPENDS ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
endif()

include(CPack)
