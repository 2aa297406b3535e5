#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# geoinv's mlp against scikit-learn's MLPRegressor, side by side in one run: the same network (64-64 tanh,
# adam, batch 64, learning rate 1e-3, 150 epochs, no early stop) on the same problem (5000 noisy random
# sphere profiles, 4000 to train, 1000 to validate; bench/peers/README.md). The machines here are
# shared and noisy, so absolute times drift but ratios measured together hold.
#
#   tools/bench_mlp_peer.sh [BUILD_DIR]        (default: $GEOINV_BUILD_DIR, else <checkout>/build)
#
# Builds nothing: BUILD_DIR must already hold bin/mlp_benchmark and the plugins
# (cmake --build BUILD_DIR --target mlp_benchmark). Runs ROUNDS (default 3) interleaved rounds of
#   geoinv   mlp_benchmark BM_MlpTrain (sincos angles; the detected instruction set) and BM_MlpPredict
#   sklearn  scipy_sklearn_peer.py mlp 64,64 150
# and prints the median training seconds of each (wall; and CPU, where the peer's CPU is its whole
# process: data generation and imports included), their ratio, the validation errors side by side
# (the peer's metrics: MSE of the standardised parameters, median relative depth and K errors), and
# geoinv's inference time per profile. The two tools draw their own profiles, so their validation errors
# also differ by the draw: last, scikit-learn is trained with the peer's settings on exactly geoinv's
# 4000/1000 split (exported by the benchmark), for SAME_DATA_SEEDS random_state values (default 1; 0 skips).
# EXTRA=1 also runs geoinv's raw-angle and portable (no AVX2) trainings.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
checkout="$(cd "${script_dir}/.." && pwd)"
build_dir="${1:-${GEOINV_BUILD_DIR:-${checkout}/build}}"
rounds="${ROUNDS:-3}"
python=/usr/bin/python3
benchmark="${build_dir}/bin/mlp_benchmark"
peer="${checkout}/bench/peers/scipy_sklearn_peer.py"

[[ -x "${benchmark}" ]] || { echo "bench_mlp_peer: ${benchmark} not found; build it first:" \
  "cmake --build ${build_dir} --target mlp_benchmark" >&2; exit 2; }
[[ -f "${peer}" ]] || { echo "bench_mlp_peer: ${peer} not found" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

filter='^(BM_MlpTrain/raw_angles:0/portable:0/|BM_MlpPredict|BM_MlpPluginSolve)'
[[ "${EXTRA:-0}" == 1 ]] && filter='^(BM_MlpTrain/|BM_MlpPredict|BM_MlpPluginSolve)'

for round in $(seq 1 "${rounds}"); do
  echo "round ${round}/${rounds}: geoinv" >&2
  GEOINV_MLP_EXPORT="${work}" "${benchmark}" --benchmark_filter="${filter}" --benchmark_format=json \
    > "${work}/geoinv_${round}.json"
  echo "round ${round}/${rounds}: scikit-learn" >&2
  # The peer as it is, run through runpy so that its whole process's CPU time can be read afterwards.
  "${python}" - "${peer}" > "${work}/sklearn_${round}.jsonl" 2>/dev/null <<'PY'
import json, resource, runpy, sys
peer = sys.argv[1]
sys.argv = [peer, "mlp", "64,64", "150"]
runpy.run_path(peer, run_name="__main__")
usage = resource.getrusage(resource.RUSAGE_SELF)
print()
print(json.dumps({"process_cpu_s": usage.ru_utime + usage.ru_stime}))
PY
done

seeds="${SAME_DATA_SEEDS:-1}"
if (( seeds > 0 )); then
  echo "scikit-learn on geoinv's profiles (${seeds} random_state values)" >&2
  "${python}" - "${work}" "${seeds}" > "${work}/same_data.jsonl" 2>/dev/null <<'PY'
import json, sys, time, warnings
import numpy as np
from sklearn.neural_network import MLPRegressor
from sklearn.preprocessing import StandardScaler
warnings.filterwarnings("ignore")
work, seeds = sys.argv[1], int(sys.argv[2])
train = np.loadtxt(f"{work}/train.csv", delimiter=","); validation = np.loadtxt(f"{work}/validation.csv", delimiter=",")
D, P, Dv, Pv = train[:, :-4], train[:, -4:], validation[:, :-4], validation[:, -4:]
sx, sy = StandardScaler().fit(D), StandardScaler().fit(P)
for seed in range(seeds):
    m = MLPRegressor(hidden_layer_sizes=(64, 64), activation="tanh", solver="adam", max_iter=150, batch_size=64,
                     learning_rate_init=1e-3, random_state=seed, tol=0, n_iter_no_change=10**9)
    t = time.perf_counter(); m.fit(sx.transform(D), sy.transform(P)); dt = time.perf_counter() - t
    scaled = m.predict(sx.transform(Dv)); pred = sy.inverse_transform(scaled)
    rel = np.abs(pred - Pv) / np.abs(Pv)
    print(json.dumps(dict(random_state=seed, train_s=dt, val_mse_scaled=float(np.mean((scaled - sy.transform(Pv)) ** 2)),
                          median_rel_err_depth=float(np.median(rel[:, 2])), median_rel_err_K=float(np.median(rel[:, 3])))))
PY
fi

"${python}" - "${work}" "${rounds}" <<'PY'
import json, os, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
train, cpu, predict, solve, sk, sk_cpu = [], [], [], [], [], []
rows, extra = {}, {}
for k in range(1, rounds + 1):
    for row in json.load(open(f"{work}/geoinv_{k}.json"))["benchmarks"]:
        name = row["name"]
        unit = {"ns": 1e-3, "us": 1.0, "ms": 1e3, "s": 1e6}[row["time_unit"]]
        if name.startswith("BM_MlpTrain/raw_angles:0/portable:0"):
            train.append(row["train_s"]); cpu.append(row["cpu_s"]); rows = row
        elif name.startswith("BM_MlpTrain"):
            extra.setdefault(name, []).append(row)
        elif name.startswith("BM_MlpPredict"):
            predict.append(row["real_time"] * unit)
        elif name.startswith("BM_MlpPluginSolve"):
            solve.append(row["real_time"] * unit)
    for line in open(f"{work}/sklearn_{k}.jsonl"):
        line = line.strip()
        if not line:
            continue
        row = json.loads(line)
        if "train_s" in row:
            sk.append(row["train_s"]); sk_row = row
        elif "process_cpu_s" in row:
            sk_cpu.append(row["process_cpu_s"])
m = statistics.median
print(f"64-64 tanh adam, batch 64, lr 1e-3, 150 epochs, 4000 training / 1000 validation sphere profiles; "
      f"{rounds} interleaved rounds, medians [min .. max]")
print(f"  geoinv mlp ({rows.get('label', '')})")
print(f"    training  {m(train):7.3f} s wall [{min(train):.3f} .. {max(train):.3f}], {m(cpu):.3f} s CPU")
print(f"    validation: MSE of standardised parameters {rows['val_mse_scaled']:.4f}, median relative error "
      f"depth {rows['median_rel_err_depth']:.4f}, K {rows['median_rel_err_K']:.4f}, x0 {rows['median_rel_err_x0']:.4f}, "
      f"theta {rows['median_rel_err_theta']:.4f}")
print(f"    inference {m(predict):.3f} µs per profile (core), {m(solve):.3f} µs through the plugin's solve()")
print(f"  scikit-learn MLPRegressor")
print(f"    training  {m(sk):7.3f} s wall [{min(sk):.3f} .. {max(sk):.3f}], {m(sk_cpu):.3f} s CPU (whole process)")
print(f"    validation: MSE of standardised parameters {sk_row['val_mse_scaled']:.4f}, median relative error "
      f"depth {sk_row['median_rel_err_depth']:.4f}, K {sk_row['median_rel_err_K']:.4f}")
print(f"ratio scikit-learn / geoinv: {m(sk) / m(train):.1f}x (wall), {m(sk_cpu) / m(cpu):.1f}x (CPU)")
same = f"{work}/same_data.jsonl"
if os.path.exists(same):
    for line in open(same):
        r = json.loads(line)
        print(f"  scikit-learn on geoinv's 4000/1000 profiles, random_state {r['random_state']}: {r['train_s']:.3f} s; "
              f"MSE of standardised parameters {r['val_mse_scaled']:.4f}, depth {r['median_rel_err_depth']:.4f}, "
              f"K {r['median_rel_err_K']:.4f}")
for name, found in sorted(extra.items()):
    r = found[-1]
    print(f"  also {name}: {m([x['train_s'] for x in found]):.3f} s wall; MSE of standardised parameters "
          f"{r['val_mse_scaled']:.4f}, depth {r['median_rel_err_depth']:.4f}, K {r['median_rel_err_K']:.4f} ({r.get('label', '')})")
PY
