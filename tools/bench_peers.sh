#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# geoinv's dls and gauss_newton against the tools a user would otherwise pick, on the seed sphere profile,
# side by side in one run: the machines here are shared and noisy, so absolute times drift but ratios
# measured together hold (bench/peers/README.md).
#
#   tools/bench_peers.sh [BUILD_DIR]        (default: $GEOINV_BUILD_DIR, else <checkout>/build)
#   PYTHON=python3 ROUNDS=3 tools/bench_peers.sh build-gn     (PYTHON: one with NumPy and SciPy)
#
# Builds nothing of geoinv: BUILD_DIR must already hold bin/dls_seed_benchmark and the plugins
# (cmake --build BUILD_DIR --target dls_seed_benchmark). The Ceres peer is compiled into a temporary
# folder with the command from bench/peers/README.md. Runs ROUNDS (default 5) interleaved rounds of
#   geoinv  dls_seed_benchmark: BM_DlsSeedInversion and BM_GaussNewtonSeedInversion (sphere and the
#           solver through the plugin registry, default options)
#   SciPy   least_squares(method='lm'), MINPACK, analytic and finite-difference Jacobian
#   Ceres   LM, one residual block of all residuals with an analytic Jacobian ("block")
# and prints each tool's median µs per inversion and the ratios SciPy/geoinv and Ceres/geoinv, for each
# geoinv solver.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
checkout="$(cd "${script_dir}/.." && pwd)"
peers="${checkout}/bench/peers"
build_dir="${1:-${GEOINV_BUILD_DIR:-${checkout}/build}}"
rounds="${ROUNDS:-5}"
python="${PYTHON:-/usr/bin/python3}"  # any Python with NumPy and SciPy
data="${checkout}/data/seed/sp_syn_data.csv"
benchmark="${build_dir}/bin/dls_seed_benchmark"

[[ -x "${benchmark}" ]] || { echo "bench_peers: ${benchmark} not found; build it first:" \
  "cmake --build ${build_dir} --target dls_seed_benchmark" >&2; exit 2; }
[[ -f "${data}" ]] || { echo "bench_peers: ${data} not found" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT

echo "compiling the Ceres peer in ${work}" >&2
g++ -O2 -std=c++17 "${peers}/ceres_peer.cpp" -I/usr/include/eigen3 -lceres -lglog -o "${work}/ceres_peer"

for round in $(seq 1 "${rounds}"); do
  echo "round ${round}/${rounds}" >&2
  "${benchmark}" --benchmark_filter='^BM_(Dls|GaussNewton)SeedInversion$' --benchmark_repetitions=10 \
    --benchmark_report_aggregates_only=true --benchmark_format=json > "${work}/geoinv_${round}.json"
  "${python}" "${peers}/scipy_sklearn_peer.py" lm "${data}" > "${work}/scipy_${round}.jsonl"
  "${work}/ceres_peer" "${data}" block 3000 > "${work}/ceres_${round}.json"
done

"${python}" - "${work}" "${rounds}" <<'PY'
import json, statistics, sys
work, rounds = sys.argv[1], int(sys.argv[2])
names = {"BM_DlsSeedInversion": "geoinv dls", "BM_GaussNewtonSeedInversion": "geoinv gauss_newton"}
geoinv = {name: [] for name in names.values()}
counters = {}
scipy_analytic, scipy_fd, ceres = [], [], []
for k in range(1, rounds + 1):
    report = json.load(open(f"{work}/geoinv_{k}.json"))
    for row in report["benchmarks"]:
        if row.get("aggregate_name") == "median":
            name = names[row["run_name"]]
            unit = {"ns": 1e-3, "us": 1.0, "ms": 1e3}[row["time_unit"]]
            geoinv[name].append(row["real_time"] * unit)
            c = {key: row[key] for key in ("iterations", "evaluations", "sse", "K") if key in row}
            c["termination"] = row.get("label", "")
            counters[name] = c
    for line in open(f"{work}/scipy_{k}.jsonl"):
        row = json.loads(line)
        (scipy_analytic if row["analytic_jac"] else scipy_fd).append(row["us_per_inversion"])
        if row["analytic_jac"]:
            scipy_row = row
    ceres_row = json.load(open(f"{work}/ceres_{k}.json"))
    ceres.append(ceres_row["us_per_inversion"])

g = statistics.median(geoinv["geoinv dls"])
print(f"seed sphere profile, {rounds} interleaved rounds; median µs per inversion (spread over rounds)")
def line(name, values, note=""):
    m = statistics.median(values)
    ratio = f"{m / g:8.2f}x dls"
    print(f"  {name:28s} {m:10.2f} µs  [{min(values):.2f} .. {max(values):.2f}]  {ratio}  {note}")
for name, values in geoinv.items():
    c = counters[name]
    line(name, values, f"iterations {c.get('iterations', float('nan')):.0f}, evaluations "
         f"{c.get('evaluations', float('nan')):.0f}, sse {c.get('sse', float('nan')):.6f}, {c.get('termination', '')}")
line("SciPy lm (analytic J)", scipy_analytic, f"nfev {scipy_row['nfev']}, K {scipy_row['K']:.3f}")
line("SciPy lm (finite diff.)", scipy_fd)
line("Ceres LM (block)", ceres,
     f"iterations {ceres_row['iterations']}, K {ceres_row['K']:.3f}, sse {2 * ceres_row['cost']:.6f}")
for name, values in geoinv.items():
    m = statistics.median(values)
    print(f"ratios for {name}: SciPy/geoinv {statistics.median(scipy_analytic) / m:.1f} (analytic J), "
          f"{statistics.median(scipy_fd) / m:.1f} (finite differences); Ceres/geoinv {statistics.median(ceres) / m:.1f}")
PY
