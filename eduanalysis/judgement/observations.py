"""Observations: the figures a region reports, one per figure however often it is stated, and the
figures the documents imply (growth from two years, the teacher-pay ratio, the 2012 composite).

This is the first of the findings' jobs (:mod:`eduanalysis.judgement.findings` re-exports
:func:`observations`): nothing here judges; the verdicts are drawn in
:mod:`eduanalysis.judgement.verdicts`.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from ..data.figures import region_figures, with_header_unit
from ..data.sources import citation
from ..measures.ratios import parse_ratio
from .standards import indicator_set

__all__ = ["INFERRED_YEAR_NOTE", "SCOPE_NOTE", "implied_facts", "note_scope", "observations", "year_is_inferred"]

#: how a figure's note says its year was inferred, not stated (the intake layer writes it)
INFERRED_YEAR_NOTE = "年份推断："
#: how a figure's note says it is about one institution of its area, not the whole area
SCOPE_NOTE = "范围："


def _marks(note: str, mark: str) -> str | None:
    """The text after ``mark`` when one of the note's "；"-separated parts starts with it, else None.

    A note may carry several marks ("年份推断：…；范围：乌海职业技术学院（…）").

    >>> _marks("年份推断：未写年份；范围：乌海职业技术学院（原文…）", SCOPE_NOTE)
    '乌海职业技术学院（原文…）'
    >>> _marks("文中称“达到”", INFERRED_YEAR_NOTE) is None
    True
    """
    match = re.search(rf"(?:^|；){re.escape(mark)}(.*)", str(note))
    return match.group(1) if match else None


def note_scope(note: str) -> str:
    """The part of its area a row is about when its note says so, else ''.

    >>> note_scope("年份推断：未写年份；范围：乌海职业技术学院（原文…），不是全市数值")
    '乌海职业技术学院'
    >>> note_scope("范围：部分县市区（园区）（文件未列名）"), note_scope("")
    ('部分县市区', '')
    """
    rest = _marks(note, SCOPE_NOTE)
    return re.split(r"[（，；(]", rest)[0] if rest is not None else ""


def _scope_of(notes: pd.Series) -> str:
    """The institution every statement of a figure is about ("范围：乌海职业技术学院（…）"), else ''."""
    scopes = {note_scope(n) for n in notes}
    return scopes.pop() if len(scopes) == 1 else ""


def year_is_inferred(note: str) -> bool:
    """Whether a row's note says its year is our inference ("年份推断：…"), wherever in the note.

    >>> year_is_inferred("年份推断：原文未写年份"), year_is_inferred("范围：某校；年份推断：未写"), year_is_inferred("")
    (True, True, False)
    """
    return _marks(note, INFERRED_YEAR_NOTE) is not None


_inferred = year_is_inferred


_KEY = ["area", "level", "group", "year", "indicator"]


_TOL = 1e-9


def _year_end(year: str) -> int:
    return int(str(year)[-4:])


def _years_overlap(a: str, b: str) -> bool:
    """Whether two years or spans (2021, 2018-2020) share a year."""

    def span(y: str) -> tuple[int, int]:
        return int(y[:4]), int(y[-4:])

    (a0, a1), (b0, b1) = span(a), span(b)
    return a0 <= b1 and b0 <= a1


def _obs_from_rows(rows: pd.DataFrame) -> dict:
    """One observation from the figure rows that state the same figure (same key)."""
    shown = [with_header_unit(v, n) for v, n in zip(rows["value_as_written"], rows["name_in_source"])]
    guessed = [_inferred(n) for n in rows["note"]]
    if any(guessed) and not all(guessed):
        # one statement gives the year, another's year is inferred (乌海 高中阶段毛入学率: 正文 98% has
        # no year, 表1 gives 97 for 2020): the inferred statement carries its own mark
        shown = [f"{v}（年份推断）" if g else v for v, g in zip(shown, guessed)]
    rows = rows.assign(value_as_written=shown)  # 表1 "97" under "(%)" reads 97%
    first = rows.iloc[0]
    values = rows["value"].astype(float)
    distinct = rows.drop_duplicates("value")
    conflict = ""
    if (values.max() - values.min()) > _TOL * max(1.0, abs(values.max())):
        conflict = "；".join(
            f"{r.value_as_written}（{citation(r.source, with_number=False)}，{r.locator}）"
            for r in distinct.itertuples()
        )
    bounds = sorted(set(rows["bound"]))
    ratio = None
    if first["unit"] == "ratio" and not conflict:
        parsed = parse_ratio(first["value_as_written"])
        ratio = (parsed.antecedent, parsed.consequent)
    return {
        "ratio": ratio,
        # statements that disagree: the value lies somewhere between them (judged over the span)
        "span": (float(values.min()), float(values.max())) if conflict else None,
        **{k: first[k] for k in _KEY},
        "value": float(first["value"]),
        "value_as_written": "；".join(dict.fromkeys(rows["value_as_written"])),
        "unit": first["unit"],
        "bound": bounds[0] if len(bounds) == 1 else "exact",
        # a range (2—3个): its high end; NaN for any other figure
        "high": float(first["high"]) if "high" in first.index else math.nan,
        "basis": "文件数值",
        # the year is one we inferred (intake's note "年份推断：…") unless some statement gives it
        "year_inferred": all(guessed),
        # a figure about one institution, not the whole area (note "范围：乌海职业技术学院（…）")
        "scope_zh": _scope_of(rows["note"]),
        "conflict": conflict,
        "sources": list(dict.fromkeys(rows["source"])),
        "locators": list(dict.fromkeys(rows["source"] + " · " + rows["locator"])),
        "rows": [f"{r}:{n}" for r, n in zip(rows["file_region"], rows["row"])],
    }


def observations(region: str) -> pd.DataFrame:
    """The region's reported actual figures, one row per figure however often it is stated.

    A figure stated in two places (or two documents) is one row, with every source; when
    the statements differ, ``conflict`` lists them (the findings mark such a figure
    数据存疑).  Derived figures (growth from consecutive years, the teacher-pay ratio, the
    composite from eight coefficients) are included with ``basis`` 计算.  Columns: the key
    (``area``, ``level``, ``group``, ``year``, ``indicator``), ``value`` (registry unit),
    ``unit``, ``value_as_written``, ``bound``, ``basis``, ``conflict``, ``sources``,
    ``locators``, ``rows``.

    Examples
    --------
    >>> obs = observations("wuhai").set_index(["area", "year", "indicator"])
    >>> obs.loc[("wuhai", "2020", "public_kindergarten_share"), "value_as_written"]
    '51.2%；50.8%'
    """
    figures = region_figures(region)
    if figures.empty:
        return pd.DataFrame(columns=[*_KEY, "value", "unit", "value_as_written", "bound", "basis", "conflict"])
    found = _observations(figures)
    found += _derived(found)
    table = pd.DataFrame(found)
    for column in ("sources", "locators", "rows"):
        table[column] = table[column].map("；".join)
    return table.drop(columns=[c for c in ("ratio", "pay") if c in table.columns])


def _observations(figures: pd.DataFrame) -> list[dict]:
    """Reported actual figures, one observation per (area, level, group, year, indicator)."""
    actual = figures[figures["value_type"] == "实际"]
    return [_obs_from_rows(rows) for _, rows in actual.groupby(_KEY, sort=False)]


def _derived(observations: list[dict]) -> list[dict]:
    """Figures the documents imply: yearly growth from a series of amounts, the teacher-pay
    ratio, the 2012 composite from its eight coefficients (where not stated)."""
    by_key = {tuple(o[k] for k in _KEY): o for o in observations}
    out = []
    frame = pd.DataFrame(observations) if observations else pd.DataFrame(columns=[*_KEY, "value"])

    def combine(parts: list[dict], **fields) -> dict:
        return {
            "unit": "",
            "bound": "exact",
            "basis": "计算",
            "year_inferred": any(p.get("year_inferred", False) for p in parts),
            "conflict": "",
            "sources": list(dict.fromkeys(s for p in parts for s in p["sources"])),
            "locators": list(dict.fromkeys(s for p in parts for s in p["locators"])),
            "rows": [r for p in parts for r in p["rows"]],
            **fields,
        }

    # 1. growth of general-public-budget education spending from consecutive years
    spend = frame[(frame["indicator"] == "edu_budget_expenditure") & frame["year"].str.fullmatch(r"\d{4}")]
    for (area, level, group), series in spend.groupby(["area", "level", "group"], sort=False):
        series = series.assign(y=series["year"].astype(int)).sort_values("y")
        for (_, a), (_, b) in zip(series.iterrows(), series.iloc[1:].iterrows()):
            if b["y"] - a["y"] != 1 or a["conflict"] or b["conflict"]:
                continue
            key = (area, level, group, str(b["y"]), "edu_budget_growth")
            if key in by_key:
                continue  # the document states the rate; the audit compares the two
            pa, pb = by_key[tuple(a[k] for k in _KEY)], by_key[tuple(b[k] for k in _KEY)]
            out.append(
                combine(
                    [pa, pb],
                    **dict(zip(_KEY, key)),
                    value=(b["value"] / a["value"] - 1.0) * 100.0,
                    unit="%",
                    value_as_written=(
                        f"由 {a['y']} 年 {pa['value_as_written']} 与 {b['y']} 年 {pb['value_as_written']} 计算"
                    ),
                )
            )
    # 2. teacher pay against civil-servant pay, same area and year
    teachers = frame[frame["indicator"] == "teacher_avg_salary"]
    civil = frame[frame["indicator"] == "civil_servant_avg_salary"]
    for _, t in teachers.iterrows():
        match = civil[(civil["area"] == t["area"]) & (civil["year"] == t["year"]) & (civil["group"] == t["group"])]
        if len(match) != 1 or t["conflict"] or match.iloc[0]["conflict"]:
            continue
        c = match.iloc[0]
        pt, pc = by_key[tuple(t[k] for k in _KEY)], by_key[tuple(c[k] for k in _KEY)]
        out.append(
            combine(
                [pt, pc],
                area=t["area"],
                level=t["level"],
                group=t["group"],
                year=t["year"],
                indicator="teacher_pay_vs_civil_servant",
                value=t["value"] / c["value"],
                value_as_written=f"{pt['value_as_written']} ÷ {pc['value_as_written']}",
                pay=(t["value"], c["value"]),
            )
        )
    # 3. the 2012 composite from its eight indicator coefficients
    basic = indicator_set("basic_balance_2012")
    cvs = frame[frame["indicator"].isin([f"cv_{i}" for i in basic])]
    for (area, level, group, year), group_rows in cvs.groupby(["area", "level", "group", "year"], sort=False):
        key = (area, level, group, year, "composite_cv")
        if key in by_key or group_rows["indicator"].nunique() != len(basic) or group_rows["conflict"].any():
            continue
        parts = [by_key[tuple(r[k] for k in _KEY)] for _, r in group_rows.iterrows()]
        out.append(
            combine(
                parts,
                **dict(zip(_KEY, key)),
                value=float(group_rows["value"].mean()),
                value_as_written="由文件所列 8 项指标差异系数求平均",
            )
        )
    return out


def implied_facts(region: str) -> pd.DataFrame:
    """Facts the documents imply but do not state: of a plan's items, those neither completed nor
    under way (绵阳: "2018-2020年规划的102个项目已完工47所、在建41所" → 102 − 47 − 41 = 14 not yet
    reported as started).  Derived where the figures give ``<stem>_planned``, ``<stem>_completed``
    and ``<stem>_underway`` for the same area, level, group and year, each stated once.

    Returns ``area``, ``level``, ``group``, ``year``, ``indicator`` (``<stem>_not_started``),
    ``name_zh``, ``value``, ``unit``, ``text`` (the arithmetic in words), ``sources``, ``locators``.

    Examples
    --------
    >>> implied_facts("mianyang")[["year", "value"]].values.tolist()
    [['2018-2020', 14.0]]
    """
    from ..data.registry import indicator_registry

    columns = ["area", "level", "group", "year", "indicator", "name_zh", "value", "unit", "text", "sources", "locators"]
    obs = observations(region)
    if obs.empty:
        return pd.DataFrame(columns=columns)
    names = indicator_registry()["name_zh"]
    obs = obs[obs["conflict"] == ""]
    rows = []
    planned = obs[obs["indicator"].str.endswith("_planned")]
    for p in planned.itertuples():
        stem = p.indicator[: -len("_planned")]
        same = obs[(obs["area"] == p.area) & (obs["level"] == p.level) & (obs["group"] == p.group)]
        same = same[same["year"] == p.year].set_index("indicator")
        if f"{stem}_completed" not in same.index or f"{stem}_underway" not in same.index:
            continue
        done, going = same.loc[f"{stem}_completed"], same.loc[f"{stem}_underway"]
        rest = p.value - done["value"] - going["value"]
        text = (
            f"{names[p.indicator]} {p.value_as_written}，{names[done.name]} {done['value_as_written']}、"
            f"{names[going.name]} {going['value_as_written']}：其余 {p.value:g} − {done['value']:g} − "
            f"{going['value']:g} = {rest:g} 个文件未报告已开工（由文件数值推算）"
        )
        rows.append(
            {
                "area": p.area,
                "level": p.level,
                "group": p.group,
                "year": p.year,
                "indicator": f"{stem}_not_started",
                "name_zh": f"{names[p.indicator]}中未报告开工的",
                "value": rest,
                "unit": p.unit,
                "text": text,
                "sources": "；".join(dict.fromkeys([p.sources, done["sources"], going["sources"]])),
                "locators": "；".join(dict.fromkeys([p.locators, done["locators"], going["locators"]])),
            }
        )
    return pd.DataFrame(rows, columns=columns)
