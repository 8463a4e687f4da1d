"""Running-side errors are messages with exit 2 (bad input or usage) or 1 (a report, or the
batch's record of it, could not be written) — never tracebacks; and the folder lock is
shared by ``batch`` and ``report`` and released on every way out.

Full disks and read-only folders are real: a tmpfs mounted in a private mount namespace
(``unshare``) that exists only for the command under test.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _processes import lock_is_free

from eduanalysis import ParameterError, paths
from eduanalysis.running.batch import BatchLockedError, BatchOutputError, _complete, _Progress, run_batch
from eduanalysis.running.jobs import Job, override_parameters, plan_jobs
from eduanalysis.running.lock import output_lock

pytestmark = pytest.mark.e2e
NB = Path(__file__).parent / "notebooks"


def _ok(name: str) -> Job:
    return Job(name, "custom", str(NB / "ok.ipynb"), {"label": name}, f"测试报告 {name}")


def _cli(*args, timeout=300, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "eduanalysis", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=paths.PROJECT_ROOT,
        **kwargs,
    )


def _refused(result: subprocess.CompletedProcess, code: int, message: str) -> None:
    assert result.returncode == code, result.stderr
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr


# ------------------------------------------------------------ identity of a report


def test_a_parameter_cannot_contradict_the_report_it_is_given_to(tmp_path):
    out = tmp_path / "out"
    result = _cli("batch", "--regions", "yining", "--param", "region=wuhai", "--output-dir", out)
    _refused(result, 2, "parameter region='wuhai' contradicts report 'yining' (city report of region='yining'")
    assert not out.exists()  # nothing started, nothing written
    balance = next(j for j in plan_jobs() if j.kind == "balance")
    result = _cli("batch", "--regions", balance.name, "--param", "school_table=other.csv", "--output-dir", out)
    _refused(result, 2, f"parameter school_table='other.csv' contradicts report {balance.name!r}")
    assert not out.exists()


def test_override_parameters_changes_nothing_when_it_refuses():
    jobs = [
        Job("yining", "city", "city_report.ipynb", {"region": "yining"}, "伊宁市"),
        Job("wuhai", "city", "city_report.ipynb", {"region": "wuhai"}, "乌海市"),
    ]
    with pytest.raises(ParameterError, match=r"parameter region='yining' contradicts report 'wuhai'"):
        override_parameters(jobs, {"region": "yining", "timeout": 5})
    assert [j.parameters for j in jobs] == [{"region": "yining"}, {"region": "wuhai"}]
    cross = Job("cross_region", "cross_region", "cross_region.ipynb", {}, "对比")
    override_parameters([cross], {"region": "wuhai"})  # no identity parameter: notebook validation judges it
    assert cross.parameters == {"region": "wuhai"}


# ------------------------------------------------------------ the output folder


@pytest.mark.parametrize("command", ["batch", "report"])
def test_output_dir_that_is_a_file_is_refused(tmp_path, command):
    target = tmp_path / "reports"
    target.write_text("not a folder", encoding="utf-8")
    args = ["batch", "--regions", "yining"] if command == "batch" else ["report", "yining"]
    _refused(_cli(*args, "--output-dir", target), 2, f"output folder {target} is a file, not a folder")
    _refused(_cli(*args, "--output-dir", target / "sub"), 2, "a part of the path is a file, not a folder")


@pytest.mark.parametrize("name", ["manifest.json", "index.html"])
def test_manifest_or_index_that_is_a_folder_is_refused_before_rendering(tmp_path, name):
    (tmp_path / name).mkdir()
    result = _cli("batch", "--regions", "yining", "--output-dir", tmp_path)
    _refused(result, 2, f"{tmp_path / name} is a folder; remove it or choose another output folder")
    assert not (tmp_path / "yining.html").exists() and not (tmp_path / ".batch.lock").exists()


def test_regions_file_that_cannot_be_read_is_a_usage_error(tmp_path):
    _refused(_cli("batch", "--regions-file", tmp_path / "missing.txt"), 2, "--regions-file")
    (tmp_path / "gbk.txt").write_bytes("伊宁".encode("gbk"))
    _refused(_cli("batch", "--regions-file", tmp_path / "gbk.txt"), 2, "cannot read it as UTF-8 text")


def test_corrupt_manifest_is_replaced_with_a_warning(tmp_path, caplog):
    (tmp_path / "manifest.json").write_bytes(b'{"reports": {"a": ')  # cut off mid-write by a crash
    with caplog.at_level(logging.WARNING, logger="eduanalysis"):
        manifest = run_batch([_ok("a")], tmp_path, workers=1)
    assert manifest["summary"] == {"ok": 1, "skipped": 0, "failed": 0}
    warning = f"{tmp_path / 'manifest.json'} could not be read (JSONDecodeError"
    assert warning in caplog.text and manifest["warnings"][0].startswith(warning)
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["state"] == "complete"
    (tmp_path / "manifest.json").write_bytes(b"\xff\xfe garbage")
    assert "UnicodeDecodeError" in run_batch([_ok("a")], tmp_path, workers=1)["warnings"][0]


def test_malformed_records_of_a_previous_manifest_are_dropped_with_a_warning(tmp_path):
    first = run_batch([_ok("a"), _ok("b")], tmp_path, workers=2)
    reports = dict(first["reports"])
    del reports["b"]["title"]  # a record the index could not show
    reports["c"] = "not a record"
    reports["d"] = {**reports["a"], "name": "d", "duration_s": "slow"}
    (tmp_path / "manifest.json").write_text(json.dumps({**first, "reports": reports}), encoding="utf-8")
    manifest = run_batch([_ok("a")], tmp_path, workers=1)
    assert sorted(manifest["reports"]) == ["a"] and manifest["reports"]["a"]["status"] == "skipped"
    assert manifest["warnings"] == [f"{tmp_path / 'manifest.json'}: ignored 3 malformed record(s): b, c, d"]
    assert (tmp_path / "index.html").exists()


def test_progress_line_and_records_survive_missing_fields():
    class Stream:
        lines: list[str] = []

        def isatty(self):
            return False

        def write(self, text):
            self.lines.append(text)

        def flush(self):
            pass

    progress = _Progress(2, Stream())
    progress.update({})
    progress.update({"name": "x", "status": "failed", "duration_s": None})
    assert Stream.lines == ["[1/2] ?: ? (—)\n", "[2/2] x: failed (—) — no error message\n"]
    job = {"name": "x", "kind": "custom", "title": "t", "parameters": {}, "notebook": str(NB / "ok.ipynb")}
    assert _complete(None, job)["error"] == "the worker returned no report record (got NoneType)"
    record = _complete({"duration_s": "slow"}, job)
    assert record["status"] == "failed" and record["duration_s"] is None and record["html"] == "x.html"
    assert record["error"] == "the worker returned a record without a status: None"


# ------------------------------------------------------------ full disk, read-only folder


def _in_private_mount(tmp_path: Path, mount_options: str, command: list[str]) -> subprocess.CompletedProcess:
    """Run ``command`` with a tmpfs (``mount_options``) on ``$OUT`` that only it sees; copy
    what it wrote to ``tmp_path / "copy"``.  Skips where mount namespaces are unavailable."""
    out, copy = tmp_path / "out", tmp_path / "copy"
    out.mkdir()
    copy.mkdir()
    unshare = shutil.which("unshare")
    if unshare is None:
        pytest.skip("needs unshare (util-linux) for a private tmpfs")
    script = 'mount -t tmpfs -o "$OPTS" tmpfs "$OUT" || exit 99; "$@"; rc=$?; cp -a "$OUT/." "$COPY/"; exit $rc'
    ns = ["-m"] if os.geteuid() == 0 else ["-r", "-m"]  # unprivileged: a user namespace of our own
    result = subprocess.run(
        [unshare, *ns, "sh", "-c", script, "sh", *command],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=paths.PROJECT_ROOT,
        env={**os.environ, "OPTS": mount_options, "OUT": str(out), "COPY": str(copy)},
    )
    if result.returncode == 99 or "unshare failed" in result.stderr:
        pytest.skip(f"cannot mount a private tmpfs here: {result.stderr.strip()}")
    return result


EDUANALYSIS = [sys.executable, "-m", "eduanalysis"]


def test_full_disk_fails_the_report_with_the_file_named_and_the_manifest_still_written(tmp_path):
    # 200 kB: the lock, manifest (~3 kB) and index (~30 kB) fit; yining's executed notebook (~300 kB) does not
    out = tmp_path / "out"
    result = _in_private_mount(
        tmp_path, "size=200k", [*EDUANALYSIS, "batch", "--regions", "yining"] + ["--output-dir", str(out)]
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    manifest = json.loads((tmp_path / "copy" / "manifest.json").read_text(encoding="utf-8"))
    error = manifest["reports"]["yining"]["error"]
    assert manifest["reports"]["yining"]["status"] == "failed"
    assert error.startswith("OSError: [Errno 28] cannot write ") and error.endswith(
        "yining.ipynb: No space left on device"
    )
    assert (tmp_path / "copy" / "index.html").exists()
    assert not [p.name for p in (tmp_path / "copy").rglob("*.tmp")]  # no half-written file left


def test_full_disk_for_the_index_is_a_message_and_exit_1(tmp_path):
    # 16 kB: the lock and the manifest fit, the index does not
    out = tmp_path / "out"
    result = _in_private_mount(
        tmp_path, "size=16k", [*EDUANALYSIS, "batch", "--regions", "yining"] + ["--output-dir", str(out)]
    )
    assert result.returncode == 1, result.stderr
    assert f"eduanalysis: error: could not write the manifest or index into {out}" in result.stderr
    assert "No space left on device" in result.stderr and "Traceback" not in result.stderr, result.stderr


@pytest.mark.parametrize("command", ["batch", "report"])
def test_read_only_output_folder_is_refused(tmp_path, command):
    out = tmp_path / "out"
    args = ["batch", "--regions", "yining"] if command == "batch" else ["report", "yining"]
    result = _in_private_mount(tmp_path, "ro", [*EDUANALYSIS, *args, "--output-dir", str(out)])
    _refused(result, 2, f"cannot write into the output folder {out}: Read-only file system")


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root is not bound by write permissions (the read-only mount test covers it)"
)
def test_output_folder_without_write_permission_is_refused(tmp_path):
    tmp_path.chmod(0o555)
    try:
        _refused(_cli("batch", "--regions", "yining", "--output-dir", tmp_path), 2, "Permission denied")
    finally:
        tmp_path.chmod(0o755)


def test_manifest_write_failure_raises_batch_output_error_and_frees_the_lock(tmp_path, monkeypatch):
    from eduanalysis.running import batch

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(batch, "write_index", full)
    with pytest.raises(BatchOutputError, match=r"could not write the manifest or index into .*No space left"):
        run_batch([_ok("a")], tmp_path, workers=1)
    assert lock_is_free(tmp_path / ".batch.lock")


# ------------------------------------------------------------ the shared lock


def test_report_is_refused_while_a_batch_holds_the_folder(tmp_path):
    with output_lock(tmp_path, "batch"):
        result = _cli("report", "yining", "--output-dir", tmp_path)
    _refused(
        result,
        2,
        f"{tmp_path} is in use: another batch or report is writing into it (pid {os.getpid()}, eduanalysis batch)",
    )
    assert not (tmp_path / "yining.html").exists()
    assert lock_is_free(tmp_path / ".batch.lock")


def test_batch_is_refused_while_a_report_renders_into_the_folder(tmp_path):
    proc = subprocess.Popen(
        [*EDUANALYSIS, "report", "yining", "--output-dir", str(tmp_path)],
        stderr=subprocess.DEVNULL,
        cwd=paths.PROJECT_ROOT,
    )
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / ".batch.lock").exists() or lock_is_free(tmp_path / ".batch.lock"):
            assert proc.poll() is None and time.monotonic() < deadline, "the report did not take the lock"
            time.sleep(0.05)
        with pytest.raises(
            BatchLockedError,
            match=rf"another batch or report is writing into it \(pid {proc.pid}, eduanalysis report\)",
        ):
            run_batch([_ok("a")], tmp_path)
        assert proc.wait(timeout=300) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert (tmp_path / "yining.html").exists() and lock_is_free(tmp_path / ".batch.lock")
    assert run_batch([_ok("a")], tmp_path, workers=1)["summary"]["ok"] == 1  # free again
