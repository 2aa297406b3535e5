#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# geoinv's linear solvers against the seismic peer (seismic_peer.py: SciPy Tikhonov, scikit-learn Lasso),
# side by side on the same traces (issue 13 §4 targets). bench/seismic_traces.py writes the peer's traces
# (Ricker 30 Hz, 2 ms, 256 samples, 13 spikes U(-0.3, 0.3), snr 10, seed 0) once; then each round runs
# geoinv (bench/seismic_benchmark), then the peer's tikhonov and lasso modes, and takes the ratios of their
# medians; the median of each ratio over the rounds is printed (docs/benchmarks.md: ratios measured side
# by side).
#   tikhonov: scipy.linalg.solve(pos) per trace, and cho_solve with a cached factor, against linear_lsq
#             (banded Cholesky, factor cached) — µs per trace; λ = 0.05, 200 traces.
#   lasso:    sklearn Lasso (tol 1e-6) against fista (l1 + support solve) — ms per trace, 50 traces; the
#             objective of each geoinv solution is compared with sklearn's on the same trace.
#   usage: bench/seismic_peers.sh [BUILD_DIR] [ROUNDS] [PEER_DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"
rounds="${2:-3}"
peer_dir="${3:-/work/shared/peers}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

/usr/bin/python3 "$here/bench/seismic_traces.py" "$peer_dir" "$work"
for round in $(seq "$rounds"); do
  "$build/bin/seismic_benchmark" "$work" all >"$work/geoinv_$round.json"
  /usr/bin/python3 "$peer_dir/seismic_peer.py" tikhonov --traces 200 --lam 0.05 --snr 10 | tail -n 1 >"$work/tikhonov_$round.json"
  /usr/bin/python3 "$peer_dir/seismic_peer.py" lasso --traces 50 --snr 10 | tail -n 1 >"$work/lasso_$round.json"
  cat "$work/geoinv_$round.json"
done
/usr/bin/python3 - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
ratios = {"tikhonov_vs_scipy_solve": [], "tikhonov_vs_cho_solve_cached": [], "lasso_vs_sklearn": []}
for r in range(1, rounds + 1):
    arms = {j["arm"]: j for j in map(json.loads, open(f"{work}/geoinv_{r}.json"))}
    tik, las = json.load(open(f"{work}/tikhonov_{r}.json")), json.load(open(f"{work}/lasso_{r}.json"))
    ours_us = arms["tikhonov"]["us_per_trace_median"]
    ratios["tikhonov_vs_scipy_solve"].append(tik["scipy.linalg.solve(pos)"]["us_per_trace_median"] / ours_us)
    ratios["tikhonov_vs_cho_solve_cached"].append(tik["cho_solve_cached_us_per_trace_median"] / ours_us)
    ratios["lasso_vs_sklearn"].append(las["sklearn.Lasso(cd)"]["ms_per_trace_median"] / arms["lasso"]["ms_per_trace_median"])
    print(json.dumps({"round": r, "scipy_solve_us": tik["scipy.linalg.solve(pos)"]["us_per_trace_median"],
                      "cho_solve_cached_us": tik["cho_solve_cached_us_per_trace_median"], "geoinv_tikhonov_us": ours_us,
                      "sklearn_lasso_ms": las["sklearn.Lasso(cd)"]["ms_per_trace_median"],
                      "geoinv_lasso_ms": arms["lasso"]["ms_per_trace_median"],
                      "objective_rel_diff_to_sklearn_max": arms["lasso"]["objective_rel_diff_to_sklearn_max"]}))
print(json.dumps({"summary": True, "rounds": rounds, **{k: statistics.median(v) for k, v in ratios.items()}}))
PY
