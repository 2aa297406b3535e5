# SPDX-License-Identifier: BSD-3-Clause
# The sanitizers' run-time options for geoinv's sanitizer and fuzz builds (docs/testing.md). Sourced by
# tools/bootstrap.sh (the sanitizer stage) and tests/fuzz/run_fuzzers.sh; source it yourself before
# running ctest or a fuzzer in such a build folder by hand:
#   . tests/sanitizers/environment.sh
# Values already set in the environment are kept.
#   ASAN_OPTIONS   leaks are findings; verify_asan_link_order=0 because durability_test preloads its
#                  short-write shim (tests/faults) ahead of the ASan runtime, which is safe here: the shim
#                  is instrumented and only wraps write().
#   UBSAN_OPTIONS  a stack for every report, and the first one ends the program (so the test fails).
#   LSAN_OPTIONS   Open MPI's own leaks are suppressed (lsan.supp), nothing else.
geoinv_sanitizers_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:verify_asan_link_order=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$geoinv_sanitizers_dir/lsan.supp:print_suppressions=0}"
unset geoinv_sanitizers_dir
