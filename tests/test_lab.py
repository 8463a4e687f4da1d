"""A researcher's JupyterLab session leaves the repository clean (issue #14, item 1).

In a temporary clone of the project (the working tree as it is now, committed there), the test
starts JupyterLab the way ``make lab`` does (the project's ``.jupyter/`` configuration, the
clone as root folder) on a free localhost port, and drives it with Debian's chromium: open
every notebook in ``notebooks/``, Run ▸ Run All Cells, Ctrl+S.  Then ``git status
--porcelain`` in the clone is empty, the executed copies with their outputs are in
``notebooks/executed/`` (ignored by git), and none of them holds an error.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from conftest import BROWSER_ARGS

from eduanalysis import paths

pytestmark = pytest.mark.e2e

CHROMIUM = shutil.which("chromium")
NOTEBOOKS = sorted(p.name for p in paths.NOTEBOOKS_DIR.glob("*.ipynb"))


@pytest.mark.skipif(
    Path(sys.prefix) != paths.PROJECT_ROOT / ".venv", reason="runs in the project's own .venv (made by `make`)"
)
def test_the_project_venv_starts_jupyter_with_the_save_hook():
    """`make lab` and a bare `.venv/bin/jupyter lab` both load .jupyter/jupyter_server_config.py."""
    link = Path(sys.prefix, "etc", "jupyter", "jupyter_server_config.py")
    assert link.resolve() == paths.PROJECT_ROOT / ".jupyter" / "jupyter_server_config.py", "run `make lab` once"
    env = {**os.environ, "JUPYTER_CONFIG_DIR": "/nonexistent", "JUPYTER_CONFIG_PATH": ""}
    shown = subprocess.run(
        [str(Path(sys.executable).parent / "jupyter"), "server", "--show-config"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=paths.PROJECT_ROOT,
    )
    assert shown.returncode == 0, shown.stderr
    assert re.search(r"ContentsManager\n\s+\.pre_save_hook = <function save_without_outputs", shown.stdout)
    assert "Overriding existing pre_save_hook" not in shown.stderr


def _git(*args, cwd) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return result.stdout


def _clone_working_tree(target: Path) -> Path:
    """A clone of the project whose HEAD is the current working tree (tracked and new files)."""
    root = paths.PROJECT_ROOT
    _git("clone", "--quiet", "--no-hardlinks", str(root), str(target), cwd=root)
    changed = _git("ls-files", "--modified", "--others", "--exclude-standard", "-z", cwd=root).split("\0")
    for name in filter(None, changed):
        source = root / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
        else:  # deleted in the working tree
            (target / name).unlink(missing_ok=True)
    _git("add", "--all", cwd=target)
    _git("-c", "user.name=test", "-c", "user.email=test@localhost", "commit", "--quiet", "--allow-empty",
         "-m", "working tree", cwd=target)  # fmt: skip
    return target


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path):
    """A JupyterLab server on a clone of the project; yields (clone, base URL, token)."""
    with running_lab(tmp_path) as started:
        yield started


@contextlib.contextmanager
def running_lab(tmp_path: Path):
    """Start JupyterLab as `make lab` does, on a clone of the working tree in ``tmp_path``."""
    clone = _clone_working_tree(tmp_path / "clone")
    home = tmp_path / "home"  # the developer's own Jupyter settings and signatures stay out of it
    env = {
        **os.environ,
        "JUPYTER_CONFIG_PATH": str(clone / ".jupyter"),
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
    }
    port, token = _free_port(), "eduanalysis-test"
    command = [
        str(Path(sys.executable).parent / "jupyter"),
        "lab",
        "--no-browser",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--IdentityProvider.token={token}",
        "--LabApp.extension_manager=readonly",
        "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
    ]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = (tmp_path / "lab.log").open("w")
    server = subprocess.Popen(command, cwd=clone, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, (tmp_path / "lab.log").read_text()
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=1)
                break
            except OSError:
                assert time.monotonic() < deadline, "JupyterLab did not start within 60 s"
                time.sleep(0.2)
        yield clone, base, token
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


_ALL_RUN = """() => {
    const panel = '.jp-NotebookPanel:not(.lm-mod-hidden)';
    const prompts = [...document.querySelectorAll(`${panel} .jp-CodeCell .jp-InputPrompt`)];
    return prompts.length > 0 && prompts.every(p => /\\[\\d+\\]/.test(p.textContent));
}"""


def _wait_for_kernel(page, base: str, token: str, path: str, timeout_s: float = 60) -> None:
    """Wait until the notebook's kernel has started (server side) and Lab shows it idle."""
    deadline = time.monotonic() + timeout_s
    while True:
        with urllib.request.urlopen(f"{base}/api/sessions?token={token}", timeout=5) as response:
            sessions = json.load(response)
        started = any(s["path"] == path and s["kernel"]["execution_state"] == "idle" for s in sessions)
        indicator = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator[data-status=idle]"
        if started and page.locator(indicator).count() == 1:
            return
        assert time.monotonic() < deadline, f"the kernel of {path} did not start within {timeout_s:.0f} s"
        page.wait_for_timeout(250)


def _wait_until_all_ran(page, shot: Path, timeout_s: float = 60) -> None:
    """Wait until every code cell shows an execution count (not ``[*]`` or ``[ ]``).

    A fresh JupyterLab may first ask which kernel to start ("Select Kernel"); a researcher
    accepts the one the notebook names, and so does this.
    """
    select = page.locator(".jp-Dialog button.jp-mod-accept")
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(_ALL_RUN):
        if select.is_visible():
            select.click()
        if time.monotonic() > deadline:
            page.screenshot(path=str(shot))
            raise AssertionError(f"notebook did not finish within {timeout_s:.0f} s; screenshot {shot}")
        page.wait_for_timeout(250)


@pytest.mark.skipif(
    CHROMIUM is None and os.environ.get("CI") != "true",
    reason="Debian's chromium is not installed here (.ci/run installs it)",
)
def test_run_all_and_save_in_lab_leaves_git_status_empty(lab, tmp_path):
    from playwright.sync_api import sync_playwright

    assert CHROMIUM, "chromium missing on CI: .ci/run must install it"
    clone, base, token = lab
    assert _git("status", "--porcelain", cwd=clone) == ""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            for name in NOTEBOOKS:
                # ?reset: a fresh workspace, so only this notebook is open
                page.goto(f"{base}/lab/tree/notebooks/{name}?reset&token={token}")
                page.wait_for_selector(".jp-NotebookPanel .jp-CodeCell", timeout=60_000)
                _wait_for_kernel(page, base, token, f"notebooks/{name}")
                page.get_by_role("menuitem", name="Run", exact=True).click()
                page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
                # every code cell has run once: its prompt shows an execution count, not [*] or [ ]
                _wait_until_all_ran(page, tmp_path / f"{name}.png")
                with page.expect_response(
                    lambda r, name=name: r.request.method == "PUT" and f"/api/contents/notebooks/{name}" in r.url
                ) as saved:
                    page.keyboard.press("Control+s")
                assert saved.value.status == 200, name
        finally:
            browser.close()

    assert _git("status", "--porcelain", cwd=clone) == ""
    ignored = _git("status", "--porcelain", "--ignored", "notebooks", cwd=clone).splitlines()
    assert "!! notebooks/executed/" in ignored
    for name in NOTEBOOKS:
        executed = nbformat.read(clone / "notebooks" / "executed" / name, as_version=4)
        code = [c for c in executed.cells if c.cell_type == "code"]
        assert all(c.execution_count for c in code), name
        assert any(c.outputs for c in code), name
        problems = [o for c in code for o in c.outputs if o.output_type == "error" or o.get("name") == "stderr"]
        assert problems == [], (name, problems)
