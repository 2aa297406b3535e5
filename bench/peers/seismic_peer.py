#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""Seismic reflectivity-inversion peers on this machine (after Kim & Nakata 2018, TLE 37(12); Russell 2019, TLE 38(7)):
SciPy Tikhonov (Cholesky solve and LSQR), scikit-learn Lasso and a plain-numpy FISTA, a thin-bed wedge, an
MLPRegressor deconvolution arm, and Russell's 21-sample dipole (least squares, regression, a 1-2-1 network).
Usage: seismic_peer.py tikhonov [--n 256] [--traces 200] [--lam 0.05] [--snr 10]
       seismic_peer.py lasso    [--n 256] [--traces 50] [--alpha auto] [--snr 10]
       seismic_peer.py wedge    [--traces 60] [--max-thickness 40] [--snr 0,10,5] [--same-sign]
       seismic_peer.py mlp      [--train 10000] [--window 31] [--hidden 64,64] [--epochs 50]
       seismic_peer.py russell  [--seeds 10]
Common (not russell): --f 30 --dt 0.002 --wavelet ricker|3pt --seed 0. snr 0 means noise-free.
Every mode prints JSON lines (per item where useful) and one final summary line.
Debian python3 with python3-numpy/-scipy/-sklearn; run with /usr/bin/python3."""
import time, json, argparse, warnings
import numpy as np
from scipy.linalg import toeplitz, solve, cho_factor, cho_solve
from scipy.sparse.linalg import lsqr

TOP, AMP = 100, 0.2                  # wedge: top reflector sample and amplitude


# ---------------------------------------------------------------- common: wavelets, operator, data, metrics

def ricker(f=30.0, dt=0.002):
    """Zero-phase Ricker w(t) = (1 - 2 pi^2 f^2 t^2) exp(-pi^2 f^2 t^2) on t in [-3/f, 3/f] (101 samples at 30 Hz,
    2 ms; |w| < 1e-3 beyond 1/f and < 2e-9 beyond 1.5/f, so the tails are exact zeros in practice)."""
    nh = int(round(3.0 / (f * dt)))
    a = (np.pi * f * dt * np.arange(-nh, nh + 1))**2
    return (1 - 2*a) * np.exp(-a)


THREE_POINT = np.array([-0.5, 1.0, -0.5])


def conv_matrix(w, n):
    """Toeplitz G (n x n) with G @ r == np.convolve(r, w, 'same') for odd len(w): G[i, j] = w[c + i - j]."""
    c = len(w) // 2
    col, row = np.zeros(n), np.zeros(n)
    k = min(n, len(w) - c); col[:k] = w[c:c + k]
    k = min(n, c + 1); row[:k] = w[c::-1][:k]
    return toeplitz(col, row)


def wavelet_of(args):
    return THREE_POINT.copy() if args.wavelet == '3pt' else ricker(args.f, args.dt)


def sparse_reflectivity(rng, traces, n, density=0.05, amp=0.3):
    """Each trace: round(density*n) spikes at distinct random samples, amplitudes U(-amp, amp)."""
    R = np.zeros((traces, n))
    k = max(1, int(round(density * n)))
    for R_i in R:
        R_i[rng.choice(n, k, replace=False)] = rng.uniform(-amp, amp, k)
    return R


def noisy(rng, D0, snr, per_trace=True):
    """Add Gaussian noise, sigma = rms(G r)/snr per trace (or over the whole section); snr 0: noise-free."""
    if snr == 0: return D0.copy(), np.zeros(D0.shape[0])
    rms = np.sqrt(np.mean(D0**2, axis=1)) if per_trace else np.full(D0.shape[0], np.sqrt(np.mean(D0**2)))
    sig = rms / snr
    return D0 + sig[:, None] * rng.standard_normal(D0.shape), sig


def make_data(args, n, traces, seed_offset=0):
    """(G, w, R, D, sigma): random sparse reflectivity and noisy data; same seed -> same traces in every mode."""
    rng = np.random.default_rng(args.seed + seed_offset)
    w = wavelet_of(args); G = conv_matrix(w, n)
    R = sparse_reflectivity(rng, traces, n)
    D, sig = noisy(rng, R @ G.T, args.snr)
    return G, w, R, D, sig


def corr(e, t):
    return float(np.corrcoef(e, t)[0, 1]) if np.std(e) > 0 and np.std(t) > 0 else None


def nrmse(e, t):
    nt = np.linalg.norm(t)
    return float(np.linalg.norm(e - t) / nt) if nt > 0 else None


def med(v):
    v = [x for x in v if x is not None]
    return float(np.median(v)) if v else None


# ---------------------------------------------------------------- L1: FISTA and the alpha rule

def fista(GtG, Gtd, L, thr, tol=1e-6, max_iter=50000):
    """FISTA (Beck & Teboulle 2009) for min 1/2||d - G r||^2 + lam1 ||r||_1, step 1/L, thr = lam1/L.
    Stops when ||r_k - r_(k-1)|| <= tol ||r_k||. Returns (r, iterations)."""
    x = np.zeros(Gtd.size); y = x.copy(); t = 1.0
    for it in range(1, max_iter + 1):
        z = y - (GtG @ y - Gtd) / L
        x_new = np.sign(z) * np.maximum(np.abs(z) - thr, 0.0)
        t_new = 0.5 * (1.0 + np.sqrt(1.0 + 4.0 * t * t))
        y = x_new + ((t - 1.0) / t_new) * (x_new - x)
        dx, nx = np.linalg.norm(x_new - x), np.linalg.norm(x_new)
        x, t = x_new, t_new
        if dx <= tol * nx: break                     # (also stops when r stays 0: the zero solution)
    return x, it


def alpha_auto(sigma, w, n, c):
    """sklearn-scaled L1 weight: the objective is 1/(2n)||d - G r||^2 + alpha ||r||_1 (n = rows of G), i.e.
    1/2||d - G r||^2 + lam1 ||r||_1 with lam1 = n*alpha. We take lam1 = c * sigma * ||w|| * sqrt(2 ln n): c = 1 is
    the universal threshold (columns of G have norm ||w||); c = 0.25 by default (calibrated on snr 10 traces:
    NRMSE 0.45 with ~3x the true spike count; c = 0.1 gives 0.40 but 4x the spikes, c = 1 gives 0.50)."""
    return c * sigma * np.linalg.norm(w) * np.sqrt(2.0 * np.log(n)) / n


# ---------------------------------------------------------------- modes

def mode_tikhonov(args):
    n = args.n
    G, w, R, D, sig = make_data(args, n, args.traces)
    t = time.perf_counter(); A = G.T @ G + args.lam * np.eye(n); t_setup = time.perf_counter() - t
    est, t_solve, t_lsqr, its, agree = {}, [], [], [], []
    E1, E2 = np.empty_like(R), np.empty_like(R)
    for i, d in enumerate(D):
        t = time.perf_counter()                       # per trace: G^T d and a Cholesky solve of the normal equations
        E1[i] = solve(A, G.T @ d, assume_a='pos')
        t_solve.append(time.perf_counter() - t)
        t = time.perf_counter()                       # LSQR on [G; sqrt(lam) I] r = [d; 0] (same minimiser)
        out = lsqr(G, d, damp=np.sqrt(args.lam), atol=1e-8, btol=1e-8)
        t_lsqr.append(time.perf_counter() - t)
        E2[i] = out[0]; its.append(int(out[2]))
        agree.append(np.linalg.norm(E2[i] - E1[i]) / np.linalg.norm(E1[i]))
    # a C++ solver may cache the factorisation: time that too (and all traces as one multi-RHS solve)
    t = time.perf_counter(); cf = cho_factor(A); t_fact = time.perf_counter() - t
    t_cached = []
    for d in D:
        t = time.perf_counter(); cho_solve(cf, G.T @ d); t_cached.append(time.perf_counter() - t)
    t = time.perf_counter(); cho_solve(cf, G.T @ D.T); t_batch = (time.perf_counter() - t) / len(D)
    for name, E, tt in (('scipy.linalg.solve(pos)', E1, t_solve), ('scipy.sparse.linalg.lsqr(damp)', E2, t_lsqr)):
        c = [corr(e, r) for e, r in zip(E, R)]; q = [nrmse(e, r) for e, r in zip(E, R)]
        est[name] = dict(us_per_trace_median=1e6 * float(np.median(tt)), corr_median=med(c), nrmse_median=med(q))
    est['scipy.sparse.linalg.lsqr(damp)'].update(iterations_median=float(np.median(its)), max_rel_diff_to_solve=float(max(agree)))
    print(json.dumps(dict(peer='tikhonov', summary=True, n=n, traces=args.traces, lam=args.lam, snr=args.snr,
                          wavelet=args.wavelet, f=args.f, dt=args.dt, setup_GtG_us=1e6 * t_setup, **est,
                          cho_factor_once_us=1e6 * t_fact, cho_solve_cached_us_per_trace_median=1e6 * float(np.median(t_cached)),
                          cho_solve_all_traces_us_per_trace=1e6 * t_batch)))


def mode_lasso(args):
    from sklearn.linear_model import Lasso
    n = args.n
    G, w, R, D, sig = make_data(args, n, args.traces)
    GtG = G.T @ G; L = float(np.linalg.eigvalsh(GtG)[-1])
    res = {'sklearn.Lasso(cd)': [], 'fista(numpy)': []}
    for i, (d, r) in enumerate(zip(D, R)):
        alpha = alpha_auto(sig[i], w, n, args.alpha_c) if args.alpha == 'auto' else float(args.alpha)
        obj = lambda v: np.sum((d - G @ v)**2) / (2*n) + alpha * np.abs(v).sum()
        t = time.perf_counter()
        m = Lasso(alpha=alpha, fit_intercept=False, max_iter=100000, tol=1e-6).fit(G, d)
        t1 = time.perf_counter() - t
        t = time.perf_counter()
        x, it = fista(GtG, G.T @ d, L, n * alpha / L)  # GtG and L are per-operator setup, shared by all traces
        t2 = time.perf_counter() - t
        for name, e, tt, extra in (('sklearn.Lasso(cd)', m.coef_, t1, dict(iterations=int(m.n_iter_))),
                                   ('fista(numpy)', x, t2, dict(iterations=it))):
            res[name].append(dict(trace=i, alpha=alpha, s=tt, corr=corr(e, r), nrmse=nrmse(e, r),
                                  nnz=int(np.count_nonzero(e)), objective=float(obj(e)), **extra))
    out = dict(peer='lasso', summary=True, n=n, traces=args.traces, snr=args.snr, wavelet=args.wavelet,
               alpha_rule=f'{args.alpha_c}*sigma*||w||*sqrt(2 ln n)/n' if args.alpha == 'auto' else 'fixed', alpha_median=med([q['alpha'] for q in res['fista(numpy)']]),
               true_nnz=int(np.count_nonzero(R[0])), lipschitz_GtG=L)
    for name, rows in res.items():
        out[name] = dict(ms_per_trace_median=1e3 * med([q['s'] for q in rows]), corr_median=med([q['corr'] for q in rows]),
                         nrmse_median=med([q['nrmse'] for q in rows]), nnz_mean=float(np.mean([q['nnz'] for q in rows])),
                         iterations_median=med([q['iterations'] for q in rows]),
                         iterations_max=int(max(q['iterations'] for q in rows)))
    o1 = np.array([q['objective'] for q in res['sklearn.Lasso(cd)']]); o2 = np.array([q['objective'] for q in res['fista(numpy)']])
    out['objective_rel_diff_max'] = float(np.max(np.abs(o1 - o2) / o2))
    print(json.dumps(out))


# ---------------------------------------------------------------- wedge

def wedge(n, traces, kmax, same_sign):
    """Thickness k_i = round(i*kmax/(traces-1)) samples; top +AMP at TOP, base -AMP (or +AMP) at TOP+k."""
    ks = np.rint(np.linspace(0, kmax, traces)).astype(int)
    R = np.zeros((traces, n))
    R[:, TOP] += AMP
    R[np.arange(traces), TOP + ks] += AMP if same_sign else -AMP
    return ks, R


def two_extrema(e, k, same_sign, floor, tol=2, thick_tol=None):
    """True if e has a local max > floor within +/-tol of TOP and, strictly later, a local extremum of the base's
    sign (min < -floor, or max > floor for --same-sign) within +/-tol of TOP+k. With thick_tol, the pair's
    separation must also be within +/-thick_tol of k (the thickness is measured, not only bracketed)."""
    if k == 0: return False
    def peaks(lo, hi, s):
        return [i for i in range(max(lo, 1), min(hi, e.size - 2) + 1)
                if s*e[i] > s*e[i-1] and s*e[i] >= s*e[i+1] and s*e[i] > floor]
    tops = peaks(TOP - tol, TOP + tol, 1.0)
    bases = peaks(TOP + k - tol, TOP + k + tol, 1.0 if same_sign else -1.0)
    return any(i < j and (thick_tol is None or abs(j - i - k) <= thick_tol) for i in tops for j in bases)


def resolved_thickness(ks, ok):
    """Smallest k such that every trace of thickness >= k passes; None if the thickest trace fails."""
    o = np.argsort(ks, kind='stable'); ks, ok = ks[o], np.asarray(ok)[o]
    if not ok[-1]: return None
    bad = np.nonzero(~ok)[0]
    return int(ks[bad[-1] + 1]) if bad.size else int(ks[0])


def wedge_metrics(E, R, ks, args, is_data=False):
    """Resolved thickness (the +/-2-sample rule, and the strict one that also needs the separation within
    +/-1 sample of k) and, per unique thickness, the mean corr and NRMSE over its traces (data: corr only)."""
    floor = args.min_frac * AMP
    res = {}
    for key, tt in (('resolved_thickness', None), ('resolved_thickness_strict', 1)):
        res[key] = resolved_thickness(ks, [two_extrema(e, k, args.same_sign, floor, 2, tt) for e, k in zip(E, ks)])
    uk = np.unique(ks)
    per = dict(k=[int(k) for k in uk], corr=[], nrmse=[])
    for k in uk:
        sel = np.nonzero(ks == k)[0]
        c = [corr(E[i], R[i]) for i in sel]; q = [nrmse(E[i], R[i]) for i in sel]
        per['corr'].append(None if None in c else round(float(np.mean(c)), 4))
        per['nrmse'].append(None if None in q or is_data else round(float(np.mean(q)), 4))
    if is_data: del per['nrmse']
    return res, per


def wedge_data(args, G, snr, R):
    """Noisy wedge section, sigma = rms(G R over the whole section)/snr; the noise is seeded by the snr value, so
    every mode sees the same section at a given snr."""
    rng = np.random.default_rng(args.seed + 1000 + int(round(100 * snr)))
    D, sig = noisy(rng, R @ G.T, snr, per_trace=False)
    return D, float(sig[0])


def mode_wedge(args):
    n = 256
    w = wavelet_of(args); G = conv_matrix(w, n)
    GtG = G.T @ G; L = float(np.linalg.eigvalsh(GtG)[-1]); A = cho_factor(GtG + args.lam * np.eye(n))
    ks, R = wedge(n, args.traces, args.max_thickness, args.same_sign)
    rms0 = float(np.sqrt(np.mean((R @ G.T)**2)))
    table = {}
    for snr in args.snr:
        D, sig = wedge_data(args, G, snr, R)
        alpha = alpha_auto(max(sig, rms0 / 100), w, n, args.alpha_c)   # noise-free: alpha as for snr 100
        t = time.perf_counter(); Et = cho_solve(A, G.T @ D.T).T; tt = time.perf_counter() - t
        t = time.perf_counter(); F = [fista(GtG, G.T @ d, L, n * alpha / L) for d in D]; tf = time.perf_counter() - t
        Ef = np.array([x for x, _ in F])
        for name, E, extra in (('data', D, {}), ('tikhonov', Et, dict(lam=args.lam, ms_per_trace=1e3 * tt / len(D))),
                               ('fista_l1', Ef, dict(alpha=alpha, ms_per_trace=1e3 * tf / len(D),
                                                     iterations_median=float(np.median([i for _, i in F]))))):
            res, per = wedge_metrics(E, R, ks, args, is_data=(name == 'data'))
            table.setdefault(name, {})[str(snr)] = [res['resolved_thickness'], res['resolved_thickness_strict']]
            print(json.dumps(dict(peer='wedge', method=name, snr=snr, sigma=sig, **res, **extra, **per)))
    print(json.dumps(dict(peer='wedge', summary=True, traces=args.traces, max_thickness=args.max_thickness,
                          same_sign=args.same_sign, wavelet=args.wavelet, f=args.f, dt=args.dt, min_frac=args.min_frac,
                          tuning_thickness_samples=1.0 / (2.31 * args.f) / args.dt if args.wavelet == 'ricker' else None,
                          resolved_thickness_rule_strict=table)))


# ---------------------------------------------------------------- MLP (learned deconvolution)

def windows(D, W):
    """(traces, n) -> (traces, n, W): the data window centred on every sample (zero padded at the ends)."""
    h = W // 2
    return np.lib.stride_tricks.sliding_window_view(np.pad(D, ((0, 0), (h, h))), W, axis=1)


def mode_mlp(args):
    from sklearn.neural_network import MLPRegressor
    n, W = 256, args.window
    G, w, R, D, _ = make_data(args, n, args.train_traces)                  # training traces
    _, _, Rv, Dv, _ = make_data(args, n, args.val_traces, seed_offset=1)   # held-out traces
    rng = np.random.default_rng(args.seed + 2)
    X = windows(D, W).reshape(-1, W); y = R.reshape(-1)
    pick = rng.choice(X.shape[0], min(args.train, X.shape[0]), replace=False)   # subsample the (window, r_i) pairs
    sx, sy = 1.0 / D.std(), 1.0 / R.std()                                   # scalar scalings keep the map linear-equivariant
    m = MLPRegressor(hidden_layer_sizes=tuple(args.hidden), activation=args.activation, solver='adam',
                     max_iter=args.epochs, batch_size=64, learning_rate_init=1e-3, early_stopping=False,
                     tol=0, n_iter_no_change=10**9, random_state=args.seed)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')                                     # 'max_iter reached' is the intent
        t = time.perf_counter(); m.fit(X[pick] * sx, y[pick] * sy); t_train = time.perf_counter() - t
    predict = lambda Dt: m.predict(windows(Dt, W).reshape(-1, W) * sx).reshape(Dt.shape) / sy
    t_inf, Ev = [], np.empty_like(Rv)
    for i, d in enumerate(Dv):
        t = time.perf_counter(); Ev[i] = predict(d[None])[0]; t_inf.append(time.perf_counter() - t)
    # the same validation traces through Tikhonov, for a side-by-side
    Et = cho_solve(cho_factor(G.T @ G + args.lam * np.eye(n)), G.T @ Dv.T).T
    out = dict(peer='sklearn.MLPRegressor', summary=True, window=W, hidden=args.hidden, activation=args.activation,
               epochs=args.epochs, train_pairs=int(pick.size), train_traces=args.train_traces, snr=args.snr,
               train_s=t_train, samples_per_s=pick.size * args.epochs / t_train,
               val_traces=args.val_traces, val_nrmse_median=med([nrmse(e, r) for e, r in zip(Ev, Rv)]),
               val_corr_median=med([corr(e, r) for e, r in zip(Ev, Rv)]),
               val_tikhonov_nrmse_median=med([nrmse(e, r) for e, r in zip(Et, Rv)]),
               val_tikhonov_corr_median=med([corr(e, r) for e, r in zip(Et, Rv)]),
               inference_us_per_trace_median=1e6 * float(np.median(t_inf)))
    # wedge: the same sections as 'wedge' mode (same seeds) at the requested noise levels
    args.same_sign = False
    ks, Rw = wedge(n, 60, 40, False)
    out['wedge_resolved_thickness_rule_strict'] = {}
    for snr in args.wedge_snr:
        Dw, sig = wedge_data(args, G, snr, Rw)
        res, per = wedge_metrics(predict(Dw), Rw, ks, args)
        out['wedge_resolved_thickness_rule_strict'][str(snr)] = [res['resolved_thickness'], res['resolved_thickness_strict']]
        print(json.dumps(dict(peer='wedge', method='mlp', snr=snr, sigma=sig, **res, **per)))
    print(json.dumps(out))


# ---------------------------------------------------------------- Russell 2019: the dipole

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def net121(seed, s, r, lr, iters, init_sd):
    """1-2-1 network y = v0 + v . sigmoid(a s + b), weights and biases ~ N(0, init_sd^2), v0 = 0; full-batch
    gradient descent on MSE = mean((y - r)^2). Returns the final MSE and the fitted map."""
    rng = np.random.default_rng(seed)
    a, b, v = (rng.normal(0, init_sd, 2) for _ in range(3)); v0 = 0.0
    m = s.size
    for _ in range(iters):
        h = sigmoid(np.outer(s, a) + b)
        e = h @ v + v0 - r
        g = 2.0 * e / m                                  # dMSE/dy
        gh = np.outer(g, v) * h * (1 - h)                # back through the logistic units
        a -= lr * (s @ gh); b -= lr * gh.sum(0); v -= lr * (h.T @ g); v0 -= lr * g.sum()
    f = lambda x: sigmoid(np.outer(x, a) + b) @ v + v0
    return float(np.mean((f(s) - r)**2)), f


def impedance(r, z0=1.0):
    """Z(i+1) = Z(i) (1 + r_i) / (1 - r_i), Z(0) = z0."""
    return z0 * np.concatenate([[1.0], np.cumprod((1 + r) / (1 - r))])


def mode_russell(args):
    n = 21
    r = np.zeros(n); r[n//2], r[n//2 + 1] = AMP, -AMP   # dipole on adjacent samples, mid-trace
    G = conv_matrix(THREE_POINT, n); s = G @ r
    err = lambda e: dict(nrmse=nrmse(e, r), max_abs=float(np.max(np.abs(e - r))))
    out = dict(peer='russell2019', summary=True, n=n, wavelet=THREE_POINT.tolist(), s_nonzero=s[s != 0].round(6).tolist(),
               cond_G=float(np.linalg.cond(G)))
    r_ls = np.linalg.lstsq(G, s, rcond=None)[0]
    out['lstsq'] = err(r_ls)
    out['damped'] = {str(lam): err(np.linalg.solve(G.T @ G + lam * np.eye(n), G.T @ s)) for lam in (1e-3, 1e-2, 1e-1)}
    # linear regression r ~ w0 + w1 s over the samples: closed form, then plain gradient descent on MSE
    X = np.c_[np.ones(n), s]
    wc = np.linalg.lstsq(X, r, rcond=None)[0]
    wg = np.zeros(2)
    for _ in range(args.reg_iters):
        wg -= args.reg_lr * 2.0 / n * X.T @ (X @ wg - r)
    out['regression'] = dict(closed_form=wc.round(12).tolist(), gd=wg.round(12).tolist(), gd_lr=args.reg_lr, gd_iters=args.reg_iters,
                             mse_closed=float(np.mean((X @ wc - r)**2)), mse_gd=float(np.mean((X @ wg - r)**2)),
                             **err(X @ wc))
    # the 1-2-1 network on standardised (s_i, r_i) pairs, several seeds
    ss, sr = s.std(), r.std()
    runs = []
    for seed in range(args.seeds):
        t = time.perf_counter()
        mse, f = net121(seed, s / ss, r / sr, args.lr, args.iters, args.init_sd)
        runs.append(dict(seed=seed, mse_std_units=mse, mse=mse * sr**2, s=time.perf_counter() - t, f=f))
    best = min(q['mse'] for q in runs)
    for q in runs:
        q['stuck'] = bool(q['mse'] > 10 * best)
        q.update(err(q['f'](s / ss) * sr))
        print(json.dumps(dict(peer='russell2019', net='1-2-1 logistic', **{k: v for k, v in q.items() if k != 'f'})))
    fb = min(runs, key=lambda q: q['mse'])['f']
    out['net'] = dict(lr=args.lr, iters=args.iters, init_sd=args.init_sd, inputs='s/std(s), r/std(r)',
                      mse_best=best, stuck=[q['seed'] for q in runs if q['stuck']],
                      converged=[q['seed'] for q in runs if not q['stuck']], s_per_seed=float(np.mean([q['s'] for q in runs])))
    Z = impedance(r)
    out['impedance_true'] = Z.round(6).tolist()
    for name, e in (('lstsq', r_ls), ('regression', X @ wc), ('net_best', fb(s / ss) * sr)):
        out['impedance_max_abs_err_' + name] = float(np.max(np.abs(impedance(e) - Z)))
    out['impedance_regression'] = impedance(X @ wc).round(6).tolist()
    print(json.dumps(out))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest='mode', required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument('--f', type=float, default=30.0, help='Ricker peak frequency, Hz')
    common.add_argument('--dt', type=float, default=0.002, help='sample interval, s')
    common.add_argument('--wavelet', choices=['ricker', '3pt'], default='ricker')
    common.add_argument('--seed', type=int, default=0)
    common.add_argument('--lam', type=float, default=0.05, help='Tikhonov damping')
    common.add_argument('--alpha-c', type=float, default=0.25, help='factor c of the auto L1 weight (see alpha_auto)')
    common.add_argument('--min-frac', type=float, default=0.1,
                        help='wedge: an extremum counts if |value| > min_frac * reflector amplitude')
    ints = lambda v: [int(x) for x in v.split(',')]
    floats = lambda v: [float(x) for x in v.split(',')]
    p = sub.add_parser('tikhonov', parents=[common])
    p.add_argument('--n', type=int, default=256); p.add_argument('--traces', type=int, default=200)
    p.add_argument('--snr', type=float, default=10)
    p = sub.add_parser('lasso', parents=[common])
    p.add_argument('--n', type=int, default=256); p.add_argument('--traces', type=int, default=50)
    p.add_argument('--alpha', default='auto'); p.add_argument('--snr', type=float, default=10)
    p = sub.add_parser('wedge', parents=[common])
    p.add_argument('--traces', type=int, default=60); p.add_argument('--max-thickness', type=int, default=40)
    p.add_argument('--snr', type=floats, default=[0.0, 10.0, 5.0]); p.add_argument('--same-sign', action='store_true')
    p = sub.add_parser('mlp', parents=[common])
    p.add_argument('--train', type=int, default=10000, help='training (window, r_i) pairs, drawn from --train-traces')
    p.add_argument('--train-traces', type=int, default=200); p.add_argument('--val-traces', type=int, default=50)
    p.add_argument('--window', type=int, default=31); p.add_argument('--hidden', type=ints, default=[64, 64])
    p.add_argument('--epochs', type=int, default=50); p.add_argument('--activation', choices=['tanh', 'relu'], default='tanh')
    p.add_argument('--snr', type=float, default=10); p.add_argument('--wedge-snr', type=floats, default=[10.0])
    p = sub.add_parser('russell')
    p.add_argument('--seeds', type=int, default=10); p.add_argument('--lr', type=float, default=0.5)
    p.add_argument('--iters', type=int, default=20000); p.add_argument('--init-sd', type=float, default=4.0)
    p.add_argument('--reg-lr', type=float, default=0.5); p.add_argument('--reg-iters', type=int, default=10000)
    args = ap.parse_args()
    if getattr(args, 'window', 1) % 2 == 0: ap.error('--window must be odd')
    dict(tikhonov=mode_tikhonov, lasso=mode_lasso, wedge=mode_wedge, mlp=mode_mlp, russell=mode_russell)[args.mode](args)


if __name__ == '__main__':
    main()
