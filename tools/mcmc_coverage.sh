#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The coverage check of the mcmc sampler with the issue's numbers: over 200 synthetic replicates of the
# seed sphere (new noise each), the 90 % credible intervals must hold the truth 85–95 % of the time. CTest
# runs the same test on 20 replicates with wider bounds (plugins/solver/mcmc/mcmc_test.cpp,
# NinetyPercentCredibleIntervalsCoverTheTruth).
#
#   tools/mcmc_coverage.sh [BUILD_DIR] [REPLICATES]   (defaults: <checkout>/build, 200)
set -euo pipefail
script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir="${1:-${GEOINV_BUILD_DIR:-$(cd "${script_dir}/.." && pwd)/build}}"
test_binary="${build_dir}/bin/mcmc_test"
[[ -x "${test_binary}" ]] || { echo "mcmc_coverage: ${test_binary} not found; build it first:" \
  "cmake --build ${build_dir} --target mcmc_test" >&2; exit 2; }
GEOINV_MCMC_COVERAGE_REPLICATES="${2:-200}" "${test_binary}" \
  --gtest_filter='McmcTest.NinetyPercentCredibleIntervalsCoverTheTruth'
