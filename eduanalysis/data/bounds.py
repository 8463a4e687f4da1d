"""What a reported number claims: an exact value, a bound, or an approximation.

Documents write "超过7%", "95%以上", "近 3000 万元", "3 个左右", "5万余名".  The parser keeps
those words in ``qualifier`` (:func:`eduanalysis.data.numbers.parse_quantity`); this module
says what they mean, as an interval the true value lies in, so that a verdict is drawn
only where the whole interval falls on one side of a threshold.

========  ===================  =====================  ==========================
bound     words                interval for x         reading
========  ===================  =====================  ==========================
exact     (none), 达到          [x, x]                  the value as printed
at_least  不低于 不少于 至少 以上        [x, ∞)                  x or more
above     超过 高于 余 多          (x, ∞)                  more than x
at_most   以内 以下 不超过 不高于   (−∞, x]                 x or less
about     约 左右                [x − 5 %, x + 5 %]      roughly x
nearly    近                    [x − 5 %, x]            approaching x from below
range     2—3个 (区间)           [x, high]               a range: low end x, high end
========  ===================  =====================  ==========================

The 5 % of an approximation is this project's convention (the documents give none); it
is the same tolerance the audit uses for approximate figures.  Open and closed ends are
not distinguished: a threshold that falls exactly on an open end gives 无法判定 only if
the interval also reaches the other side.
"""

from __future__ import annotations

import math
from typing import NamedTuple

__all__ = ["APPROX_TOLERANCE", "BOUND_LABELS", "BOUNDS", "Interval", "bound_of", "interval"]

#: relative half-width of "about x" (约, 左右) and width of "nearly x" (近)
APPROX_TOLERANCE = 0.05

#: bound -> words that signal it, checked in this order: an approximation word wins, and
#: the negated forms (不超过, 不高于) are tested before the words they contain (超过, 高于)
BOUNDS: dict[str, tuple[str, ...]] = {
    "range": ("区间",),  # the parser's word for a range 2—3个 (numbers.RANGE_QUALIFIER)
    "nearly": ("近",),
    "about": ("约", "左右"),
    "at_most": ("以内", "以下", "不超过", "不高于", "不多于"),
    "at_least": ("不低于", "不少于", "至少", "以上"),
    "above": ("超过", "高于", "余", "多"),
    "exact": ("", "达到"),
}
#: how a report names each bound
BOUND_LABELS = {
    "exact": "精确值",
    "at_least": "下限（不低于）",
    "above": "下限（超过）",
    "at_most": "上限（不超过）",
    "about": "约数（±5%）",
    "nearly": "约数（略低于）",
    "range": "区间",
}


class Interval(NamedTuple):
    """Where the true value lies: ``low`` ≤ value ≤ ``high`` (infinite ends allowed)."""

    low: float
    high: float

    @property
    def exact(self) -> bool:
        return self.low == self.high

    def map(self, func) -> Interval:
        """The interval of ``func(value)`` for a monotone ``func`` (decreasing ones swap ends)."""
        a, b = func(self.low), func(self.high)
        return Interval(min(a, b), max(a, b))


def bound_of(qualifier: str) -> str:
    """The bound a qualifier signals.

    ``qualifier`` is the concatenation of the words the parser kept (``"近"``,
    ``"超过"``, ``"余"``, ``"减少"`` …); words that only change the sign (减少, 下降)
    do not make a bound.

    Examples
    --------
    >>> bound_of("超过"), bound_of("以上"), bound_of("近"), bound_of("左右"), bound_of("")
    ('above', 'at_least', 'nearly', 'about', 'exact')
    >>> bound_of("减少"), bound_of("区间")
    ('exact', 'range')
    """
    qualifier = qualifier.replace("减少", "").replace("下降", "")
    for bound, words in BOUNDS.items():
        if bound != "exact" and any(w in qualifier for w in words):
            return bound
    return "exact"


def interval(value: float, bound: str, high: float | None = None) -> Interval:
    """The interval a reported ``value`` with ``bound`` stands for.

    A ``range`` (2—3个) needs its ``high`` end (``value`` is the low end).

    Examples
    --------
    >>> interval(7.0, "above")
    Interval(low=7.0, high=inf)
    >>> interval(3000.0, "nearly")
    Interval(low=2850.0, high=3000.0)
    >>> interval(0.52, "exact").exact
    True
    >>> interval(2.0, "range", 3.0)
    Interval(low=2.0, high=3.0)
    """
    if bound == "range":
        if high is None or math.isnan(high) or high < value:
            raise ValueError(f"a range needs a high end not below its low end {value!r}, found {high!r}")
        return Interval(value, high)
    if bound == "exact":
        return Interval(value, value)
    if bound in ("at_least", "above"):
        return Interval(value, math.inf)
    if bound == "at_most":
        return Interval(-math.inf, value)
    spread = abs(value) * APPROX_TOLERANCE
    if bound == "about":
        return Interval(value - spread, value + spread)
    if bound == "nearly":
        return Interval(value - spread, value)
    raise ValueError(f"unknown bound {bound!r}; expected one of {', '.join(BOUNDS)}")
