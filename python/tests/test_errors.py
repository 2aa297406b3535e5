# SPDX-License-Identifier: BSD-3-Clause
"""Error mapping: each category of geoinv::Error raises its geoinv.Error subclass with the CLI's text."""
import subprocess

import pytest

import geoinv
from conftest import SEED

BAD_KEY = """version: 1
name: bad
forward:
  plugin: sphere
  stations: {from: 0, to: 10, count: 11}
data:
  synthetic:
    true_model: {x0: 5, theta: 300, h: 4, K: 1000}
    noise_sigma: 0
start:
  model: {x0: 4, theta: 290, h: 5, K: 900}
solvers:
  - plugin: dls
    options: {max_iterations: -3}
"""


def test_a_bad_value_in_yaml_text_is_a_located_config_error():
    with pytest.raises(geoinv.ConfigError) as raised:
        geoinv.run(BAD_KEY)
    error = raised.value
    assert error.file == "<experiment string>" and error.line == 14
    assert error.key == "solvers.0.options.max_iterations"
    assert str(error).startswith("<experiment string>:14:")


def test_the_text_is_the_clis(tmp_path, cli):
    file = tmp_path / "bad.yaml"
    file.write_text(BAD_KEY)
    with pytest.raises(geoinv.ConfigError) as raised:
        geoinv.run(file)
    printed = subprocess.run([cli, "run", str(file), "--out", str(tmp_path / "out")], capture_output=True,
                             text=True)
    assert printed.stderr.strip() == f"geoinv: error: {raised.value}"
    assert printed.returncode == raised.value.exit_code


def test_unknown_plugin_is_a_plugin_error_naming_the_override():
    with pytest.raises(geoinv.PluginError, match="did you mean 'dls'"):
        geoinv.run(SEED, overrides=["solvers.0.plugin=dlx"])


def test_missing_data_file_is_a_data_error(tmp_path):
    with pytest.raises(geoinv.DataError):
        geoinv.run(SEED, overrides=[f"data.file={tmp_path / 'missing.csv'}"])


def test_a_value_python_cannot_write_as_yaml_is_a_usage_error():
    with pytest.raises(geoinv.UsageError, match="forward.options.convention"):
        geoinv.run({"forward": {"plugin": "sphere", "options": {"convention": object()}}})


def test_every_error_is_a_geoinv_error_and_a_python_builtin_where_it_fits():
    assert issubclass(geoinv.ConfigError, ValueError) and issubclass(geoinv.ConfigError, geoinv.Error)
    with pytest.raises(ValueError):
        geoinv.run(BAD_KEY)


def test_a_missing_folder_is_refused_by_load_results(tmp_path):
    with pytest.raises(geoinv.IoError):
        geoinv.load_results(tmp_path)
