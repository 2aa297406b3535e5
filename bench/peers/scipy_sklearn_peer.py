#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Peer baselines on this machine: scipy least_squares (MINPACK LM) and sklearn MLPRegressor.
Usage: scipy_sklearn_peer.py [lm|campaign|mlp] ...   (Debian python3 with numpy/scipy/sklearn)"""
import os, sys, time, json
import numpy as np
from scipy.optimize import least_squares

X = np.linspace(0, 150, 101)
TRUE = np.array([77.07, np.deg2rad(309.37), 41.81, 94686.0])
INIT = np.array([20.0, np.deg2rad(300.0), 40.0, 94500.0])

def sphere(p, x=X, q=1.5):
    x0, a, h, K = p
    d = x - x0
    return K * (d * np.cos(a) - h * np.sin(a)) / (d * d + h * h) ** q

def jac(p, x=X, q=1.5):
    x0, a, h, K = p
    d = x - x0; r2 = d*d + h*h; num = d*np.cos(a) - h*np.sin(a); den = r2**q
    J = np.empty((x.size, 4))
    J[:,0] = K*(-np.cos(a)/den + num*2*q*d/(r2**(q+1)))
    J[:,1] = K*(-d*np.sin(a) - h*np.cos(a))/den
    J[:,2] = K*(-np.sin(a)/den - num*2*q*h/(r2**(q+1)))
    J[:,3] = num/den
    return J

def lm_once(y, p0, analytic):
    return least_squares(lambda p: sphere(p) - y, p0, jac=(lambda p: jac(p)) if analytic else '2-point', method='lm')

def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else 'lm'
    if mode == 'lm':
        y = np.loadtxt(sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'data', 'seed', 'sp_syn_data.csv'), delimiter=',', skiprows=1)[:,1]
        for analytic in (False, True):
            r = lm_once(y, INIT, analytic)
            n = 200; t = time.perf_counter()
            for _ in range(n): lm_once(y, INIT, analytic)
            dt = (time.perf_counter() - t) / n
            rms = np.sqrt(np.mean(r.fun**2))
            print(json.dumps(dict(peer='scipy.least_squares(lm)', analytic_jac=analytic, us_per_inversion=dt*1e6,
                  nfev=int(r.nfev), x0=r.x[0], alpha_deg=float(np.rad2deg(r.x[1]) % 360), h=r.x[2], K=r.x[3], rms_mV=rms)))
    elif mode == 'campaign':
        n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
        rng = np.random.default_rng(1)
        ok = 0; t = time.perf_counter()
        for i in range(n):
            p = np.array([rng.uniform(50,100), np.deg2rad(rng.uniform(260,340)), rng.uniform(7,75), rng.uniform(7e4,1.1e5)])
            y = sphere(p) + rng.normal(0, np.sqrt(10), X.size)
            r = lm_once(y, INIT, True)
            ok += abs(r.x[2] - p[2]) / p[2] < 0.2
        dt = time.perf_counter() - t
        print(json.dumps(dict(peer='scipy.least_squares(lm) campaign', n=n, inversions_per_s=n/dt, depth_within_20pct=ok/n)))
    elif mode == 'mlp':
        from sklearn.neural_network import MLPRegressor
        from sklearn.preprocessing import StandardScaler
        n = 5000; rng = np.random.default_rng(2)
        P = np.c_[rng.uniform(50,100,n), np.deg2rad(rng.uniform(260,340,n)), rng.uniform(7,75,n), rng.uniform(7e4,1.1e5,n)]
        D = np.array([sphere(p) for p in P]) + rng.normal(0, np.sqrt(10), (n, X.size))
        ntr = int(0.8*n)
        sx, sy = StandardScaler().fit(D[:ntr]), StandardScaler().fit(P[:ntr])
        hidden = tuple(int(v) for v in (sys.argv[2] if len(sys.argv) > 2 else '64,64').split(','))
        epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 150
        m = MLPRegressor(hidden_layer_sizes=hidden, activation='tanh', solver='adam', max_iter=epochs, batch_size=64,
                         learning_rate_init=1e-3, random_state=0, tol=0, n_iter_no_change=10**9)
        t = time.perf_counter(); m.fit(sx.transform(D[:ntr]), sy.transform(P[:ntr])); dt = time.perf_counter() - t
        pred = sy.inverse_transform(m.predict(sx.transform(D[ntr:])))
        rel = np.abs(pred - P[ntr:]) / np.abs(P[ntr:])
        print(json.dumps(dict(peer='sklearn.MLPRegressor(adam,tanh)', hidden=hidden, epochs=epochs, train_s=dt,
              val_mse_scaled=float(np.mean((m.predict(sx.transform(D[ntr:])) - sy.transform(P[ntr:]))**2)),
              median_rel_err_depth=float(np.median(rel[:,2])), median_rel_err_K=float(np.median(rel[:,3])))))

if __name__ == '__main__':
    main()
