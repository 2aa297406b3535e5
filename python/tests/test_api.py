# SPDX-License-Identifier: BSD-3-Clause
"""Every function of the module: plugins, describe, run (path, YAML text, dict, overrides, out),
Experiment, Result, ForwardModel, campaign, load_results; dtypes and shapes."""
import math

import numpy
import pandas
import pytest
import yaml

import geoinv
from conftest import SEED, SYNTHETIC

SEED_MINIMUM = {"x0": 76.2434, "theta": 310.302, "h": 42.7766, "K": 99102.1}


def test_plugins_lists_the_build_plugins():
    plugins = geoinv.plugins()
    names = {(p["kind"], p["name"]) for p in plugins}
    assert ("forward", "sphere") in names and ("solver", "dls") in names
    assert all(set(p) >= {"name", "kind", "version", "summary", "file"} for p in plugins)


def test_describe_gives_parameters_and_options_as_python_objects():
    sphere = geoinv.describe("sphere")
    assert [p["name"] for p in sphere["parameters"]] == ["x0", "theta", "h", "K"]
    assert sphere["parameters"][1]["unit"] == "deg" and sphere["parameters"][1]["periodic"] is True
    convention = next(o for o in sphere["options"] if o["name"] == "convention")
    assert "minus" in convention["choices"]
    dls = geoinv.describe("dls", kind="solver")
    assert dls["kind"] == "solver" and any(o["name"] == "max_iterations" for o in dls["options"])


def test_run_of_a_path_reaches_the_seed_minimum():
    result = geoinv.run(SEED)
    dls = result["dls"]
    assert result.solvers == ["dls"] and dls.status == "converged"
    for name, value in SEED_MINIMUM.items():
        assert dls.estimate[name] == pytest.approx(value, rel=1e-5)
    assert dls.misfit["rms"] == pytest.approx(3.2814, rel=1e-4)
    assert set(dls.std_error) == set(SEED_MINIMUM)
    assert dls.covariance.shape == (4, 4) and dls.covariance.dtype == numpy.float64
    assert numpy.allclose(numpy.sqrt(numpy.diag(dls.covariance)), list(dls.std_error.values()))
    assert dls.predicted.shape == result.observed.shape == result.stations.shape
    assert isinstance(dls.trace, pandas.DataFrame) and "sse" in dls.trace.columns
    assert dls.forward_evaluations > 0 and dls.iterations > 0


def test_run_of_yaml_text_and_of_a_dict_equal_the_file(tmp_path):
    tree = yaml.safe_load(SYNTHETIC.read_text())
    from_file = geoinv.run(SYNTHETIC)["dls"].estimate
    assert geoinv.run(SYNTHETIC.read_text())["dls"].estimate == from_file
    assert geoinv.run(tree)["dls"].estimate == from_file


def test_overrides_as_list_and_dict():
    a = geoinv.run(SYNTHETIC, overrides=["data.synthetic.seed=7"])["dls"].estimate
    b = geoinv.run(SYNTHETIC, overrides={"data.synthetic.seed": 7})["dls"].estimate
    c = geoinv.run(SYNTHETIC)["dls"].estimate
    assert a == b and a != c


def test_a_prepared_experiment_runs_again_with_the_same_numbers():
    experiment = geoinv.Experiment(SEED)
    first, second = experiment.run()["dls"], experiment.run()["dls"]
    assert first.estimate == second.estimate
    assert experiment.parameters == ["x0", "theta", "h", "K"]
    assert experiment.observed.flags.writeable is False  # a view into the experiment, not a copy


def test_out_writes_the_run_folder_and_load_results_reads_it(tmp_path):
    out = tmp_path / "run"
    result = geoinv.run(SEED, out=out, figures=False)
    assert (out / "result.json").exists() and result.out == str(out)
    folder = geoinv.load_results(out)
    assert folder["dls"]["estimate"]["h"] == pytest.approx(result["dls"].estimate["h"], rel=1e-12)
    assert isinstance(folder.fit, pandas.DataFrame)
    with pytest.raises(geoinv.IoError):
        geoinv.run(SEED, out=out, figures=False)  # a folder that holds files, as the CLI refuses it


def test_result_summary_and_best():
    result = geoinv.run(SYNTHETIC, overrides=["solvers=[{plugin: dls}, {plugin: gauss_newton}]"])
    assert list(result.summary().index) == ["dls", "gauss_newton"]
    assert result.best.label in ("dls", "gauss_newton")
    assert set(result["dls"].relative_error) == set(SEED_MINIMUM)


def test_forward_model_predict_and_jacobian_on_numpy():
    stations = numpy.linspace(0, 150, 101)
    model = geoinv.ForwardModel("sphere", {"convention": "minus"}, stations)
    truth = numpy.array([77.07, math.radians(309.37), 41.81, 94686.0])
    data = model.predict(truth)
    assert data.shape == (101,) and data.dtype == numpy.float64
    jacobian = model.jacobian(truth)
    assert jacobian.shape == (101, 4) and jacobian.flags.f_contiguous
    step = numpy.zeros(4)
    step[2] = 1e-4
    assert numpy.allclose((model.predict(truth + step) - model.predict(truth - step)) / 2e-4, jacobian[:, 2],
                          rtol=1e-5)
    # Data equal the experiment's noise-free synthetic data.
    noiseless = geoinv.Experiment(SYNTHETIC, overrides=["data.synthetic.noise_sigma=0"])
    assert numpy.allclose(noiseless.observed, data, rtol=1e-12)
    # Integers and lists are accepted; other shapes are refused, naming the expected shape.
    assert model.predict(list(truth)).shape == (101,)
    with pytest.raises(geoinv.UsageError, match=r"shape \(4,\); got shape \(3,\)"):
        model.predict(truth[:3])
    with pytest.raises(geoinv.UsageError, match="1-D"):
        model.predict(numpy.ones((2, 4)))


def test_forward_model_options_are_validated():
    with pytest.raises(geoinv.ConfigError, match="convention"):
        geoinv.ForwardModel("sphere", {"convention": "sideways"}, numpy.linspace(0, 1, 5))


def test_campaign_returns_dataframes_and_load_results_reads_the_folder(tmp_path, source_dir):
    campaign = source_dir / "configs" / "campaigns" / "seed_study.yaml"
    out = tmp_path / "campaign"
    done = geoinv.campaign(campaign, jobs=2, out=out, overrides=_reduced_campaign(), executor="threads")
    assert isinstance(done.results, pandas.DataFrame) and isinstance(done.summary, pandas.DataFrame)
    assert len(done.results) == 4 * 2  # 4 runs, 2 solvers
    again = geoinv.load_results(out)
    assert again.results.equals(done.results)


def _reduced_campaign():
    # Two noise levels, two replicates, dls and gauss_newton only: seconds, not minutes.
    return ["campaign.sweep.grid={data.synthetic.noise_sigma: [1, 10]}", "campaign.sweep.replicates=2",
            "campaign.solvers=[{plugin: dls}, {plugin: gauss_newton}]"]


def test_a_parameter_block_is_a_numpy_array(source_dir):
    # A wedge trace of the convolution plugin: r is a block of 256 values, not 256 scalars.
    experiment = source_dir / "configs" / "experiments" / "wedge_trace_dls.yaml"
    result = geoinv.run(experiment, overrides={"solvers.0.options.max_iterations": 3})
    estimate = result["dls"].estimate
    assert list(estimate) == ["r"]
    assert isinstance(estimate["r"], numpy.ndarray)
    assert estimate["r"].shape == (256,)
    assert numpy.array_equal(estimate["r"], result["dls"].estimate_vector)
