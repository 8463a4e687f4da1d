"""The index dashboard (#19 item 7, #21): data year and document type per region, sorted by
what needs attention, the audit's inconsistencies named, few verdicts said; and the
all-regions findings workbook."""

from __future__ import annotations

import re

import openpyxl
import pandas as pd

from eduanalysis.presentation.export import write_findings_workbook
from eduanalysis.presentation.index import FEW_VERDICTS, index_html, region_summary


def _findings(rows):
    # every column a findings table has (a real row of 伊宁's as the template), the fields under test set here
    from eduanalysis.judgement.findings import findings

    template = findings("yining").iloc[0].to_dict()
    base = {"area": "r", "area_name": "某市", "year": "2020", "level": "", "indicator": "retention_rate",
            "indicator_name": "巩固率", "value_as_written": "90%", "basis": "文件数值", "margin": -5.0,
            "limit": 95.0, "comparator": ">="}  # fmt: skip
    return pd.DataFrame([{**template, **base, **r} for r in rows])


def test_region_summary_counts_names_and_years():
    f = _findings(
        [
            {"applicability": "适用", "verdict": "未达标"},
            {"applicability": "适用", "verdict": "达标", "margin": 1.0},
            {"applicability": "参照", "verdict": "未达标", "year": "2021"},
            {"applicability": "适用", "verdict": "数据存疑", "margin": float("nan")},
        ]
    )
    audit = pd.DataFrame({"verdict": ["不一致", "一致"], "description": ["合计 = 各项之和", "占比"]})
    figures = pd.DataFrame(
        {
            "year": ["2019", "2019—2021", "", "2025"],
            "value_type": ["实际", "实际", "实际", "目标"],  # a 2025 target is not data of 2025
            "source": ["yining_2021_balance_review"] * 4,
        }
    )
    s = region_summary("r", f, audit, figures)
    assert s["counts"]["适用"] == {"未达标": 1, "数据存疑": 1, "无法判定": 0, "达标": 1}
    assert s["counts"]["参照"]["未达标"] == 1
    assert s["doubt"] == 1 and s["inconsistent"] == ["合计 = 各项之和"]
    assert s["data_year"] == "2021"  # the latest year stated, including a range's end
    assert s["doc_kinds"] == ["督导评估汇报"]  # the registry's kind of 伊宁's document
    assert s["verdicts"] == 3 and s["few_verdicts"] is (3 < FEW_VERDICTS)
    # applicable shortfalls before reference ones
    assert s["worst"][0].startswith("2020 年巩固率：90%") and "（参照）" in s["worst"][1]


def _summary(fail=0, ref=0, doubt=0, bad=(), verdicts=10, year="2020", kinds=("履职自评报告",)):
    counts = {"未达标": 0, "数据存疑": 0, "无法判定": 0, "达标": 0}
    return {
        "counts": {"适用": {**counts, "未达标": fail}, "参照": {**counts, "未达标": ref}},
        "doubt": doubt,
        "inconsistent": list(bad),
        "verdicts": verdicts,
        "few_verdicts": verdicts < FEW_VERDICTS,
        "data_year": year,
        "doc_kinds": list(kinds),
        "worst": [],
    }


def _record(name, summary, status="ok"):
    return {"name": name, "kind": "city", "title": f"{name}报告", "parameters": {"region": name},
            "html": f"{name}.html", "status": status, "summary": summary, "duration_s": 1.0}  # fmt: skip


def test_index_sorts_by_attention_and_says_what_a_reader_needs(tmp_path):
    reports = {
        "calm": _record("calm", _summary(verdicts=2, year="2018", kinds=("发展规划",))),
        "worst": _record("worst", _summary(fail=3, doubt=1, bad=["初中毕业生 = 各去向人数之和"])),
        "middle": _record("middle", _summary(fail=1, ref=4)),
        "doubtful": _record("doubtful", _summary(doubt=2)),
    }
    for name in reports:
        (tmp_path / f"{name}.html").write_text("x", encoding="utf-8")
    page = index_html({"reports": reports, "summary": {"ok": 4}}, tmp_path)
    order = re.findall(r'<tr data-rank="\d+"[^>]*><td><a href="(\w+)\.html"', page)
    assert order == ["worst", "middle", "doubtful", "calm"]
    assert "初中毕业生 = 各去向人数之和" in page  # the inconsistency named
    assert "文件可供判定的数据较少（2 项" in page  # calm supports few verdicts
    calm = page[page.index('href="calm.html"') :].split("</tr>")[0]
    assert "<td>2018</td>" in calm and "<td>发展规划</td>" in calm
    assert '<option value="发展规划">' in page and 'id="only"' in page  # filters
    # offline: inline script only, nothing fetched
    assert "<script src" not in page and "http" not in page.replace('lang="zh"', "")


def test_findings_workbook_holds_every_region_one_after_another(tmp_path):
    a, b = tmp_path / "a.findings.csv", tmp_path / "b.findings.csv"
    a.write_text("地区,指标,判定\n甲市,巩固率,未达标\n甲市,入园率,达标\n", encoding="utf-8")
    b.write_text("地区,指标,判定\n乙市,巩固率,达标\n", encoding="utf-8")
    out = write_findings_workbook([a, tmp_path / "missing.csv", b], tmp_path / "findings.xlsx")
    rows = list(openpyxl.load_workbook(out)["判定"].iter_rows(values_only=True))
    assert rows == [
        ("地区", "指标", "判定"),
        ("甲市", "巩固率", "未达标"),
        ("甲市", "入园率", "达标"),
        ("乙市", "巩固率", "达标"),
    ]
    assert write_findings_workbook([tmp_path / "missing.csv"], tmp_path / "none.xlsx") is None
    assert not (tmp_path / "none.xlsx").exists()


def test_batch_writes_the_all_regions_workbook_and_index_rows(rendered_reports):
    import json

    manifest = json.loads((rendered_reports / "manifest.json").read_text(encoding="utf-8"))
    cities = [n for n, r in manifest["reports"].items() if r["kind"] == "city"]
    book = openpyxl.load_workbook(rendered_reports / "findings.xlsx", read_only=True)["判定"]
    rows = list(book.iter_rows(values_only=True))
    per_region = {}
    for row in rows[1:]:
        per_region[row[0]] = per_region.get(row[0], 0) + 1
    assert rows[0][:6] == ("地区", "区县", "学段", "口径", "年份", "指标")
    for name in cities:
        own = list(
            openpyxl.load_workbook(rendered_reports / f"{name}.xlsx", read_only=True)["判定"].iter_rows(
                values_only=True
            )
        )
        # each region's rows in the all-regions workbook are its own workbook's 判定 rows (指标 and 判定 columns)
        pick = [own[0].index("指标"), own[0].index("判定")]
        mine = [(r[1 + pick[0]], r[1 + pick[1]]) for r in rows[1:] if r[0] == _name_of(name)]
        assert mine == [(r[pick[0]], r[pick[1]]) for r in own[1:]]
        assert per_region[_name_of(name)] == len(own) - 1
    assert sum(per_region.values()) == len(rows) - 1
    index = (rendered_reports / "index.html").read_text(encoding="utf-8")
    assert 'href="findings.xlsx"' in index and "数据年份" in index


def _name_of(slug: str) -> str:
    from eduanalysis.data.regions import get_region

    return get_region(slug)["name_zh"]


def test_a_failed_report_without_summary_is_not_judged_again_in_the_index(tmp_path, monkeypatch):
    import eduanalysis.judgement.findings as judged

    def refuse(*_args, **_kwargs):
        raise AssertionError("the index judged a region")

    monkeypatch.setattr(judged, "findings", refuse)
    reports = {"yining": {**_record("yining", None, status="failed"), "error": "worker process died"}}
    del reports["yining"]["summary"]
    page = index_html({"reports": reports, "summary": {"failed": 1}}, tmp_path)
    assert "本次生成失败，没有可显示的判定" in page
