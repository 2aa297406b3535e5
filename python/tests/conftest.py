# SPDX-License-Identifier: BSD-3-Clause
"""Shared fixtures of the Python module's pytest suite (run by ctest: python/CMakeLists.txt sets
PYTHONPATH to the build tree's package, GEOINV_SOURCE_DIR and GEOINV_CLI)."""
import os
import pathlib
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))  # py_sphere

SOURCE_DIR = pathlib.Path(os.environ.get("GEOINV_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
SEED = SOURCE_DIR / "configs" / "seed_sphere_dls.yaml"
SYNTHETIC = SOURCE_DIR / "examples" / "synthetic_sphere" / "synthetic_sphere.yaml"


@pytest.fixture(scope="session")
def source_dir():
    return SOURCE_DIR


@pytest.fixture(scope="session")
def cli():
    path = os.environ.get("GEOINV_CLI")
    if not path:
        pytest.skip("GEOINV_CLI is not set (ctest sets it)")
    return path


@pytest.fixture(scope="session")
def python_sphere():
    import py_sphere
    py_sphere.register()
    return py_sphere
