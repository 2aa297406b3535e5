#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Forward evaluations per second of geoinv's DE and PSO against their Python peers
# (bench/peers/global_bayes_peer.py: SciPy differential_evolution, classic and vectorised; pyswarms'
# GlobalBestPSO), side by side on the Surda profile, inclined sheet without background, in the peer's box.
# Each round runs geoinv, then the peer, once each; the ratio of their evaluations per second is taken per
# round and the median of the ratios printed (docs/benchmarks.md: ratios measured side by side).
#   geoinv de:  population 75 (the peer's popsize 15 x 5 parameters), 200 generations, pagmo's tolerances
#   peer de:    --popsize 15 --maxiter 200 [--vectorized]
#   geoinv pso: 50 particles, 200 generations, its stopping tests off (xtol 0, ftol 0), so all 200 run;
#               pagmo's pso (particle by particle), then pagmo's pso_gen (generational: true, the swarm as
#               one batch, like pyswarms) at geoinv run --threads 1 and --threads 2
#   peer pso:   --particles 50 --iters 200 (pyswarms evaluates the whole swarm in one call per iteration)
# geoinv's rate is forward_evaluations / wall_time_s of result.json (the solve, timed by the host).
#   usage: bench/global_peers.sh [BUILD_DIR] [ROUNDS] [de|pso|pso_gen|all]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"
rounds="${2:-5}"
which="${3:-all}"
data="$here/data/field/surda/surda_anomaly.csv"
peer="$here/bench/peers/global_bayes_peer.py"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# Both sides of a one-thread comparison run on the same single CPU (taskset, util-linux): a 7 ms geoinv
# solve that the scheduler moved between the two cores took 7.3 to 12.5 ms for the same work, pinned
# 7.3 to 8.4 ms (ten runs each, idle machine); the peer, single-threaded too, gets the same CPU. The
# --threads 2 arm runs unpinned.
one_cpu=(taskset -c "$(( $(nproc) - 1 ))")

geoinv_rate() {  # solver, options (flow map), threads
  cat >"$work/experiment.yaml" <<YAML
version: 1
name: global_peers
seed: 1
forward: {plugin: inclined_sheet, background: none, stations: data}
data: {file: $data, sort: true, duplicates: average}
bounds: {x0: [-141, 100], h: [0.5, 150], a: [0.5, 150], alpha: [0, 360], K: [-500, 500]}
start: {strategy: data_driven}
solvers: [{plugin: $1, options: $2}]
YAML
  local pin=()
  [ "$3" = 1 ] && pin=("${one_cpu[@]}")
  "${pin[@]}" "$build/bin/geoinv" run "$work/experiment.yaml" --out "$work/out" --overwrite --threads "$3" >/dev/null
  /usr/bin/python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(r["forward_evaluations"]/r["wall_time_s"])' \
    "$work/out/result.json"
}

peer_rate() {  # peer arguments
  "${one_cpu[@]}" /usr/bin/python3 "$peer" "$@" --runs 1 | tail -1 |
    /usr/bin/python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["evals_per_s"])'
}

median_ratio() {  # label, geoinv solver, geoinv options, geoinv threads, peer arguments...
  local label="$1" solver="$2" options="$3" threads="$4"
  shift 4
  local ratios=()
  for _ in $(seq 1 "$rounds"); do
    local ours theirs
    ours="$(geoinv_rate "$solver" "$options" "$threads")"
    theirs="$(peer_rate "$@")"
    ratios+=("$(/usr/bin/python3 -c 'import sys; print(float(sys.argv[1]) / float(sys.argv[2]))' "$ours" "$theirs")")
    echo "  $label round: geoinv $ours evals/s, peer $theirs evals/s" >&2
  done
  /usr/bin/python3 -c 'import statistics,sys; v=[float(x) for x in sys.argv[2:]]; print(f"{sys.argv[1]}: median ratio {statistics.median(v):.1f}x over {len(v)} rounds (min {min(v):.1f}, max {max(v):.1f})")' \
    "$label" "${ratios[@]}"
}

if [ "$which" = all ] || [ "$which" = de ]; then
  median_ratio "de vs scipy classic" de "{population_size: 75, generations: 200}" 1 \
    de "$data" --popsize 15 --maxiter 200
  median_ratio "de vs scipy vectorised" de "{population_size: 75, generations: 200}" 1 \
    de "$data" --popsize 15 --maxiter 200 --vectorized
fi
if [ "$which" = all ] || [ "$which" = pso ]; then
  median_ratio "pso vs pyswarms" pso "{population_size: 50, generations: 200, xtol: 0, ftol: 0}" 1 \
    pso "$data" --particles 50 --iters 200
fi
if [ "$which" = all ] || [ "$which" = pso_gen ]; then
  for threads in 1 2; do
    median_ratio "pso generational, $threads thread(s), vs pyswarms" pso \
      "{population_size: 50, generations: 200, xtol: 0, ftol: 0, generational: true}" "$threads" \
      pso "$data" --particles 50 --iters 200
  done
fi
