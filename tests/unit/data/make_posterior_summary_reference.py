#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Writes the fixed chains and the reference statistics that tests/unit/posterior_summary_test.cpp checks
# framework/src/running/posterior_summary.cpp against:
#   posterior_summary_chains.csv     chain,draw,value: 4 chains x 301 draws of an AR(1) process (phi 0.9),
#                                    chain 3 shifted by 0.5 so that R-hat is above 1
#   posterior_summary_reference.csv  statistic,value
# R-hat, ESS and the HDI are ArviZ's algorithms (arviz/stats/diagnostics.py, stats.py) written out in numpy
# (python3-arviz is not in Debian 12); tau is emcee's own autocorr.integrated_time (python3-emcee).
# Run with /usr/bin/python3 from this folder.
import numpy as np
from scipy import stats
import emcee

rng = np.random.default_rng(2021)
chains, draws = 4, 301
x = np.zeros((chains, draws))
for c in range(chains):
    x[c, 0] = rng.normal()
    for d in range(1, draws):
        x[c, d] = 0.9 * x[c, d - 1] + np.sqrt(1 - 0.81) * rng.normal()
x[3] += 0.5


def split(a):
    half = a.shape[1] // 2
    return np.vstack([a[:, :half], a[:, -half:]])


def z_scale(a):
    rank = stats.rankdata(a, method="average").reshape(a.shape)
    return stats.norm.ppf((rank - 0.375) / (a.size + 0.25))


def rhat(a):
    n = a.shape[1]
    between = n * np.var(a.mean(axis=1), ddof=1)
    within = np.mean(np.var(a, axis=1, ddof=1))
    return np.sqrt((between / within + n - 1) / n)


def autocov(a):
    n = a.shape[1]
    c = a - a.mean(axis=1, keepdims=True)
    return np.array([[np.dot(row[: n - t], row[t:]) / n for t in range(n)] for row in c])


def ess(a):
    n_chain, n_draw = a.shape
    if np.max(a) - np.min(a) < np.finfo(float).resolution:
        return a.size
    acov = autocov(a)
    chain_mean = a.mean(axis=1)
    mean_var = np.mean(acov[:, 0]) * n_draw / (n_draw - 1.0)
    var_plus = mean_var * (n_draw - 1.0) / n_draw
    if n_chain > 1:
        var_plus += np.var(chain_mean, ddof=1)
    rho = np.zeros(n_draw)
    even = 1.0
    rho[0] = even
    odd = 1.0 - (mean_var - np.mean(acov[:, 1])) / var_plus
    rho[1] = odd
    t = 1
    while t < n_draw - 3 and even + odd > 0.0:
        even = 1.0 - (mean_var - np.mean(acov[:, t + 1])) / var_plus
        odd = 1.0 - (mean_var - np.mean(acov[:, t + 2])) / var_plus
        if even + odd >= 0:
            rho[t + 1] = even
            rho[t + 2] = odd
        t += 2
    max_t = t - 2
    if even > 0:
        rho[max_t + 1] = even
    t = 1
    while t <= max_t - 2:
        if rho[t + 1] + rho[t + 2] > rho[t - 1] + rho[t]:
            rho[t + 1] = (rho[t - 1] + rho[t]) / 2.0
            rho[t + 2] = rho[t + 1]
        t += 2
    total = n_chain * n_draw
    tau = -1.0 + 2.0 * np.sum(rho[: max_t + 1]) + np.sum(rho[max_t + 1 : max_t + 2])
    tau = max(tau, 1 / np.log10(total))
    return total / tau


def ess_quantile(a, prob):
    return ess(split((a <= np.quantile(a, prob)).astype(float)))


def hdi(values, prob):
    v = np.sort(values.ravel())
    inc = int(np.floor(prob * len(v)))
    widths = v[inc:] - v[: len(v) - inc]
    i = np.argmin(widths)
    return v[i], v[i + inc]


reference = {
    "mean": x.mean(),
    "sd": x.std(ddof=1),
    "median": np.median(x),
    "hdi_low": hdi(x, 0.94)[0],
    "hdi_high": hdi(x, 0.94)[1],
    "r_hat": max(rhat(z_scale(split(x))), rhat(z_scale(split(np.abs(x - np.median(x)))))),
    "ess_bulk": ess(z_scale(split(x))),
    "ess_tail": min(ess_quantile(x, 0.05), ess_quantile(x, 0.95)),
    # emcee wants (steps, walkers, dims).
    "tau": emcee.autocorr.integrated_time(x.T[:, :, None], c=5, quiet=True)[0],
}
with open("posterior_summary_chains.csv", "w") as out:
    out.write("chain,draw,value\n")
    for c in range(chains):
        for d in range(draws):
            out.write(f"{c},{d},{x[c, d]!r}\n")
with open("posterior_summary_reference.csv", "w") as out:
    out.write("statistic,value\n")
    for key, value in reference.items():
        out.write(f"{key},{float(value)!r}\n")
