"""The 2017 per-school rule of quality balance (优质均衡), vectorised over schools.

教督〔2017〕6号 judges seven resource indicators per school against the thresholds of its
level: a school passes when at least 6 of the 7 meet their threshold and the remaining
one reaches at least 85 % of its threshold (the 6-of-7 count and the 85 % floor are
marked unconfirmed in the standards data, and every report says so).

The rule is computed on arrays (one row per school, one column per indicator), so a
province of 100,000 schools is judged in a fraction of a second; the planner
(:mod:`eduanalysis.judgement.planning`) judges its plans with the very same
:func:`rule_verdicts`, so a plan passes exactly when this check says it does.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from ..data.registry import indicator_info
from ..errors import DataValidationError, ParameterError
from .judge import judge_array
from .standards import get_threshold, indicator_set, load_standards

__all__ = ["LEVELS_2017", "SchoolRule", "quality_school_check", "rule_verdicts", "school_rule"]

LEVELS_2017 = ("小学", "初中")
#: school types the standard does not judge (teaching points only under 50 students)
_NOT_JUDGED = {"特殊教育学校": 0, "教学点": 50}


@dataclass(frozen=True)
class SchoolRule:
    """The thresholds and counts of the 2017 school rule, as arrays.

    ``thresholds[level]`` holds the seven thresholds of a level in the order of
    ``indicators``; ``per`` is 1 for per-student and 100 for per-100-student indicators;
    ``amount_unit`` is the unit of the underlying resource (人, ㎡, 元, 间).
    """

    indicators: tuple[str, ...]
    names_zh: tuple[str, ...]
    thresholds: dict[str, np.ndarray]
    per: np.ndarray
    amount_unit: tuple[str, ...]
    min_met: int
    floor: float
    confirmed: bool


@lru_cache(maxsize=1)
def school_rule() -> SchoolRule:
    """The 2017 rule as loaded from the standards data (cached).

    Examples
    --------
    >>> rule = school_rule()
    >>> rule.min_met, rule.floor, rule.thresholds["小学"].tolist()[:3]
    (6, 0.85, [4.2, 1.0, 0.9])
    """
    indicators = tuple(indicator_set("quality_balance_2017"))
    standards = load_standards()
    counts = standards[standards["standard"] == "quality_school_rule_2017"].set_index("indicator")
    rows = {lvl: [get_threshold("quality_balance_2017", ind, lvl) for ind in indicators] for lvl in LEVELS_2017}
    first = rows[LEVELS_2017[0]]
    return SchoolRule(
        indicators=indicators,
        names_zh=tuple(indicator_info(i)["name_zh"] for i in indicators),
        thresholds={lvl: np.array([float(r["value"]) for r in rows[lvl]]) for lvl in LEVELS_2017},
        per=np.array([float(r["per"]) for r in first]),
        amount_unit=tuple(str(r["amount_unit"]) for r in first),
        min_met=int(counts.loc["indicators_met_min", "value"]),
        floor=float(counts.loc["remaining_floor_share", "value"]),
        confirmed=bool(counts["confirmed"].all()) and all(bool(r["confirmed"]) for lvl in rows for r in rows[lvl]),
    )


def rule_verdicts(values: np.ndarray, thresholds: np.ndarray, rule: SchoolRule | None = None):
    """Judge schools (rows) on the seven indicators (columns).

    Parameters
    ----------
    values, thresholds : ndarray of shape (n_schools, 7)
        Indicator values and the thresholds of each school's level.

    Returns
    -------
    met : bool array (n, 7)
        ``value >= threshold``, as :func:`~eduanalysis.judgement.judge.judge_array` decides it.
    ratio : float array (n, 7)
        ``value / threshold``.
    n_met : int array (n,)
    passes : bool array (n,)
        At least ``rule.min_met`` met and every indicator not met at ``>= rule.floor``
        of its threshold (that floor is judged by the same judge, against
        ``rule.floor × threshold``).

    Examples
    --------
    >>> t = np.array([[10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0]])
    >>> v = np.array([[10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 8.5]])
    >>> rule_verdicts(v, t)[3].tolist(), rule_verdicts(v * 0.99, t)[3].tolist()
    ([True], [False])
    """
    rule = rule or school_rule()
    met, _ = judge_array(values, ">=", thresholds)
    above_floor, _ = judge_array(values, ">=", rule.floor * np.asarray(thresholds, dtype=float))
    ratio = values / thresholds
    n_met = met.sum(axis=1)
    passes = (n_met >= rule.min_met) & np.all(met | above_floor, axis=1)
    return met, ratio, n_met, passes


def _shown(value):
    """A cell as the user wrote it (``0``, not ``np.int64(0)``)."""
    return value.item() if isinstance(value, np.generic) else value


def _failing_codes(mask: np.ndarray, names: tuple[str, ...]) -> tuple[np.ndarray, list[str]]:
    """Per row, the code of its pattern of True columns, and each pattern's '、'-joined names
    (the 2^k patterns are enumerated once instead of joining strings row by row)."""
    k = len(names)
    codes = mask.astype(np.int64) @ (1 << np.arange(k, dtype=np.int64))
    labels = ["、".join(n for j, n in enumerate(names) if c >> j & 1) for c in range(1 << k)]
    return codes, labels


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
        ``school``, ``level``, ``enrolment``, ``n_met`` (nullable integer),
        ``failing`` (Chinese names), ``lowest_ratio`` (value ÷ threshold of the weakest
        indicator not met), ``passes`` (nullable boolean, NA when not assessed),
        ``status`` (达标 / 未达标 / 不参评（…）).
    detail : DataFrame, one row per assessed school and indicator
        ``value``, ``threshold``, ``ratio``, ``met``, ``shortfall`` (per student, or per
        100 students, in the indicator's unit), ``shortfall_total`` (what the school
        needs in all: ㎡, 元, teachers or classrooms; counts rounded up) and
        ``amount_unit``.  The shortfall is to the full threshold of every indicator;
        the least-cost way to pass (one indicator may stay at 85 %) is
        :func:`eduanalysis.judgement.planning.school_plan`.

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
    rule = school_rule()
    indicators = list(rule.indicators)
    needed = [school, level, enrolment, *indicators] + ([school_type] if school_type else [])
    missing = [c for c in needed if c not in schools.columns]
    if missing:
        raise ParameterError(f"quality_school_check: columns {missing} are missing")
    n = len(schools)
    names = schools[school].to_numpy(dtype=object)
    levels = schools[level].to_numpy(dtype=object)

    def where(i: int) -> str:
        return f"row {i + 1} ({school}: {names[i]})"

    bad = np.flatnonzero(~pd.Series(levels).isin(LEVELS_2017).to_numpy())
    if bad.size:
        i = bad[0]
        raise DataValidationError(f"{where(i)}, column `{level}`: expected 小学 or 初中, found {_shown(levels[i])!r}")
    pupils_raw = schools[enrolment]
    pupils = pd.to_numeric(pupils_raw, errors="coerce").to_numpy(dtype="float64")
    bad = np.flatnonzero(~(pupils > 0))  # NaN compares False
    if bad.size:
        i = bad[0]
        raise DataValidationError(
            f"{where(i)}, column `{enrolment}`: must be > 0, found {_shown(pupils_raw.iloc[i])!r}"
        )

    judged = np.ones(n, dtype=bool)
    kinds = np.full(n, "", dtype=object)
    if school_type:
        kinds = schools[school_type].fillna("").astype(str).to_numpy(dtype=object)
        for kind, below in _NOT_JUDGED.items():
            out = kinds == kind
            judged &= ~(out & (pupils < below)) if below else ~out

    values = np.empty((n, len(indicators)))
    for j, ind in enumerate(indicators):
        column = pd.to_numeric(schools[ind], errors="coerce").to_numpy(dtype="float64")
        bad = np.flatnonzero(judged & ~(column >= 0))  # NaN, text and negatives
        if bad.size:
            i = bad[0]
            raise DataValidationError(
                f"{where(i)}, column `{ind}`: expected a number >= 0, found {_shown(schools[ind].iloc[i])!r}"
            )
        values[:, j] = column
    is_junior = levels == LEVELS_2017[1]
    thresholds = np.where(is_junior[:, None], rule.thresholds[LEVELS_2017[1]], rule.thresholds[LEVELS_2017[0]])
    met, ratio, n_met, passes = rule_verdicts(values, thresholds, rule)
    failing = ~met
    lowest = np.where(failing, ratio, np.inf).min(axis=1)
    lowest[~failing.any(axis=1)] = np.nan

    status = np.where(passes, "达标", "未达标").astype(object)
    status[~judged] = "不参评（" + kinds[~judged] + "）"
    n_met_col = pd.array(n_met, dtype="Int64")
    n_met_col[~judged] = pd.NA
    passes_col = pd.array(passes, dtype="boolean")
    passes_col[~judged] = pd.NA
    failing_codes, failing_names = _failing_codes(failing & judged[:, None], rule.names_zh)
    lowest[~judged] = np.nan
    # repeated texts as categoricals: building 700,000 string cells cost more than the rule
    summary = pd.DataFrame(
        {
            "school": names,
            "level": pd.Categorical(levels),
            "enrolment": pupils_raw.to_numpy(),
            "n_met": n_met_col,
            "failing": pd.Categorical.from_codes(failing_codes, categories=failing_names),
            "lowest_ratio": lowest,
            "passes": passes_col,
            "status": pd.Categorical(status),
        }
    )

    rows = np.flatnonzero(judged)
    k = len(indicators)
    gap = np.maximum(thresholds[rows] - values[rows], 0.0)
    total = gap * pupils[rows, None] / rule.per
    counted = np.array([u in {"人", "间"} for u in rule.amount_unit])
    total[:, counted] = np.ceil(np.round(total[:, counted], 9))
    school_codes, school_names = pd.factorize(pd.Series(names[rows], dtype=object))
    level_codes = is_junior[rows].astype(np.int8)
    each = np.tile(np.arange(k), rows.size)
    units = list(dict.fromkeys(rule.amount_unit))
    detail = pd.DataFrame(
        {
            "school": pd.Categorical.from_codes(np.repeat(school_codes, k), categories=school_names),
            "level": pd.Categorical.from_codes(np.repeat(level_codes, k), categories=list(LEVELS_2017)),
            "indicator": pd.Categorical.from_codes(each, categories=indicators),
            "name_zh": pd.Categorical.from_codes(each, categories=list(rule.names_zh)),
            "value": values[rows].ravel(),
            "threshold": thresholds[rows].ravel(),
            "ratio": ratio[rows].ravel(),
            "met": met[rows].ravel(),
            "shortfall": gap.ravel(),
            "shortfall_total": total.ravel(),
            "amount_unit": pd.Categorical.from_codes(
                np.tile([units.index(u) for u in rule.amount_unit], rows.size), categories=units
            ),
        }
    )
    return summary, detail
