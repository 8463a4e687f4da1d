"""Modules by job (issue #19, item 1): the modules of the verdict layer and the city report stay
under about 600 lines.  (The planner's and the balance report's modules are issue #20's.)"""

from __future__ import annotations

import pytest

from eduanalysis import paths

MODULES = [
    *sorted((paths.PACKAGE_DIR / "judgement").glob("*.py")),
    *sorted((paths.PACKAGE_DIR / "presentation").glob("*.py")),
]
OTHER_ISSUE = {"planning.py", "county_solver.py", "balance.py"}


@pytest.mark.parametrize("path", [m for m in MODULES if m.name not in OTHER_ISSUE], ids=lambda p: p.name)
def test_module_stays_under_600_lines(path):
    n = len(path.read_text(encoding="utf-8").splitlines())
    assert n <= 600, f"{path.name} has {n} lines: split it by job"
