"""The first screen of a city report (摘要), built from the report's findings, audit and claims.

Only displays what judgement decided: the counts of verdicts, the failing findings of the latest
year of each indicator (a year the documents later report as met is history), the documents'
admissions ranked (:func:`eduanalysis.judgement.claims.region_claims`), the facts they imply,
declines, doubts and the audit's inconsistencies.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from ..judgement.findings import declines
from ..judgement.observations import implied_facts
from .labels import (
    fmt_num,
    level_name,
    limit_label,
    margin_label,
    place_label,
    shortfall_label,
    verdict_label,
    year_label,
)

__all__ = ["attention_items", "latest_year", "summary_html"]


def _pct(text: str, unit: str) -> str:
    """A rate printed under a table header "（%）" carries no % of its own: add it for the reader."""
    return f"{text}%" if unit == "个百分点" and not text.endswith("%") else text


def summary_html(report) -> str:
    """摘要 of a :class:`~eduanalysis.presentation.city.CityReport` as HTML: what passes, what fails
    and by how much (the latest year of each indicator), the documents' admissions ranked, implied
    facts, declines, doubts, inconsistencies — one screen."""
    f = report.findings
    applied = f[f["applicability"] == "适用"]
    ref = f[f["applicability"] == "参照"]
    counts = applied["verdict"].value_counts()
    ref_counts = ref["verdict"].value_counts()
    badges = "".join(
        f'<span class="ea-badge {cls}">{label} <b>{int(counts.get(label, 0))}</b></span>'
        for label, cls in (
            ("达标", "ea-met"),
            ("未达标", "ea-not-met"),
            ("无法判定", "ea-undecided"),
            ("数据存疑", "ea-doubt"),
        )
    )
    audit_bad = report.audit[report.audit["verdict"] == "不一致"] if len(report.audit) else report.audit
    lines = [
        f"<p>对照适用标准判定 {len(applied)} 项：{badges}</p>",
        (
            f"<p class='ea-meta'>另有 {len(ref)} 项对照为其他对象制定的标准（参照）："
            + "，".join(f"{k} {int(v)}" for k, v in ref_counts.items())
            + "；数据核对发现不一致 "
            + f"{len(audit_bad)} 项。</p>"
        ),
    ]
    # the formal result first; failures against standards made for another unit (参照) apart and below,
    # so a 基本均衡 review is not led by 2017 quality-balance reference values
    attention = attention_items(f, "适用")
    if attention:
        lines.append("<h3>需要关注</h3><ul class='ea-findings'>" + "".join(attention) + "</ul>")
    reference = attention_items(f, "参照")
    if reference:
        lines.append(
            "<h3>参照标准下的差距（不作为正式结论）</h3><ul class='ea-findings ea-reference'>"
            + "".join(reference)
            + "</ul>"
        )
    # the documents' admissions, ranked (region_claims: problems by section, quantified first); an
    # admission already shown as a failing finding above is not repeated
    stated = report.claims[report.claims["class_zh"] == "问题"] if len(report.claims) else report.claims
    judged = "".join(f.loc[f["verdict"] == "未达标", "claim"])
    stated = stated[~stated["quote"].map(lambda q: f"“{q}”" in judged)]
    implied = implied_facts(report.region)
    fell = declines(report.region)
    stated = stated[~_shown_as_decline(stated, fell)]
    if len(stated) or len(implied):
        items = "".join(_stated_item(c) for c in stated.head(6).itertuples())
        more = f"<li>……共 {len(stated)} 项，详见附录“文件自述”</li>" if len(stated) > 6 else ""
        if items:
            lines.append(f"<h3>文件自述的问题</h3><ul class='ea-findings'>{items}{more}</ul>")
        # what the figures imply is not an admission (绵阳 "2018-2020年规划的102个项目已完工47所、在建41所" in
        # an August 2020 document is progress): listed apart, once
        facts = "".join(
            f"<li>{html.escape(report._label(r.area))} {html.escape(year_span(r.year))} 年：{html.escape(r.text)}</li>"
            for r in implied.itertuples()
        )
        if facts:
            lines.append(f"<h3>由文件数值推算</h3><ul class='ea-findings'>{facts}</ul>")
    if len(fell):
        items = "".join(
            f"<li>{html.escape(report._label(d.area))}{html.escape(level_name(d.level, d.indicator_name))}："
            + (
                f"{html.escape(d.from_year)} 年 {html.escape(_pct(d.from_as_written, d.unit))} → "
                f"{html.escape(d.to_year)} 年 {html.escape(_pct(d.to_as_written, d.unit))}"
                f"（{fmt_num(d.change, d.unit)}）"
                if d.from_as_written
                else f"{html.escape(d.to_year)} 年{html.escape(d.to_as_written)}"
            )
            + "</li>"
            for d in fell.head(5).itertuples()
        )
        lines.append(f"<h3>较前期下降</h3><ul class='ea-findings'>{items}</ul>")
    doubts = f[f["verdict"] == "数据存疑"]
    if len(doubts):
        lines.append(
            "<h3>数据存疑（含参照项）</h3><ul class='ea-findings'>"
            + "".join(
                f"<li>{html.escape(r.area_label)} {html.escape(r.year)} 年{html.escape(r.indicator_name)}："
                f"{html.escape(r.reason)}</li>"
                for r in doubts.itertuples()
            )
            + "</ul>"
        )
    if len(audit_bad):
        lines.append(
            "<h3>数据核对不一致</h3><ul class='ea-findings'>"
            + "".join(
                f"<li>{html.escape(r.description)}：文件所述 {html.escape(r.stated)}，"
                f"{html.escape(r.compared_text)}"
                + (f"。{html.escape(r.alternative)}" if r.alternative else "")
                + "</li>"
                for r in audit_bad.head(5).itertuples()
            )
            + ("<li>……详见“数据核对”一节</li>" if len(audit_bad) > 5 else "")
            + "</ul>"
        )
    met = applied[applied["verdict"] == "达标"]
    if len(met):
        names = list(dict.fromkeys(met["indicator_name"]))
        lines.append(
            f"<p class='ea-meta'>达标的 {len(met)} 项涉及：{html.escape('、'.join(names[:12]))}"
            + ("等" if len(names) > 12 else "")
            + "。</p>"
        )
    bases = list(dict.fromkeys(ref["applicability_basis"]))
    lines.append(
        "<p class='ea-meta'>“参照”不作为本地区的正式结论，本报告中的参照项：" + html.escape("；".join(bases)) + "。"
        if bases
        else "<p class='ea-meta'>"
    )
    lines[-1] += "“标准待核对”表示标准值尚未与部颁原文核对。</p>"
    return '<h2 id="sec-summary" class="ea-summary-title">摘要</h2><div class="ea-summary">' + "".join(lines) + "</div>"


def _shown_as_decline(stated: pd.DataFrame, fell: pd.DataFrame) -> pd.Series:
    """True for an admitted 下降 that the first screen's "较前期下降" list already shows (same area,
    indicator and year): 乌海 "2019年全市教育经费总支出15.44亿元，比上年减少2.4%" is listed once.

    >>> stated = pd.DataFrame({"claim": ["下降", "未达标"], "area": ["wuhai"] * 2,
    ...                        "indicator": ["edu_total_expenditure"] * 2, "year": ["2019"] * 2})
    >>> fell = pd.DataFrame({"area": ["wuhai"], "indicator": ["edu_total_expenditure_growth"], "to_year": ["2019"]})
    >>> _shown_as_decline(stated, fell).tolist()
    [True, False]
    """
    if stated.empty or fell.empty:
        return pd.Series(False, index=stated.index)
    # a decline of a quantity is listed under its growth indicator (edu_total_expenditure → _growth)
    names = fell["indicator"].str.removesuffix("_growth")
    shown = set(zip(fell["area"], names, fell["to_year"].astype(str)))
    keys = zip(stated["area"], stated["indicator"], stated["year"].astype(str))
    return pd.Series([c == "下降" and k in shown for c, k in zip(stated["claim"], keys)], index=stated.index)


def _without_place(name: str, place: str) -> str:
    """An indicator name without the place the line already names ("全市 2019 年全市教育经费总支出").

    >>> _without_place("全市教育经费总支出", "全市"), _without_place("教育经费总支出", "全市")
    ('教育经费总支出', '教育经费总支出')
    """
    return name[len(place) :] if place and name.startswith(place) and len(name) > len(place) else name


def _stated_item(c) -> str:
    """One admission of the first screen: where, when, what, in the document's words.

    A claim about an unnamed part of the area without a number reads as an admission
    ("文件自述：部分县市区存在差距（未给出数值）"), never as a city-wide failure.
    """
    quote = f"“{html.escape(c.quote)}”"
    what_of = level_name(c.level, _without_place(c.name_zh, c.area_label))
    head = f"{html.escape(c.area_label)} {html.escape(year_span(c.year))} 年{html.escape(what_of)}"
    if getattr(c, "scope_zh", "") and not c.quantified:
        what = "存在差距" if "差距" in c.quote else "存在问题"
        return f"<li>{head}：文件自述：{html.escape(c.scope_zh)}{what}（未给出数值）。原文：{quote}</li>"
    return f"<li>{head}（{html.escape(c.claim)}）：{quote}</li>"


def year_span(year: str) -> str:
    """A year or a span as a reader reads it: "2019-2020" → "2019—2020".

    >>> year_span("2019-2020"), year_span("2021")
    ('2019—2020', '2021')
    """
    return str(year).replace("-", "—")


def latest_year(f: pd.DataFrame) -> pd.Series:
    """True for the findings of the latest year of each area, level, group and indicator — what the
    first screen leads with (a year the documents later report as met is history)."""
    year_end = f["year"].str[-4:].astype(int)
    return year_end == year_end.groupby([f["area"], f["level"], f["group"], f["indicator"]]).transform("max")


def gap_words(row) -> str:
    """How far a failing figure is from its standard, in the reader's words (not a signed margin).

    >>> gap_words({"comparator": "<=", "margin": -0.706, "margin_unit": "", "indicator": "cv_x",
    ...            "margin_is_bound": False})
    '超出上限 0.706'
    >>> gap_words({"comparator": ">=", "margin": -1.8, "margin_unit": "个百分点", "indicator": "retention_rate",
    ...            "margin_is_bound": False})
    '低于下限 1.8 个百分点'
    """
    margin = row["margin"]
    if pd.isna(margin) or margin >= 0:
        return f"差距 {margin_label(row)}"
    shown = margin_label({**dict(row), "margin": abs(margin)}).lstrip("+")
    words = {"<=": "超出上限", ">=": "低于下限"}.get(row["comparator"], "偏离区间")
    return f"{words} {shown}"


def attention_items(f: pd.DataFrame, applicability: str | None = None) -> list[str]:
    """The failing findings of the first screen, latest year of each indicator, 适用 first, worst first;
    only those of one ``applicability`` (适用 / 参照) when it is given."""
    failing = f[(f["verdict"] == "未达标") & latest_year(f)].copy()
    if applicability is not None:
        failing = failing[failing["applicability"] == applicability]
    if failing.empty:
        return []
    failing["_rel"] = failing["margin"] / failing["limit"].abs().replace(0, np.nan)
    failing["_order"] = (failing["applicability"] != "适用").astype(int)
    items = []
    for r in failing.sort_values(["_order", "_rel"]).head(8).itertuples():
        row = failing.loc[r.Index]
        if row["basis"] == "文件自述":
            detail = f"{html.escape(row['value_as_written'])}（文件自述，未给出数值）"
        else:
            detail = (
                f"{html.escape(row['value_as_written'])}，标准 {html.escape(limit_label(row))}，"
                f"{html.escape(gap_words(row))}"
            )
        gap = shortfall_label(row)
        if gap != "—":
            detail += f"，{html.escape(gap)}"
        if "判读" in row["applicability_basis"]:  # a band that is this report's reading says so here
            detail += f"（{html.escape(row['applicability_basis'])}）"
        items.append(
            f"<li><span class='ea-not-met'>{html.escape(verdict_label(row))}</span> "
            f"{html.escape(place_label(row))} {html.escape(year_label(row))} 年"
            f"{html.escape(level_name(row['level'], row['indicator_name']))}：{detail}</li>"
        )
    return items
