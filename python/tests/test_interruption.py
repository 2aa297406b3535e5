# SPDX-License-Identifier: BSD-3-Clause
"""Ctrl-C during geoinv.campaign stops the campaign cleanly: finished runs stay in results.csv and
KeyboardInterrupt says how to resume (campaigns/interruption.hpp, as for `geoinv campaign`)."""
import os
import signal
import subprocess
import sys
import time

import pandas


def test_ctrl_c_stops_a_campaign_cleanly_and_says_how_to_resume(tmp_path, source_dir):
    campaign = source_dir / "configs" / "campaigns" / "seed_study.yaml"
    out = tmp_path / "campaign"
    script = f"""
import geoinv
try:
    geoinv.campaign({str(campaign)!r}, jobs=1, out={str(out)!r}, executor="threads",
                    overrides=["campaign.sweep.replicates=20000", "campaign.solvers=[{{plugin: dls}}]"])
    print("FINISHED")
except KeyboardInterrupt as interruption:
    print("INTERRUPTED", interruption)
"""
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=os.environ)
    deadline = time.monotonic() + 60
    while not (out / "results.csv").exists() and time.monotonic() < deadline and child.poll() is None:
        time.sleep(0.05)
    time.sleep(1.0)  # runs are being solved
    child.send_signal(signal.SIGINT)
    printed, _ = child.communicate(timeout=120)
    assert printed.startswith("INTERRUPTED campaign interrupted:"), printed
    assert "resume=True" in printed
    rows = pandas.read_csv(out / "results.csv")
    assert 0 < len(rows) < 80000 and not (out / "summary.csv").exists()
