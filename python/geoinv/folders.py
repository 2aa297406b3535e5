# SPDX-License-Identifier: BSD-3-Clause
"""geoinv.campaign and geoinv.load_results: campaigns and run folders as pandas DataFrames."""
import json
import os
import tempfile

from . import _geoinv
from .errors import IoError


class CampaignResult:
    """A campaign folder's tables: ``results`` (results.csv, one row per run and solver), ``summary``
    (summary.csv, per sweep point and solver; None when the campaign was not complete), ``manifest``,
    ``info`` (campaign.json) and ``out`` (the folder)."""

    def __init__(self, folder):
        import pandas
        self.out = os.fspath(folder)
        self.results = pandas.read_csv(os.path.join(self.out, "results.csv"))
        summary = os.path.join(self.out, "summary.csv")
        self.summary = pandas.read_csv(summary) if os.path.exists(summary) else None
        manifest = os.path.join(self.out, "manifest.csv")
        self.manifest = pandas.read_csv(manifest) if os.path.exists(manifest) else None
        with open(os.path.join(self.out, "campaign.json"), encoding="utf-8") as f:
            self.info = json.load(f)

    def __repr__(self):
        return f"CampaignResult({self.out!r}, {len(self.results)} rows)"


class RunFolder:
    """A run folder's record: ``record`` (result.json as a dict), ``solvers`` (per solver label its
    entry), ``fit`` (fit.csv as a DataFrame), ``out``."""

    def __init__(self, folder):
        import pandas
        self.out = os.fspath(folder)
        with open(os.path.join(self.out, "result.json"), encoding="utf-8") as f:
            self.record = json.load(f)
        self.solvers = {entry["solver"]: entry for entry in self.record["results"]}
        fit = os.path.join(self.out, "fit.csv")
        self.fit = pandas.read_csv(fit) if os.path.exists(fit) else None

    def __getitem__(self, label):
        return self.solvers[label]

    def __repr__(self):
        return f"RunFolder({self.out!r}, solvers={list(self.solvers)})"


def load_results(folder):
    """Reads an existing run folder (result.json) or campaign folder (results.csv)."""
    folder = os.fspath(folder)
    if os.path.exists(os.path.join(folder, "results.csv")):
        return CampaignResult(folder)
    if os.path.exists(os.path.join(folder, "result.json")):
        return RunFolder(folder)
    raise IoError(f"{folder}: neither a run folder (result.json) nor a campaign folder (results.csv)",
                  file=folder)


def campaign(path, jobs=2, overrides=None, out=None, executor="processes", resume=False, overwrite=False,
             figures=False):
    """Runs the campaign file ``path`` as ``geoinv campaign`` does and returns a CampaignResult.

    ``jobs`` workers (0: the hardware threads); ``executor`` "processes" (a crashing plugin loses one
    run) or "threads" (required by Python forward models); ``overrides`` as --set; ``out`` the folder
    (default: a new temporary folder); ``figures`` draws figures/ and report.html. Ctrl-C stops the
    campaign cleanly: finished runs stay in ``out`` and KeyboardInterrupt says how to resume
    (``resume=True``)."""
    from .experiment import _override_list
    if out is None:
        out = tempfile.mkdtemp(prefix="geoinv-campaign-")
    report = _geoinv.run_campaign(os.fspath(path), os.fspath(out), int(jobs), executor,
                                  _override_list(overrides), resume, overwrite, figures)
    if report["interrupted"]:
        raise KeyboardInterrupt(
            f"campaign interrupted: {report['runs_done_before'] + report['runs_done_now']} of "
            f"{report['runs_total']} runs are safely written in {report['out']}; to complete it: "
            f"geoinv.campaign({os.fspath(path)!r}, out={report['out']!r}, resume=True)")
    return CampaignResult(report["out"])
