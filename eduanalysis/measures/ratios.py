"""Ratios as the documents write them: 生师比, 师生比, 班师比, 职普比, 教职工与幼儿比.

The reports write a ratio as two numbers around a colon: ``"1:211"``, ``"2.9:7.1"``,
``"16.0:1"``, full-width ``"4∶6"`` (U+2236 RATIO) or ``"1：5.6"`` (U+FF1A).  The order is
the one of the name: 生师比 16.0:1 is students : teachers, 师生比 1:211 is
teachers : students, 职普比 2.9:7.1 is vocational : general.

A ratio a:b and the quotient a/b carry the same information; inverting changes the
orientation (students per teacher vs teachers per student), scaling (per 100 students)
does not.  This matters for difference coefficients: the CV of x and of 100·x are equal,
the CV of x and of 1/x are not.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import NamedTuple

import pandas as pd

from ..errors import DataValidationError

__all__ = [
    "Ratio",
    "format_ratio",
    "parse_ratio",
    "per_hundred",
    "per_one",
    "ratio_to_float",
    "shares",
]

_NUMBER = r"\d+(?:\.\d+)?"
_RATIO_RE = re.compile(rf"^\s*({_NUMBER})\s*:\s*({_NUMBER})\s*$")
# 每5所幼儿园配备1名: one of the second noun for every 5 of the first, the ratio 1:5
_INVERTED_RE = re.compile(rf"^\s*每\s*({_NUMBER})\s*[^\d:]+?({_NUMBER})\s*[^\d:]{{0,6}}$")


class Ratio(NamedTuple):
    """A parsed ratio ``antecedent : consequent`` (both > 0)."""

    antecedent: float
    consequent: float

    @property
    def quotient(self) -> float:
        """a / b, e.g. 16.0:1 → 16.0 (students per teacher)."""
        return self.antecedent / self.consequent

    @property
    def inverse(self) -> float:
        """b / a, e.g. 1:211 → 211.0."""
        return self.consequent / self.antecedent

    def shares(self) -> tuple[float, float]:
        """Each side's share of the sum, e.g. 职普比 2.9:7.1 → (0.29, 0.71)."""
        total = self.antecedent + self.consequent
        return self.antecedent / total, self.consequent / total

    def normalized(self, side: str = "antecedent") -> Ratio:
        """Scale so that ``side`` equals 1: 2:10 → 1:5 (antecedent) or 0.2:1 (consequent)."""
        if side == "antecedent":
            return Ratio(1.0, self.consequent / self.antecedent)
        if side == "consequent":
            return Ratio(self.antecedent / self.consequent, 1.0)
        raise ValueError(f"side must be 'antecedent' or 'consequent', got {side!r}")


def _normalize_text(text: str) -> str:
    # NFKC folds full-width digits, '：' and '．'; U+2236 RATIO and U+02D0 are not folded.
    return unicodedata.normalize("NFKC", text).replace("\u2236", ":").replace("\u02d0", ":")


def parse_ratio(text: str) -> Ratio:
    """Parse ``"a:b"`` with an ASCII, full-width (：) or ratio (∶) colon, or ``每b…a…``.

    Both numbers must be positive.  Anything else raises ``DataValidationError`` quoting
    the input.

    Examples
    --------
    >>> parse_ratio("1:211")
    Ratio(antecedent=1.0, consequent=211.0)
    >>> parse_ratio("4∶6").shares()
    (0.4, 0.6)
    >>> parse_ratio("１６.０：１").quotient
    16.0

    The inverted form of a staffing rule reads as the ratio it states:

    >>> parse_ratio("每5所幼儿园配备1名")
    Ratio(antecedent=1.0, consequent=5.0)
    """
    if not isinstance(text, str):
        raise DataValidationError(f"a ratio must be a string like '1:211', got {text!r}")
    match = _RATIO_RE.match(_normalize_text(text))
    inverted = _INVERTED_RE.match(_normalize_text(text)) if match is None else None
    if inverted is not None:
        return parse_ratio(f"{inverted.group(2)}:{inverted.group(1)}")
    if match is None:
        raise DataValidationError(
            f"cannot parse ratio {text!r}: expected two non-negative numbers around a colon, "
            "e.g. '1:211', '2.9:7.1', '4∶6'"
        )
    a, b = float(match.group(1)), float(match.group(2))
    if a <= 0 or b <= 0:
        raise DataValidationError(f"ratio {text!r}: both sides must be greater than 0")
    return Ratio(a, b)


def ratio_to_float(text: str) -> float:
    """Quotient a/b of a ratio string.

    Examples
    --------
    >>> ratio_to_float("2.9:7.1") == 2.9 / 7.1
    True
    """
    return parse_ratio(text).quotient


def format_ratio(value: float, *, precision: int = 1, side: str = "consequent") -> str:
    """Write a quotient as a ratio string with one side equal to 1.

    ``side="consequent"`` gives ``"x:1"`` (生师比 style), ``"antecedent"`` gives ``"1:x"``
    (the value is read as a/b and written as 1:(b/a)).

    Examples
    --------
    >>> format_ratio(16.04)
    '16.0:1'
    >>> format_ratio(1 / 211, side="antecedent", precision=0)
    '1:211'
    """
    if not math.isfinite(value) or value <= 0:
        raise DataValidationError(f"a ratio needs a positive finite quotient, got {value!r}")
    if side == "consequent":
        return f"{value:.{precision}f}:1"
    if side == "antecedent":
        return f"1:{1 / value:.{precision}f}"
    raise ValueError(f"side must be 'antecedent' or 'consequent', got {side!r}")


def per_hundred(per_one: float | pd.Series) -> float | pd.Series:
    """Per-student value → per-100-students value (每百名学生拥有…): multiply by 100.

    >>> per_hundred(0.042)
    4.2
    """
    return per_one * 100


def per_one(per_hundred_value: float | pd.Series) -> float | pd.Series:
    """Per-100-students value → per-student value: divide by 100.

    >>> per_one(4.2)
    0.042
    """
    return per_hundred_value / 100


def shares(parts: pd.Series) -> pd.Series:
    """Each part's share of the total (fractions summing to 1).

    Parts must be non-negative and not all zero; NaN is an error, not a zero.

    Examples
    --------
    >>> shares(pd.Series({"普通高中": 7100, "中职": 2900})).round(2).tolist()
    [0.71, 0.29]
    """
    parts = pd.Series(parts, dtype="float64")
    if parts.isna().any():
        missing = parts.index[parts.isna()].tolist()
        raise DataValidationError(f"shares: parts {missing} are missing (NaN); a gap is not a 0")
    if (parts < 0).any():
        negative = parts.index[parts < 0].tolist()
        raise DataValidationError(f"shares: parts must be >= 0, found negative {negative}")
    total = parts.sum()
    if total == 0:
        raise DataValidationError("shares: the parts sum to 0, shares are undefined")
    return parts / total
