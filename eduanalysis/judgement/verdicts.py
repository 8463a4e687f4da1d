"""Verdicts: one observation against the rules and the norms its document cites, one finding row each.

Every verdict is drawn by :func:`eduanalysis.judgement.judge.judge`; this module decides which
standard a figure is set against, how the figure is read for it (the rule's transform, the
bound its words give) and writes the finding row (reason, margin, shortfall, provenance).
"""

from __future__ import annotations

import math
import re
import unicodedata

import numpy as np
import pandas as pd

from ..data.bounds import Interval, interval
from ..data.regions import is_county_level
from ..data.sources import citation
from ..measures.ratios import parse_ratio
from .applicability import applicability
from .judge import judge
from .observations import _TOL, _year_end
from .rules import plausible_max
from .standards import get_threshold

__all__ = ["VERDICTS"]

VERDICTS = ("达标", "未达标", "无法判定", "数据存疑")


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


def _applicability(scope: str, area: str, regions: pd.DataFrame, held: bool = False) -> str:
    """适用 or 参照, as ``applicability.csv`` gives it for the scope, the area and ``held``."""
    return applicability(scope, is_county_level(area, regions), held).status


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
        below = judge(iv, ">=", limit).verdict == "未达标"  # wholly below the floor; above a ceiling adds nothing
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
        "year_inferred": bool(obs.get("year_inferred", False)),
        "scope_zh": obs.get("scope_zh", ""),
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
    verdict, margin, is_bound = judge(iv, comparator, low, high, tol=_TOL)
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
        "_scope": rule.scope,
        "_held": False,
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
        if not applicability(rule.scope, True, False).shortfall:  # e.g. a band that is only our reading
            shortfall, shortfall_unit = np.nan, ""
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


_SECTION_OF_KIND = {"amount": "funding", "growth": "funding", "ratio": "staffing", "coefficient": "balance"}


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
                applicability=_applicability("文件引用", obs["area"], regions, held=True),
                _scope="文件引用",
                _held=True,
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
