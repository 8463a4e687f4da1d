"""Notebooks are thin, parameterized and committed without outputs."""

from __future__ import annotations

import ast

import nbformat
import pytest

from eduanalysis import paths
from eduanalysis.running import notebook_parameters

NOTEBOOKS = sorted(paths.NOTEBOOKS_DIR.glob("*.ipynb"))


def test_there_are_notebooks():
    assert [p.name for p in NOTEBOOKS] == [
        "balance_report.ipynb",
        "city_report.ipynb",
        "cross_region.ipynb",
        "explore.ipynb",
    ]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.source


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
