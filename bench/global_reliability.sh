#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Reliability of the global solvers (docs/solvers/global.md, "Reliability"): each pagmo solver on the three
# field profiles, inclined sheet without background, in the box of bench/peers/global_bayes_peer.py (x0 over the profile, h and a
# in [0.5, 150] m, alpha in [0, 360] deg, K in [-500, 500] mV),
# seeds 1..RUNS, budget 10,000 forward evaluations. A run reaches the minimum when its RMS is within 1 % of
# the least-squares minimum (Surda 5.997, Kalava 2.284, Bavarian Woods 15.761 mV). Prints one line per
# solver and profile: hits of RUNS.
#   usage: bench/global_reliability.sh [BUILD_DIR] [RUNS] [SOLVERS...]
# OPTIONS (environment, a YAML flow map, default {}) sets solver options, for tuning one solver at a time.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"
runs="${2:-10}"
shift $(( $# > 2 ? 2 : $# ))
solvers=("$@")
options="${OPTIONS:-}"
[ -n "$options" ] || options="{}"
[ ${#solvers[@]} -eq 0 ] && solvers=(de sade cmaes pso simulated_annealing sga)
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# profile | reference RMS (mV) | bounds of x0, h, a, alpha (deg), K (mV)
profiles=(
  "surda|5.997|[-141, 100]|[0.5, 150]|[0.5, 150]|[0, 360]|[-500, 500]"
  "kalava|2.284|[-21, 20]|[0.5, 150]|[0.5, 150]|[0, 360]|[-500, 500]"
  "bavarian_woods|15.761|[-260, 262]|[0.5, 150]|[0.5, 150]|[0, 360]|[-500, 500]"
)

for solver in "${solvers[@]}"; do
  for entry in "${profiles[@]}"; do
    IFS='|' read -r profile reference x0 h a alpha k <<<"$entry"
    cat >"$work/experiment.yaml" <<YAML
version: 1
name: reliability
forward: {plugin: inclined_sheet, background: none, stations: data}
data: {file: $here/data/field/$profile/${profile}_anomaly.csv, sort: true, duplicates: average}
bounds: {x0: $x0, h: $h, a: $a, alpha: $alpha, K: $k}
start: {strategy: data_driven}
budget: {max_forward_evaluations: 10000}
solvers: [{plugin: $solver, options: $options}]
YAML
    hits=0
    for seed in $(seq 1 "$runs"); do
      "$build/bin/geoinv" run "$work/experiment.yaml" --set "seed=$seed" --out "$work/out" --overwrite >/dev/null
      rms="$(/usr/bin/python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["rms"])' "$work/out/result.json")"
      if /usr/bin/python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) <= 1.01 * float(sys.argv[2]) else 1)' "$rms" "$reference"; then
        hits=$((hits + 1))
      fi
    done
    echo "$solver $profile $hits/$runs"
  done
done
