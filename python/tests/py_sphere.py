# SPDX-License-Identifier: BSD-3-Clause
"""The sphere plugin (plugins/forward/sphere, sp/shape_factor.hpp) ported to Python, with the seed study's
``minus`` convention fixed: V(x) = K (u cos θ - h sin θ) / (u² + h²)^1.5, u = x - x0, θ in radians.
Used by the pytest suite, the conformance suite (tests/conformance, GEOINV_CONFORMANCE_PYTHON_MODEL) and
bench/python."""
import math

import numpy

import geoinv


class PySphere:
    """A sphere's SP anomaly, in Python (the seed study's minus convention)."""
    name = "py_sphere"
    quantity = "SP"
    unit = "mV"
    parameters = [
        geoinv.Parameter("x0", "m", scale=10.0, doc="horizontal position of the body's centre"),
        geoinv.Parameter("theta", "rad", angle=True, scale=1.0, doc="polarization angle (minus convention)"),
        geoinv.Parameter("h", "m", lower=1e-3, scale=10.0, doc="depth to the centre of the sphere"),
        geoinv.Parameter("K", "mV*m^2", scale=1e4, doc="electric dipole moment (amplitude)"),
    ]

    def predict(self, model, stations):
        x0, theta, h, k = model
        u = stations - x0
        return k * (u * math.cos(theta) - h * math.sin(theta)) / (u * u + h * h) ** 1.5

    def jacobian(self, model, stations):
        x0, theta, h, k = model
        u = stations - x0
        d = u * u + h * h
        numerator = u * math.cos(theta) - h * math.sin(theta)
        k_d = k * d ** -1.5
        three_n_over_d = 3.0 * numerator / d
        return numpy.column_stack([
            k_d * (u * three_n_over_d - math.cos(theta)),
            k_d * (-h * math.cos(theta) - u * math.sin(theta)),
            k_d * (-math.sin(theta) - h * three_n_over_d),
            numerator * d ** -1.5,
        ])

    def canonicalize(self, model):
        x0, theta, h, k = model
        if h < 0:
            h, theta = -h, -theta
        if k < 0:
            k, theta = -k, theta + math.pi
        return numpy.array([x0, theta % (2 * math.pi), h, k + 0.0])


class PySphereNoJacobian(PySphere):
    """The same sphere without an analytic Jacobian: solvers take central differences."""
    name = "py_sphere_fd"
    jacobian = None


def register():
    geoinv.register_forward_model(PySphere)
    geoinv.register_forward_model(PySphereNoJacobian)
