"""Trends read from the findings and observations: the "两个只增不减" verdict (the project's one
``two_no_decrease``) and the figures that went the wrong way.
"""

from __future__ import annotations

import pandas as pd

from ..data.registry import indicator_registry
from .observations import _TOL, _years_overlap, observations

__all__ = ["declines", "two_no_decrease"]

#: the levels whose per-student spending the education statistics report (the per-student half)
_PER_STUDENT_LEVELS = ("学前", "小学", "初中", "普通高中", "中职")


def two_no_decrease(table: pd.DataFrame) -> pd.DataFrame:
    """The "两个只增不减" verdict per area and year, from a findings table.

    Both halves must hold: general-public-budget education spending did not fall, and
    spending per enrolled student did not fall (judged from every level's per-student
    growth the documents give).  A half the documents do not report is 无法判定, so the
    whole is 达标 only when both halves are 达标, and 未达标 when either is 未达标.

    Returns ``area``, ``area_name``, ``year``, ``total`` and ``per_student`` (verdicts of
    the halves, 未报告 when absent), ``verdict`` and ``reason``.

    Examples
    --------
    >>> from eduanalysis.judgement.findings import findings
    >>> t = two_no_decrease(findings("yining"))
    >>> t[["year", "total", "per_student", "verdict"]].values.tolist()[0]
    ['2018', '达标', '无法判定', '无法判定']
    """
    funding = table[table["rule_id"].isin(["budget_growth", "per_student_growth"])]
    rows = []
    single = funding[funding["year"].str.fullmatch(r"\d{4}")]
    keys = list(dict.fromkeys(zip(single["area"], single["year"]))) or list(
        dict.fromkeys(zip(funding["area"], funding["year"]))
    )
    for area, year in keys:
        group = funding[(funding["area"] == area) & funding["year"].map(lambda y, year=year: _years_overlap(y, year))]
        halves = {}
        for rule, label in (("budget_growth", "total"), ("per_student_growth", "per_student")):
            part = group[group["rule_id"] == rule]["verdict"]
            if part.empty:
                halves[label] = "未报告"
            elif (part == "未达标").any():
                halves[label] = "未达标"
            elif (part == "达标").all():
                halves[label] = "达标"
            else:
                halves[label] = "无法判定"
        if "未达标" in halves.values():
            verdict = "未达标"
        elif all(v == "达标" for v in halves.values()):
            verdict = "达标"
        else:
            verdict = "无法判定"
        notes = []
        for rule, key, name in (
            ("budget_growth", "total", "一般公共预算教育支出"),
            ("per_student_growth", "per_student", "生均一般公共预算教育支出"),
        ):
            if halves[key] == "未报告":
                notes.append(f"文件未报告{name}的增长情况")
            elif halves[key] == "无法判定":
                why = group.loc[(group["rule_id"] == rule) & (group["verdict"] == "无法判定"), "reason"]
                notes.append(f"{name}：{'；'.join(dict.fromkeys(why))}")
        levels = set(group.loc[group["rule_id"] == "per_student_growth", "level"])
        missing = [lv for lv in _PER_STUDENT_LEVELS if lv not in levels]
        if levels and missing:  # the per-student half is judged on the levels the documents give
            given = "、".join(lv for lv in _PER_STUDENT_LEVELS if lv in levels)
            notes.append(f"生均部分按{given}判定，文件未报告{'、'.join(missing)}")
        reason = "；".join(notes)
        rows.append(
            {
                "area": area,
                "area_name": group["area_name"].iloc[0],
                "year": year,
                "total": halves["total"],
                "per_student": halves["per_student"],
                "verdict": verdict,
                "reason": reason,
            }
        )
    return pd.DataFrame(rows, columns=["area", "area_name", "year", "total", "per_student", "verdict", "reason"])


def declines(region: str) -> pd.DataFrame:
    """Figures that went the wrong way: a higher-is-better rate or share reported lower than in
    an earlier year (乌海 中职“双师型”教师比例 82 % in 2015, 60.2 % in 2020), or a stated
    growth rate of such a figure below zero (教育经费总支出“比上年减少2.4%”).

    Returns ``area``, ``level``, ``group``, ``indicator``, ``indicator_name``, ``from_year``,
    ``from_as_written``, ``to_year``, ``to_as_written``, ``change`` (in the indicator's unit;
    percentage points for %), ``unit``; statements that disagree are left out.

    Examples
    --------
    >>> d = declines("wuhai").set_index("indicator")
    >>> row = d.loc["double_qualified_teacher_share"]
    >>> row["from_year"], row["to_year"], float(row["change"])
    ('2015', '2020', -21.8)
    """
    obs = observations(region)
    columns = ["area", "level", "group", "indicator", "indicator_name", "from_year", "from_as_written"]
    columns += ["to_year", "to_as_written", "change", "unit"]
    if obs.empty:
        return pd.DataFrame(columns=columns)
    registry = indicator_registry()
    # amounts are left out: their periods differ too often (a year, a spring term) to compare safely;
    # a fall in spending shows as a negative growth rate, stated or computed from two years
    obs = obs[(obs["basis"] != "文件自述") & (obs["conflict"] == "") & obs["year"].str.fullmatch(r"\d{4}")]
    obs = obs.join(registry[["name_zh", "direction", "kind"]], on="indicator")
    rows = []
    levels = obs[(obs["direction"] == "higher") & obs["kind"].isin(["rate", "share"]) & (obs["basis"] == "文件数值")]
    for _, part in levels.groupby(["area", "level", "group", "indicator"], sort=False):
        part = part.sort_values("year")
        for (_, a), (_, b) in zip(part.iterrows(), part.iloc[1:].iterrows()):
            if b["value"] < a["value"] - _TOL:
                rows.append(
                    {
                        **{k: a[k] for k in ("area", "level", "group", "indicator")},
                        "indicator_name": a["name_zh"],
                        "from_year": a["year"],
                        "from_as_written": a["value_as_written"],
                        "to_year": b["year"],
                        "to_as_written": b["value_as_written"],
                        "change": round(b["value"] - a["value"], 10),
                        "unit": "个百分点" if a["unit"] == "%" else a["unit"],
                    }
                )
    growth = obs[(obs["kind"] == "growth") & (obs["direction"] == "higher") & (obs["value"] < 0)]
    for _, g in growth.iterrows():
        rows.append(
            {
                **{k: g[k] for k in ("area", "level", "group", "indicator")},
                "indicator_name": g["name_zh"],
                "from_year": str(int(g["year"]) - 1),
                "from_as_written": "",
                "to_year": g["year"],
                "to_as_written": g["value_as_written"],
                "change": g["value"],
                "unit": "%",
            }
        )
    return pd.DataFrame(rows, columns=columns)
