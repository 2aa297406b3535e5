# SPDX-License-Identifier: BSD-3-Clause
"""Forward models written in Python: registered in the plugin registry, used by every solver from geoinv.run
and from YAML, finite differences without a Jacobian, campaigns on threads, worker processes refused."""
import numpy
import pytest

import geoinv
from conftest import SEED
from test_api import SEED_MINIMUM

PY_SEED = ["~forward.options"]  # the port fixes the seed study's minus convention: it has no options


def seed_with(plugin, *more):
    return geoinv.run(SEED, overrides=[f"forward.plugin={plugin}", *PY_SEED, *more])


@pytest.mark.parametrize("plugin", ["py_sphere", "py_sphere_fd"])
@pytest.mark.parametrize("solver", ["dls", "gauss_newton"])
def test_every_iterative_solver_reaches_the_seed_minimum(python_sphere, plugin, solver):
    result = seed_with(plugin, f"solvers=[{{plugin: {solver}}}]")[solver]
    assert result.status == "converged", result.message
    for name, value in SEED_MINIMUM.items():
        assert result.estimate[name] == pytest.approx(value, rel=1e-4), name
    if plugin == "py_sphere_fd":
        # Central differences: 1 + 2n forward evaluations per Jacobian, charged to the budget.
        assert result.forward_evaluations >= 9 * result.jacobian_evaluations


def test_the_python_port_gives_the_cpp_numbers(python_sphere):
    cpp = geoinv.run(SEED)["dls"]
    py = seed_with("py_sphere")["dls"]
    for name in SEED_MINIMUM:
        assert py.estimate[name] == pytest.approx(cpp.estimate[name], rel=1e-9)
    assert py.iterations == cpp.iterations


def test_multistart_uses_the_python_model(python_sphere):
    result = seed_with("py_sphere", "start={strategy: multistart, count: 3, seed: 1}",
                       "bounds={x0: [0, 150], theta: [0, 360], h: [5, 80], K: [1000, 200000]}")["dls"]
    assert result.starts == 3 and result.estimate["h"] == pytest.approx(SEED_MINIMUM["h"], rel=1e-4)


def test_yaml_names_the_python_model(python_sphere, source_dir):
    text = (source_dir / "configs" / "seed_sphere_dls.yaml").read_text()
    text = text.replace("plugin: sphere", "plugin: py_sphere").replace(
        "  options:\n    convention: minus        # the seed study writes N = u cos(theta) - h sin(theta)\n", "")
    text = text.replace("../data/seed/sp_syn_data.csv", str(source_dir / "data" / "seed" / "sp_syn_data.csv"))
    assert "py_sphere" in text and "convention" not in text
    assert geoinv.run(text)["dls"].estimate["h"] == pytest.approx(SEED_MINIMUM["h"], rel=1e-4)


def test_registered_models_are_listed_and_described(python_sphere):
    listed = {p["name"]: p for p in geoinv.plugins()}
    assert listed["py_sphere"]["file"].startswith("<python: py_sphere.PySphere")
    assert [p["name"] for p in geoinv.describe("py_sphere")["parameters"]] == ["x0", "theta", "h", "K"]
    model = geoinv.ForwardModel("py_sphere", {}, numpy.linspace(0, 150, 11))
    cpp = geoinv.ForwardModel("sphere", {"convention": "minus"}, numpy.linspace(0, 150, 11))
    truth = numpy.array([77.07, 5.4, 41.81, 94686.0])
    assert numpy.allclose(model.predict(truth), cpp.predict(truth), rtol=1e-12)
    assert numpy.allclose(model.jacobian(truth), cpp.jacobian(truth), rtol=1e-9)


def test_a_model_returning_a_wrong_shape_fails_the_solver_with_a_clear_message():
    class Wrong:
        parameters = [geoinv.Parameter("a", doc="a"), geoinv.Parameter("b", doc="b")]

        def predict(self, model, stations):
            return numpy.zeros(3)

    geoinv.register_forward_model(Wrong, name="py_wrong")
    try:
        model = geoinv.ForwardModel("py_wrong", {}, numpy.linspace(0, 1, 5))
        with pytest.raises(geoinv.PluginError, match=r"predict\(\) must return a float array of shape \(5,\)"):
            model.predict([1.0, 2.0])
    finally:
        geoinv.unregister_forward_model("py_wrong")


def test_a_python_exception_becomes_a_plugin_error_naming_the_model():
    class Raising:
        parameters = [geoinv.Parameter("a", doc="a")]

        def predict(self, model, stations):
            raise RuntimeError("no data today")

    geoinv.register_forward_model(Raising, name="py_raising")
    try:
        with pytest.raises(geoinv.PluginError, match="'py_raising' raised: RuntimeError: no data today"):
            geoinv.ForwardModel("py_raising", {}, numpy.linspace(0, 1, 5)).predict([1.0])
    finally:
        geoinv.unregister_forward_model("py_raising")


def test_a_campaign_runs_the_python_model_on_threads_and_refuses_processes(python_sphere, source_dir, tmp_path):
    campaign = source_dir / "configs" / "campaigns" / "seed_study.yaml"
    overrides = ["forward.plugin=py_sphere", "~forward.options", "campaign.sweep.replicates=2",
                 "campaign.sweep.grid={data.synthetic.noise_sigma: [1, 10]}",
                 "campaign.solvers=[{plugin: dls}]"]
    with pytest.raises(geoinv.UsageError, match='executor="threads"'):
        geoinv.campaign(campaign, jobs=2, out=tmp_path / "processes", overrides=overrides)
    done = geoinv.campaign(campaign, jobs=2, out=tmp_path / "threads", overrides=overrides, executor="threads")
    assert len(done.results) == 4 and (done.results["status"] != "failed").all()


def test_a_sampler_and_a_learning_solver_use_the_python_model(python_sphere):
    solvers = ("solvers=[{plugin: mcmc, options: {walkers: 16, steps: 200, burn_in: 50}}, "
               "{plugin: mlp, options: {hidden_layer_sizes: [16], max_iter: 20}, "
               "prior: {sampling: uniform, samples: 300, seed: 7, "
               "ranges: {x0: [50, 100], theta: [260, 340], h: [7, 75], K: [70000, 110000]}}}]")
    result = seed_with("py_sphere", solvers, "budget.max_forward_evaluations=100000")
    assert result["mcmc"].status == "converged", result["mcmc"].message
    assert result["mcmc"].estimate["h"] == pytest.approx(SEED_MINIMUM["h"], rel=0.1)
    assert result["mlp"].status != "failed", result["mlp"].message
