#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Peak memory of `geoinv campaign` and `geoinv collect` against the number of runs (docs/campaigns.md,
# "Memory"): it must not grow with the runs. For each size, a sphere campaign (examples/synthetic_sphere:
# dls, fixed start, synthetic data; a grid of 4 noise levels x size/4 replicates; keep_details none) is run
# whole, then as shards 0/2 and 1/2 that `geoinv collect` merges, with the default memory budget and again
# with SMALL_BUDGET bytes (default 1 MiB; the two outputs must be the same bytes). The runs, seconds,
# runs/s and peak MB come from geoinv's own summary lines (getrusage ru_maxrss), printed side by side.
#
#   tools/bench_campaign_memory.sh [BUILD_DIR]          (default: $GEOINV_BUILD_DIR, else <checkout>/build)
#   SIZES="10000 1000000" JOBS=2 SHARDS=1 tools/bench_campaign_memory.sh build
#
# SIZES: run counts, multiples of 4 (default "10000 100000 1000000"); JOBS: --jobs (default: the number of
# cores); SHARDS=0 skips the sharded runs and collect. A 10^6-run size takes minutes on 2 cores and needs
# about 1 GB of disk per size in the temporary folder ($TMPDIR), removed at the end.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
checkout="$(cd "${script_dir}/.." && pwd)"
build_dir="${1:-${GEOINV_BUILD_DIR:-${checkout}/build}}"
sizes="${SIZES:-10000 100000 1000000}"
jobs="${JOBS:-$(nproc)}"
shards="${SHARDS:-1}"
small_budget="${SMALL_BUDGET:-1048576}"  # bytes: the second collect's GEOINV_CAMPAIGN_MEMORY_BYTES
geoinv="${build_dir}/bin/geoinv"
base="${checkout}/examples/synthetic_sphere/synthetic_sphere.yaml"

[[ -x "${geoinv}" ]] || { echo "bench_campaign_memory: ${geoinv} not found; build first" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
table="${work}/table"
printf '%-22s %9s %9s %9s %9s\n' "what" "runs" "seconds" "runs/s" "peak MB" >"${table}"

# Runs geoinv ARGS..., echoes its output to stderr and adds a line to the table from its summary line.
measure() {
  local label="$1" runs="$2"
  shift 2
  local output seconds peak
  output="$("${geoinv}" "$@")"
  echo "${output}" >&2
  seconds="$(sed -nE 's/.* in ([0-9.]+) s,.*/\1/p' <<<"${output}" | head -1)"
  peak="$(sed -nE 's/.*peak memory ([0-9.]+) MB.*/\1/p' <<<"${output}" | head -1)"
  printf '%-22s %9s %9s %9.0f %9s\n' "${label}" "${runs}" "${seconds}" \
    "$(awk -v r="${runs}" -v s="${seconds}" 'BEGIN { print (s > 0 ? r / s : 0) }')" "${peak}" >>"${table}"
}

for runs in ${sizes}; do
  (( runs % 4 == 0 )) || { echo "bench_campaign_memory: ${runs} is not a multiple of 4" >&2; exit 2; }
  campaign="${work}/memory_${runs}.yaml"
  cat >"${campaign}" <<EOF
version: 1
name: memory_${runs}
seed: 3
base: ${base}
solvers:
  - plugin: dls
sweep:
  grid:
    data.synthetic.noise_sigma: [1, 3.1622776601683795, 5, 10]
  replicates: $(( runs / 4 ))
keep_details: none
EOF
  echo "== ${runs} runs" >&2
  measure "campaign" "${runs}" campaign "${campaign}" --quiet --jobs "${jobs}" --out "${work}/whole_${runs}"
  if [[ "${shards}" != 0 ]]; then
    rm -rf "${work}/whole_${runs}"  # disk: one copy of the results at a time
    for shard in 0 1; do
      measure "campaign --shard ${shard}/2" "$(( (runs + 1 - shard) / 2 ))" campaign "${campaign}" --quiet \
        --jobs "${jobs}" --shard "${shard}/2" --out "${work}/shard${shard}_${runs}"
    done
    measure "collect (2 shards)" "${runs}" collect "${work}/shard0_${runs}" "${work}/shard1_${runs}" \
      --out "${work}/collected_${runs}"
    # The same with a smaller budget: the peak follows the budget, the files stay the same bytes.
    GEOINV_CAMPAIGN_MEMORY_BYTES="${small_budget}" measure "collect, $(( small_budget >> 20 )) MiB budget" \
      "${runs}" collect "${work}/shard0_${runs}" "${work}/shard1_${runs}" --out "${work}/small_${runs}"
    for file in manifest.csv results.csv summary.csv; do
      cmp -s "${work}/collected_${runs}/${file}" "${work}/small_${runs}/${file}" ||
        { echo "bench_campaign_memory: ${file} differs between the two budgets" >&2; exit 1; }
    done
  fi
  rm -rf "${work}"/*_"${runs}"
done
cat "${table}"
