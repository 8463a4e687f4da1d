"""``eduanalysis validate`` as issue 18 item 5 asks: every problem of a region at once, across
figures, claims and checks; claim quotes checked verbatim like figures; a number never found
inside a longer one; an unknown region's error saying how to register it.

Each test works in a copy of the project's data (``EDUANALYSIS_ROOT``); the real
``data/raw/`` is never touched.
"""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import run_cli

from eduanalysis import paths
from eduanalysis.data.verbatim import found_verbatim
from eduanalysis.errors import UnknownRegionError

SEEDS = paths.PROJECT_ROOT.parent / "shared" / "seeds"
needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason="seed documents not found beside the repository")


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(paths.DATA_RAW, root / "data" / "raw")
    (tmp_path / "shared").mkdir()
    if SEEDS.is_dir():
        (tmp_path / "shared" / "seeds").symlink_to(SEEDS)
    return root, {**os.environ, "EDUANALYSIS_ROOT": str(root)}


def _append(path, line: str) -> int:
    """Append a CSV line; return the row number it gets (the header is row 1)."""
    row = len(path.read_text(encoding="utf-8").splitlines()) + 1
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(line + "\n")
    return row


def test_a_number_inside_a_longer_one_is_not_verbatim():
    # seed 004 (伊宁): "每百名学生拥有计算机台数差异系数为 小学 0.3542、初中 0.0808"
    sentence = "每百名学生拥有计算机台数差异系数为 小学 0.3542、初中 0.0808,生均图书"
    assert found_verbatim("0.0808", sentence)
    assert not found_verbatim("0.080", sentence)  # the old check (substring) accepted this
    assert not found_verbatim("0.354", sentence)
    assert not found_verbatim("542", sentence)


@needs_seeds
def test_validate_lists_figures_claims_and_checks_problems_in_one_run(project):
    root, env = project
    raw = root / "data" / "raw"
    fig_typo = _append(
        raw / "figures" / "yining.csv",
        "yining,,2020,初中,,retention_rat,名称,99.71%,实际,,yining_2021_balance_review,四,",
    )
    # 0.080 occurs in seed 004 only as the start of 0.0808 (初中 0.0808)
    fig_prefix = _append(
        raw / "figures" / "yining.csv",
        "yining,,2020,初中,,cv_computers_per_100,每百名学生拥有计算机台数差异系数,0.080,实际,,"
        "yining_2021_balance_review,四,",
    )
    claim_bad = _append(
        raw / "claims" / "yining.csv",
        # the quote is the document's (seed 004, as claim YC02 quotes it); the claim word is not allowed
        "YC98,yining,,2019,义务教育,,basic_balance_status,达标了,,2019年10月24日-26日通过了自治区义务教育均衡复验,"
        "yining_2021_balance_review,汇报开头,",
    )
    claim_unquoted = _append(
        raw / "claims" / "yining.csv",
        "YC99,yining,,2020,初中,,retention_rate,达标,,巩固率达到100%以上,yining_2021_balance_review,四,",
    )
    checks = raw / "checks" / "yining.csv"
    check_row = _append(checks, "Y98,sum,r9999:edu_budget_expenditure,parts=r2:edu_budget_expenditure,总数,")
    check_kind = _append(checks, "Y99,summe,r2:edu_budget_expenditure,parts=r2:edu_budget_expenditure,总数,")
    result = run_cli("validate", "yining", cwd=root, env=env)
    out = result.stdout
    assert result.returncode == 2, out + result.stderr
    assert f"figures/yining.csv, row {fig_typo}, column `indicator`: 'retention_rat'" in out
    assert f"figures/yining.csv, row {fig_prefix}, column `value_as_written`: '0.080' is not found verbatim" in out
    assert f"claims/yining.csv, row {claim_bad}, column `claim`: expected one of" in out
    assert f"claims/yining.csv, row {claim_unquoted}, column `quote`: '巩固率达到100%以上' is not found verbatim" in out
    assert f"checks/yining.csv, row {check_row} (Y98), column `target`: figure row 9999 does not exist" in out
    assert f"checks/yining.csv, row {check_kind} (Y99), column `kind`: expected one of" in out
    assert "6 error(s)" in out


def test_unknown_region_says_how_to_register_it(project):
    root, env = project
    result = run_cli("validate", "atlantis", cwd=root, env=env)
    assert result.returncode == 2
    assert "unknown region 'atlantis'" in result.stderr
    assert "`eduanalysis new-region SLUG --name 名称 --province 省份 --kind 地级市`" in result.stderr
    assert "data/raw/regions.csv (columns slug,name_zh,province,parent,kind" in result.stderr
    with pytest.raises(UnknownRegionError, match=r"known regions: .*yining.*; to add a region, register it"):
        from eduanalysis.data.regions import get_region

        get_region("atlantis")
