"""Findings: every reported figure a standard applies to, judged — one tidy table per region.

:func:`findings` is the one place a verdict is made.  Report sections, the executive
summary, the index page, cross-region tables and the Excel export all read its table;
researchers get it as a DataFrame.  A row says

- where and what: ``region`` (the report's region), ``area`` (the city itself or one of
  its districts/counties — nothing is pooled across areas), ``level``, ``group``
  (城镇/农村 …), ``year``, ``indicator``;
- what the document says: ``value_as_written``, ``bound`` (exact, at_least, above,
  at_most, about, nearly — "超过7%" is not 7), the interval the compared value lies in
  (``compared_low``..``compared_high``, after the rule's transform, e.g. 1:211 → 211
  students per counsellor), ``basis`` (文件数值, or 计算 when derived from other figures:
  a growth rate from two years, a composite from eight coefficients, a pay ratio);
- against what: ``standard`` (id), ``standard_source`` (the document that sets it),
  ``standard_year`` (in force from), ``standard_status`` (已核对 / 待核对 / 文件引用),
  ``applicability`` (适用, or 参照 where the standard is made for another unit, e.g. a
  县域 standard read against a whole city, or a per-school norm read against a mean),
  ``comparator``, ``limit``/``limit_high``;
- the verdict: 达标 / 未达标 / 无法判定 / 数据存疑, with ``reason`` in Chinese, the signed
  ``margin`` (positive is good; for a bound, the margin the whole interval guarantees,
  ``margin_is_bound``) in ``margin_unit`` (个百分点 for rates), and where meaningful a
  ``shortfall`` in natural units (people, 元);
- provenance: ``sources`` (source ids), ``citations`` (title, issuer, date), ``locators``
  (sections of the document), ``rows`` (lines of our CSV), ``note``.

Verdict rules, in order: two documents (or two places) giving different values for the
same figure → 数据存疑; a value above its plausible maximum (a share above 100 %, a
巩固率 above 100 % from pupils moving in) → 数据存疑; a figure from a year before the
standard was issued → 无法判定; else 达标 when the whole interval satisfies the
threshold, 未达标 when none of it does, 无法判定 when the threshold falls inside it.
"""

from __future__ import annotations

import math
import re
import unicodedata

import numpy as np
import pandas as pd

from ..data.bounds import Interval, interval
from ..data.figures import region_figures, with_header_unit
from ..data.regions import get_region, is_county_level, load_regions
from ..data.registry import indicator_registry
from ..data.sources import citation
from ..measures.ratios import parse_ratio
from .judge import judge
from .rules import load_rules, plausible_max
from .standards import get_threshold, indicator_set

__all__ = [
    "FINDING_COLUMNS",
    "VERDICTS",
    "all_findings",
    "declines",
    "findings",
    "observations",
    "region_audit",
    "region_claims",
    "two_no_decrease",
]

VERDICTS = ("达标", "未达标", "无法判定", "数据存疑")
FINDING_COLUMNS = [
    "region",
    "area",
    "area_name",
    "section",
    "level",
    "group",
    "year",
    "indicator",
    "indicator_name",
    "value_as_written",
    "value",
    "unit",
    "bound",
    "basis",
    "compared_low",
    "compared_high",
    "compared_unit",
    "rule_id",
    "standard",
    "standard_source",
    "standard_year",
    "standard_status",
    "applicability",
    "comparator",
    "limit",
    "limit_high",
    "verdict",
    "reason",
    "margin",
    "margin_unit",
    "margin_is_bound",
    "shortfall",
    "shortfall_unit",
    "claim",
    "note",
    "sources",
    "citations",
    "locators",
    "rows",
]
_KEY = ["area", "level", "group", "year", "indicator"]
_TOL = 1e-9


def _year_end(year: str) -> int:
    return int(str(year)[-4:])


def _obs_from_rows(rows: pd.DataFrame) -> dict:
    """One observation from the figure rows that state the same figure (same key)."""
    shown = [with_header_unit(v, n) for v, n in zip(rows["value_as_written"], rows["name_in_source"])]
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


def region_claims(region: str) -> pd.DataFrame:
    """The documents' own claims about a region and the areas inside it (``data/raw/claims/``),
    each with its ``area`` (the district it is about, else the file's region)."""
    from ..data.claims import CLAIM_COLUMNS, claims_path, load_claims
    from ..data.regions import children

    info = get_region(region)
    frames = [load_claims(o) for o in [region, *children(region)] if claims_path(o).exists()]
    if info["parent"] and claims_path(info["parent"]).exists():
        upper = load_claims(info["parent"])
        frames.append(upper[upper["district"] == region])
    frames = [f for f in frames if len(f)]
    if not frames:
        return pd.DataFrame(columns=[*CLAIM_COLUMNS, "name_zh", "adverse", "row", "area"])
    table = pd.concat(frames, ignore_index=True)
    return table.assign(area=table["district"].where(table["district"] != "", table["region"]))


def _years_overlap(a: str, b: str) -> bool:
    """Whether two years or spans (2021, 2018-2020) share a year."""

    def span(y: str) -> tuple[int, int]:
        return int(y[:4]), int(y[-4:])

    (a0, a1), (b0, b1) = span(a), span(b)
    return a0 <= b1 and b0 <= a1


def _claim_text(claims: pd.DataFrame) -> str:
    return "；".join(
        f"文件称{c.claim}" + (f"（{c.reference}）" if c.reference else "") + f"：“{c.quote}”"
        for c in claims.itertuples()
    )


def _names_limit(quote: str, limit: float) -> bool:
    """Whether a claim's words agree with the rule's limit: "达到50.8%,高于…标准0.8个百分点" implies
    a standard of 50 %; words without such a difference are taken as naming the standard."""
    text = unicodedata.normalize("NFKC", quote)
    points = re.search(r"(?:高于|低于|超过)[^，,。；]*?标准\s*(\d+(?:\.\d+)?)\s*个百分点", text)
    if not points:
        return True
    value = re.search(r"(\d+(?:\.\d+)?)\s*%", text)
    if not value or limit is None or np.isnan(limit):
        return False
    sign = -1 if "低于" in points.group(0) else 1
    return abs(float(value.group(1)) - sign * float(points.group(1)) - limit) < 0.05 + _TOL


#: claims that say a rule's requirement was not met, and those that say it was (unverified without a number)
_CLAIM_FAILS = ("未达标", "未增长", "下降")
_CLAIM_PASSES = ("达标", "增长", "高于", "完成")


def _with_claims(region, rows, claims, rules, registry, regions) -> list[dict]:
    """Attach the documents' claims to the findings they concern, and judge a rule from a
    claim alone where the documents give no figure ("海林市…一般公共预算教育支出未实现增长")."""
    if claims.empty:
        return rows
    used = set()
    for rule in rules.itertuples(index=False):
        ids = {rule.indicator, *rule.claim_indicators.split()}
        relevant = claims[claims["indicator"].isin(ids)]
        if relevant.empty:
            continue
        mine = [r for r in rows if r["rule_id"] == rule.rule_id]
        for r in mine:
            hit = relevant[
                (relevant["area"] == r["area"])
                & ((relevant["level"] == r["level"]) | (relevant["level"] == ""))
                & relevant["year"].map(lambda y, year=r["year"]: _years_overlap(y, year))
            ]
            if len(hit):
                r["claim"] = "；".join(filter(None, [r["claim"], _claim_text(hit)]))
                used.update(hit.index)
                # the document measures this area against the standard itself ("高于国家和自治区标准0.8个
                # 百分点"): a county-level standard applies to a city that holds itself to it, as a
                # norm the document cites with its number does (牡丹江 "高于…85%…的省定指标")
                held = hit[hit["claim"].isin(_CLAIM_PASSES + _CLAIM_FAILS) & hit["reference"].str.contains("标准")]
                held = held[held["quote"].map(lambda q, limit=r["limit"]: _names_limit(q, limit))]
                if r["applicability"] == "参照" and rule.scope == "县域" and len(held):
                    r["applicability"] = "适用"
                    quote = "；".join(f"“{q}”" for q in dict.fromkeys(held["quote"]))
                    held_to = f"文件以{held['reference'].iloc[0]}衡量本地区：{quote}"
                    r["note"] = "；".join(filter(None, [r["note"], held_to]))
        # a claim with no finding of this rule for its area, level and year: judged from the words
        for (area, level, group, year), part in relevant.groupby(["area", "level", "group", "year"], sort=False):
            if any(
                r["area"] == area and (r["level"] == level or level == "") and _years_overlap(r["year"], year)
                for r in mine
            ):
                continue
            if not _level_matches(rule.level, level) and rule.level != "*":
                continue
            fails, passes = part[part["claim"].isin(_CLAIM_FAILS)], part[part["claim"].isin(_CLAIM_PASSES)]
            if fails.empty and passes.empty:
                continue
            verdict = "未达标" if len(fails) else "无法判定"
            reason = (
                "文件自述未达到；未给出数值"
                if len(fails)
                else f"文件称{'、'.join(dict.fromkeys(passes['claim']))}，但未给出数值，无法核实"
            )
            fixed, _ = _rule_standard(rule, level, area, regions)
            obs = {
                "area": area,
                "level": level,
                "group": group,
                "year": year,
                "indicator": rule.indicator,
                "value": np.nan,
                "unit": "",
                "value_as_written": "；".join(f"“{q}”" for q in dict.fromkeys(part["quote"])),
                "bound": "exact",
                "basis": "文件自述",
                "sources": list(dict.fromkeys(part["source"])),
                "locators": list(dict.fromkeys(part["source"] + " · " + part["locator"])),
                "rows": [f"claims/{c.region}:{c.row}" for c in part.itertuples()],
            }
            rows.append(
                _row(
                    region,
                    obs,
                    registry,
                    regions,
                    **fixed,
                    compared_low=np.nan,
                    compared_high=np.nan,
                    compared_unit=rule.unit_zh or "",
                    verdict=verdict,
                    reason=reason,
                    margin=np.nan,
                    margin_unit="",
                    margin_is_bound=False,
                    shortfall=np.nan,
                    shortfall_unit="",
                )
            )
            rows[-1]["claim"] = _claim_text(part)
            used.update(part.index)
    return rows


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


def _compared(obs: dict, transform: str) -> Interval:
    ratio = obs.get("ratio")
    if ratio and obs["bound"] == "exact" and transform in ("inverse", "share"):
        a, b = ratio  # from the text itself: the stored quotient is rounded
        value = b / a if transform == "inverse" else 100.0 * a / (a + b)
        return Interval(value, value)
    base = Interval(*obs["span"]) if obs.get("span") else interval(obs["value"], obs["bound"], obs.get("high"))
    if transform == "inverse":
        return base.map(lambda v: math.inf if v == 0 else 1.0 / v)
    if transform == "share":
        return base.map(lambda q: 100.0 if math.isinf(q) else 100.0 * q / (1.0 + q))
    if transform == "floor":  # the standard's measure is at least the figure
        return Interval(base.low, math.inf)
    return base


def _verdict(iv: Interval, comparator: str, low: float, high: float | None) -> tuple[str, float, bool]:
    """(verdict, margin, margin_is_bound) of an interval against a threshold (the one judge)."""
    return tuple(judge(iv, comparator, low, high, tol=_TOL))


def _applicability(scope: str, area: str, regions: pd.DataFrame) -> str:
    if scope == "任意":
        return "适用"
    if scope == "县域":
        return "适用" if is_county_level(area, regions) else "参照"
    return "参照"


def _level_matches(spec: str, level: str) -> bool:
    if spec == "*":
        return True
    return level in spec.split("|") if spec else level == ""


def _group_matches(spec: str, group: str) -> bool:
    return spec == "*" or group == spec


def _shortfall(
    spec: str, obs: dict, limit: float, verdict: str, frame: pd.DataFrame, iv: Interval, names: pd.Series
) -> tuple[float, str]:
    """What it takes to meet ``limit`` in people (``per_capita:<base>:<have>``: people to add so
    that base ÷ have meets it; ``share_of:<part>:<whole>``: part to add, whole unchanged), or in
    元 per person (``salary_gap``); NaN when the figures needed are not all given once."""
    if verdict != "未达标" or not spec:
        return np.nan, ""
    kind, first, second = spec.split(":")
    if kind == "salary_gap" and "pay" in obs:
        teacher, civil = obs["pay"]
        return max(civil - teacher, 0.0), "元/人/年"
    if kind == "per_capita":
        same = frame[(frame["area"] == obs["area"]) & (frame["year"] == obs["year"]) & (frame["level"] == obs["level"])]
        base = same.loc[same["indicator"] == first, "value"]
        have = same.loc[same["indicator"] == second, "value"]
        if len(base) == 1 and len(have) == 1:
            need = math.ceil(float(base.iloc[0]) / limit - _TOL)
            return float(max(need - float(have.iloc[0]), 0)), "人"
    if kind == "share_of":  # a share below its floor: the part to add with the whole unchanged
        same = frame[(frame["area"] == obs["area"]) & (frame["year"] == obs["year"])]
        part = same.loc[same["indicator"] == first, "value"].unique()
        whole = same.loc[same["indicator"] == second, "value"].unique()
        below = iv.high < limit  # above a band's ceiling is not a number to add
        if len(part) == 1 and len(whole) == 1 and below:
            need = math.ceil(limit / 100 * float(whole[0]) - _TOL)
            return float(max(need - float(part[0]), 0)), f"人（{names[first]}，{names[second]}总数不变）"
    return np.nan, ""


def _row(region: str, obs: dict, registry: pd.DataFrame, regions: pd.DataFrame, **judged) -> dict:
    info = registry.loc[obs["indicator"]]
    return {
        "region": region,
        "area": obs["area"],
        "area_name": regions.at[obs["area"], "name_zh"],
        "level": obs["level"],
        "group": obs["group"],
        "year": obs["year"],
        "indicator": obs["indicator"],
        "indicator_name": info["name_zh"],
        "value_as_written": obs["value_as_written"],
        "value": obs["value"],
        "unit": obs["unit"] or info["unit"],
        "bound": obs["bound"],
        "basis": obs["basis"],
        "claim": "",
        "sources": "；".join(obs["sources"]),
        "citations": "；".join(citation(s) for s in obs["sources"]),
        "locators": "；".join(obs["locators"]),
        "rows": "；".join(obs["rows"]),
        **judged,
    }


def _judge(
    obs: dict, std: pd.Series, *, comparator, low, high, iv, plausible, year, bound_word: str = ""
) -> tuple[str, str, float, bool]:
    """Verdict, reason, margin, margin_is_bound for one observation and threshold.

    ``bound_word`` says what the compared interval is when the rule, not the words,
    makes it a bound (``floor``); by default the figure's own bound (超过, 以上 …)."""
    word = bound_word or _BOUND_WORD[obs["bound"]]
    limit, why = plausible
    if limit is not None and obs["value"] > limit + _TOL:
        return "数据存疑", f"{obs['value_as_written']} 超过 {limit:g}%：{why}", np.nan, False
    if year and _year_end(obs["year"]) < int(year):
        return (
            "无法判定",
            f"数据年份（{obs['year']}）早于该标准（{year} 年），不据此判定",
            np.nan,
            False,
        )
    verdict, margin, is_bound = _verdict(iv, comparator, low, high)
    if obs["conflict"]:  # two statements of one figure: a verdict only if both give the same one
        if verdict == "无法判定":
            return "数据存疑", f"同一数据在文件中有不同数值，对照标准的结论不同：{obs['conflict']}", np.nan, False
        both = "均达到" if verdict == "达标" else "均未达到"
        return (
            verdict,
            f"同一数据在文件中有不同数值，{both}标准（按较不利的数值计差距）：{obs['conflict']}",
            round(margin, 10),
            True,
        )
    if verdict == "无法判定":
        return verdict, f"文件数值为{word}，区间跨过标准值，无法判定", margin, is_bound
    reason = "" if not is_bound else f"文件数值为{word}，按最不利的一端判定"
    return verdict, reason, round(margin, 10), is_bound


#: what a figure is under a ``floor`` rule (a share over a denominator that may be wider)
_FLOOR_WORD = "标准口径比例的下限（按标准口径计算的比例不低于文件数值）"

_BOUND_WORD = {
    "exact": "精确值",
    "at_least": "下限（不低于）",
    "above": "下限（超过）",
    "at_most": "上限（不超过）",
    "about": "约数",
    "nearly": "约数（接近）",
    "range": "区间",
}


def _rule_standard(rule, level: str, area: str, regions: pd.DataFrame) -> tuple[dict, pd.Series]:
    """The finding columns a rule and its threshold fix (standard, source, year, status,
    applicability, comparator, limits, section, note), and the threshold row."""
    std_level = level if rule.std_level == "=" else rule.std_level
    std = get_threshold(rule.standard, rule.std_indicator, std_level or "")
    fields = {
        "section": rule.section,
        "rule_id": rule.rule_id,
        "standard": rule.standard,
        "standard_source": std["source"],
        "standard_year": std["year"],
        "standard_status": "已核对" if std["confirmed"] else "待核对",
        "applicability": _applicability(rule.scope, area, regions),
        "comparator": std["comparator"],
        "limit": float(std["value"]),
        "limit_high": None if pd.isna(std["value_high"]) else float(std["value_high"]),
        "note": rule.note,
    }
    return fields, std


def _national(region, obs, rules, registry, regions, frame) -> list[dict]:
    rows = []
    for rule in rules[rules["indicator"] == obs["indicator"]].itertuples(index=False):
        if not (_level_matches(rule.level, obs["level"]) and _group_matches(rule.group, obs["group"])):
            continue
        fixed, std = _rule_standard(rule, obs["level"], obs["area"], regions)
        low, high = fixed["limit"], fixed["limit_high"]
        iv = _compared(obs, rule.transform)
        verdict, reason, margin, is_bound = _judge(
            obs,
            std,
            comparator=std["comparator"],
            low=low,
            high=high,
            iv=iv,
            plausible=plausible_max(obs["indicator"]),
            year=std["year"],
            bound_word=_FLOOR_WORD if rule.transform == "floor" and obs["bound"] == "exact" else "",
        )
        if rule.scope == "口径不同":  # a related norm of another measure: never a verdict
            verdict, reason, margin, is_bound = "无法判定", rule.note, np.nan, False
        shortfall, shortfall_unit = _shortfall(rule.shortfall, obs, low, verdict, frame, iv, registry["name_zh"])
        unit = rule.unit_zh or ""
        if np.isnan(shortfall):  # a rate: the points to make up
            shortfall, shortfall_unit = _points_to_make_up(verdict, unit, margin)
        rows.append(
            _row(
                region,
                obs,
                registry,
                regions,
                **fixed,
                compared_low=iv.low,
                compared_high=iv.high,
                compared_unit=unit,
                verdict=verdict,
                reason=reason,
                margin=margin,
                margin_unit=_margin_unit(unit),
                margin_is_bound=is_bound,
                shortfall=shortfall,
                shortfall_unit=shortfall_unit,
            )
        )
    return rows


def _margin_unit(unit: str) -> str:
    """The unit of a margin: percentage points for a rate in %, else the compared unit."""
    return "个百分点" if unit == "%" else unit


def _points_to_make_up(verdict: str, unit: str, margin: float) -> tuple[float, str]:
    """The shortfall of a rate in % that fails: the points to make up; else none."""
    return (-margin, "个百分点") if verdict == "未达标" and unit == "%" else (np.nan, "")


def _is_one_to_x(text: str) -> bool:
    return bool(re.match(r"^\s*1\s*:", unicodedata.normalize("NFKC", text).replace("\u2236", ":")))


def _document_norms(region, obs, norms, registry, regions, rules) -> list[dict]:
    """Judge an observation against a norm the same document cites (a 标准 row)."""
    rows = []
    info = registry.loc[obs["indicator"]]
    for norm in norms.itertuples(index=False):
        inverse = (
            info["unit"] == "ratio" and _is_one_to_x(norm.value_as_written) and _is_one_to_x(obs["value_as_written"])
        )
        if norm.bound in ("at_least", "above"):
            comparator = ">="
        elif norm.bound == "at_most":
            comparator = "<="
        elif info["direction"] in ("higher", "lower"):
            comparator = ">=" if info["direction"] == "higher" else "<="
        else:
            continue
        value = float(norm.value)
        if inverse:  # 1:x written on both sides: compare x, the direction turns round
            comparator = {">=": "<=", "<=": ">="}[comparator]
            parsed = parse_ratio(norm.value_as_written)
            value = parsed.consequent / parsed.antecedent
        iv = _compared(obs, "inverse" if inverse else "identity")
        verdict, reason, margin, is_bound = _judge(
            obs,
            None,
            comparator=comparator,
            low=value,
            high=None,
            iv=iv,
            plausible=plausible_max(obs["indicator"]),
            year="",
        )
        unit = "%" if info["unit"] == "%" else ("" if info["unit"] == "ratio" else info["unit"])
        if inverse:  # x of 1:x, in the unit a national rule on the same indicator names (名幼儿/名教职工)
            named = rules[(rules["indicator"] == obs["indicator"]) & (rules["transform"] == "inverse")]
            pair = re.fullmatch(r"(.+?)与(.+?)比", str(info["name_zh"]))  # 专任教师与在园幼儿比
            fallback = f"名{pair[2]}/名{pair[1]}" if pair else "（1:x 中的 x）"
            unit = next((u for u in named["unit_zh"] if u), fallback)
        shortfall, shortfall_unit = _points_to_make_up(verdict, unit, margin)
        rows.append(
            _row(
                region,
                obs,
                registry,
                regions,
                section=_SECTION_OF_KIND.get(info["kind"], "quality"),
                compared_low=iv.low,
                compared_high=iv.high,
                compared_unit=unit,
                rule_id="document_norm",
                standard="",
                standard_source=(
                    f"{citation(norm.source, with_number=False)}：{norm.name_in_source} {norm.value_as_written}"
                ),
                standard_year="",
                standard_status="文件引用",
                applicability="适用",
                comparator=comparator,
                limit=value,
                limit_high=None,
                verdict=verdict,
                reason=reason,
                margin=margin,
                margin_unit=_margin_unit(unit),
                margin_is_bound=is_bound,
                shortfall=shortfall,
                shortfall_unit=shortfall_unit,
                note="对照文件自己引用的标准（未与原标准核对）",
            )
        )
        name = re.sub(r"^（[^）]*）", "", norm.name_in_source) or norm.name_in_source  # drop added context
        rows[-1]["norm_text"] = f"{name} {norm.value_as_written}"
    return rows


_SECTION_OF_KIND = {"amount": "funding", "growth": "funding", "ratio": "staffing", "coefficient": "balance"}


def findings(region: str) -> pd.DataFrame:
    """The judged findings of a region and of every district/county inside it.

    Parameters
    ----------
    region : str
        Region slug (see ``eduanalysis regions``).  A city's findings cover the city
        and its districts, each judged on its own; a district's cover that district.

    Returns
    -------
    DataFrame
        One row per (figure, applicable standard), columns :data:`FINDING_COLUMNS`
        (described in the module docstring), ordered by section, area (the region
        itself first), level and year.  Empty when nothing the region reports is
        covered by a standard.

    Examples
    --------
    >>> f = findings("wuhai")
    >>> hb = f[(f["area"] == "haibowan") & (f["indicator"] == "composite_cv")]
    >>> hb[["level", "value", "limit", "verdict", "applicability"]].values.tolist()
    [['小学', 0.52, 0.65, '达标', '适用'], ['初中', 0.46, 0.55, '达标', '适用']]
    >>> f.loc[f["indicator"] == "composite_cv", "area"].nunique()  # one composite per district, never pooled
    3
    """
    regions = load_regions()
    get_region(region)
    registry = indicator_registry()
    figures = region_figures(region)
    if figures.empty:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    observations = _observations(figures)
    observations += _derived(observations)
    frame = pd.DataFrame(observations)
    rules = load_rules()
    norms = figures[figures["value_type"] == "标准"]
    rows = []
    for obs in observations:
        national = _national(region, obs, rules, registry, regions, frame)
        cited = norms[
            (norms["area"] == obs["area"])
            & (norms["indicator"] == obs["indicator"])
            & (norms["level"] == obs["level"])
            & (norms["group"] == obs["group"])
            & ((norms["year"] == obs["year"]) | (norms["year"] == ""))
        ]
        documented = _document_norms(region, obs, cited, registry, regions, rules) if len(cited) else []
        for doc in documented:
            same = [n for n in national if abs(n["limit"] - doc["limit"]) <= 1e-6 * max(1, abs(doc["limit"]))]
            if same:  # the document cites the national figure: say so on the national finding
                for n in same:  # the region is held to it by its own document: the standard applies
                    n["note"] = "；".join(filter(None, [n["note"], f"文件亦引用此标准（{doc['norm_text']}）"]))
                    n["applicability"] = "适用"
            elif national:
                rows.append(doc)
        if not national:
            rows += documented
        rows += national
    rows = _with_claims(region, rows, region_claims(region), rules, registry, regions)
    if not rows:
        return pd.DataFrame(columns=FINDING_COLUMNS)
    out = pd.DataFrame(rows)[FINDING_COLUMNS]
    order_area = {a: i for i, a in enumerate([region, *regions.index])}
    order_level = {
        lv: i for i, lv in enumerate(["", "学前", "小学", "初中", "义务教育", "普通高中", "中职", "高中阶段", "高职"])
    }
    order_section = {s: i for i, s in enumerate(["funding", "balance", "preschool", "staffing", "quality"])}
    out = out.assign(
        _s=out["section"].map(order_section),
        _a=out["area"].map(order_area),
        _l=out["level"].map(order_level).fillna(99),
    ).sort_values(["_s", "_a", "indicator", "_l", "year"], kind="stable")
    return out.drop(columns=["_s", "_a", "_l"]).reset_index(drop=True)


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


_ROLE_ZH = {
    "part": "部分",
    "whole": "总数",
    "a": "数值甲",
    "b": "数值乙",
    "previous": "上年",
    "current": "本年",
    "parts": "各部分",
    "ref_part": "参照部分",
    "ref_share": "参照占比",
}


def region_audit(region: str) -> pd.DataFrame:
    """The audit checks that concern a region and the areas inside it.

    Runs :func:`eduanalysis.judgement.audit.audit` for every figures file the region's
    report reads (its own, its districts' own, and for a district its parent's — keeping
    only the checks whose stated figure is about that district).  Adds ``area``,
    ``inputs_zh`` (the inputs in reader's words, 部分、总数 …, without our CSV line numbers),
    ``compared_text`` (重新计算 36.51 % / 另一处为 51.2 % / —) and ``alternative`` (another
    check of the same stated figure that agrees with it, in words, for a 不一致) and
    ``explanation`` (the reason, with that alternative).
    """
    from ..data.figures import figures_path, load_figures
    from ..data.regions import children
    from .audit import audit, checks_path

    info = get_region(region)
    owners = [o for o in [region, *children(region)] if checks_path(o).exists()]
    parent = info["parent"]
    frames = []
    for owner in owners + ([parent] if parent and checks_path(parent).exists() else []):
        result = audit(owner)
        if result.empty:
            continue
        if figures_path(owner).exists():
            district = result["target_row"].map(load_figures(owner).set_index("row")["district"])
        else:
            district = pd.Series("", index=result.index)
        result = result.assign(area=district.where(district != "", owner))
        if owner == parent:
            result = result[result["area"] == region]
        frames.append(result)
    if not frames:
        return pd.DataFrame(
            columns=[
                "area",
                "verdict",
                "description",
                "year",
                "stated",
                "recomputed_text",
                "reason",
                "inputs_zh",
                "note",
            ]
        )
    out = pd.concat(frames, ignore_index=True)

    def words(text: str) -> str:
        text = re.sub(r"第\d+行\s*", "", text)
        for role, zh in _ROLE_ZH.items():
            text = re.sub(rf"(^|；)\s*{role}:\s*", rf"\g<1>{zh}：", text)
        return text

    out = out.assign(
        inputs_zh=out["inputs"].map(words),
        reason=out["reason"].str.replace(r"\s*ratio\b", "", regex=True),
        recomputed_text=out["recomputed_text"].str.replace(r"\s*ratio\b", "", regex=True),
    )
    # an inconsistency that another reading of the same stated figure resolves says so
    agree = out[out["verdict"] == "一致"].groupby(["area", "target_row"])
    alternative = []
    for r in out.itertuples():
        key = (r.area, r.target_row)
        if r.verdict == "不一致" and key in agree.groups:
            other = out.loc[agree.groups[key]].iloc[0]
            alternative.append(
                f"文件数值与另一种算法相符：{other['description']}，为 {other['recomputed_text']}；"
                "文件未说明用的是哪种，仍列为不一致"
            )
        else:
            alternative.append("")
    # what the stated figure is set against, in words: a figure stated twice is compared with its
    # other statement, not recomputed
    compared = [
        (f"另一处为 {t}" if kind == "same" else f"重新计算 {t}") if t else "—"
        for kind, t in zip(out["kind"], out["recomputed_text"])
    ]
    explanation = [f"{r}；{a}" if a else r for r, a in zip(out["reason"], alternative)]
    return out.assign(alternative=alternative, compared_text=compared, explanation=explanation)


def all_findings(regions: list[str] | None = None) -> pd.DataFrame:
    """The findings of several regions in one table (default: every region with figures).

    Examples
    --------
    >>> table = all_findings(["wuhai", "yining"])
    >>> sorted(table["region"].unique())
    ['wuhai', 'yining']
    """
    from ..data.figures import has_figure_files
    from ..data.regions import report_regions, resolve_region

    slugs = [resolve_region(r) for r in regions] if regions else [s for s in report_regions() if has_figure_files(s)]
    frames = [findings(s) for s in slugs]
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=FINDING_COLUMNS)


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
