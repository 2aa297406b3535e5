# SPDX-License-Identifier: BSD-3-Clause
"""geoinv.run and geoinv.Experiment: one experiment file, YAML string or dict, read once, run on demand."""
import os

from . import _geoinv
from .result import Result


def _is_yaml_text(text):
    # A path has no line break and names a file; YAML text of an experiment has both ':' and a newline.
    return "\n" in text or (":" in text and not os.path.exists(text))


class Experiment:
    """An experiment read, validated and resolved once (plugins loaded, data read or made).

    ``source`` is a path (str or os.PathLike), YAML text, or a dict with the keys of an experiment file
    (docs/experiment-schema.md). ``overrides`` are ``--set`` assignments, ``["bounds.h=[1, 50]"]``, or a
    dict ``{"bounds.h": [1, 50]}``. Relative paths in a string or dict start in the working folder.
    ``run()`` can be called many times: each call runs every solver afresh with the same data."""

    def __init__(self, source, overrides=None, plugin_paths=()):
        overrides = _override_list(overrides)
        paths = list(map(str, plugin_paths))
        if isinstance(source, dict):
            self._core = _geoinv.Experiment.from_dict(source, overrides, paths)
        elif isinstance(source, os.PathLike) or (isinstance(source, str) and not _is_yaml_text(source)):
            self._core = _geoinv.Experiment.from_file(os.fspath(source), overrides, paths)
        elif isinstance(source, str):
            self._core = _geoinv.Experiment.from_text(source, overrides, paths)
        else:
            raise TypeError(f"experiment must be a path, a YAML string or a dict, not {type(source).__name__}")

    def run(self, out=None, overwrite=False, figures=True):
        """Runs every solver; returns a Result. With ``out`` (a folder) the run folder is written too,
        exactly as ``geoinv run --out`` writes it (``figures``: draw figures/ and report.html)."""
        solvers = self._core.run(None if out is None else os.fspath(out), overwrite, figures)
        return Result(self, solvers, None if out is None else os.fspath(out))

    name = property(lambda self: self._core.name)
    parameters = property(lambda self: self._core.parameters, doc="parameter names, in model order")
    forward_plugin = property(lambda self: self._core.forward_plugin)
    stations = property(lambda self: self._core.stations, doc="station positions (m), a read-only view")
    observed = property(lambda self: self._core.observed, doc="the data, a read-only view")
    sigma = property(lambda self: self._core.sigma, doc="the data's σ (empty when unknown)")
    true_model = property(lambda self: self._core.true_model, doc="synthetic data's truth, or None")
    data_unit = property(lambda self: self._core.data_unit)

    def resolved_yaml(self):
        """The experiment with every default explicit, as config.resolved.yaml holds it."""
        return self._core.resolved_yaml()


def _override_list(overrides):
    if overrides is None:
        return []
    if isinstance(overrides, dict):
        import json
        return [f"{key}={json.dumps(value)}" for key, value in overrides.items()]
    if isinstance(overrides, str):
        return [overrides]
    return list(overrides)


def run(experiment, overrides=None, out=None, overwrite=False, figures=True, plugin_paths=()):
    """Runs an experiment (a path, YAML string, dict or prepared Experiment) and returns a Result.
    ``out``: also write the run folder there (optional)."""
    if not isinstance(experiment, Experiment):
        experiment = Experiment(experiment, overrides, plugin_paths)
    elif overrides:
        raise ValueError("overrides apply when an experiment is read: pass them to geoinv.Experiment")
    return experiment.run(out=out, overwrite=overwrite, figures=figures)
