"""How findings read in Chinese: numbers with units, thresholds, verdicts, margins, sources.

Everything a reader sees of a finding is worded here, once, so that every section, the
summary, the index and the exports say the same thing the same way: ≥ and ≤ (never
``>=``), 个百分点 for differences of rates, a unit on every number, a document cited by
its title (numbered within a report), and no code tokens.
"""

from __future__ import annotations

import math

import pandas as pd

from ..data.sources import load_sources

__all__ = [
    "LEVEL_ORDER",
    "level_name",
    "VERDICT_CLASS",
    "fmt_num",
    "limit_label",
    "year_label",
    "place_label",
    "margin_label",
    "shortfall_label",
    "source_numbers",
    "source_refs",
    "value_label",
    "verdict_label",
]

VERDICT_CLASS = {"达标": "ea-met", "未达标": "ea-not-met", "无法判定": "ea-undecided", "数据存疑": "ea-doubt"}
LEVEL_ORDER = ["学前", "小学", "初中", "义务教育", "普通高中", "中职", "高中阶段", "高中", "高职", "高等教育"]


def fmt_num(value: float, unit: str = "", digits: int | None = None) -> str:
    """A number as a report prints it: thousands separators, trailing zeros dropped, unit after.

    Examples
    --------
    >>> fmt_num(150438.0, "万元"), fmt_num(0.4754, digits=4), fmt_num(13.4658, "%"), fmt_num(float("nan"))
    ('150,438 万元', '0.4754', '13.47%', '—')
    >>> fmt_num(3647, "人"), fmt_num(-1.8, "个百分点"), fmt_num(0.2137, "倍")
    ('3,647 人', '−1.8 个百分点', '0.21 倍')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "—"
    if math.isinf(value):
        return "∞"
    if digits is None:
        # coefficients (no unit) keep four decimals below 1; a ratio in 倍 reads like its value: 1.21 倍, +0.21 倍
        digits = 0 if abs(value) >= 1000 else (4 if abs(value) < 1 and unit == "" else 2)
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    if text in ("-0", "−0"):
        text = "0"
    # one way everywhere: a space before a unit (3,647 人, 150,438 万元, 0.8 个百分点), none before % (97%)
    sep = " " if unit and not unit.startswith(("%", "‰")) else ""
    return f"{text}{sep}{unit}".replace("-", "−")


def _unit(row) -> str:
    return row["compared_unit"] if row["compared_unit"] not in (None, "") else ""


def value_label(row) -> str:
    """The compared value of a finding with its unit; an interval for a bound."""
    unit = _unit(row)
    low, high = row["compared_low"], row["compared_high"]
    if pd.isna(low) and pd.isna(high):  # judged from the document's words, no number to compare
        return "—"
    if low == high:
        return fmt_num(low, unit)
    if math.isinf(high):
        return f"≥ {fmt_num(low, unit)}"
    if math.isinf(low):
        return f"≤ {fmt_num(high, unit)}"
    return f"{fmt_num(low, unit)}–{fmt_num(high, unit)}"


def limit_label(row) -> str:
    """The threshold: ``≥ 95%``, ``≤ 0.65``, ``40%–60%``."""
    unit = _unit(row)
    if row["comparator"] == "between":
        return f"{fmt_num(row['limit'], unit)}–{fmt_num(row['limit_high'], unit)}"
    symbol = "≥" if row["comparator"] == ">=" else "≤"
    return f"{symbol} {fmt_num(row['limit'], unit)}"


def margin_label(row) -> str:
    """Signed distance to the threshold (positive is better than the standard)."""
    margin = row["margin"]
    if pd.isna(margin):
        return "—"
    unit = row["margin_unit"] or ""
    digits = 3 if row["indicator"] in ("composite_cv",) or row["indicator"].startswith("cv_") else None
    text = fmt_num(abs(margin), unit, digits)
    sign = "+" if margin > 0 else ("−" if margin < 0 else "±")
    out = f"{sign}{text}" if margin != 0 else f"±0{(' ' + unit) if unit and unit != '%' else ''}"
    return f"至少 {out}" if row.get("margin_is_bound") and margin > 0 else out


def shortfall_label(row) -> str:
    """What it takes to meet the standard, in natural units, or ``—``."""
    if pd.isna(row["shortfall"]) or row["verdict"] != "未达标":
        return "—"
    unit = row["shortfall_unit"]
    if unit == "人":
        return f"需增加 {fmt_num(row['shortfall'], '', 0)} 人"
    if unit.startswith("人（"):  # 人（中职招生，高中阶段招生总数不变）
        return f"需增加 {fmt_num(row['shortfall'], '', 0)} {unit}"
    if unit == "个百分点":
        return f"需提高 {fmt_num(row['shortfall'], '', 2)} 个百分点"
    if unit == "元/人/年":
        return f"人均每年差 {fmt_num(row['shortfall'], '元', 0)}"
    return f"差 {fmt_num(row['shortfall'], unit)}"


def verdict_label(row) -> str:
    """达标 / 未达标 / 无法判定 / 数据存疑, with （参照）and（标准待核对）where they apply."""
    notes = []
    if row["applicability"] == "参照":
        notes.append("参照")
    if row["standard_status"] == "待核对":
        notes.append("标准待核对")
    elif row["standard_status"] == "文件引用":
        notes.append("文件所引标准")
    return row["verdict"] + (f"（{'，'.join(notes)}）" if notes else "")


def source_numbers(source_ids) -> dict[str, int]:
    """Number the documents a report cites, [1], [2] …, in the order of the source registry."""
    registry = list(load_sources().index)
    wanted = set(source_ids)
    ordered = [s for s in registry if s in wanted]
    return {s: i for i, s in enumerate(ordered, start=1)}


def source_refs(sources: str, locators: str, numbers: dict[str, int]) -> str:
    """``[1] 二、（五）第15条；[2] 表1`` for a finding's sources and locators."""
    parts = []
    for loc in filter(None, (locators or "").split("；")):
        sid, _, where = loc.partition(" · ")
        parts.append(f"[{numbers.get(sid, '?')}] {where}".strip())
    return (
        "；".join(dict.fromkeys(parts)) if parts else "；".join(f"[{numbers.get(s, '?')}]" for s in sources.split("；"))
    )


def level_name(level: str, name: str) -> str:
    """An indicator's name with its level in front, unless the name already starts with it.

    Examples
    --------
    >>> level_name("小学", "综合差异系数"), level_name("义务教育", "义务教育在校生"), level_name("", "巩固率")
    ('小学综合差异系数', '义务教育在校生', '巩固率')
    """
    return name if not level or name.startswith(level) else level + name


def year_label(row) -> str:
    """The year as the reader should take it: ``2019（推断）`` when no statement gives it.

    Examples
    --------
    >>> year_label({"year": "2019", "year_inferred": True}), year_label({"year": "2020", "year_inferred": False})
    ('2019（推断）', '2020')
    """
    return f"{row['year']}（推断）" if row.get("year_inferred") else str(row["year"])


def place_label(row) -> str:
    """Where a finding is: its area (全市, 海勃湾区 …), or the one institution it is about.

    Examples
    --------
    >>> place_label({"area_label": "全市", "scope_zh": "乌海职业技术学院"})
    '乌海职业技术学院'
    >>> place_label({"area_label": "全市", "scope_zh": ""})
    '全市'
    """
    return row.get("scope_zh") or row["area_label"]
