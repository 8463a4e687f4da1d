"""Judge values against the national standards: met or not, and by how much.

The margin is signed so that positive is good: ``limit − value`` for an upper limit
(``<=``), ``value − limit`` for a floor (``>=``), and the distance to the nearer bound
for a range (``between``, negative outside).  Every verdict carries the standard's
source and whether the threshold is ``confirmed`` against the official text.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ..errors import DataValidationError, ParameterError
from .judge import judge
from .judge import margin as judge_margin
from .school_rule import quality_school_check
from .standards import get_threshold

# quality_school_check lives in school_rule (vectorised); re-exported here, where it was
__all__ = ["assess", "assess_frame", "quality_school_check"]


def assess(value: float, standard: str, indicator: str, level: str = "") -> dict:
    """Judge one value against a threshold of a standard.

    Returns a dict with ``value``, ``limit`` (and ``limit_high`` for a range),
    ``comparator``, ``met`` (bool), ``margin`` (positive is good), ``standard``,
    ``source``, ``year`` and ``confirmed``.

    Examples
    --------
    >>> r = assess(0.52, "basic_balance_2012", "composite_cv", "小学")
    >>> r["met"], round(r["margin"], 2)
    (True, 0.13)
    >>> assess(0.60, "basic_balance_2012", "composite_cv", "初中")["met"]
    False
    """
    if value is None or not isinstance(value, (int, float, np.number)) or not math.isfinite(value):
        raise DataValidationError(f"assess: value must be a finite number, got {value!r}")
    row = get_threshold(standard, indicator, level)
    high = None if pd.isna(row["value_high"]) else float(row["value_high"])
    margin = float(judge_margin(float(value), row["comparator"], float(row["value"]), high))
    return {
        "value": float(value),
        "limit": float(row["value"]),
        "limit_high": high,
        "comparator": row["comparator"],
        "met": judge(float(value), row["comparator"], float(row["value"]), high).met,
        "margin": margin,
        "standard": standard,
        "source": row["source"],
        "year": row["year"],
        "confirmed": bool(row["confirmed"]),
    }


def assess_frame(
    frame: pd.DataFrame,
    standard: str,
    *,
    value: str = "value",
    indicator: str = "indicator",
    level: str = "level",
) -> pd.DataFrame:
    """Judge every row of a tidy frame; returns the frame with verdict columns added.

    Rows are matched on (indicator, level); a missing value is an error naming the
    row, not a silent "not met".  Added columns: ``limit``, ``limit_high``,
    ``comparator``, ``met``, ``margin``, ``source``, ``confirmed``.

    Examples
    --------
    >>> cv = pd.DataFrame({"level": ["小学", "初中"], "indicator": ["composite_cv"] * 2,
    ...                    "value": [0.52, 0.58]})
    >>> assess_frame(cv, "basic_balance_2012")["met"].tolist()
    [True, False]
    """
    missing = [c for c in (value, indicator) if c not in frame.columns]
    if missing:
        raise ParameterError(f"assess_frame: columns {missing} not in {list(frame.columns)}")
    results = []
    for pos, (label, rec) in enumerate(frame.iterrows()):
        v = rec[value]
        if pd.isna(v):
            raise DataValidationError(f"assess_frame: row {label} (position {pos}), column `{value}` is missing")
        lvl = rec[level] if level in frame.columns else ""
        results.append(assess(float(v), standard, rec[indicator], lvl if isinstance(lvl, str) else ""))
    verdict = pd.DataFrame(results, index=frame.index)
    cols = ["limit", "limit_high", "comparator", "met", "margin", "source", "confirmed"]
    return frame.assign(**{c: verdict[c] if len(verdict) else pd.Series(dtype=object) for c in cols})
