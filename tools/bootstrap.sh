#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# One-step set-up for a fresh Debian 12 machine (README.md):
#   tools/bootstrap.sh example   install what is missing, build (Release), run the main example
#   tools/bootstrap.sh test      install what is missing, build, run the whole test suite with ctest
# Re-running is cheap: installed packages are skipped and the build is incremental.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
build_dir="${GEOINV_BUILD_DIR:-build}"
jobs="${GEOINV_JOBS:-2}"

# Debian 12 packages geoinv needs to build, test and benchmark.
packages=(
  build-essential cmake pkg-config
  libboost-dev libboost-program-options-dev
  libeigen3-dev libyaml-cpp-dev libfmt-dev nlohmann-json3-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libboost-mpi-dev libopenmpi-dev openmpi-bin   # the MPI campaign backend (always built)
  gnuplot-nox                                   # figures and report.html of runs and campaigns
  libnetcdf-c++4-dev                            # a sampler's draws as NetCDF-4 (posterior.nc)
  python3-xarray python3-netcdf4                # the test that reads posterior.nc as ArviZ would
)

install_missing() {
  local missing=()
  for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "bootstrap: installing ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "bootstrap: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

configure_and_build() {
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release
  cmake --build "$build_dir" -j"$jobs"
}

case "${1:-}" in
  example)
    install_missing
    configure_and_build
    "$build_dir/bin/geoinv" run examples/synthetic_sphere/synthetic_sphere.yaml \
      --out runs/synthetic_sphere --overwrite
    ;;
  test)
    install_missing
    configure_and_build
    ctest --test-dir "$build_dir" -j"$jobs" --output-on-failure
    ;;
  *)
    echo "usage: tools/bootstrap.sh example|test" >&2
    exit 2
    ;;
esac
