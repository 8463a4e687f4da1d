"""How the balance report prints plan numbers so that a reader can check them and no failing
value reads as a pass: money in 万元 with one decimal (:func:`wan`), shares rounded down
(:func:`floor_percent`), coefficients rounded up (:func:`ceil_cv`), shortfalls rounded up
(:func:`ceil_amount`), printed parts that add up to their printed total (:func:`parts_to_total`),
a failing value rounded toward failing (:func:`toward_failing`) and schools counted apart from
their sections (:func:`count_schools`)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from .labels import fmt_num

__all__ = ["ceil_amount", "ceil_cv", "count_schools", "floor_percent", "parts_to_total", "toward_failing", "wan"]


def wan(value: float) -> str:
    """元 as 万元 with one decimal, the one way the plan sections print money.

    Examples
    --------
    >>> wan(1234567), wan(0), wan(float("nan"))
    ('123.5 万元', '0 万元', '—')
    """
    return fmt_num(value / 1e4, "万元", 1) if not (isinstance(value, float) and math.isnan(value)) else "—"


def floor_percent(ratio: float) -> str:
    """A ratio as a percentage to one decimal, rounded down: a value below 100 % never reads 100 %.

    Examples
    --------
    >>> floor_percent(0.9951), floor_percent(1.0), floor_percent(0.85)
    ('99.5%', '100%', '85%')
    """
    if ratio is None or pd.isna(ratio):
        return "—"
    return fmt_num(math.floor(round(ratio * 1000, 6)) / 10, "%", 1)


def ceil_cv(value: float) -> str:
    """A coefficient to three decimals, rounded up: a value above a limit never reads as on it.

    Examples
    --------
    >>> ceil_cv(0.5004), ceil_cv(0.5), ceil_cv(float("nan"))
    ('0.501', '0.500', '—')
    """
    if value is None or pd.isna(value):
        return "—"
    return f"{math.ceil(round(value * 1000, 6)) / 1000:.3f}"


def ceil_amount(value: float, unit: str) -> float:
    """A shortfall in whole persons or rooms rounded up (0.9 人 needs 1 人); ㎡ and 元 to 0.1.

    Examples
    --------
    >>> ceil_amount(0.9, "人"), ceil_amount(12.34, "㎡")
    (1.0, 12.4)
    """
    if unit in ("人", "间", "台", "册"):
        return float(math.ceil(round(value, 9)))
    return math.ceil(round(value * 10, 6)) / 10


def parts_to_total(values, decimals: int = 1) -> np.ndarray:
    """Round parts so that the printed parts add up to their printed (rounded) total.

    Largest-remainder rounding: the total is rounded to ``decimals`` as usual; each part is
    rounded down, and the units still missing go to the parts with the largest remainders.
    Every part moves by less than one unit of the last decimal, and ``sum(result)`` equals
    ``round(sum(values), decimals)``, so a table's rows always add to the total printed
    beside them (473.4 + 57.5 = 530.9, never 473.4 + 57.6 = 530.9).

    Examples
    --------
    >>> parts_to_total([473.44, 57.56, 0.0]).tolist()  # total 531.0 → 473.4 + 57.6
    [473.4, 57.6, 0.0]
    >>> parts_to_total([473.43, 57.54]).tolist()  # total 530.97 → 531.0; 57.54 has the larger remainder
    [473.4, 57.6]
    >>> parts_to_total([1/3, 1/3, 1/3]).tolist()  # 1.0 in all, not 0.3 × 3 = 0.9
    [0.4, 0.3, 0.3]
    """
    values = np.asarray(values, dtype=float)
    if values.size == 0:
        return values.copy()
    scale = 10**decimals
    scaled = np.round(values * scale, 6)  # float noise (0.30000000000000004) is no remainder
    total = int(math.floor(scaled.sum() + 0.5))
    base = np.floor(scaled)
    missing = total - int(base.sum())
    order = np.argsort(-(scaled - base), kind="stable")
    base[order[: max(missing, 0)]] += 1
    return base / scale


def toward_failing(value: float, threshold: float, decimals: int = 2, *, at_least: bool = True) -> str:
    """A school's value printed beside its threshold: a failing value never reads as the threshold.

    A value below an "at least" threshold (or above an "at most" one, ``at_least=False``)
    is rounded toward failing — down (up) to ``decimals`` — so it prints strictly below
    (above) the threshold: 0.896 beside 0.9 reads 0.89, not 0.90.  A passing value is
    rounded as usual.

    Examples
    --------
    >>> toward_failing(0.896, 0.9), toward_failing(0.9, 0.9), toward_failing(4.2049, 4.2)
    ('0.89', '0.90', '4.20')
    >>> toward_failing(0.5004, 0.5, 3, at_least=False), toward_failing(float("nan"), 1.0)
    ('0.501', '—')
    >>> toward_failing(0.89999999, 0.9), toward_failing(0.8999999999, 0.9)  # never a false 0.90
    ('0.89', '0.8999')
    """
    if value is None or pd.isna(value):
        return "—"
    failing = value < threshold if at_least else value > threshold
    if not failing:
        return f"{value:,.{decimals}f}"
    toward = math.floor if at_least else math.ceil
    for d in range(decimals, decimals + 7):  # more decimals when the gap is smaller than the last one
        shown = toward(round(value * 10**d, 6)) / 10**d
        if (shown < threshold) if at_least else (shown > threshold):
            return f"{shown:,.{d}f}"
    return f"{value:,.{decimals + 7}f}"  # pragma: no cover - a gap below 1e-8 of a teacher ratio


def count_schools(judged: pd.DataFrame, failing: pd.Series) -> str:
    """How many schools are judged and how many fail, counting schools and sections apart.

    A row of the rule table is one school's section (学段): a nine-year school's 小学 and
    初中 are judged apart but are one school.  When every school has one section the
    sentence counts schools; otherwise it says both.

    Examples
    --------
    >>> t = pd.DataFrame({"school": ["甲", "乙", "乙"], "level": ["小学", "小学", "初中"]})
    >>> count_schools(t.iloc[:2], pd.Series([True, False]))
    '参评学校 2 所，其中 1 所未达到 2017 年学校达标规则。'
    >>> text = count_schools(t, pd.Series([False, True, True]))
    >>> text[: text.index("，其中")]
    '参评学校 2 所（3 个学段：一所学校有小学、初中两个学段的，分学段判定）'
    >>> text[text.index("其中") :]
    '其中 1 所学校的 2 个学段未达到 2017 年学校达标规则。'
    """
    keys = [c for c in ("region", "school") if c in judged.columns]
    failing = pd.Series(np.asarray(failing, dtype=bool), index=judged.index)
    n_schools = len(judged[keys].drop_duplicates())
    n_failing = len(judged.loc[failing, keys].drop_duplicates())
    if n_schools == len(judged):
        return f"参评学校 {n_schools:,} 所，其中 {n_failing:,} 所未达到 2017 年学校达标规则。"
    return (
        f"参评学校 {n_schools:,} 所（{len(judged):,} 个学段：一所学校有小学、初中两个学段的，分学段判定），"
        f"其中 {n_failing:,} 所学校的 {int(failing.sum()):,} 个学段未达到 2017 年学校达标规则。"
    )
