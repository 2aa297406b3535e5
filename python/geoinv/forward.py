# SPDX-License-Identifier: BSD-3-Clause
"""geoinv.ForwardModel: a forward plugin on NumPy arrays, without an experiment."""
import numpy

from . import _geoinv
from .errors import UsageError


class ForwardModel:
    """The forward plugin (or registered Python model) ``name``, configured with ``options`` (a dict,
    validated as an experiment's forward.options) at ``stations`` (m).

    ``predict(model)`` returns the data, ``jacobian(model)`` the (stations x parameters) Jacobian,
    analytic when the plugin has one, else central differences as solvers get them. ``model`` is a 1-D
    array in internal units (angles in radians), in the order of ``parameters``; a wrong shape raises
    geoinv.UsageError naming the expected shape. A contiguous float64 model is passed without a copy."""

    def __init__(self, name, options=None, stations=None, plugin_paths=()):
        if stations is None:
            raise UsageError("stations are required: a 1-D array of positions (m)")
        self._core = _geoinv.ForwardModel(name, dict(options or {}), numpy.asarray(stations, dtype=float),
                                          list(map(str, plugin_paths)))

    def predict(self, model):
        return self._core.predict(numpy.asarray(model, dtype=float))

    def jacobian(self, model):
        return self._core.jacobian(numpy.asarray(model, dtype=float))

    name = property(lambda self: self._core.name)
    parameters = property(lambda self: self._core.parameters)
    stations = property(lambda self: self._core.stations)
    has_jacobian = property(lambda self: self._core.has_jacobian)

