"""A city with districts, end to end: the synthetic 示例市 of ``tests/fixtures/demo_region``.

The region is added to a copy of the project's data (``demo_project``); the real CLI
validates it, computes its findings and renders its report and a district's report.
Expected values are by hand from the fixture (its README gives the arithmetic).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import html_tables, run_cli

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("demo_project")]


def _findings(root, env) -> pd.DataFrame:
    code = (
        "from eduanalysis.judgement.findings import findings;"
        "print(findings('demo_city').to_json(orient='records', force_ascii=False))"
    )
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, check=True)
    return pd.DataFrame(json.loads(out.stdout))


def test_validate_passes_and_every_value_is_found_in_the_document(demo_project):
    root, env = demo_project
    result = run_cli("validate", "demo_city", cwd=root, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stdout or "no problems found" in result.stdout


def test_composites_are_per_district_never_pooled(demo_project):
    root, env = demo_project
    f = _findings(root, env)
    comp = f[f["indicator"] == "composite_cv"].set_index(["area", "level"])
    assert sorted(comp.index) == sorted(
        [("demo_east", "小学"), ("demo_east", "初中"), ("demo_west", "小学"), ("demo_west", "初中")]
    )
    # the stated composites are judged (not a recomputed or pooled value), each against its level's limit
    assert comp.loc[("demo_west", "小学"), "value"] == pytest.approx(0.70)
    assert comp.loc[("demo_west", "小学"), "verdict"] == "未达标"
    assert comp.loc[("demo_west", "小学"), "margin"] == pytest.approx(-0.05)  # 0.65 − 0.70
    assert comp.loc[("demo_east", "初中"), "verdict"] == "达标"
    assert set(comp["applicability"]) == {"适用"}  # 市辖区: the 2012 县域 standard applies
    # a district mean against the 2017 per-school threshold is a reference only: 4.1 < 4.5 ㎡
    mean = f[(f["indicator"] == "teaching_aux_area_per_student") & (f["area"] == "demo_east")].iloc[0]
    assert (mean["verdict"], mean["applicability"]) == ("未达标", "参照")


@pytest.fixture(scope="module")
def rendered(demo_project, tmp_path_factory):
    """The city's report and one district's, rendered by one CLI call."""
    root, env = demo_project
    out = tmp_path_factory.mktemp("demo_reports")
    result = run_cli("report", "demo_city", "demo_west", "--output-dir", str(out), cwd=root, env=env)
    assert result.returncode == 0, result.stderr
    return out


def test_city_report_groups_by_district(rendered):
    page = (rendered / "demo_city.html").read_text(encoding="utf-8")
    tables = [pd.DataFrame(t[1:], columns=t[0]) for t in html_tables(page) if t and "区县" in t[0] and "指标" in t[0]]
    composite = next(t for t in tables if (t["指标"] == "综合差异系数").all())
    assert sorted(composite["区县"]) == ["东区", "东区", "西区", "西区"]
    assert "全市" not in set(composite["区县"])
    assert "北区" not in page  # registered, no figures: not shown as an empty district


def test_district_report(rendered):
    page = (rendered / "demo_west.html").read_text(encoding="utf-8")
    assert "西区（示例市）" in page and "东区" not in page.split("报告来源与生成信息")[0]


def test_district_without_figures_exits_2(demo_project, tmp_path):
    root, env = demo_project
    result = run_cli("report", "demo_north", "--output-dir", str(tmp_path), cwd=root, env=env)
    assert result.returncode == 2 and "has no figures to report" in result.stderr
    assert "district=demo_north in data/raw/figures/demo_city.csv" in result.stderr
