"""Install nbstripout as this checkout's git filter, so notebooks stay clean from any editor.

Run once by ``make setup`` (and by the first ``make reports`` / ``make test`` / ``make lab``;
the stamp ``.venv/.git-filter`` says it ran): ``.venv/bin/python .jupyter/git_filter.py``.

JupyterLab started by ``make lab`` already saves the tracked notebooks without outputs (the
save hook in ``jupyter_server_config.py``).  VS Code, ``jupyter nbconvert --inplace`` or a
Lab started some other way write outputs into the file; with this filter git stores and
compares the notebook *as the save hook would write it*: after such a save ``git diff`` is
empty and a commit never carries outputs.  (``git status`` may still list the notebook as
modified when its size changed — git does not run the filter for that listing — until
``git add`` stages it, which stages nothing: the cleaned notebook is the committed one.)

What it does, in the repository's local git config (``git config``, not ``--global``):
``nbstripout --install --attributes .gitattributes`` (the filter and ``*.ipynb filter=nbstripout``),
then makes the filter strip exactly what the save hook strips: cell ids kept
(``--keep-id``) and the interpreter-specific ``language_info`` keys dropped
(``filter.nbstripout.extrakeys``, read from the save hook's ``EXTRA_KEYS``).

Outside a git checkout (a release tarball, a copy) it says so and does nothing: exit 0.
A git worktree shares its repository's config: installing from one worktree sets the
filter for all of them (pointing at this worktree's ``.venv``).
"""

from __future__ import annotations

import runpy
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent


def _git(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=PROJECT, capture_output=True, text=True, check=check)


def main() -> int:
    try:
        inside = _git("rev-parse", "--is-inside-work-tree", check=False).stdout.strip() == "true"
    except FileNotFoundError:
        inside = False
    if not inside:
        print("git_filter: not a git checkout (or git is not installed): notebook filter not installed")
        return 0
    python = Path(sys.executable).as_posix()
    subprocess.run(
        [python, "-m", "nbstripout", "--install", "--attributes", ".gitattributes"], cwd=PROJECT, check=True
    )
    # the save hook's extra keys beyond nbstripout's defaults (those it always strips)
    from traitlets.config import Config

    keys = runpy.run_path(str(HERE / "jupyter_server_config.py"), init_globals={"get_config": Config})
    extra = " ".join(k for k in keys["EXTRA_KEYS"] if k.startswith("metadata.language_info."))
    _git("config", "filter.nbstripout.clean", f'"{python}" -m nbstripout --keep-id')
    _git("config", "diff.ipynb.textconv", f'"{python}" -m nbstripout --keep-id -t')
    _git("config", "filter.nbstripout.extrakeys", extra)
    print("git_filter: notebooks are stripped by git as by the Lab save hook (nbstripout --keep-id)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
