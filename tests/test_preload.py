"""Preloaded (forked) kernels: each report still gets a kernel process of its own.

The mixed-failure and concurrency tests in ``test_batch.py`` run through this path too
(it is the batch default) and again with ``preload_kernels=False``.
"""

from __future__ import annotations

import json
import os
import re
import signal
import sys
import time
from pathlib import Path

import pytest
from _processes import alive

from eduanalysis.running import preload
from eduanalysis.running.batch import run_batch, run_job
from eduanalysis.running.jobs import Job

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not preload.available(), reason="preloaded kernels need Linux (fork + pidfd)"),
]
NB = Path(__file__).parent / "notebooks"
LINE = re.compile(r"pid=(\d+) ppid=(\d+) draw=([0-9.]+) preloaded=(True|False) cwd=(\S+)")


def _isolation_job(name: str) -> Job:
    return Job(name, "custom", str(NB / "isolation.ipynb"), {"label": name}, f"测试 {name}")


def _printed(out: Path, name: str) -> re.Match:
    nb = json.loads((out / "executed" / f"{name}.ipynb").read_text(encoding="utf-8"))
    text = "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", []))
    match = LINE.search(text)
    assert match, text
    return match


@pytest.mark.parametrize("preload_kernels", [True, False])
def test_each_report_has_a_fresh_kernel_process(tmp_path, preload_kernels):
    # one worker, so with preloading all three kernels are forked by the same server
    names = ["a", "b", "c"]
    manifest = run_batch(
        [_isolation_job(n) for n in names], tmp_path, workers=1, preload_kernels=preload_kernels, timeout=60
    )
    # each notebook asserts that no earlier report's module state is visible
    assert manifest["summary"]["ok"] == 3, {n: manifest["reports"][n].get("error") for n in names}
    assert manifest["kernels"] == ("preloaded" if preload_kernels else "fresh")
    seen = [_printed(tmp_path, n) for n in names]
    assert len({m[1] for m in seen}) == 3  # three kernel processes
    assert {m[4] for m in seen} == {str(preload_kernels)}  # pandas was imported before the notebook ran
    assert len({m[3] for m in seen}) == 3  # NumPy's global random state differs in every kernel
    assert all(Path(m[5]).name.startswith("eduanalysis-") for m in seen)  # papermill's working directory
    assert {manifest["reports"][n]["kernel"] for n in names} == {"preloaded" if preload_kernels else "fresh"}


def test_stand_in_relays_interrupts_and_its_death_kills_the_kernel():
    """jupyter_client signals the stand-in process: an interrupt must reach the forked kernel,
    and killing the stand-in (what kill() does) must kill the kernel too."""
    from jupyter_client.blocking import BlockingKernelClient

    with preload.using_server("test-kill") as server:
        km = preload.kernel_manager_for(server)()
        import asyncio

        asyncio.run(km.start_kernel(extra_arguments=["--IPKernelApp.log_level=CRITICAL"]))
        kc = BlockingKernelClient(connection_file=km.connection_file)
        kc.load_connection_file()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=60)
            printed = []

            def keep(msg):
                if msg["msg_type"] == "stream":
                    printed.append(msg["content"]["text"])

            reply = kc.execute_interactive("import os; print(os.getpid(), os.getppid())", timeout=30, output_hook=keep)
            assert reply["content"]["status"] == "ok"
            # an interrupt (SIGINT to the stand-in) reaches the kernel
            msg_id = kc.execute("import time; time.sleep(60)")
            time.sleep(1.0)
            asyncio.run(km.interrupt_kernel())
            reply = kc.get_shell_msg(timeout=20)
            assert reply["parent_header"]["msg_id"] == msg_id
            assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
            stand_in = km.provisioner.process.pid
            kernel_pid, kernel_ppid = map(int, "".join(printed).split())
            assert kernel_pid != stand_in and kernel_ppid == server.process.pid
            os.kill(stand_in, signal.SIGKILL)
            deadline = time.monotonic() + 10
            while alive(kernel_pid) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not alive(kernel_pid)
        finally:
            kc.stop_channels()
            asyncio.run(km.cleanup_resources())


class _FailingServer(preload.PreloadServer):
    def _command(self):
        return [sys.executable, "-c", "raise SystemExit(3)"]


def test_batch_falls_back_to_normal_kernels_when_its_server_fails(tmp_path, monkeypatch):
    monkeypatch.setattr(preload, "PreloadServer", _FailingServer)
    manifest = run_batch([_isolation_job("a"), _isolation_job("b")], tmp_path, workers=2, timeout=60)
    for name in ("a", "b"):
        record = manifest["reports"][name]
        assert record["status"] == "ok"
        assert record["kernel"] == "fresh (preload server failed: the kernel preload server exited with code 3)"
        assert _printed(tmp_path, name)[4] == "False"


def test_worker_falls_back_when_its_own_server_cannot_start(tmp_path, monkeypatch):
    def broken(key, **kwargs):
        raise RuntimeError("simulated: no preload server")

    monkeypatch.setattr(preload, "PreloadServer", broken)
    preload.stop_all()
    record = run_job(vars(_isolation_job("solo")), str(tmp_path), preload_with={"key": "test-broken"})
    assert record["status"] == "ok"
    assert record["kernel"] == "fresh (preload server failed: simulated: no preload server)"
    assert _printed(tmp_path, "solo")[4] == "False"


def test_a_malformed_request_does_not_stop_the_server(tmp_path):
    import socket

    with preload.using_server("test-bad") as server:
        for payload, fds in ((b"garbage", []), (b"\x00\x00\x00\x02{}", [0, 1, 2])):
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
                conn.connect(server.socket_path)
                socket.send_fds(conn, [payload], fds)
                assert conn.recv(64) == b""  # refused: closed without a kernel
        assert server.alive()
    # the same server still forks working kernels
    record = run_job(vars(_isolation_job("after")), str(tmp_path), preload_with={"key": "test-bad"})
    assert record["status"] == "ok" and record["kernel"] == "preloaded", record
    preload.stop_all()


def test_stopping_leaves_no_process_behind():
    with preload.using_server("test-stop") as server:
        pid = server.process.pid
        assert alive(pid)
    preload.stop_all()
    assert server.process.poll() is not None and not Path(server.socket_path).exists()


def test_a_new_key_replaces_an_idle_server():
    with preload.using_server("old") as old:
        pass
    with preload.using_server("new") as new:
        assert old.process.poll() is not None  # code changed: the old server was stopped
        assert new.alive()
    preload.stop_all()
