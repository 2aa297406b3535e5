#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# kill -9 soak of a campaign with learning solvers (docs/campaigns.md, "Crash safety and --resume"): dls,
# mlp and mlp -> dls (a small network, so that a worker trains in a second or two) over RUNS runs, killed
# KILLS times at random moments (SIGKILL to the campaign, whose worker processes die with it) and resumed
# each time, then resumed to the end. Its results.csv is compared with an uninterrupted campaign's:
# (run, solver) rows lost, duplicated, extra, and rows whose fields differ (all but shard and
# wall_time_s). Exits non-zero when any is not 0.
#
#   tools/soak_campaign_kill.sh [BUILD_DIR]      (default: $GEOINV_BUILD_DIR, else <checkout>/build)
#   KILLS=20 RUNS=4000 JOBS=2 MAX_DELAY_S=3 SEED=1 EXECUTOR=processes tools/soak_campaign_kill.sh
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
checkout="$(cd "${script_dir}/.." && pwd)"
build_dir="${1:-${GEOINV_BUILD_DIR:-${checkout}/build}}"
geoinv="${build_dir}/bin/geoinv"
kills="${KILLS:-20}"
runs="${RUNS:-4000}"
jobs="${JOBS:-2}"
max_delay_s="${MAX_DELAY_S:-3}"  # s: each kill comes after a uniform delay in [0, MAX_DELAY_S)
executor="${EXECUTOR:-processes}"
RANDOM="${SEED:-1}"

[[ -x "${geoinv}" ]] || { echo "soak_campaign_kill: ${geoinv} not found; build first" >&2; exit 2; }
(( runs % 4 == 0 )) || { echo "soak_campaign_kill: RUNS must be a multiple of 4 (four noise levels)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
cat >"${work}/soak.yaml" <<EOF
version: 1
name: soak
seed: 20141101
base: ${checkout}/examples/synthetic_sphere/synthetic_sphere.yaml
sweep:
  grid:
    data.synthetic.noise_sigma: [1, 3.1622776601683795, 5, 10]   # mV
  random:
    data.synthetic.true_model.h: {uniform: [7, 75]}   # m
  replicates: $((runs / 4))
solvers:
  - plugin: dls
  - plugin: mlp
    options: {hidden_layer_sizes: [16], activation: tanh, solver: adam, batch_size: 64, max_iter: 20}
    prior:
      sampling: uniform
      ranges: {x0: [50, 100], theta: [260, 340], h: [7, 75], K: [70000, 110000]}   # m, deg, m, mV*m^2
      samples: 500
      seed: 7
  - plugin: dls
    label: mlp_dls
    start_from: mlp
keep_details: none
EOF
campaign=("${geoinv}" campaign "${work}/soak.yaml" --jobs "${jobs}" --executor "${executor}" --quiet --no-figures)

echo "soak: an uninterrupted campaign of ${runs} runs" >&2
"${campaign[@]}" --out "${work}/whole" >/dev/null

killed=0
resume=()
while (( killed < kills )); do
  "${campaign[@]}" --out "${work}/soak" "${resume[@]}" >/dev/null 2>>"${work}/stderr" &
  pid=$!
  delay=$(printf '%d.%03d' $((RANDOM % max_delay_s)) $((RANDOM % 1000)))
  sleep "${delay}"
  if kill -9 "${pid}" 2>/dev/null; then
    killed=$((killed + 1))
    rows=$(($(wc -l <"${work}/soak/results.csv" 2>/dev/null || echo 1) - 1))
    echo "soak: kill ${killed}/${kills} after ${delay} s (${rows} rows)" >&2
  fi
  wait "${pid}" 2>/dev/null || true
  [[ -f "${work}/soak/campaign.json" ]] && resume=(--resume)
done
"${campaign[@]}" --out "${work}/soak" "${resume[@]}" >/dev/null

python3 - "${work}/whole/results.csv" "${work}/soak/results.csv" <<'PY'
import csv, sys
def rows(path):
    with open(path, newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        skip = {header.index("shard"), header.index("wall_time_s")}
        solver = header.index("solver")
        out, duplicated = {}, 0
        for fields in reader:
            key = (int(fields[0]), fields[solver])
            duplicated += key in out
            out[key] = [v for i, v in enumerate(fields) if i not in skip]
        return out, duplicated
whole, _ = rows(sys.argv[1])
soak, duplicated = rows(sys.argv[2])
lost = sum(key not in soak for key in whole)
extra = sum(key not in whole for key in soak)
differ = sum(key in soak and soak[key] != value for key, value in whole.items())
print(f"rows: {len(whole)} uninterrupted, {len(soak)} after the kills; lost {lost}, duplicated {duplicated}, "
      f"extra {extra}, differing {differ}")
sys.exit(1 if lost or duplicated or extra or differ else 0)
PY
