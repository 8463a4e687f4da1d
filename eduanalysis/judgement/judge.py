"""The one judge: a value (or the interval it stands for) against a limit → verdict and margin.

Every verdict of the project is drawn here — the findings table, the 2017 school rule, the
planner's re-check and the balance report — so that the same figure against the same limit
can never come out two ways.  Presentation only displays what this module decided.

Comparators
-----------
``>=``       a floor: met when the value is at least ``limit``;
``<=``       a ceiling: met when the value is at most ``limit``;
``between``  a band: met when ``limit <= value <= high``.

The margin is signed so that **positive is good**: ``value − limit`` for a floor,
``limit − value`` for a ceiling, the distance to the nearer end of a band (negative outside).

An interval (what "超过 7 %" or "约 3000" stands for, :mod:`eduanalysis.data.bounds`) is 达标
when all of it meets the limit, 未达标 when none of it does and 无法判定 when the limit falls
inside it; its margin is then the one the whole interval guarantees (``margin_is_bound``).

A value equal to the limit meets it.  ``tol`` (default 1e-9) absorbs floating-point noise
only; it is not a rounding allowance.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from ..data.bounds import Interval

__all__ = ["COMPARATORS", "MET", "NOT_MET", "UNDECIDED", "Judgement", "judge", "judge_array", "margin"]

MET, NOT_MET, UNDECIDED = "达标", "未达标", "无法判定"
COMPARATORS = (">=", "<=", "between")
_TOL = 1e-9


class Judgement(NamedTuple):
    """A verdict, its signed margin (positive is good; NaN when undecided) and whether that
    margin is only what a bound guarantees."""

    verdict: str
    margin: float
    margin_is_bound: bool

    @property
    def met(self) -> bool:
        return self.verdict == MET


def _check(comparator: str, high) -> None:
    if comparator not in COMPARATORS:
        raise ValueError(f"comparator must be one of {', '.join(COMPARATORS)}, got {comparator!r}")
    if comparator == "between" and (high is None or (isinstance(high, float) and math.isnan(high))):
        raise ValueError("comparator 'between' needs an upper limit `high`, got None")


def margin(value: float, comparator: str, limit: float, high: float | None = None) -> float:
    """Signed margin of an exact value (positive is good).

    Examples
    --------
    >>> round(margin(0.52, "<=", 0.65), 2)  # a composite below its ceiling
    0.13
    >>> margin(93.2, ">=", 95.0)
    -1.7999999999999972
    >>> margin(8.0, "between", 5.0, 7.0)
    -1.0
    """
    _check(comparator, high)
    if comparator == ">=":
        return value - limit
    if comparator == "<=":
        return limit - value
    return min(value - limit, high - value)


def judge(
    value: float | Interval, comparator: str, limit: float, high: float | None = None, *, tol: float = _TOL
) -> Judgement:
    """Judge a value or an interval against a limit.

    Parameters
    ----------
    value : float or Interval
        The compared value; an :class:`~eduanalysis.data.bounds.Interval` for a bound
        ("超过", "以上", "约" …).  NaN gives 无法判定.
    comparator : {'>=', '<=', 'between'}
    limit, high : float
        The threshold; ``high`` is the upper end of a band.

    Examples
    --------
    >>> judge(95.4, ">=", 85.0)
    Judgement(verdict='达标', margin=10.400000000000006, margin_is_bound=False)
    >>> judge(Interval(7.0, math.inf), ">=", 10.0).verdict  # "超过7%" against 10 %
    '无法判定'
    >>> judge(Interval(12.0, math.inf), ">=", 10.0)  # "超过12%": met, by at least 2
    Judgement(verdict='达标', margin=2.0, margin_is_bound=True)
    >>> judge(0.58, "<=", 0.55).verdict
    '未达标'
    >>> judge(6.0, "between", 5.0, 7.0).met
    True
    """
    _check(comparator, high)
    iv = value if isinstance(value, Interval) else Interval(float(value), float(value))
    if math.isnan(iv.low) or math.isnan(iv.high):
        return Judgement(UNDECIDED, math.nan, False)
    bound = not iv.exact
    if comparator == ">=":
        if iv.low >= limit - tol:
            return Judgement(MET, iv.low - limit, bound)
        if iv.high < limit - tol:
            return Judgement(NOT_MET, iv.high - limit, bound)
    elif comparator == "<=":
        if iv.high <= limit + tol:
            return Judgement(MET, limit - iv.high, bound)
        if iv.low > limit + tol:
            return Judgement(NOT_MET, limit - iv.low, bound)
    else:
        if iv.low >= limit - tol and iv.high <= high + tol:
            return Judgement(MET, min(iv.low - limit, high - iv.high), bound)
        if iv.high < limit - tol:
            return Judgement(NOT_MET, iv.high - limit, bound)
        if iv.low > high + tol:
            return Judgement(NOT_MET, high - iv.low, bound)
    return Judgement(UNDECIDED, math.nan, False)


def judge_array(values, comparator: str, limits, *, tol: float = _TOL) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised judge of exact values (schools × indicators): ``(met, margin)`` arrays.

    ``values`` and ``limits`` broadcast against each other; ``comparator`` is ``'>='`` or
    ``'<='`` (bands are judged one by one with :func:`judge`).  NaN values are not met and
    have a NaN margin.  Same rule as :func:`judge`: a value equal to the limit meets it.

    Examples
    --------
    >>> met, m = judge_array([4.5, 4.4, float("nan")], ">=", 4.5)
    >>> met.tolist(), np.round(m, 2).tolist()
    ([True, False, False], [0.0, -0.1, nan])
    """
    if comparator not in (">=", "<="):
        raise ValueError(f"judge_array compares with '>=' or '<=', got {comparator!r}")
    values = np.asarray(values, dtype=float)
    limits = np.asarray(limits, dtype=float)
    diff = values - limits if comparator == ">=" else limits - values
    with np.errstate(invalid="ignore"):
        met = diff >= -tol
    return met & ~np.isnan(diff), diff
