#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# geoinv's mcmc against emcee, side by side in one run, on the same posterior: the seed sphere profile,
# Gaussian likelihood with σ the least-squares RMS, 32 walkers × 5000 stretch updates, 1000 burn-in
# (bench/peers/README.md, global_bayes_peer.py emcee). The machines here are shared and noisy, so absolute
# times drift but ratios measured together hold.
#
#   tools/bench_mcmc_peer.sh [BUILD_DIR]       (default: $GEOINV_BUILD_DIR, else <checkout>/build)
#
# Builds nothing: BUILD_DIR must hold bin/mcmc_benchmark and the plugins
# (cmake --build BUILD_DIR --target mcmc_benchmark). Runs ROUNDS (default 5) interleaved rounds of
#   geoinv        mcmc_benchmark 1 ROUND
#   emcee         global_bayes_peer.py emcee --seed ROUND
#   emcee (vec.)  global_bayes_peer.py emcee --seed ROUND --vectorize
# and prints, per peer, the median over rounds of geoinv's samples/s and ESS/s (per parameter) divided by
# the peer's in the same round, and the median posterior sd of each tool with their ratio.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
checkout="$(cd "${script_dir}/.." && pwd)"
build_dir="${1:-${GEOINV_BUILD_DIR:-${checkout}/build}}"
rounds="${ROUNDS:-5}"
python=/usr/bin/python3
benchmark="${build_dir}/bin/mcmc_benchmark"
peer="${checkout}/bench/peers/global_bayes_peer.py"
data="${checkout}/data/seed/sp_syn_data.csv"

[[ -x "${benchmark}" ]] || { echo "bench_mcmc_peer: ${benchmark} not found; build it first:" \
  "cmake --build ${build_dir} --target mcmc_benchmark" >&2; exit 2; }

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
for round in $(seq 1 "${rounds}"); do
  "${benchmark}" 1 "${round}" >> "${work}/geoinv.jsonl"
  "${python}" "${peer}" emcee "${data}" --seed "${round}" | tail -1 >> "${work}/emcee.jsonl"
  "${python}" "${peer}" emcee "${data}" --seed "${round}" --vectorize | tail -1 >> "${work}/emcee_vectorized.jsonl"
done

"${python}" - "${work}" <<'PY'
import json, statistics, sys
work = sys.argv[1]
load = lambda name: [json.loads(line) for line in open(f"{work}/{name}.jsonl")]
geoinv = load("geoinv")
names = ["x0", "theta", "h", "K"]
peer_name = {"x0": "x0", "theta": "th_deg", "h": "h", "K": "K"}  # the peer's keys
print(f"rounds: {len(geoinv)}; geoinv samples/s median {statistics.median(g['samples_per_s'] for g in geoinv):.0f}")
for peer in ["emcee", "emcee_vectorized"]:
    rows = load(peer)
    print(f"{peer}: samples/s median {statistics.median(r['samples_per_s'] for r in rows):.0f}; "
          f"geoinv/peer samples/s, median of ratios: "
          f"{statistics.median(g['samples_per_s'] / r['samples_per_s'] for g, r in zip(geoinv, rows)):.1f}x")
    for n in names:
        p = peer_name[n]
        ess = statistics.median(g["parameters"][n]["ess_per_s"] / r[p]["ess_per_s"] for g, r in zip(geoinv, rows))
        sd_g = statistics.median(g["parameters"][n]["sd"] for g in geoinv)
        sd_p = statistics.median(r[p]["sd"] for r in rows)
        tau_g = statistics.median(g["parameters"][n]["tau"] for g in geoinv)
        tau_p = statistics.median(r[p]["tau"] for r in rows)
        print(f"  {n:>6}: ESS/s ratio {ess:.1f}x; tau {tau_g:.1f} vs {tau_p:.1f}; "
              f"sd {sd_g:.5g} vs {sd_p:.5g} (ratio {sd_g / sd_p:.4f})")
PY
