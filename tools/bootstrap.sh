#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# One-step set-up for a fresh Debian 12 machine (README.md):
#   tools/bootstrap.sh example   install what is missing, build (Release), run the main example
#   tools/bootstrap.sh test      install what is missing, build, run the whole test suite with ctest; then
#                                the suite again under AddressSanitizer and UBSan; then the fuzzers
#                                (docs/testing.md). Stops at the first stage that fails.
#   tools/bootstrap.sh sanitize  the sanitizer stage of `test` alone
# Re-running is cheap: installed packages are skipped and the builds are incremental. Build folders:
# GEOINV_BUILD_DIR (default build), and beside it <build>-sanitize and <build>-fuzz.
# GEOINV_FUZZ_SECONDS: fuzzing time per fuzz target in the test step (default 20 s).
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
  libpagmo-dev                                  # the global solver plugins (de, sade, cmaes, pso, simulated_annealing, sga)
  libtbb-dev                                    # pagmo's batch evaluator's threads: the pso plugin keeps libtbb loaded
  clang libclang-rt-14-dev                      # the fuzz stage: libFuzzer and clang's sanitizer runtimes
  libnetcdf-c++4-dev                            # a sampler's draws as NetCDF-4 (posterior.nc)
  python3-xarray python3-netcdf4                # the test that reads posterior.nc as ArviZ would
  pybind11-dev python3-dev                      # the Python module (python/, GEOINV_BUILD_PYTHON)
  python3-numpy python3-pandas python3-pytest   # its arrays, DataFrames and pytest suite (python/tests)
  python3-scipy                                 # bench/python: least_squares against geoinv's dls
  python3-matplotlib python3-nbconvert python3-nbclient python3-ipykernel  # the notebook, run headless
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

# The Python module is built for Debian's interpreter, the one the packages above serve; another python3
# earlier on PATH (a pyenv or venv one) would lack NumPy.
python_hint=()
[[ -x /usr/bin/python3 ]] && python_hint=(-DPython3_EXECUTABLE=/usr/bin/python3)

configure_and_build() {
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release "${python_hint[@]}"
  cmake --build "$build_dir" -j"$jobs"
}

stage() {
  echo
  echo "==== bootstrap test: $* ===="
}

# The suite again, built with AddressSanitizer and UBSan (GEOINV_SANITIZE), without the benchmarks and the
# Python module (an instrumented extension loads only into an interpreter started with libasan). The
# `install` tests (the .deb and the SDK, which build against the install without the sanitizers) stay in
# the normal stage.
sanitizer_stage() {
  local dir="${build_dir}-sanitize"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DGEOINV_SANITIZE=address,undefined \
    -DGEOINV_BUILD_BENCHMARKS=OFF -DGEOINV_BUILD_PYTHON=OFF  # python3 would need the ASan runtime preloaded
  cmake --build "$dir" -j"$jobs"
  (. tests/sanitizers/environment.sh && ctest --test-dir "$dir" -j"$jobs" --output-on-failure -LE install)
}

# The libFuzzer targets (tests/fuzz), built with clang, each over its corpus and then fuzzed for a while.
fuzz_stage() {
  local dir="${build_dir}-fuzz"
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DGEOINV_FUZZ=ON \
    -DGEOINV_BUILD_TESTS=OFF -DGEOINV_BUILD_BENCHMARKS=OFF
  cmake --build "$dir" -j"$jobs" --target geoinv_fuzzers
  tests/fuzz/run_fuzzers.sh --build-dir "$dir" --seconds "${GEOINV_FUZZ_SECONDS:-20}"
}

case "${1:-}" in
  example)
    install_missing
    configure_and_build
    "$build_dir/bin/geoinv" run examples/synthetic_sphere/synthetic_sphere.yaml \
      --out runs/synthetic_sphere --overwrite
    ;;
  sanitize)
    install_missing
    sanitizer_stage
    ;;
  test)
    install_missing
    stage "1/3 the test suite (Release, $build_dir)"
    configure_and_build
    ctest --test-dir "$build_dir" -j"$jobs" --output-on-failure
    stage "2/3 the test suite under ASan and UBSan (RelWithDebInfo, ${build_dir}-sanitize)"
    sanitizer_stage
    stage "3/3 the fuzzers (clang, ${build_dir}-fuzz)"
    fuzz_stage
    stage "passed"
    ;;
  *)
    echo "usage: tools/bootstrap.sh example|test|sanitize" >&2
    exit 2
    ;;
esac
