"""The first screen of a city report (issue #19, item 3): the latest year of each indicator leads,
and a band that is this report's reading says so and asks for no admissions."""

from __future__ import annotations

import re

import pytest
from IPython.core.interactiveshell import InteractiveShell
from IPython.utils.capture import capture_output

from eduanalysis.presentation.city import CityReport


@pytest.fixture(scope="module")
def wuhai_summary() -> str:
    InteractiveShell.instance()
    report = CityReport("wuhai")
    with capture_output() as captured:
        report.summary()
    return "".join(o.data.get("text/html", "") for o in captured.outputs)


def _attention(summary: str) -> str:
    return summary[summary.index("需要关注") : summary.index("</ul>", summary.index("需要关注"))]


def test_the_summary_leads_with_the_latest_year(wuhai_summary):
    # 乌海 000 第19条: "2019年义务教育巩固率93.2%"; 乌海 001 表1/表2: 九年义务教育巩固率 2020 年 95 — against
    # the 95 % of the 2017 rule (standards.md §3, 巩固率 ≥ 95%) the latest year is met, so the first screen
    # does not ask to raise the 2019 figure.
    attention = _attention(wuhai_summary)
    assert "巩固率" not in attention and "93.2%" not in attention
    # what still fails in its latest year is there: 1:211 counsellors (000 二（一）4; ≥ 1:200)
    assert "1:211" in attention and "需增加 2 人" in attention


def _reference(summary: str) -> str:
    start = summary.index("参照标准下的差距")
    return summary[start : summary.index("</ul>", start)]


def test_a_band_that_is_our_reading_says_so_and_gives_no_admissions(wuhai_summary):
    # 乌海 000 二（二）第9条: "职普比2.9:7.1" against "大体相当" (standards.md §5: no number in the policy): a
    # reference (参照), listed apart from and below the formal result
    assert "职普比" not in _attention(wuhai_summary)
    assert wuhai_summary.index("需要关注") < wuhai_summary.index("参照标准下的差距")
    line = next(li for li in _reference(wuhai_summary).split("<li>") if "职普比" in li)
    assert "判读约定" in line and "不是政策规定" in line
    assert not re.search(r"需增加 \d", line)  # no "需增加 408 人"


def test_latest_year_keeps_each_indicators_last_year():
    # 乌海 巩固率: 2015 (表1 93), 2019 (000 第19条 93.2%), 2020 (表1 95) — only 2020 leads (summary and chart)
    from eduanalysis.judgement.findings import findings
    from eduanalysis.presentation.summary import latest_year

    f = findings("wuhai")
    kept = f[latest_year(f) & (f["indicator"] == "retention_rate")]
    assert kept["year"].tolist() == ["2020"]


def test_a_margin_is_said_in_words():
    # 伊宁 004 §六 "生均体育运动场馆面积 … 小学 1.2059" against ≤ 0.5 (2017 quality-balance rule, 参照): the
    # first screen says how far above the limit, not "差距 −0.706"
    from eduanalysis.presentation.summary import gap_words

    row = {"comparator": "<=", "margin": 0.5 - 1.2059, "margin_unit": "", "indicator": "cv_sports_area_per_student"}
    assert gap_words({**row, "margin_is_bound": False}) == "超出上限 0.706"


def test_an_implied_fact_is_not_listed_as_an_admission():
    # 绵阳 003 (八) "2018-2020年规划的102个项目已完工47所、在建41所" (document of 2020-08-12): progress, shown
    # once under 由文件数值推算 and not under 文件自述的问题
    InteractiveShell.instance()
    with capture_output() as captured:
        CityReport("mianyang").summary()
    text = "".join(o.data.get("text/html", "") for o in captured.outputs)
    start = text.index("文件自述的问题")
    admissions = text[start : text.index("</ul>", start)]
    assert "102" not in admissions and text.count("102 − 47 − 41") == 1
    assert text.index("由文件数值推算") > start


def test_the_margins_chart_names_figures_as_the_summary_does(monkeypatch):
    # 乌海 000 第4条 "乌海职业技术学院配备专职辅导员30名…在校生6335名": the college's ratio, no year given —
    # the chart said "全市 2020 高职专职辅导员与学生之比" and "全市 2019 义务教育义务教育教师平均工资…"
    import eduanalysis.presentation.city as city

    drawn = {}
    monkeypatch.setattr(city, "margin_chart", lambda labels, *a, **k: drawn.setdefault("labels", labels))
    monkeypatch.setattr(city, "show_figure", lambda *a, **k: None)
    city.CityReport("wuhai").margins_chart()
    labels = drawn["labels"]
    assert any(label.startswith("乌海职业技术学院 2020（推断） 高职专职辅导员") for label in labels), labels
    assert not any("全市 2020 高职" in label for label in labels)
    assert not any("义务教育义务教育" in label for label in labels)
