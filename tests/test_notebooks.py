"""Notebooks are thin, parameterized and committed without outputs.

They are committed in the form JupyterLab writes them through the project's save hook
(``.jupyter/jupyter_server_config.py``), so a Lab session that runs all and saves leaves
``git status`` empty; ``tests/test_lab.py`` checks that in a real browser.
"""

from __future__ import annotations

import ast
import runpy

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_server.services.contents.filemanager import FileContentsManager
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from eduanalysis import paths
from eduanalysis.running import notebook_parameters

NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))
LAB_CONFIG = paths.PROJECT_ROOT / ".jupyter" / "jupyter_server_config.py"


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS] == [
        "balance_report.ipynb",
        "city_report.ipynb",
        "cross_region.ipynb",
        "explore.ipynb",
        "review_draft.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source


def _lab_config(path=LAB_CONFIG) -> dict:
    """The namespace of the project's Jupyter server configuration file."""
    return runpy.run_path(str(path), init_globals={"get_config": Config})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_as_lab_saves_it(path):
    """A Lab save of the unchanged notebook writes the same bytes (no spurious diff)."""
    text = path.read_text(encoding="utf-8")
    nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
    saved = nbformat.writes(_lab_config()["strip_notebook"](nb)) + "\n"  # as nbformat.write ends it
    hint = f"{path.name}: open it in `make lab` and save it once (the save hook writes the committed form)"
    assert text == saved, hint
    # JupyterLab writes the running kernel's spec into the notebook's metadata
    spec = KernelSpecManager().get_kernel_spec("python3")
    expected = {"display_name": spec.display_name, "language": spec.language, "name": "python3"}
    assert nb.metadata.kernelspec == expected, hint
    assert nb.metadata.language_info == {"name": "python"}, hint


# jupyter_server assigns a configured hook twice while it loads the configuration (its validator
# warns on the second assignment, even of the same function)
@pytest.mark.filterwarnings("ignore:Overriding existing pre_save_hook:UserWarning")
def test_save_hook_keeps_the_executed_copy_and_strips_the_tracked_notebook(tmp_path):
    (tmp_path / ".jupyter").mkdir()
    config = tmp_path / ".jupyter" / "jupyter_server_config.py"
    config.write_text(LAB_CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "notebooks").mkdir()
    # loaded as jupyter_server loads it
    loaded = PyFileConfigLoader(config.name, path=str(config.parent)).load_config()

    spec = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    nb = nbformat.v4.new_notebook(metadata={"kernelspec": spec})
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7", "pygments_lexer": "ipython3"}
    cell = nbformat.v4.new_code_cell("1 + 1", id="cell-00", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "2"}, execution_count=1)]
    cell.metadata["execution"] = {"iopub.status.idle": "2026-01-01T00:00:00Z"}
    nb.cells = [cell]

    manager = FileContentsManager(config=loaded, root_dir=str(tmp_path))
    assert manager.pre_save_hook.__name__ == "save_without_outputs"
    manager.save({"type": "notebook", "content": nbformat.from_dict(nb)}, "notebooks/analysis.ipynb")

    saved = nbformat.read(tmp_path / "notebooks" / "analysis.ipynb", as_version=4)
    assert saved.cells[0].outputs == [] and saved.cells[0].execution_count is None
    assert saved.cells[0].id == "cell-00" and "execution" not in saved.cells[0].metadata
    assert saved.metadata.language_info == {"name": "python"}
    executed = nbformat.read(tmp_path / "notebooks" / "executed" / "analysis.ipynb", as_version=4)
    assert executed.cells[0].outputs[0]["data"] == {"text/plain": "2"}
    assert executed.metadata.language_info["version"] == "3.11.7"

    # anything else Lab saves is left as it is: the executed copy itself, other folders
    manager.save({"type": "notebook", "content": nbformat.from_dict(nb)}, "notebooks/executed/mine.ipynb")
    manager.save({"type": "notebook", "content": nbformat.from_dict(nb)}, "scratch.ipynb")
    for kept in ["notebooks/executed/mine.ipynb", "scratch.ipynb"]:
        assert nbformat.read(tmp_path / kept, as_version=4).cells[0].outputs != [], kept


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_no_function_or_class_definitions(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            tree = ast.parse(cell.source)
            defs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
            assert defs == [], f"{path.name}: logic belongs in eduanalysis/, found {cell.source!r}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_one_parameters_cell(path):
    nb = nbformat.read(path, as_version=4)
    tagged = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1


def test_city_report_parameters():
    params = notebook_parameters(paths.NOTEBOOKS_DIR / "city_report.ipynb")
    assert set(params) == {"region"}
    assert params["region"]["default"] == '"yining"'
