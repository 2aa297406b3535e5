# SPDX-License-Identifier: BSD-3-Clause
"""geoinv from Python: the C++ core's plugins, experiments and campaigns, results as NumPy and pandas.

    import geoinv
    result = geoinv.run("configs/seed_sphere_dls.yaml")
    result["dls"].estimate          # {'x0': ..., 'h': ..., ...}

The reference is docs/python.md. Everything runs through the same C++ code as the ``geoinv`` command,
so the numbers are the CLI's.
"""
from . import _geoinv
from .errors import (ConfigError, DataError, Error, IoError, NumericalError, PluginError,  # noqa: F401
                     UsageError)
from .experiment import Experiment, run  # noqa: F401
from .folders import campaign, load_results  # noqa: F401
from .forward import ForwardModel  # noqa: F401
from .models import Parameter, register_forward_model, unregister_forward_model  # noqa: F401
from .result import Result, SolverResult  # noqa: F401

__version__ = _geoinv.__version__


def plugins(plugin_paths=()):
    """Every usable plugin, as ``geoinv plugins`` lists them: a list of dicts (name, kind, version,
    summary, file), sorted by kind and name. Registered Python models are listed too."""
    return _geoinv.plugins(list(map(str, plugin_paths)))


def describe(name, kind=None, plugin_paths=()):
    """What ``geoinv describe NAME`` prints, as a dict: name, kind, version, summary, file, options (a
    list of dicts: name, type, default, range, choices, unit, doc), for a forward model its parameters
    (name, unit, lower, upper, periodic, doc; angles in degrees) and the example experiment."""
    return _geoinv.describe(name, kind, list(map(str, plugin_paths)))
