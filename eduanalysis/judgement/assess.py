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

from ..data.registry import indicator_info
from ..errors import DataValidationError, ParameterError
from .standards import get_threshold, indicator_set, load_standards

__all__ = ["assess", "assess_frame", "quality_school_check"]

_LEVELS_2017 = ("小学", "初中")


def _margin(value: float, comparator: str, low: float, high: float | None) -> float:
    if comparator == "<=":
        return low - value
    if comparator == ">=":
        return value - low
    return min(value - low, high - value)


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
    margin = float(_margin(float(value), row["comparator"], float(row["value"]), high))
    return {
        "value": float(value),
        "limit": float(row["value"]),
        "limit_high": high,
        "comparator": row["comparator"],
        "met": bool(margin >= 0),
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


def quality_school_check(
    schools: pd.DataFrame,
    *,
    school: str = "school",
    level: str = "level",
    enrolment: str = "enrolment",
    school_type: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The 2017 quality-balance rule, school by school, with each school's shortfall.

    A school passes when at least 6 of the 7 resource indicators meet the threshold of
    its level and every other one reaches at least 85 % of its threshold (the 6-of-7
    rule and the 85 % floor are marked unconfirmed in the standards data).

    ``schools`` has the ``school``, ``level`` (小学/初中), ``enrolment`` columns and the
    seven indicator columns named by their registry ids (see
    ``indicator_set("quality_balance_2017")``).  With ``school_type``, special-education
    schools (特殊教育学校) and teaching points (教学点) under 50 students are listed as
    not assessed, as the standard prescribes, instead of being judged.

    Returns
    -------
    summary : DataFrame, one row per school
        ``school``, ``level``, ``enrolment``, ``n_met``, ``failing`` (Chinese names),
        ``lowest_ratio`` (value ÷ threshold of the weakest indicator), ``passes``
        (bool, NA when not assessed), ``status``.
    detail : DataFrame, one row per school and indicator
        ``value``, ``threshold``, ``ratio``, ``met``, ``shortfall`` (per student, or per
        100 students, in the indicator's unit), ``shortfall_total`` (what the school
        needs in all: ㎡, 元, teachers or classrooms; counts rounded up) and
        ``amount_unit``.

    Examples
    --------
    >>> one = pd.DataFrame({"school": ["甲小学"], "level": ["小学"], "enrolment": [400],
    ...     "qualified_teachers_per_100": [5.0], "key_teachers_per_100": [1.5],
    ...     "pe_art_teachers_per_100": [1.0], "teaching_aux_area_per_student": [5.0],
    ...     "sports_area_per_student": [7.0], "equipment_value_per_student": [2500.0],
    ...     "multimedia_rooms_per_100": [3.0]})
    >>> summary, detail = quality_school_check(one)
    >>> bool(summary.loc[0, "passes"]), summary.loc[0, "failing"]
    (True, '生均体育运动场馆面积')
    >>> float(detail.set_index("indicator").loc["sports_area_per_student", "shortfall_total"])
    200.0
    """
    indicators = indicator_set("quality_balance_2017")
    needed = [school, level, enrolment, *indicators] + ([school_type] if school_type else [])
    missing = [c for c in needed if c not in schools.columns]
    if missing:
        raise ParameterError(f"quality_school_check: columns {missing} are missing")
    standards = load_standards()
    rule = standards[standards["standard"] == "quality_school_rule_2017"].set_index("indicator")
    min_met = int(rule.loc["indicators_met_min", "value"])
    floor = float(rule.loc["remaining_floor_share", "value"])

    summary_rows, detail_rows = [], []
    for pos, rec in enumerate(schools.to_dict("records"), start=1):
        name, lvl, pupils = rec[school], rec[level], rec[enrolment]
        where = f"row {pos} ({school}: {name})"
        if lvl not in _LEVELS_2017:
            raise DataValidationError(f"{where}, column `{level}`: expected 小学 or 初中, found {lvl!r}")
        if pd.isna(pupils) or pupils <= 0:
            raise DataValidationError(f"{where}, column `{enrolment}`: must be > 0, found {pupils!r}")
        kind = rec[school_type] if school_type else ""
        if kind == "特殊教育学校" or (kind == "教学点" and pupils < 50):
            summary_rows.append(
                {
                    "school": name,
                    "level": lvl,
                    "enrolment": pupils,
                    "n_met": pd.NA,
                    "failing": "",
                    "lowest_ratio": np.nan,
                    "passes": pd.NA,
                    "status": f"不参评（{kind}）",
                }
            )
            continue
        met_count, failing, ratios = 0, [], []
        for ind in indicators:
            v = rec[ind]
            if pd.isna(v) or v < 0:
                raise DataValidationError(f"{where}, column `{ind}`: expected a number >= 0, found {v!r}")
            row = get_threshold("quality_balance_2017", ind, lvl)
            threshold, per = float(row["value"]), float(row["per"])
            ratio = float(v) / threshold
            met = v >= threshold
            gap = max(threshold - float(v), 0.0)
            total = gap * pupils / per
            if row["amount_unit"] in {"人", "间"}:
                total = float(math.ceil(round(total, 9)))
            detail_rows.append(
                {
                    "school": name,
                    "level": lvl,
                    "indicator": ind,
                    "name_zh": indicator_info(ind)["name_zh"],
                    "value": float(v),
                    "threshold": threshold,
                    "ratio": ratio,
                    "met": bool(met),
                    "shortfall": gap,
                    "shortfall_total": total,
                    "amount_unit": row["amount_unit"],
                }
            )
            met_count += bool(met)
            if not met:
                failing.append(indicator_info(ind)["name_zh"])
                ratios.append(ratio)
        lowest = min(ratios) if ratios else np.nan
        passes = met_count >= min_met and all(r >= floor for r in ratios)
        summary_rows.append(
            {
                "school": name,
                "level": lvl,
                "enrolment": pupils,
                "n_met": met_count,
                "failing": "、".join(failing),
                "lowest_ratio": lowest,
                "passes": passes,
                "status": "达标" if passes else "未达标",
            }
        )
    return pd.DataFrame(summary_rows), pd.DataFrame(detail_rows)
