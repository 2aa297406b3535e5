#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# geoinv against the seismic peer (bench/peers/seismic_peer.py: SciPy Tikhonov, scikit-learn Lasso, numpy
# FISTA), side by side, for the speed targets of issue 13 §4. bench/seismic_traces.py writes the peer's
# traces (Ricker 30 Hz, 2 ms, 256 samples, 13 spikes U(-0.3, 0.3), snr 10, seed 0) once; then each round
# runs every arm of both sides, one after the other, and takes the ratio of the peer's time to geoinv's;
# the median of each ratio over the rounds, with its min and max, is printed last (docs/benchmarks.md:
# ratios measured side by side). The peer's NumPy uses the reference BLAS here: it is single-threaded.
#   tikhonov: scipy.linalg.solve(pos) per trace, and cho_solve with a cached factor, against linear_lsq
#             (bench/seismic_benchmark: banded Cholesky, factor cached) — µs per trace; λ = 0.05, 200 traces.
#   lasso:    sklearn Lasso (tol 1e-6) against fista (l1 + support solve) — ms per trace, 50 traces; the
#             objective of each geoinv solution is compared with sklearn's on the same trace.
#   wedge:    the whole campaign `geoinv campaign configs/papers/kim_nakata2018_wedge.yaml` (540 runs: 60
#             traces × 3 noise levels × 4 methods, figures included), wall time with --jobs 1 and with
#             --jobs 2, against the time of the peer's Tikhonov and FISTA (L1) arms alone in its `wedge`
#             mode (same traces and noise levels; the sum over noise levels of its arms' ms_per_trace ×
#             traces, which leaves out its data generation and metrics). --jobs 1 is the ratio to quote
#             against the single-threaded peer; --jobs 2 is labelled as such. A third arm runs --jobs 1
#             with --no-figures: the peer's timed arms draw nothing, and drawing is reporting (gnuplot),
#             so that arm compares the same work; the with-figures arm is kept beside it.
#   The campaign folders (about 125 MB and 3,600 files each) are kept until the script exits: removing one
#   just before the next timed arm made that arm's file creations 2.8–3.5 s slower on ext4, which skips
#   recently freed inodes when it allocates new ones (on tmpfs the same writes take 0.2 s). That cost was the
#   bench's own deletion, not the campaign's work. Needs about 0.4 GB of free space per round.
#   usage: bench/seismic_peers.sh [BUILD_DIR] [ROUNDS] [PEER_DIR]
#          (defaults: <checkout>/build, 3, <checkout>/bench/peers; builds nothing: BUILD_DIR must hold
#          bin/seismic_benchmark and bin/geoinv)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$here/build}"
rounds="${2:-3}"
peer_dir="${3:-$here/bench/peers}"
python=/usr/bin/python3
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

for program in seismic_benchmark geoinv; do
  [[ -x "$build/bin/$program" ]] || { echo "seismic_peers: $build/bin/$program not found; build it first:" \
    "cmake --build $build --target $program" >&2; exit 2; }
done

# Wall seconds of a command, written to $1.
time_into() {
  local into="$1" start end
  shift
  start="$(date +%s.%N)"
  "$@"
  end="$(date +%s.%N)"
  awk -v start="$start" -v end="$end" 'BEGIN { printf "%.3f\n", end - start }' >"$into"
}

"$python" "$here/bench/seismic_traces.py" "$peer_dir" "$work"
for round in $(seq "$rounds"); do
  echo "round $round/$rounds" >&2
  "$build/bin/seismic_benchmark" "$work" all >"$work/geoinv_$round.json"
  "$python" "$peer_dir/seismic_peer.py" tikhonov --traces 200 --lam 0.05 --snr 10 | tail -n 1 >"$work/tikhonov_$round.json"
  "$python" "$peer_dir/seismic_peer.py" lasso --traces 50 --snr 10 | tail -n 1 >"$work/lasso_$round.json"
  for jobs in 1 2; do
    time_into "$work/campaign_j${jobs}_$round.s" "$build/bin/geoinv" campaign \
      "$here/configs/papers/kim_nakata2018_wedge.yaml" --jobs "$jobs" --quiet --out "$work/wedge_j${jobs}_$round" >/dev/null
  done
  time_into "$work/campaign_nofig_$round.s" "$build/bin/geoinv" campaign \
    "$here/configs/papers/kim_nakata2018_wedge.yaml" --jobs 1 --no-figures --quiet --out "$work/wedge_nofig_$round" >/dev/null
  "$python" "$peer_dir/seismic_peer.py" wedge >"$work/wedge_$round.jsonl"
done
"$python" - "$work" "$rounds" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
ratios = {"tikhonov_vs_scipy_solve": [], "tikhonov_vs_cho_solve_cached": [], "lasso_vs_sklearn": [],
          "wedge_campaign_jobs1_vs_peer_arms": [], "wedge_campaign_jobs2_vs_peer_arms": [],
          "wedge_campaign_jobs1_no_figures_vs_peer_arms": []}
for r in range(1, rounds + 1):
    arms = {j["arm"]: j for j in map(json.loads, open(f"{work}/geoinv_{r}.json"))}
    tik, las = json.load(open(f"{work}/tikhonov_{r}.json")), json.load(open(f"{work}/lasso_{r}.json"))
    wedge = [json.loads(line) for line in open(f"{work}/wedge_{r}.jsonl") if line.strip()]
    traces = next(w["traces"] for w in wedge if w.get("summary"))
    peer_arms_s = sum(1e-3 * w["ms_per_trace"] * traces for w in wedge if w.get("method") in ("tikhonov", "fista_l1"))
    campaign = {jobs: float(open(f"{work}/campaign_j{jobs}_{r}.s").read()) for jobs in (1, 2)}
    campaign_no_figures = float(open(f"{work}/campaign_nofig_{r}.s").read())
    ours_us = arms["tikhonov"]["us_per_trace_median"]
    ratios["tikhonov_vs_scipy_solve"].append(tik["scipy.linalg.solve(pos)"]["us_per_trace_median"] / ours_us)
    ratios["tikhonov_vs_cho_solve_cached"].append(tik["cho_solve_cached_us_per_trace_median"] / ours_us)
    ratios["lasso_vs_sklearn"].append(las["sklearn.Lasso(cd)"]["ms_per_trace_median"] / arms["lasso"]["ms_per_trace_median"])
    ratios["wedge_campaign_jobs1_vs_peer_arms"].append(peer_arms_s / campaign[1])
    ratios["wedge_campaign_jobs2_vs_peer_arms"].append(peer_arms_s / campaign[2])
    ratios["wedge_campaign_jobs1_no_figures_vs_peer_arms"].append(peer_arms_s / campaign_no_figures)
    print(json.dumps({"round": r, "scipy_solve_us": tik["scipy.linalg.solve(pos)"]["us_per_trace_median"],
                      "cho_solve_cached_us": tik["cho_solve_cached_us_per_trace_median"], "geoinv_tikhonov_us": ours_us,
                      "geoinv_tikhonov_max_rel_diff_to_dense_llt": arms["tikhonov"]["max_rel_diff_to_dense_llt"],
                      "sklearn_lasso_ms": las["sklearn.Lasso(cd)"]["ms_per_trace_median"],
                      "geoinv_lasso_ms": arms["lasso"]["ms_per_trace_median"],
                      "objective_rel_diff_to_sklearn_max": arms["lasso"]["objective_rel_diff_to_sklearn_max"],
                      "objective_rel_diff_to_sklearn_min": arms["lasso"]["objective_rel_diff_to_sklearn_min"],
                      "peer_wedge_tikhonov_plus_fista_s": peer_arms_s,
                      "geoinv_wedge_campaign_jobs1_s": campaign[1], "geoinv_wedge_campaign_jobs2_s": campaign[2],
                      "geoinv_wedge_campaign_jobs1_no_figures_s": campaign_no_figures}))
print(json.dumps({"summary": True, "rounds": rounds,
                  **{k: {"median": statistics.median(v), "min": min(v), "max": max(v)} for k, v in ratios.items()}}))
PY
