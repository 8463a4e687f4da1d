"""Where a report's time goes: the per-stage profile each batch record carries (``stages_s``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from eduanalysis.running.batch import run_batch
from eduanalysis.running.jobs import Job

pytestmark = pytest.mark.e2e
NB = Path(__file__).parent / "notebooks"


def test_profile_attributes_a_slow_cell_to_the_notebook_and_stays_within_the_duration(tmp_path):
    # ok.ipynb sleeps `delay` seconds in a code cell before any section: a known 1.5 s
    jobs = [Job("slow", "custom", str(NB / "ok.ipynb"), {"label": "slow", "delay": 1.5}, "测试报告 slow")]
    manifest = run_batch(jobs, tmp_path, workers=1, timeout=60)
    record = manifest["reports"]["slow"]
    stages = record["stages_s"]
    assert {"validate", "kernel_start", "cells:start", "kernel_stop", "html_export", "font_subset", "write"} <= set(
        stages
    )
    assert 1.5 <= stages["cells:start"] < 1.5 + 2.0
    assert all(v >= 0 for v in stages.values())
    # the stages are parts of the render, which is part of the job's duration
    assert sum(stages.values()) <= record["duration_s"] + 0.01
