#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes the traces of the seismic peer (seismic_peer.py, its make_data: Ricker 30 Hz, 2 ms, 256 samples,
13 spikes U(-0.3, 0.3), noise at snr 10, seed 0) for bench/seismic_benchmark, so that geoinv solves exactly
the traces the peer times. For the L1 traces it adds the peer's auto alpha and the objective value that
scikit-learn's Lasso (the peer's settings) reaches on each, for the objective comparison.
  usage: seismic_traces.py PEER_DIR OUT_DIR [--tikhonov-traces 200] [--lasso-traces 50]
Output: OUT_DIR/tikhonov.txt and OUT_DIR/lasso.txt, whitespace-separated numbers:
  line 1: n traces; line 2: the wavelet; then one line per trace: [lambda sklearn_objective] d(0..n-1)
(lambda and the objective on L1 lines only; geoinv's objective is 2n times sklearn's: lambda = 2 n alpha)."""
import argparse, sys, types
import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument('peer_dir'); ap.add_argument('out_dir')
ap.add_argument('--tikhonov-traces', type=int, default=200); ap.add_argument('--lasso-traces', type=int, default=50)
a = ap.parse_args()
sys.path.insert(0, a.peer_dir)
import seismic_peer as peer  # noqa: E402
from sklearn.linear_model import Lasso  # noqa: E402

args = types.SimpleNamespace(f=30.0, dt=0.002, wavelet='ricker', seed=0, snr=10.0, alpha='auto', alpha_c=0.25)
n = 256

def write(path, traces, lines):
    G, w, R, D, sig = peer.make_data(args, n, traces)
    with open(path, 'w') as out:
        out.write(f'{n} {traces}\n' + ' '.join(repr(float(v)) for v in w) + '\n')
        for i, d in enumerate(D):
            out.write(lines(G, w, d, sig[i]) + ' '.join(repr(float(v)) for v in d) + '\n')

write(f'{a.out_dir}/tikhonov.txt', a.tikhonov_traces, lambda G, w, d, s: '')

def lasso_line(G, w, d, s):
    alpha = peer.alpha_auto(s, w, n, args.alpha_c)
    m = Lasso(alpha=alpha, fit_intercept=False, max_iter=100000, tol=1e-6).fit(G, d)
    objective = np.sum((d - G @ m.coef_)**2) + 2 * n * alpha * np.abs(m.coef_).sum()  # geoinv's scale
    return f'{2 * n * alpha!r} {float(objective)!r} '

write(f'{a.out_dir}/lasso.txt', a.lasso_traces, lasso_line)
