"""The package's layers: imports point down only (design.md, "Layers you can see in the tree").

measures → data → judgement → presentation → running (→ cli); ``errors``, ``paths`` and
``fileio`` are the ground every layer stands on.  A module may import its own layer or a
lower one, never a higher one; the check reads every ``import`` statement of the package,
including the ones inside functions.
"""

from __future__ import annotations

import ast

import pytest

from eduanalysis import paths

LAYERS = ["base", "measures", "data", "judgement", "presentation", "running", "cli"]
BASE = {"errors", "paths", "fileio", "__init__"}


def _layer(module: str) -> str:
    """Layer of a dotted module name inside the package (``eduanalysis.data.figures`` → data)."""
    parts = module.split(".")[1:]
    if not parts or parts[0] in BASE:
        return "base"
    if not (paths.PACKAGE_DIR / parts[0]).is_dir() and not (paths.PACKAGE_DIR / f"{parts[0]}.py").exists():
        return "base"  # a name defined in the top-level __init__ (``from . import __version__``)
    if parts[0] in ("cli", "__main__"):
        return "cli"
    return parts[0]


def _imports(path) -> list[tuple[int, str]]:
    rel = path.relative_to(paths.PACKAGE_DIR.parent).with_suffix("")
    package = list(rel.parts[:-1])  # the package a relative import starts from
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("eduanalysis")]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                target = ".".join([*base, *(node.module.split(".") if node.module else [])])
            else:
                target = node.module or ""
            if target.startswith("eduanalysis"):
                if target == "eduanalysis" or (node.level and not node.module):
                    # `from .. import paths` names modules: judge each name
                    found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
                else:
                    found.append((node.lineno, target))
    return found


MODULES = sorted(paths.PACKAGE_DIR.rglob("*.py"))
TOP_INIT = paths.PACKAGE_DIR / "__init__.py"


@pytest.mark.parametrize(
    "path", [p for p in MODULES if p != TOP_INIT], ids=lambda p: p.relative_to(paths.PACKAGE_DIR).as_posix()
)
def test_imports_point_down(path):
    rel = path.relative_to(paths.PACKAGE_DIR.parent).with_suffix("")
    own = _layer(".".join(rel.parts))
    upward = [
        (line, target)
        for line, target in _imports(path)
        if _layer(target) != "base" and LAYERS.index(_layer(target)) > LAYERS.index(own)
    ]
    assert upward == [], f"{rel}: layer {own!r} imports from higher layers: {upward}"


def test_top_level_api_does_not_import_presentation_or_running():
    """The top-level ``__init__`` re-exports the API of the lower layers (no matplotlib)."""
    layers = {_layer(t) for _, t in _imports(TOP_INIT)}
    assert layers <= {"base", "measures", "data", "judgement"}, layers


def test_every_module_belongs_to_a_layer():
    for path in MODULES:
        rel = path.relative_to(paths.PACKAGE_DIR)
        assert _layer("eduanalysis." + ".".join(rel.with_suffix("").parts)) in LAYERS, rel
