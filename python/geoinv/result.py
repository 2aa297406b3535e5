# SPDX-License-Identifier: BSD-3-Clause
"""Result and SolverResult: what geoinv.run returns, numbers in display units (degrees for angles), the
same as result.json (docs/outputs.md)."""


def _pandas():
    try:
        import pandas
        return pandas
    except ImportError:
        return None


class SolverResult:
    """One solver's outcome.

    estimate, std_error, relative_error: dicts by parameter name (std_error None when the uncertainty is
    not available, relative_error empty without a truth); covariance: an (n, n) NumPy array or None;
    misfit: dict (sse, rms, chi2, aic, bic, optimality); predicted: the fitted curve at the stations;
    trace: a pandas DataFrame (a NumPy structured array without pandas); termination, status, message,
    iterations, forward_evaluations, jacobian_evaluations, wall_time_s, seed, starts, warnings;
    estimate_vector: the estimate in internal units (radians), as ForwardModel.predict takes it."""

    def __init__(self, fields):
        self._trace_records = fields.pop("trace")
        self._trace = None
        self.__dict__.update(fields)

    @property
    def trace(self):
        # Made on first use: a DataFrame costs more than the seed run itself (docs/python.md, "Performance").
        if self._trace is None:
            pandas = _pandas()
            records = self._trace_records.records()
            self._trace = pandas.DataFrame(records) if pandas is not None else records
        return self._trace

    def __repr__(self):
        return (f"SolverResult({self.label!r}, {self.status}, rms={self.misfit['rms']:.6g}, "
                f"estimate={self.estimate})")


class Result:
    """Every solver's outcome of one run: ``result["dls"]``, ``result.solvers`` (labels in order),
    ``result.best`` (lowest misfit), ``result.summary()`` (one row per solver), and the data:
    ``stations``, ``observed``, ``sigma`` (NumPy views), ``experiment``, ``out`` (the run folder or None)."""

    def __init__(self, experiment, solvers, out=None):
        self.experiment = experiment
        self.out = out
        self._solvers = {fields["label"]: SolverResult(fields) for fields in solvers}

    solvers = property(lambda self: list(self._solvers))
    stations = property(lambda self: self.experiment.stations)
    observed = property(lambda self: self.experiment.observed)
    sigma = property(lambda self: self.experiment.sigma)

    def __getitem__(self, label):
        return self._solvers[label]

    def __iter__(self):
        return iter(self._solvers.values())

    def __len__(self):
        return len(self._solvers)

    @property
    def best(self):
        """The solver result with the lowest weighted misfit among those that did not fail."""
        finished = [r for r in self if r.status != "failed"] or list(self)
        return min(finished, key=lambda r: r.misfit["sse"] if r.misfit["chi2"] != r.misfit["chi2"]
                   else r.misfit["chi2"])

    def summary(self):
        """One row per solver: estimate, rms, chi2, status, evaluations, time (a DataFrame with pandas,
        else a list of dicts)."""
        rows = []
        for r in self:
            row = {"solver": r.label, "status": r.status, "termination": r.termination}
            row.update(r.estimate)
            row.update({"rms": r.misfit["rms"], "chi2": r.misfit["chi2"],
                        "forward_evaluations": r.forward_evaluations, "wall_time_s": r.wall_time_s})
            rows.append(row)
        pandas = _pandas()
        return pandas.DataFrame(rows).set_index("solver") if pandas is not None else rows

    def __repr__(self):
        return f"Result({self.experiment.name!r}, solvers={self.solvers})"
