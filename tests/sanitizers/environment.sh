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
#   OMPI_MCA_mca_base_env_list
#                  read by mpirun alone: the environment of the ranks it starts (the geoinv processes of
#                  the MPI tests), so that their Open MPI leaks carry names lsan.supp can match:
#                  - ASAN_OPTIONS as above plus fast_unwind_on_malloc=0: Open MPI is built without frame
#                    pointers, and the default unwinder stops one frame into it. Only the ranks pay for
#                    the slower unwinder, not the rest of the suite.
#                  - LD_PRELOAD of PMIx (libpmix.so.2, when installed): Open MPI loads it with its PMIx
#                    component and unloads both at MPI_Finalize, before the leak check, which would then
#                    see the block PMIx's progress thread keeps as `<unknown module>`. Preloaded, it
#                    stays mapped and named.
geoinv_sanitizers_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:verify_asan_link_order=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$geoinv_sanitizers_dir/lsan.supp:print_suppressions=0}"
geoinv_rank_environment="ASAN_OPTIONS=$ASAN_OPTIONS:fast_unwind_on_malloc=0"
geoinv_pmix_library="$( (ldconfig -p 2>/dev/null || /sbin/ldconfig -p 2>/dev/null) |
                        awk '$1 == "libpmix.so.2" && !found { print $NF; found = 1 }')"  # no early exit: under pipefail a closed pipe would fail the caller (SIGPIPE)
[ -n "$geoinv_pmix_library" ] && geoinv_rank_environment+=";LD_PRELOAD=$geoinv_pmix_library"
export OMPI_MCA_mca_base_env_list="${OMPI_MCA_mca_base_env_list:-$geoinv_rank_environment}"
unset geoinv_sanitizers_dir geoinv_rank_environment geoinv_pmix_library
