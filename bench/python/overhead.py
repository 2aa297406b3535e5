#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
"""The cost of calling geoinv from Python (docs/python.md, "Performance"), on the seed experiment
(configs/seed_sphere_dls.yaml), in interleaved rounds, medians of the per-round figures:

  1. overhead: a prepared geoinv.Experiment's run() in a loop against the C++ loop of the same calls
     (bench/run_loop_peer). Target: Python <= 2 x C++ + 20 us per call.
  2. a Python forward model: the seed inversion with the sphere ported to Python (python/tests/py_sphere.py)
     against the C++ sphere plugin, both through geoinv's dls.
  3. against SciPy: scipy.optimize.least_squares (method='lm', the analytic Jacobian) on the same Python
     sphere against geoinv's dls on the same Python model.

    PYTHONPATH=build/python bench/python/overhead.py build [ROUNDS=5]
"""
import math
import os
import pathlib
import statistics
import subprocess
import sys
import time

import numpy

SOURCE = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(SOURCE / "python" / "tests"))
import geoinv  # noqa: E402
import py_sphere  # noqa: E402

SEED = SOURCE / "configs" / "seed_sphere_dls.yaml"
PY_SEED = ["forward.plugin=py_sphere", "~forward.options"]


def per_call_us(function, calls, batches=11):
    # The median over short batches: on a shared machine a long batch is mostly a measure of preemption.
    times = []
    for _ in range(batches):
        started = time.perf_counter()
        for _ in range(calls):
            function()
        times.append((time.perf_counter() - started) / calls * 1e6)
    return statistics.median(times)


def scipy_seed_fit(experiment):
    from scipy.optimize import least_squares
    model = py_sphere.PySphere()
    stations, observed = numpy.array(experiment.stations), numpy.array(experiment.observed)
    start = numpy.array([20.0, math.radians(300.0), 40.0, 94500.0])
    return least_squares(lambda m: model.predict(m, stations) - observed, start,
                         jac=lambda m: model.jacobian(m, stations), method="lm")


def main():
    build = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "build")
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    py_sphere.register()
    cpp_seed = geoinv.Experiment(SEED)
    python_seed = geoinv.Experiment(SEED, overrides=PY_SEED)
    fit = scipy_seed_fit(cpp_seed)
    dls = python_seed.run()["dls"]
    print(f"scipy lm: h = {fit.x[2]:.4f} m, {fit.nfev} evaluations; geoinv dls on the Python model: "
          f"h = {dls.estimate['h']:.4f} m, {dls.forward_evaluations} evaluations")
    figures = {k: [] for k in ("cpp_us", "py_us", "ratio", "over_us", "cpp_model_us", "py_model_us",
                               "model_ratio", "scipy_us", "scipy_ratio")}
    for _ in range(rounds):
        cpp = float(subprocess.run([str(build / "bin" / "run_loop_peer"), str(SEED), "100", "11"], check=True,
                                   capture_output=True, text=True).stdout)
        py = per_call_us(cpp_seed.run, 100)
        cpp_model = py
        py_model = per_call_us(python_seed.run, 10)
        scipy_time = per_call_us(lambda: scipy_seed_fit(cpp_seed), 10)
        for key, value in (("cpp_us", cpp), ("py_us", py), ("ratio", py / cpp), ("over_us", py - cpp),
                           ("cpp_model_us", cpp_model), ("py_model_us", py_model),
                           ("model_ratio", py_model / cpp_model), ("scipy_us", scipy_time),
                           ("scipy_ratio", scipy_time / py_model)):
            figures[key].append(value)
    m = {k: statistics.median(v) for k, v in figures.items()}
    print(f"rounds: {rounds} (medians of per-round figures)")
    print(f"1. seed run, C++ loop {m['cpp_us']:.1f} us, Python prepared Experiment.run {m['py_us']:.1f} us: "
          f"ratio {m['ratio']:.2f}, overhead {m['over_us']:.1f} us/call "
          f"(target <= 2 x C++ + 20 us = {2 * m['cpp_us'] + 20:.1f} us)")
    print(f"2. seed inversion, Python sphere {m['py_model_us']:.1f} us vs C++ sphere {m['cpp_model_us']:.1f} us: "
          f"ratio {m['model_ratio']:.1f}")
    print(f"3. scipy least_squares(lm) on the Python sphere {m['scipy_us']:.1f} us vs geoinv dls on the same "
          f"Python model {m['py_model_us']:.1f} us: ratio {m['scipy_ratio']:.2f} (> 1: geoinv faster)")


if __name__ == "__main__":
    main()
