#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Campaign throughput, side by side in one run (docs/benchmarks.md, "Campaigns"): 10,000 sphere
# inversions (dls, the seed's fixed start, noisy synthetic profiles, results written) with
#   geoinv campaign --jobs 1, --jobs 2 (worker processes, the default), the same with --executor threads
#   (the peer of the worker processes: the median over rounds of each round's ratio is printed), and mpirun -n 2 (the MPI backend, one thread per rank) with Open
#   MPI's default transports and with OMPI_MCA_pml=ob1 (which skips probing for UCX and other
#   interconnects at MPI_Init: a third of a second here), and the SciPy peer's loop (bench/peers: least_squares(method='lm') per model, one process).
#
#   tools/bench_campaign.sh [BUILD_DIR]       (default: $GEOINV_BUILD_DIR, else <checkout>/build)
#   RUNS=10000 ROUNDS=5 PEER_RUNS=1000 PYTHON=/usr/bin/python3 tools/bench_campaign.sh
#
# Rounds are interleaved (one of each per round) so the machine's load falls on all alike; the medians
# over rounds are printed. Two times per geoinv command: the campaign's own (what `geoinv campaign`
# reports: from reading the campaign file to summary.csv written, so validation, the manifest, every run
# with its rows written, and the summary) and the whole command's wall time, which adds process start-up
# and, under mpirun, launching the ranks and MPI_Init (a fixed 0.2-0.4 s here, whatever the campaign).
# Figures are off (--no-figures): gnuplot is not part of the runs. PEER_RUNS=0 skips the peer.
set -euo pipefail

script_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
checkout="$(cd "${script_dir}/.." && pwd)"
build_dir="${1:-${GEOINV_BUILD_DIR:-${checkout}/build}}"
geoinv="${build_dir}/bin/geoinv"
runs="${RUNS:-10000}"
rounds="${ROUNDS:-5}"
peer_runs="${PEER_RUNS:-1000}"
python="${PYTHON:-/usr/bin/python3}"
peer="${checkout}/bench/peers/scipy_sklearn_peer.py"

[[ -x "${geoinv}" ]] || { echo "bench_campaign: ${geoinv} not found; build first" >&2; exit 2; }
(( runs % 4 == 0 )) || { echo "bench_campaign: RUNS must be a multiple of 4 (four noise levels)" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1  # Open MPI refuses root without them

work="$(mktemp -d)"
trap 'rm -rf "${work}"' EXIT
cat >"${work}/throughput.yaml" <<EOF
version: 1
name: throughput
seed: 7
base: ${checkout}/examples/synthetic_sphere/synthetic_sphere.yaml   # sphere, 101 stations, dls, fixed start
sweep:
  grid:
    data.synthetic.noise_sigma: [1, 3.1622776601683795, 5, 10]   # mV
  replicates: $((runs / 4))
keep_details: none
EOF

seconds_of() {  # runs geoinv campaign; prints "campaign_seconds wall_seconds"
  local start end
  start=$(date +%s.%N)
  "$@" >"${work}/stdout" 2>"${work}/stderr" || { cat "${work}/stderr" >&2; exit 1; }
  end=$(date +%s.%N)
  echo "$(grep -oE 'in [0-9.]+ s' "${work}/stdout" | grep -oE '[0-9.]+') $(echo "${end} - ${start}" | bc -l)"
}

median() { sort -g | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'; }

declare -A times walls
for round in $(seq 1 "${rounds}"); do
  echo "round ${round}/${rounds}" >&2
  for mode in jobs1 threads1 jobs2 threads2 mpi2 mpi2ob1; do
    rm -rf "${work}/out"
    case "${mode}" in
      threads1) t=$(seconds_of "${geoinv}" campaign "${work}/throughput.yaml" --executor threads --jobs 1 --out "${work}/out" --quiet --no-figures) ;;
      threads2) t=$(seconds_of "${geoinv}" campaign "${work}/throughput.yaml" --executor threads --jobs 2 --out "${work}/out" --quiet --no-figures) ;;
      jobs1) t=$(seconds_of "${geoinv}" campaign "${work}/throughput.yaml" --jobs 1 --out "${work}/out" --quiet --no-figures) ;;
      jobs2) t=$(seconds_of "${geoinv}" campaign "${work}/throughput.yaml" --jobs 2 --out "${work}/out" --quiet --no-figures) ;;
      mpi2) t=$(seconds_of mpirun -n 2 "${geoinv}" campaign "${work}/throughput.yaml" --out "${work}/out" --quiet --no-figures) ;;
      mpi2ob1) t=$(OMPI_MCA_pml=ob1 seconds_of mpirun -n 2 "${geoinv}" campaign "${work}/throughput.yaml" --out "${work}/out" --quiet --no-figures) ;;
    esac
    times[${mode}]+="${t% *} "
    walls[${mode}]+="${t#* } "
  done
  if (( peer_runs > 0 )); then
    rate=$("${python}" "${peer}" campaign "${peer_runs}" | grep -oE '"inversions_per_s": [0-9.]+' | grep -oE '[0-9.]+$')
    times[peer]+="${rate} "
  fi
done

printf '%-24s %12s %14s %12s %14s\n' "${runs} runs" "campaign s" "inversions/s" "command s" "inversions/s"
declare -A rate_of wall_rate_of
for mode in jobs1 threads1 jobs2 threads2 mpi2 mpi2ob1; do
  m=$(tr ' ' '\n' <<<"${times[${mode}]}" | grep . | median)
  w=$(tr ' ' '\n' <<<"${walls[${mode}]}" | grep . | median)
  rate_of[${mode}]=$(echo "${runs} / ${m}" | bc -l)
  wall_rate_of[${mode}]=$(echo "${runs} / ${w}" | bc -l)
  case "${mode}" in
    mpi2) label="geoinv mpirun -n 2" ;;
    mpi2ob1) label="  with OMPI_MCA_pml=ob1" ;;
    threads*) label="  --executor threads" ;;
    *) label="geoinv --jobs ${mode#jobs}" ;;
  esac
  printf '%-24s %12.3f %14.0f %12.3f %14.0f\n' "${label}" "${m}" "${rate_of[${mode}]}" "${w}" "${wall_rate_of[${mode}]}"
done
if (( peer_runs > 0 )); then
  peer_rate=$(tr ' ' '\n' <<<"${times[peer]}" | grep . | median)
  printf '%-24s %12s %14.0f\n' "SciPy loop (${peer_runs} runs)" "-" "${peer_rate}"
  printf 'geoinv --jobs 2 / SciPy: %.0fx\n' "$(echo "${rate_of[jobs2]} / ${peer_rate}" | bc -l)"
fi
printf 'mpirun -n 2 / --jobs 2, campaign time: %.3f (pml=ob1: %.3f); whole command: %.3f (pml=ob1: %.3f)\n' \
  "$(echo "${rate_of[mpi2]} / ${rate_of[jobs2]}" | bc -l)" "$(echo "${rate_of[mpi2ob1]} / ${rate_of[jobs2]}" | bc -l)" \
  "$(echo "${wall_rate_of[mpi2]} / ${wall_rate_of[jobs2]}" | bc -l)" \
  "$(echo "${wall_rate_of[mpi2ob1]} / ${wall_rate_of[jobs2]}" | bc -l)"
printf -- '--jobs 2 / --jobs 1: %.2f\n' "$(echo "${rate_of[jobs2]} / ${rate_of[jobs1]}" | bc -l)"
# Worker processes against threads, per round (campaign time): median of the rounds' ratios, > 1 slower.
for jobs in 1 2; do
  read -r -a processes <<<"${times[jobs${jobs}]}"
  read -r -a threads <<<"${times[threads${jobs}]}"
  ratio=$(for i in "${!processes[@]}"; do echo "${processes[$i]} / ${threads[$i]}" | bc -l; done | median)
  printf -- '--jobs %s: worker processes / threads, campaign time: %.3f (median of %s rounds)\n' "${jobs}" "${ratio}" "${rounds}"
done
