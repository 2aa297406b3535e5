#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# geoinv's windowed mlp against scikit-learn's windowed MLPRegressor, side by side in one run: the same
# network (64-64 tanh, adam, batch 64, learning rate 1e-3, alpha 1e-4, 50 epochs, no early stop) on the same
# problem shape (10 000 pairs of a 31-sample window and the reflection coefficient at its centre, from 200
# noisy traces at SNR 10; validation on 50 other traces; bench/peers/seismic_peer.py mlp and its README).
# The machines here are shared and noisy, so absolute times drift but ratios measured together hold.
#
#   tools/bench_mlp_window_peer.sh [BUILD_DIR]      (default: $GEOINV_BUILD_DIR, else <checkout>/build)
#
# Builds nothing: BUILD_DIR must hold bin/mlp_window_benchmark (cmake --build BUILD_DIR --target
# mlp_window_benchmark). Runs ROUNDS (default 3) interleaved rounds; a round trains each side on DRAWS
# (default 3) draws of the data (geoinv's BM_MlpWindowTrain/0..2, the peer's --seed 0..2). It prints per round
# and as medians: training seconds (median over the draws), the speed ratio (scikit-learn / geoinv, per
# round, then its median), the validation NRMSE and correlation (each draw's median over its 50 traces, then
# the median over draws), and the inference time per trace. The two sides draw their own traces from the
# same distributions (the peer's numpy generator, geoinv's own), so one draw's errors differ by the draw as
# well as by the method: compare the medians over draws.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
checkout="$(cd "${script_dir}/.." && pwd)"
build_dir="${1:-${GEOINV_BUILD_DIR:-${checkout}/build}}"
rounds="${ROUNDS:-3}"
python=/usr/bin/python3
benchmark="${build_dir}/bin/mlp_window_benchmark"
peer="${checkout}/bench/peers/seismic_peer.py"

[[ -x "${benchmark}" ]] || { echo "bench_mlp_window_peer: ${benchmark} not found; build it first:" \
  "cmake --build ${build_dir} --target mlp_window_benchmark" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

draws="${DRAWS:-3}"
for round in $(seq 1 "${rounds}"); do
  echo "round ${round}/${rounds}: geoinv" >&2
  "${benchmark}" --benchmark_filter="^BM_MlpWindowTrain/([0-9]+)/" --benchmark_format=json \
    > "${work}/geoinv_${round}.json"
  for draw in $(seq 0 $((draws - 1))); do
    echo "round ${round}/${rounds}: scikit-learn, draw ${draw}" >&2
    "${python}" "${peer}" mlp --seed "${draw}" --wedge-snr 10 > "${work}/sklearn_${round}_${draw}.jsonl"
  done
done

"${python}" - "${work}" "${rounds}" "${draws}" <<'PY'
import json, statistics, sys
work, rounds, draws = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
med = statistics.median
rows = []
for r in range(1, rounds + 1):
    g = [b for b in json.load(open(f"{work}/geoinv_{r}.json"))["benchmarks"]
         if int(b["name"].split("/")[1]) < draws]
    s = []
    for d in range(draws):
        lines = [json.loads(line) for line in open(f"{work}/sklearn_{r}_{d}.jsonl") if line.strip()]
        s.append(next(x for x in lines if x.get("peer") == "sklearn.MLPRegressor"))
    row = dict(geoinv_s=med(b["train_s"] for b in g), sklearn_s=med(x["train_s"] for x in s),
               geoinv_nrmse=med(b["val_nrmse_median"] for b in g), sklearn_nrmse=med(x["val_nrmse_median"] for x in s),
               geoinv_corr=med(b["val_corr_median"] for b in g), sklearn_corr=med(x["val_corr_median"] for x in s),
               geoinv_us=med(b["inference_us_per_trace"] for b in g),
               sklearn_us=med(x["inference_us_per_trace_median"] for x in s))
    row["ratio"] = row["sklearn_s"] / row["geoinv_s"]
    rows.append(row)
    print(json.dumps(dict(round=r, **row)))
median = {k: statistics.median(row[k] for row in rows) for k in rows[0]}
print(json.dumps(dict(summary=True, rounds=rounds, **median)))
print(f"training (10 000 pairs x 50 epochs): geoinv {median['geoinv_s']:.3f} s, scikit-learn {median['sklearn_s']:.3f} s,"
      f" median ratio {median['ratio']:.2f}x")
print(f"validation NRMSE (median per trace): geoinv {median['geoinv_nrmse']:.3f}, scikit-learn {median['sklearn_nrmse']:.3f};"
      f" corr {median['geoinv_corr']:.3f} / {median['sklearn_corr']:.3f}")
print(f"inference per 256-sample trace: geoinv {median['geoinv_us']:.0f} us, scikit-learn {median['sklearn_us']:.0f} us")
PY
