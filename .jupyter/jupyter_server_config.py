"""JupyterLab in this project: the tracked notebooks are saved without outputs.

Loaded by ``make lab`` (the set-up step links this file into ``.venv/etc/jupyter/``, one of
the folders Jupyter reads its configuration from; elsewhere, e.g. in a conda environment,
start Lab with ``JUPYTER_CONFIG_PATH=.jupyter jupyter lab``).

A researcher opens ``notebooks/city_report.ipynb``, runs all and saves.  jupyter_server
calls :func:`save_without_outputs` (its ``ContentsManager.pre_save_hook``) before it writes
the file, so

- the executed notebook, outputs included, is written to ``notebooks/executed/`` (git-ignored;
  signed, so Lab shows its outputs as trusted when it is opened);
- the tracked notebook is written through nbstripout's own ``strip_output`` (outputs and
  execution counts removed, cell ids kept) with the interpreter-specific part of
  ``language_info`` dropped: what is on disk is byte for byte what was committed, so
  ``git status`` stays empty and ``tests/test_notebooks.py`` keeps passing.  The outputs stay
  visible in the open Lab tab until it is closed.

Only notebooks directly in this project's ``notebooks/`` folder are touched; every other file
Lab saves is left as it is.
"""

import copy
import warnings
from pathlib import Path

import nbformat
import nbstripout
from jupyter_server.services.contents.fileio import atomic_writing

PROJECT = Path(__file__).resolve().parent.parent
NOTEBOOKS = PROJECT / "notebooks"
EXECUTED = NOTEBOOKS / "executed"

# nbstripout's default metadata keys (its command line strips these too), plus the parts of
# language_info that name the interpreter that happened to run the notebook
EXTRA_KEYS = [
    "metadata.signature",
    "metadata.widgets",
    "cell.metadata.collapsed",
    "cell.metadata.ExecuteTime",
    "cell.metadata.execution",
    "cell.metadata.heading_collapsed",
    "cell.metadata.hidden",
    "cell.metadata.scrolled",
    *(
        f"metadata.language_info.{key}"
        for key in ("codemirror_mode", "file_extension", "mimetype", "nbconvert_exporter", "pygments_lexer", "version")
    ),
]


def strip_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook as it is committed: no outputs, no execution counts, ids kept."""
    return nbstripout.strip_output(nb, keep_output=False, keep_count=False, keep_id=True, extra_keys=EXTRA_KEYS)


def is_tracked_notebook(os_path: Path) -> bool:
    """A notebook directly in the project's ``notebooks/`` folder (not in ``executed/``)."""
    return os_path.suffix == ".ipynb" and os_path.resolve().parent == NOTEBOOKS


def save_without_outputs(model, path, contents_manager, **kwargs):
    """jupyter_server pre-save hook: keep the executed copy aside, save the notebook stripped."""
    if model.get("type") != "notebook" or not is_tracked_notebook(Path(contents_manager.root_dir, path)):
        return
    executed = nbformat.from_dict(copy.deepcopy(model["content"]))
    EXECUTED.mkdir(exist_ok=True)
    target = EXECUTED / Path(path).name
    contents_manager.check_and_sign(executed, str(target))
    with atomic_writing(str(target), encoding="utf-8") as f:
        nbformat.write(executed, f, version=nbformat.NO_CONVERT)
    model["content"] = strip_notebook(nbformat.from_dict(model["content"]))


c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)
c.ContentsManager.pre_save_hook = save_without_outputs
# jupyter_server assigns a configured hook twice while it builds its contents manager, and its
# validator warns at the second assignment although the hook is the same: silence only that
warnings.filterwarnings("ignore", r"Overriding existing pre_save_hook \(save_without_outputs\)", UserWarning)
