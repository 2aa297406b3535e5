#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# The inclined sheet's predict() and predict_with_jacobian() per evaluation on the Surda stations
# (bench/sheet_forward_benchmark.cpp) for this build's plugin against another build's (the one before a
# change, say), side by side: each round runs the benchmark once with each plugin, and the median of the
# per-round ratios peer / this build is printed (docs/benchmarks.md: ratios measured side by side).
# PEER_LIB is a copy of a build's lib folder (libgeoinv.so, libgeoinv_host.so and geoinv/plugins/) holding
# the peer's plugin: the benchmark, run with LD_LIBRARY_PATH at it, loads the plugins beside that libgeoinv.
#   usage: bench/sheet_forward_peers.sh PEER_LIB [BUILD_DIR] [ROUNDS]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peer_lib="${1:?usage: bench/sheet_forward_peers.sh PEER_LIB [BUILD_DIR] [ROUNDS]}"
build="${2:-$here/build}"
rounds="${3:-5}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

run() {  # output file, then an optional LD_LIBRARY_PATH
  LD_LIBRARY_PATH="${2:-}" "$build/bin/sheet_forward_benchmark" --benchmark_filter='BM_SheetPredict' \
    --benchmark_min_time=0.2 --benchmark_format=json >"$1" 2>/dev/null
}

for round in $(seq 1 "$rounds"); do
  run "$work/ours_$round.json"
  run "$work/peer_$round.json" "$peer_lib"
done
/usr/bin/python3 - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
def cpu_ns(path):
    return {b["name"]: b["cpu_time"] for b in json.load(open(path))["benchmarks"]}
for name in ("BM_SheetPredict", "BM_SheetPredictWithJacobian"):
    ours = [cpu_ns(f"{work}/ours_{r}.json")[name] for r in range(1, rounds + 1)]
    peer = [cpu_ns(f"{work}/peer_{r}.json")[name] for r in range(1, rounds + 1)]
    ratios = [p / o for p, o in zip(peer, ours)]
    print(f"{name}: this build {statistics.median(ours):.0f} ns, peer {statistics.median(peer):.0f} ns "
          f"(medians); peer / this build: median {statistics.median(ratios):.2f}x over {rounds} rounds "
          f"(min {min(ratios):.2f}, max {max(ratios):.2f})")
PY
