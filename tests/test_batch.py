"""Batch rendering: failure isolation, concurrency, incremental runs, atomic writes, Dask.

These tests start real Jupyter kernels (IPC transport) and, for Dask, a real scheduler
and two workers on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _processes import wait_for_lock

from eduanalysis import ParameterError, UnknownRegionError, paths
from eduanalysis.running.batch import BatchLockedError, run_batch
from eduanalysis.running.jobs import Job, plan_jobs

pytestmark = pytest.mark.e2e
NB = Path(__file__).parent / "notebooks"


def _job(name, notebook, **params):
    return Job(
        name=name,
        kind="custom",
        notebook=str(NB / f"{notebook}.ipynb"),
        parameters={"label": name, **params},
        title=f"测试报告 {name}",
    )


@pytest.mark.parametrize("preload_kernels", [True, False], ids=["preloaded", "fresh"])
def test_mixed_batch_isolates_failures(tmp_path, preload_kernels):
    jobs = [
        _job("good1", "ok"),
        _job("boom", "error"),
        _job("slow", "timeout"),
        _job("dead", "killed"),
        _job("good2", "ok"),
    ]
    manifest = run_batch(jobs, tmp_path, workers=2, timeout=5, preload_kernels=preload_kernels)
    reports = manifest["reports"]
    status = {name: rec["status"] for name, rec in reports.items()}
    assert status == {"good1": "ok", "good2": "ok", "boom": "failed", "slow": "failed", "dead": "failed"}
    assert manifest["summary"] == {"ok": 2, "skipped": 0, "failed": 3}
    assert "ValueError: 故意的错误：boom" in reports["boom"]["error"]
    assert "Timeout" in reports["slow"]["error"] or "timed out" in reports["slow"]["error"]
    assert "Dead" in reports["dead"]["error"] or "died" in reports["dead"]["error"]
    for good in ("good1", "good2"):
        assert "报告 " + good + " 完成" in (tmp_path / f"{good}.html").read_text(encoding="utf-8")
    for bad in ("boom", "slow", "dead"):
        assert not (tmp_path / f"{bad}.html").exists()
    # the failed notebook is kept for debugging, with its error
    kept = json.loads((tmp_path / "executed" / "boom.ipynb").read_text(encoding="utf-8"))
    assert any(o.get("ename") == "ValueError" for c in kept["cells"] for o in c.get("outputs", []))
    index = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh">' in index and "失败" in index and 'href="good1.html"' in index
    assert "http" not in index.replace('lang="zh"', "")


@pytest.mark.parametrize("preload_kernels", [True, False], ids=["preloaded", "fresh"])
def test_eight_concurrent_kernels_do_not_collide(tmp_path, preload_kernels):
    jobs = [_job(f"n{i}", "ok", delay=1.0) for i in range(8)]
    start = time.perf_counter()
    manifest = run_batch(jobs, tmp_path, workers=8, timeout=60, preload_kernels=preload_kernels)
    assert manifest["summary"]["ok"] == 8, manifest["reports"]
    # really concurrent: 8 × (kernel start + 1 s sleep) in far less than 8 sequential runs
    records = manifest["reports"].values()
    assert time.perf_counter() - start < sum(r["duration_s"] for r in records)
    assert len({r["pid"] for r in records}) > 1


def test_incremental_skip_and_force(tmp_path):
    jobs = [_job("a", "ok"), _job("b", "ok")]
    first = run_batch(jobs, tmp_path, workers=2)
    assert first["summary"] == {"ok": 2, "skipped": 0, "failed": 0}
    html_before = (tmp_path / "a.html").read_bytes()
    second = run_batch(jobs, tmp_path, workers=2)
    assert second["summary"] == {"ok": 0, "skipped": 2, "failed": 0}
    assert (tmp_path / "a.html").read_bytes() == html_before
    changed = [_job("a", "ok", delay=0.01), _job("b", "ok")]  # a parameter changed
    third = run_batch(changed, tmp_path, workers=2)
    assert third["reports"]["a"]["status"] == "ok" and third["reports"]["b"]["status"] == "skipped"
    forced = run_batch(changed, tmp_path, workers=2, force=True)
    assert forced["summary"]["ok"] == 2


def test_parameters_are_validated_before_any_kernel(tmp_path):
    with pytest.raises(ParameterError, match=r"unknown parameter\(s\) \['colour'\]"):
        run_batch([_job("a", "ok", colour="红")], tmp_path)
    with pytest.raises(ParameterError, match=r"parameter 'delay' must be float, got str"):
        run_batch([_job("a", "ok", delay="慢")], tmp_path)
    assert not (tmp_path / "manifest.json").exists() and not (tmp_path / "a.html").exists()
    with pytest.raises(UnknownRegionError, match="unknown region 'atlantis'; known regions: .*yining"):
        plan_jobs(["yining", "atlantis"])


def test_a_second_batch_on_the_same_folder_is_refused(tmp_path):
    import fcntl

    tmp_path.mkdir(exist_ok=True)
    with open(tmp_path / ".batch.lock", "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(BatchLockedError, match="another batch"):
            run_batch([_job("a", "ok")], tmp_path)


def test_interrupted_run_never_truncates_a_good_report(tmp_path):
    run_batch([_job("r", "ok")], tmp_path, workers=1)
    good = (tmp_path / "r.html").read_bytes()
    script = (
        "from pathlib import Path\n"
        "from eduanalysis.running.batch import run_batch\n"
        "from eduanalysis.running.jobs import Job\n"
        f"nb = {str(NB / 'ok.ipynb')!r}\n"
        "run_batch([Job('r', 'custom', nb, {'label': 'r', 'delay': 30.0}, 't')],"
        f" Path({str(tmp_path)!r}), workers=1, force=True)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], start_new_session=True)
    time.sleep(6)  # the kernel is now sleeping inside the notebook
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (tmp_path / "r.html").read_bytes() == good
    # the lock is free once the batch's worker has died too (it holds a copy: see lock.py);
    # the next run cleans any temporary file and works
    wait_for_lock(tmp_path / ".batch.lock")
    again = run_batch([_job("r", "ok")], tmp_path, workers=1)
    assert again["reports"]["r"]["status"] == "skipped"
    assert not list(tmp_path.glob(".*.tmp"))


def test_cli_batch_one_failing_region_exit_1(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(paths.PROJECT_ROOT / "data", root / "data")
    shutil.copytree(paths.NOTEBOOKS_DIR, root / "notebooks")
    # read by the report's notebook only: the report fails, not the planning
    (root / "data" / "raw" / "checks" / "mianyang.csv").write_text("broken\n", encoding="utf-8")
    env = {**os.environ, "EDUANALYSIS_ROOT": str(root)}
    result = subprocess.run(
        [sys.executable, "-m", "eduanalysis", "batch", "--regions", "mianyang,yining", "--jobs", "2"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    manifest = json.loads((root / "reports" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reports"]["yining"]["status"] == "ok"
    assert manifest["reports"]["mianyang"]["status"] == "failed"
    assert "checks/mianyang.csv" in manifest["reports"]["mianyang"]["error"]
    assert (root / "reports" / "yining.html").exists()
    assert "1 failed" in result.stderr
    bad = subprocess.run(
        [sys.executable, "-m", "eduanalysis", "batch", "--regions", "yining", "--param", "colour=红"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert bad.returncode == 2 and "unknown parameter(s) ['colour']" in bad.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def dask_cluster(tmp_path):
    dask = str(Path(sys.executable).parent / "dask")
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    procs = [
        subprocess.Popen(
            [dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=tmp_path,
        )
    ]
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        for i in range(2):
            procs.append(
                subprocess.Popen(
                    [
                        dask,
                        "worker",
                        address,
                        "--nthreads",
                        "1",
                        "--no-dashboard",
                        "--host",
                        "127.0.0.1",
                        "--name",
                        f"w{i}",
                    ],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    cwd=tmp_path,
                )
            )
        from distributed import Client

        with Client(address, timeout="30s") as client:
            client.wait_for_workers(2, timeout=60)
        yield address
    finally:
        for proc in reversed(procs):
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def test_dask_cluster_on_loopback(tmp_path, dask_cluster):
    out = tmp_path / "reports"
    jobs = [_job("d1", "ok"), _job("d2", "error"), _job("d3", "ok")]
    manifest = run_batch(jobs, out, scheduler=dask_cluster, timeout=60)
    assert manifest["executor"] == f"dask:{dask_cluster}"
    status = {n: r["status"] for n, r in manifest["reports"].items()}
    assert status == {"d1": "ok", "d2": "failed", "d3": "ok"}
    assert (out / "d1.html").exists() and (out / "d3.html").exists()
    # the work ran in the workers' processes, not in this one
    assert all(r["pid"] != os.getpid() for r in manifest["reports"].values())
    # each worker process forked the kernels from a preload server of its own
    assert manifest["kernels"] == "preloaded"
    assert {r["kernel"] for r in manifest["reports"].values()} == {"preloaded"}


def test_regions_file_is_read_and_validated(tmp_path):
    listing = tmp_path / "regions.txt"
    listing.write_text("# 每月渲染\nyining\natlantis  # 不存在\n", encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "eduanalysis",
            "batch",
            "--regions-file",
            str(listing),
            "--output-dir",
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2 and "unknown region 'atlantis'" in result.stderr
    assert not (tmp_path / "o").exists()


_STAMP = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)?")


def test_dask_gives_the_same_city_reports_as_the_local_batch(tmp_path, dask_cluster):
    from eduanalysis.running.jobs import city_job

    jobs = [city_job("mudanjiang"), city_job("mianyang")]
    local = run_batch(jobs, tmp_path / "local", workers=2)
    remote = run_batch(jobs, tmp_path / "dask", scheduler=dask_cluster)
    assert local["summary"]["ok"] == remote["summary"]["ok"] == 2
    for job in jobs:
        pages = [_STAMP.sub(b"<time>", (tmp_path / d / f"{job.name}.html").read_bytes()) for d in ("local", "dask")]
        assert pages[0] == pages[1], job.name  # byte for byte, once the render time is masked
        # the same summary went to both indexes
        assert local["reports"][job.name]["summary"] == remote["reports"][job.name]["summary"]
    assert (tmp_path / "dask" / "findings.xlsx").exists()
