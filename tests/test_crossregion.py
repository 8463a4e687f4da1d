"""The cross-region comparison shows the value each city report uses, with its flags (issue #19, item 7)."""

from __future__ import annotations

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from eduanalysis.judgement.findings import findings
from eduanalysis.presentation.crossregion import comparison
from eduanalysis.presentation.labels import verdict_label
from eduanalysis.presentation.plotting import use_chinese_font


@pytest.fixture(scope="module")
def shared():
    InteractiveShell.instance()
    use_chinese_font()
    with capture_output():
        return comparison()


def _cell(shared, place, name):
    rows = shared[(shared["place"] == place) & (shared["name_zh"] == name)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_each_place_shows_the_year_its_report_leads_with(shared):
    # 乌海 001 表1/表2: 九年义务教育巩固率 2020 年 95 (and 000 第19条 2019 年 93.2%): the report leads with 2020
    row = _cell(shared, "乌海市", "巩固率")
    assert row["year"] == "2020" and row["显示"].startswith("95%（2020）")


def test_verdicts_and_flags_are_those_of_the_city_reports(shared):
    # the verdict shown is the one of the region's own findings (one finding per figure)
    row = _cell(shared, "乌海市", "公办园在园幼儿占比")
    f = findings("wuhai")
    own = f[(f["indicator"] == "public_kindergarten_share") & (f["year"] == "2020")].iloc[0]
    assert verdict_label(own) in row["显示"]
    # 000 第15条 51.2 % vs 001 50.8 %: both values, marked
    assert "51.2%；50.8%" in row["显示"] and "两处数值不同" in row["显示"]
    # 绵阳 003 (二十一) "巩固率达到100.87%": its report marks it 数据存疑, so does the comparison
    assert "数据存疑" in _cell(shared, "绵阳市", "巩固率")["显示"]
    # 绵阳 003 (二十五) "2019年高中阶段毛入学率达到97%以上": a lower bound, flagged
    assert "（下限）" in _cell(shared, "绵阳市", "高中阶段毛入学率")["显示"]
    # 乌海 000 第20条 gives the district composites no year: inferred, and said so
    composites = shared[(shared["place"] == "乌海市·海勃湾区") & (shared["name_zh"] == "综合差异系数")]
    assert len(composites) == 2 and composites["显示"].str.contains("年份推断").all()


def test_districts_named_without_figures_are_listed():
    # 绵阳 003 (十三) "游仙区、北川县等设立教师质量奖": 游仙区 is in the source but has no figure; the header
    # names it apart from the districts with data rather than leaving it out
    from eduanalysis.presentation.crossregion import mentioned_without_figures

    named = mentioned_without_figures("mianyang", ["fucheng", "yanting"])
    assert "游仙区" in named
    assert "涪城区" not in named  # it has figures
    # 市直属学校 is not a district (kind 市直属单位（非行政区）)
    assert "市直属学校" not in mentioned_without_figures("wuhai", [])
