#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Runs the libFuzzer targets of a GEOINV_FUZZ=ON build (tests/fuzz/CMakeLists.txt, docs/testing.md): each
# first over its committed corpus (tests/fuzz/corpus/<target>/: seeds and every past crasher), then
# mutating it for a fixed time. New interesting inputs go to <build>/fuzz/corpus/<target>/, never into the
# committed corpus; a crashing input is saved as <build>/fuzz/artifacts/<target>/crash-* (or leak-*,
# timeout-*, oom-*), to be fixed and then committed into the corpus as a regression file.
#
# Usage: tests/fuzz/run_fuzzers.sh --build-dir DIR [--seconds N] [TARGET...]
#   --build-dir DIR  the GEOINV_FUZZ=ON build folder, its fuzzers built (target geoinv_fuzzers)
#   --seconds N      fuzzing time per target, in seconds (default 25)
#   TARGET           short names (experiment_loader campaign_loader profile_csv mlp_model collect
#                    resume_scan); default: all of them
# Prints each target's executions and executions per second. Exit codes: 0 no target found anything,
# 1 some target failed (its output says which input), 2 bad usage.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
build_dir=""
seconds=25
targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build_dir="${2:?--build-dir needs a folder}"; shift 2 ;;
    --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
    -*) echo "run_fuzzers.sh: unknown option '$1' (valid: --build-dir DIR, --seconds N)" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[[ -n "$build_dir" ]] || { echo "run_fuzzers.sh: --build-dir is required" >&2; exit 2; }
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "run_fuzzers.sh: --seconds '$seconds' is not a whole number" >&2; exit 2; }
[[ ${#targets[@]} -gt 0 ]] ||
  targets=(experiment_loader campaign_loader profile_csv mlp_model collect resume_scan)

# shellcheck source=../sanitizers/environment.sh
. "$here/../sanitizers/environment.sh"  # leaks and undefined behaviour are findings too

failed=()
summary=()
for target in "${targets[@]}"; do
  binary="$build_dir/bin/geoinv_fuzz_$target"
  [[ -x "$binary" ]] || { echo "run_fuzzers.sh: no fuzzer $binary (build the target geoinv_fuzzers)" >&2; exit 2; }
  corpus="$build_dir/fuzz/corpus/$target"
  artifacts="$build_dir/fuzz/artifacts/$target"
  log="$build_dir/fuzz/$target.log"
  mkdir -p "$corpus" "$artifacts"
  echo "== fuzz $target: ${seconds} s over tests/fuzz/corpus/$target"
  # -timeout: an input taking 20 s is a finding (a hang); -rss_limit_mb: so is one needing 2 GB.
  if "$binary" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
       -artifact_prefix="$artifacts/" "$corpus" "$here/corpus/$target" >"$log" 2>&1; then
    status=ok
  else
    status=FAILED
    failed+=("$target")
    tail -n 60 "$log"
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  summary+=("$(printf '%-18s %-6s %12s executions %8s exec/s' "$target" "$status" "${runs:-?}" "${rate:-?}")")
done

echo "== fuzz summary (${seconds} s each; logs in $build_dir/fuzz/)"
printf '%s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
  echo "run_fuzzers.sh: failed: ${failed[*]} (inputs in $build_dir/fuzz/artifacts/)" >&2
  exit 1
fi
