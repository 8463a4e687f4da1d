"""Notebooks stay clean in any editor: the git filter installed by the set-up step.

Each test builds a throw-away git repository in a temporary folder (the project's notebooks,
``.gitattributes`` and ``.jupyter/``), so the project's own git configuration is never touched.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from eduanalysis import paths

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def _copy_project(dest):
    dest.mkdir()
    shutil.copytree(paths.NOTEBOOKS_DIR, dest / "notebooks")
    shutil.copytree(paths.PROJECT_ROOT / ".jupyter", dest / ".jupyter")
    shutil.copy(paths.PROJECT_ROOT / ".gitattributes", dest / ".gitattributes")
    return dest


def _git(repo, *args):
    return subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_a_notebook_saved_with_outputs_shows_no_diff_and_commits_nothing(tmp_path):
    repo = _copy_project(tmp_path / "repo")
    _git(repo, "init", "-q")
    done = subprocess.run([sys.executable, ".jupyter/git_filter.py"], cwd=repo, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _git(repo, "config", "filter.nbstripout.clean").strip().endswith("-m nbstripout --keep-id")
    # the committed .gitattributes already names the filter: installing does not change it
    assert (repo / ".gitattributes").read_bytes() == (paths.PROJECT_ROOT / ".gitattributes").read_bytes()
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", "init")
    # what VS Code or `jupyter nbconvert --inplace` write: outputs, counts, the interpreter's version
    path = repo / "notebooks" / "explore.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["execution_count"] = 3
    code["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["42\n"]}]
    nb["metadata"]["language_info"].update({"version": "3.11.7", "mimetype": "text/x-python"})
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert _git(repo, "diff") == ""
    # git lists a file whose size changed as modified without running the filter; adding it
    # stages nothing (the cleaned notebook is the committed one) and the listing goes away
    _git(repo, "add", "-A")
    assert _git(repo, "diff", "--cached") == ""
    assert _git(repo, "status", "--porcelain") == ""
    # a real edit still shows
    code["source"] = ["1 + 1"]
    path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    assert _git(repo, "status", "--porcelain").strip() == "M notebooks/explore.ipynb"


def test_outside_a_git_checkout_it_does_nothing(tmp_path):
    copy = _copy_project(tmp_path / "copy")
    before = (copy / ".gitattributes").read_bytes()
    done = subprocess.run([sys.executable, ".jupyter/git_filter.py"], cwd=copy, capture_output=True, text=True)
    assert done.returncode == 0
    assert "not a git checkout" in done.stdout
    assert (copy / ".gitattributes").read_bytes() == before


def test_make_lab_adds_allow_root_only_for_root():
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    out = subprocess.run(
        [make, "-n", "lab", "LAB_CONFIG=/dev/null", "STAMP=/dev/null", "FILTER=/dev/null"],
        cwd=paths.PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    import os

    assert ("--allow-root" in out) == (os.geteuid() == 0)
