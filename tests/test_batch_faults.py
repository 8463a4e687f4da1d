"""A batch survives any single process dying, and leaves nothing behind when it is stopped.

Each kill test sends SIGKILL (what the out-of-memory killer sends) to one process of a
running batch at a moment it is known to be busy: the report's notebook
(``notebooks/busy.ipynb``) writes which processes run it into a marker file, then sleeps.
The stop tests signal the batch itself, in a process of its own, and check that every
process below it is gone, that the folder lock is free only once they are, and that
nothing is written afterwards.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest
from _processes import alive, cmdline, descendants, has_open_files, parent, wait_for_lock, wait_gone

from eduanalysis import paths
from eduanalysis.running import preload
from eduanalysis.running.batch import run_batch
from eduanalysis.running.jobs import Job

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not preload.available(), reason="needs Linux (/proc, pidfd, PR_SET_PDEATHSIG)"),
]
NB = Path(__file__).parent / "notebooks"


def _busy(name: str, markers: Path, delay: float) -> Job:
    params = {"label": name, "delay": delay, "marker": str(markers / f"{name}.json")}
    return Job(name, "custom", str(NB / "busy.ipynb"), params, f"测试报告 {name}")


def _ok(name: str) -> Job:
    return Job(name, "custom", str(NB / "ok.ipynb"), {"label": name}, f"测试报告 {name}")


def _marker(path: Path, timeout: float = 120.0, proc: subprocess.Popen | None = None) -> dict:
    deadline = time.monotonic() + timeout
    while not path.exists():
        assert proc is None or proc.poll() is None, f"the batch exited with {proc.returncode} before {path.name}"
        assert time.monotonic() < deadline, f"{path.name} did not appear: the report never started"
        time.sleep(0.05)
    return json.loads(path.read_text())


def _stand_in(worker: int) -> int:
    found = [p for p in descendants(worker) if "_preload_client" in cmdline(p)]
    assert len(found) == 1, found
    return found[0]


# which process to kill, found from the marker a report writes, and what its command line says
VICTIMS = {
    "worker": (lambda m: m["worker"], "multiprocessing.forkserver"),
    "kernel": (lambda m: m["kernel"], "ipykernel_launcher"),
    "forked kernel": (lambda m: m["kernel"], "eduanalysis.running.preload"),
    "stand-in": (lambda m: _stand_in(m["worker"]), "_preload_client"),
    "preload server": (lambda m: m["kernel_parent"], "eduanalysis.running.preload"),
    "forkserver": (lambda m: parent(m["worker"]), "multiprocessing.forkserver"),
}


class _Killer(threading.Thread):
    """Kills the chosen process of a report as soon as that report is running."""

    def __init__(self, marker: Path, victim: str):
        super().__init__(daemon=True)
        self.marker, self.victim = marker, victim
        self.error: BaseException | None = None

    def run(self):
        try:
            self.info = _marker(self.marker)
            find, self.expected = VICTIMS[self.victim]
            self.pid = find(self.info)
            self.command = cmdline(self.pid)
            self.below = descendants(self.pid)
            self.at = time.time()
            os.kill(self.pid, signal.SIGKILL)
        except BaseException as exc:  # reported by the test
            self.error = exc


def _ours_before() -> set[int]:
    return descendants(os.getpid())


def _left_behind(before: set[int]) -> list[tuple[int, str]]:
    """Processes below this test that the batch started and that still run.  The
    forkserver and resource tracker of multiprocessing serve every batch of this process
    and stay (they end with it); nothing may run below them."""
    me = os.getpid()
    new = [
        p
        for p in descendants(me) - before
        if not (parent(p) == me and ("multiprocessing.forkserver" in cmdline(p) or "resource_tracker" in cmdline(p)))
    ]
    return wait_gone(new)


def _second(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp()


def _assert_complete(out: Path, manifest: dict, names: list[str]) -> None:
    on_disk = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk["state"] == "complete" and on_disk["reports"] == manifest["reports"]
    assert sorted(on_disk["reports"]) == sorted(names)
    index = (out / "index.html").read_text(encoding="utf-8")
    for name, record in manifest["reports"].items():
        assert record["title"] in index
        if record["status"] == "ok":
            assert f'href="{name}.html"' in index and (out / f"{name}.html").exists()


EXPECTED_ERROR = {
    "worker": r"^worker process died \(signal 9, SIGKILL\) before the report was finished$",
    "kernel": r"DeadKernelError: Kernel died",
    "forked kernel": r"DeadKernelError: Kernel died",
    "stand-in": r"DeadKernelError: Kernel died",
}


@pytest.mark.parametrize(
    "victim, preload_kernels",
    [("worker", True), ("worker", False), ("kernel", False), ("forked kernel", True), ("stand-in", True)],
)
def test_a_killed_process_fails_only_its_own_report(tmp_path, victim, preload_kernels):
    markers, out = tmp_path / "markers", tmp_path / "out"
    markers.mkdir()
    # "neighbour" renders in the other worker while the victim's process is killed
    jobs = [_busy("victim", markers, 60.0), _busy("neighbour", markers, 8.0), _ok("after")]
    before = _ours_before()
    killer = _Killer(markers / "victim.json", victim)
    killer.start()
    manifest = run_batch(jobs, out, workers=2, timeout=120, preload_kernels=preload_kernels)
    killer.join(5)
    assert killer.error is None, killer.error
    assert killer.expected in killer.command, (victim, killer.command)
    reports = manifest["reports"]
    assert {n: r["status"] for n, r in reports.items()} == {"victim": "failed", "neighbour": "ok", "after": "ok"}
    assert re.search(EXPECTED_ERROR[victim], reports["victim"]["error"]), reports["victim"]["error"]
    assert manifest["summary"] == {"ok": 2, "skipped": 0, "failed": 1}
    # the neighbour was rendering when the process died, and finished all the same
    neighbour = reports["neighbour"]
    assert _second(neighbour["started_at"]) - 1 <= killer.at <= _second(neighbour["finished_at"]) + 1
    _assert_complete(out, manifest, ["victim", "neighbour", "after"])
    assert not (out / "victim.html").exists()
    # nothing of the dead report is left: its kernel, stand-in, worker
    assert not wait_gone({killer.info["kernel"], killer.info["worker"], *killer.below})
    assert not _left_behind(before)


def test_a_killed_preload_server_fails_its_running_report_and_the_rest_use_fresh_kernels(tmp_path):
    markers, out = tmp_path / "markers", tmp_path / "out"
    markers.mkdir()
    jobs = [_busy("victim", markers, 60.0), _ok("after1"), _ok("after2")]
    before = _ours_before()
    killer = _Killer(markers / "victim.json", "preload server")
    killer.start()
    manifest = run_batch(jobs, out, workers=1, timeout=120)
    killer.join(5)
    assert killer.error is None, killer.error
    assert killer.expected in killer.command
    reports = manifest["reports"]
    assert {n: r["status"] for n, r in reports.items()} == {"victim": "failed", "after1": "ok", "after2": "ok"}
    assert reports["victim"]["error"].endswith(
        "; the kernel preload server died during this report (signal 9, SIGKILL)"
    ), reports["victim"]["error"]
    for name in ("after1", "after2"):
        assert reports[name]["kernel"] == "fresh (the kernel preload server had died: signal 9, SIGKILL)"
    _assert_complete(out, manifest, ["victim", "after1", "after2"])
    assert not wait_gone({killer.info["kernel"]})  # the server's kernel died with it
    assert not _left_behind(before)


def test_a_killed_forkserver_costs_no_report(tmp_path):
    """The workers do not depend on the forkserver once started; the next report gets a new one."""
    markers, out = tmp_path / "markers", tmp_path / "out"
    markers.mkdir()
    jobs = [_busy("victim", markers, 5.0), _busy("neighbour", markers, 5.0), _ok("after")]
    before = _ours_before()
    killer = _Killer(markers / "victim.json", "forkserver")
    killer.start()
    manifest = run_batch(jobs, out, workers=2, timeout=120)
    killer.join(5)
    assert killer.error is None, killer.error
    assert killer.expected in killer.command and not alive(killer.pid)
    assert {r["status"] for r in manifest["reports"].values()} == {"ok"}
    _assert_complete(out, manifest, ["victim", "neighbour", "after"])
    assert not _left_behind(before)


# ------------------------------------------------------------------ stopping the batch

_STOP_SCRIPT = """
import sys
from pathlib import Path
from eduanalysis.running.batch import run_batch
from eduanalysis.running.jobs import Job
nb, markers, out, preload = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4] == "1"
jobs = [Job(f"r{i}", "custom", nb, {"label": f"r{i}", "delay": 8.0, "marker": str(markers / f"r{i}.json")}, "t")
        for i in range(4)]
try:
    run_batch(jobs, out, workers=2, preload_kernels=preload, timeout=120)
except KeyboardInterrupt as exc:  # BatchInterrupted says which signal
    sys.exit(128 + getattr(exc, "signum", 2))
"""


def _listing(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    "signum, preload_kernels, to_group",
    [
        (signal.SIGINT, True, True),  # Ctrl-C in a terminal: the whole foreground process group
        (signal.SIGINT, False, True),
        (signal.SIGTERM, False, False),  # kill PID, cron/systemd stopping the batch
        (signal.SIGTERM, True, False),
        (signal.SIGHUP, True, True),  # the terminal closed
        (signal.SIGKILL, False, False),  # the batch itself dies: nothing of it can clean up
        (signal.SIGKILL, True, False),
    ],
    ids=lambda v: v.name if isinstance(v, signal.Signals) else str(v),
)
def test_stopping_the_batch_stops_every_process_below_it(tmp_path, signum, preload_kernels, to_group):
    markers, out = tmp_path / "markers", tmp_path / "out"
    markers.mkdir()
    with open(tmp_path / "stderr.txt", "w") as err:  # a file, not a pipe nobody reads meanwhile
        proc = subprocess.Popen(
            [sys.executable, "-c", _STOP_SCRIPT, str(NB / "busy.ipynb"), str(markers), str(out)]
            + [str(int(preload_kernels))],
            start_new_session=True,
            stderr=err,
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # as a shell starts a command
        )
    try:
        running = [_marker(markers / f"r{i}.json", proc=proc) for i in (0, 1)]  # two reports are rendering
        below = descendants(proc.pid)
        workers = {m["worker"] for m in running}
        assert workers <= below and {m["kernel"] for m in running} <= below
        if preload_kernels:
            server_dir = Path(cmdline(running[0]["kernel_parent"]).split()[3]).parent
        stopped_at = time.monotonic()
        (os.killpg if to_group else os.kill)(proc.pid, signum)
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    stderr = (tmp_path / "stderr.txt").read_text()
    assert proc.returncode == (-signal.SIGKILL if signum == signal.SIGKILL else 128 + signum), stderr
    assert "Traceback" not in stderr, stderr
    # the lock is released only once no worker (the only writers of reports) can write:
    # each has exited, or is exiting with every file closed
    wait_for_lock(out / ".batch.lock")
    assert not [w for w in workers if has_open_files(w)]
    assert not wait_gone(below), "processes of the batch are still running"
    if preload_kernels and signum == signal.SIGKILL:
        assert not server_dir.exists()  # the orphaned server removed its folder
    # nothing is written afterwards: by now an orphan would have finished its 8 s report
    snapshot = _listing(out)
    time.sleep(max(0.0, stopped_at + 8.0 + 3.0 - time.monotonic()))
    assert _listing(out) == snapshot
    assert not list(out.glob("r*.html"))
    if signum != signal.SIGKILL:  # stopped in order: the manifest and index say what happened
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["state"] == "interrupted" and manifest["summary"] == {"ok": 0, "skipped": 0, "failed": 4}
        why = f"the batch was interrupted ({signal.Signals(signum).name}) before this report finished"
        assert {r["error"] for r in manifest["reports"].values()} == {why}
        assert (out / "index.html").exists()


def test_cli_batch_stopped_with_sigterm_exits_143_with_a_message(tmp_path):
    out = tmp_path / "out"
    proc = subprocess.Popen(
        [sys.executable, "-m", "eduanalysis", "batch", "--regions", "yining,wuhai", "--jobs", "2"]
        + ["--output-dir", str(out)],
        start_new_session=True,
        stderr=subprocess.PIPE,
        text=True,
        cwd=paths.PROJECT_ROOT,
    )
    try:
        deadline = time.monotonic() + 120
        while not any("_preload_client" in cmdline(p) for p in descendants(proc.pid)):
            assert time.monotonic() < deadline and proc.poll() is None, "no kernel started"
            time.sleep(0.1)
        below = descendants(proc.pid)
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 143, stderr
    assert "eduanalysis: interrupted (SIGTERM)" in stderr and "Traceback" not in stderr, stderr
    assert not wait_gone(below)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["state"] == "interrupted" and manifest["summary"]["failed"] >= 1


def test_a_command_started_through_die_with_parent_dies_with_its_parent():
    """What kernels and stand-ins are started through (``kernels.die_with_parent``): the OS
    kills them when the process that started them dies, even by SIGKILL."""
    script = (
        "import subprocess, sys, time\n"
        "from eduanalysis.running.kernels import die_with_parent\n"
        "child = subprocess.Popen(die_with_parent([sys.executable, '-c', 'import time; time.sleep(60)']))\n"
        "print(child.pid, flush=True)\n"
        "time.sleep(60)\n"
    )
    starter = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    try:
        child = int(starter.stdout.readline())
        deadline = time.monotonic() + 10
        while "time.sleep(60)" not in cmdline(child):  # the wrapper has become the command (same pid)
            assert time.monotonic() < deadline, cmdline(child)
            time.sleep(0.01)
        assert parent(child) == starter.pid
        starter.kill()
        starter.wait()
        assert not wait_gone([child], timeout=2)
    finally:
        starter.kill()
        starter.wait()
        starter.stdout.close()
