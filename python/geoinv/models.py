# SPDX-License-Identifier: BSD-3-Clause
"""Forward models written in Python (docs/python.md, "Forward models in Python").

    class Sphere:
        name = "py_sphere"
        parameters = [geoinv.Parameter("x0", "m"), ...]
        def predict(self, model, stations): ...          # -> ndarray of len(stations)
        def jacobian(self, model, stations): ...         # optional -> (len(stations), len(model))
        def configure(self, stations): ...               # optional: precompute per set of stations

    geoinv.register_forward_model(Sphere)

Once registered, every solver uses the model: from geoinv.run, and from a YAML experiment with
``forward: {plugin: py_sphere}`` run through geoinv.run or geoinv.campaign(executor="threads"). Without
``jacobian`` solvers get central differences. ``model`` and ``stations`` are read-only float64 views
(internal units: radians for angle parameters). Each call holds the GIL: a Python model serialises a
campaign's threads, and worker processes refuse it (use executor="threads").
"""
import atexit
import math
from dataclasses import dataclass

from . import _geoinv
from .errors import UsageError


@dataclass
class Parameter:
    """One model parameter, as a C++ plugin's ParameterSpec: default bounds and scale in internal units
    (radians for an angle), ``unit`` the display unit (``deg`` is shown for angles)."""
    name: str
    unit: str = ""
    lower: float = -math.inf
    upper: float = math.inf
    angle: bool = False
    scale: float = 1.0
    doc: str = ""


def _declared(parameter):
    if isinstance(parameter, Parameter):
        return dict(parameter.__dict__)
    if isinstance(parameter, str):
        return dict(Parameter(parameter).__dict__)
    return dict(Parameter(**parameter).__dict__)


def register_forward_model(cls, name=None):
    """Registers the class ``cls`` (instantiated with no argument, once per problem and solver thread)
    under ``name`` (default: ``cls.name``, else the class name). Registering a name again replaces it.
    Returns ``cls``, so it can be used as a decorator."""
    name = name or getattr(cls, "name", None) or cls.__name__
    parameters = [_declared(p) for p in getattr(cls, "parameters", [])]
    if not parameters:
        raise UsageError(f"forward model {name!r} declares no parameters: give the class a list "
                         "`parameters` of geoinv.Parameter")
    if not callable(getattr(cls, "predict", None)):
        raise UsageError(f"forward model {name!r} has no method predict(model, stations)")
    _geoinv.register_forward_model(name, cls, parameters, callable(getattr(cls, "jacobian", None)),
                                   getattr(cls, "quantity", ""), getattr(cls, "unit", ""),
                                   (cls.__doc__ or "").strip().split("\n")[0])
    return cls


def unregister_forward_model(name):
    """Removes a registered Python model; False when there was none."""
    return _geoinv.unregister_forward_model(name)


@atexit.register
def _unregister_all():
    # The classes are released while the interpreter still runs.
    for name in _geoinv.registered_forward_models():
        _geoinv.unregister_forward_model(name)
