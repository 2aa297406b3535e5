# SPDX-License-Identifier: BSD-3-Clause
"""Identical numbers to the CLI: the seed experiment (result.json) and the seed-study campaign, reduced to
seconds (results.csv), run by the real geoinv binary and by the module side by side."""
import json
import subprocess

import pandas
import pytest

import geoinv
from conftest import SEED

# Columns that measure the machine, not the inversion.
TIMING = ("wall_time_s", "time")


def test_the_seed_experiment_gives_the_clis_numbers(tmp_path, cli):
    subprocess.run([cli, "run", str(SEED), "--out", str(tmp_path / "cli"), "--no-figures", "--quiet"], check=True)
    record = json.loads((tmp_path / "cli" / "result.json").read_text())["results"][0]
    result = geoinv.run(SEED)["dls"]
    # result.json writes numbers with 17 significant digits: they read back exactly.
    assert result.estimate == record["estimate"]
    assert result.std_error == record["std_error"]
    assert result.misfit["rms"] == record["rms"]
    assert result.iterations == record["iterations"]
    assert result.termination == record["termination"]


def test_the_run_folder_equals_the_clis(tmp_path, cli):
    subprocess.run([cli, "run", str(SEED), "--out", str(tmp_path / "cli"), "--no-figures", "--quiet"], check=True)
    geoinv.run(SEED, out=tmp_path / "py", figures=False)
    for name in ("fit.csv", "fit_curves.csv", "trace_dls.csv"):
        assert (tmp_path / "py" / name).read_bytes() == (tmp_path / "cli" / name).read_bytes(), name

    def resolved(folder):  # output.dir names the folder itself
        lines = (folder / "config.resolved.yaml").read_text().splitlines()
        return [line for line in lines if not line.strip().startswith("dir:")]
    assert resolved(tmp_path / "py") == resolved(tmp_path / "cli")


REDUCED = ["campaign.sweep.replicates=3", "campaign.sweep.grid={data.synthetic.noise_sigma: [1, 10]}",
           "campaign.solvers=[{plugin: dls}, {plugin: gauss_newton}, {plugin: dls, label: multi, "
           "options: {max_iterations: 20}}]"]


@pytest.mark.parametrize("executor", ["processes", "threads"])
def test_the_seed_study_campaign_gives_the_clis_results(tmp_path, cli, source_dir, executor):
    campaign = source_dir / "configs" / "campaigns" / "seed_study.yaml"
    command = [cli, "campaign", str(campaign), "--out", str(tmp_path / "cli"), "--jobs", "2", "--no-figures",
               "--quiet"]
    for assignment in REDUCED:
        command += ["--set", assignment]
    subprocess.run(command, check=True)
    done = geoinv.campaign(campaign, jobs=2, out=tmp_path / "py", overrides=REDUCED, executor=executor)
    expected = pandas.read_csv(tmp_path / "cli" / "results.csv")
    key = ["run_id", "solver"]
    columns = [c for c in expected.columns if not any(t in c for t in TIMING)]
    left = done.results[columns].sort_values(key).reset_index(drop=True)
    right = expected[columns].sort_values(key).reset_index(drop=True)
    pandas.testing.assert_frame_equal(left, right, check_exact=True)
    expected_summary = pandas.read_csv(tmp_path / "cli" / "summary.csv")
    columns = [c for c in expected_summary.columns if not any(t in c for t in TIMING)]
    pandas.testing.assert_frame_equal(done.summary[columns], expected_summary[columns], check_exact=True)
