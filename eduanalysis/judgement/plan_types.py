"""The plan's types and its check: the school table a plan adds to, judged by the one judge.

- :func:`what_if` adds given resources to given schools and judges the result (new
  indicator values, the 2017 school rule, every coefficient against its limit, each
  verdict drawn by :mod:`eduanalysis.judgement.judge`).  Every plan is re-checked with it.
- :class:`Plan` holds a plan's additions per school, its one-off and yearly costs, the new
  staffing posts (编制) and why each school gets what it gets.
- ``_Arrays`` are the numbers a solver needs (:mod:`eduanalysis.judgement.county_solver`
  reads them; it imports nothing from the planning modules above it).

Which schools count in the coefficients follows the 2017 standard (standards.md §3):
special-education schools and teaching points under 50 pupils are not judged by the
school rule and are left out of the resource indicators' coefficients, unless
``include_excluded=True`` asks to count them in the coefficients.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..data.registry import indicator_info
from ..errors import DataValidationError, ParameterError
from ..measures.coefficients import STATUS_OK, difference_coefficients
from ..measures.indicators import DERIVATIONS, school_indicators
from .judge import judge, judge_array
from .plan_costs import BASIS_YEARLY
from .school_rule import LEVELS_2017, quality_school_check, school_rule
from .standards import get_threshold, indicator_set

__all__ = ["HIRED", "SCHEMES", "STATUS_ZH", "Outcome", "Plan", "counted_schools", "resources", "what_if"]

#: scheme -> (indicator set, standard of the coefficient limit, indicator id of that limit)
SCHEMES = {
    "quality_2017": ("quality_balance_2017", "quality_balance_2017", "indicator_cv"),
    "basic_2012": ("basic_balance_2012", "basic_balance_2012", "composite_cv"),
}


def resources(scheme: str = "quality_2017") -> list[tuple[str, str, float]]:
    """(indicator, resource column, per) of a scheme's indicator set, in the standard's order.

    ``per`` is 100 for indicators per 100 students, 1 per student.

    Examples
    --------
    >>> resources()[0]
    ('qualified_teachers_per_100', 'qualified_teachers', 100.0)
    """
    _scheme(scheme)
    return [(i, *DERIVATIONS[i]) for i in indicator_set(SCHEMES[scheme][0])]


def _scheme(scheme: str) -> tuple[str, str, str]:
    if scheme not in SCHEMES:
        raise ParameterError(f"scheme must be one of {sorted(SCHEMES)}, got {scheme!r}")
    return SCHEMES[scheme]


# ---------------------------------------------------------------------------- the table
def _keys(table: pd.DataFrame) -> list[str]:
    return ["region", "school", "level"] if "region" in table.columns else ["school", "level"]


def _group_keys(table: pd.DataFrame) -> list[str]:
    return ["region", "level"] if "region" in table.columns else ["level"]


def _prepare(schools: pd.DataFrame, scheme: str) -> pd.DataFrame:
    """Check the columns a plan needs; the indicators are (re)derived from the raw counts."""
    needed = ["school", "level", "enrolment"] + [raw for _, raw, _ in resources(scheme)]
    missing = [c for c in needed if c not in schools.columns]
    if missing:
        raise ParameterError(
            f"the school table lacks column(s) {missing}: a plan adds to the raw counts "
            "(read the table with read_school_table)"
        )
    levels = set(pd.unique(schools["level"])) - set(LEVELS_2017)
    if levels:
        raise DataValidationError(f"column `level`: expected 小学 or 初中, found {sorted(map(str, levels))}")
    dup = schools.duplicated(_keys(schools))
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataValidationError(
            f"row {i + 1}: school {schools['school'].iloc[i]!r} ({schools['level'].iloc[i]}) appears twice"
        )
    return school_indicators(schools.reset_index(drop=True))


def _judged(table: pd.DataFrame) -> np.ndarray:
    """Schools the 2017 standard judges (not special-education schools, not teaching points
    under 50 pupils): the school rule applies to them and, unless asked otherwise, only
    they count in the resource indicators' coefficients (standards.md §3)."""
    if "school_type" not in table.columns:
        return np.ones(len(table), dtype=bool)
    kind = table["school_type"].fillna("").astype(str).to_numpy()
    pupils = table["enrolment"].to_numpy(dtype="float64")
    return ~((kind == "特殊教育学校") | ((kind == "教学点") & (pupils < 50)))


def counted_schools(table: pd.DataFrame, scheme: str = "quality_2017", include_excluded: bool = False) -> np.ndarray:
    """Schools counted in the coefficients: the judged ones (2017) unless ``include_excluded``.

    The 2017 standard leaves special-education schools and teaching points under 50 pupils
    out of its resource indicators (standards.md §3); the 2012 text says nothing of them, so
    the 2012 scheme counts every school (待核对).

    Examples
    --------
    >>> t = pd.DataFrame({"school_type": ["完全小学", "教学点", "教学点", "特殊教育学校"],
    ...                   "enrolment": [300, 30, 60, 80]})
    >>> counted_schools(t).tolist(), counted_schools(t, include_excluded=True).tolist()
    ([True, False, True, False], [True, True, True, True])
    """
    if include_excluded or scheme != "quality_2017":
        return np.ones(len(table), dtype=bool)
    return _judged(table)


# ---------------------------------------------------------------------------- what-if
@dataclass
class Outcome:
    """A school table judged after (or before) additions.

    ``table`` holds raw counts and indicators; ``rule`` the 2017 verdict per school
    (:func:`~eduanalysis.judgement.school_rule.quality_school_check` summary, 2017 scheme
    only); ``coefficients`` one row per group and indicator (``cv``, ``limit``, ``met``,
    ``margin``; ``met`` is NA where no coefficient exists, ``status`` says why);
    ``composite`` the 2012 composite per group (2012 scheme only).  ``schools_pass``:
    every judged school passes the school rule (always True for 2012, which has none);
    ``coefficients_pass``: every coefficient (2017) or composite (2012) that exists
    meets its limit; ``passes``: both.  ``include_excluded``: whether special-education
    schools and small teaching points were counted in the coefficients.
    """

    scheme: str
    table: pd.DataFrame
    rule: pd.DataFrame | None
    coefficients: pd.DataFrame
    composite: pd.DataFrame | None
    schools_pass: bool
    coefficients_pass: bool
    include_excluded: bool = False

    @property
    def passes(self) -> bool:
        return self.schools_pass and self.coefficients_pass


def _limits(scheme: str) -> dict[str, float]:
    _, standard, limit_id = _scheme(scheme)
    return {lvl: float(get_threshold(standard, limit_id, lvl)["value"]) for lvl in LEVELS_2017}


def _judge(table: pd.DataFrame, scheme: str, include_excluded: bool = False) -> Outcome:
    """Judge a prepared table: every verdict comes from :mod:`~eduanalysis.judgement.judge`."""
    set_name, _, _ = _scheme(scheme)
    indicators = indicator_set(set_name)
    by = _group_keys(table)
    counted = table[counted_schools(table, scheme, include_excluded)]
    cv = difference_coefficients(counted, indicators, by=by, on_zero_mean="nan")
    cv["limit"] = cv["level"].map(_limits(scheme))
    rule = composite = None
    if scheme == "quality_2017":
        met, margin = judge_array(cv["cv"].to_numpy(dtype=float), "<=", cv["limit"].to_numpy(dtype=float))
        defined = cv["status"].to_numpy() == STATUS_OK
        cv["met"] = pd.array(np.where(defined, met, False), dtype="boolean")
        cv.loc[~defined, "met"] = pd.NA
        cv["margin"] = np.where(defined, margin, np.nan)
        kind = "school_type" if "school_type" in table.columns else None
        keys = _keys(table)
        rule, _ = quality_school_check(table.drop(columns=[c for c in ["region"] if c in keys]), school_type=kind)
        if "region" in keys:
            rule.insert(0, "region", table["region"].to_numpy())
        schools_pass = bool(rule["passes"].fillna(True).all())
        coefficients_pass = bool(cv["met"].fillna(True).all())
    else:
        rows = []
        for key, group in cv.groupby(by, sort=True):
            key = key if isinstance(key, tuple) else (key,)
            defined = group["status"] == STATUS_OK
            value = float(group["cv"].mean()) if defined.all() else np.nan
            limit = float(group["limit"].iloc[0])
            verdict = judge(value, "<=", limit)
            rows.append(
                {
                    **dict(zip(by, key)),
                    "composite": value,
                    "limit": limit,
                    "met": verdict.met if defined.all() else pd.NA,
                    "margin": verdict.margin,
                    "status": STATUS_OK if defined.all() else "; ".join(sorted(set(group.loc[~defined, "status"]))),
                }
            )
        composite = pd.DataFrame(rows)
        composite["met"] = composite["met"].astype("boolean")
        schools_pass, coefficients_pass = True, bool(composite["met"].fillna(True).all())
    return Outcome(scheme, table, rule, cv, composite, schools_pass, coefficients_pass, include_excluded)


def what_if(
    schools: pd.DataFrame,
    additions: pd.DataFrame | None = None,
    *,
    scheme: str = "quality_2017",
    include_excluded: bool = False,
) -> Outcome:
    """Add resources to schools and judge the result against the balance standards.

    Parameters
    ----------
    schools : DataFrame
        A school table with raw counts (as :func:`~eduanalysis.data.schools.read_school_table`
        returns it).
    additions : DataFrame, optional
        One row per school to change, with the key columns (``school``, ``level`` and
        ``region`` if the table has it) and one column per resource added (e.g.
        ``sports_area`` in ㎡, ``key_teachers`` in persons); amounts ≥ 0.  ``None`` judges
        the table as it is.
    scheme : {"quality_2017", "basic_2012"}
    include_excluded : bool
        Count special-education schools and teaching points under 50 pupils in the
        coefficients (the 2017 standard leaves them out; default False).

    Returns
    -------
    Outcome

    Examples
    --------
    >>> t = pd.DataFrame({"school": ["甲", "乙"], "level": ["小学", "小学"], "enrolment": [100, 100],
    ...     "qualified_teachers": [5, 5], "key_teachers": [1, 1], "pe_art_teachers": [1, 1],
    ...     "teaching_aux_area": [450.0, 450.0], "sports_area": [750.0, 600.0],
    ...     "equipment_value": [200000, 200000], "multimedia_rooms": [3, 3]})
    >>> what_if(t).rule["status"].tolist()  # 乙: 6.0 ㎡ is 80 % of 7.5 ㎡
    ['达标', '未达标']
    >>> after = what_if(t, pd.DataFrame({"school": ["乙"], "level": ["小学"], "sports_area": [40.0]}))
    >>> after.rule["status"].tolist(), after.passes  # 6.4 ㎡ is 85.3 %: the one allowed shortfall
    (['达标', '达标'], True)
    """
    table = _prepare(schools, scheme)
    if additions is not None and len(additions):
        table = _apply(table, additions)
    return _judge(table, scheme, include_excluded)


def _apply(table: pd.DataFrame, additions: pd.DataFrame) -> pd.DataFrame:
    keys = _keys(table)
    missing = [k for k in keys if k not in additions.columns]
    if missing:
        raise ParameterError(f"additions: key column(s) {missing} missing; a school is identified by {keys}")
    known = {raw for raw, _ in DERIVATIONS.values()}
    columns = [c for c in additions.columns if c not in keys]
    unknown = [c for c in columns if c not in known]
    if unknown:
        raise ParameterError(f"additions: unknown resource column(s) {unknown}; resources: {sorted(known)}")
    absent = [c for c in columns if c not in table.columns]
    if absent:
        raise ParameterError(f"additions: the school table has no column(s) {absent} to add to")
    if additions.duplicated(keys).any():
        i = int(np.flatnonzero(additions.duplicated(keys).to_numpy())[0])
        raise DataValidationError(f"additions, row {i + 1}: school {additions['school'].iloc[i]!r} appears twice")
    position = pd.Series(np.arange(len(table)), index=pd.MultiIndex.from_frame(table[keys]))
    where = pd.MultiIndex.from_frame(additions[keys])
    found = where.isin(position.index)
    if not found.all():
        i = int(np.flatnonzero(~found)[0])
        raise DataValidationError(f"additions, row {i + 1}: no school {dict(zip(keys, where[i]))} in the school table")
    rows = position.loc[where].to_numpy()
    out = table.copy()
    for column in columns:
        amount = pd.to_numeric(additions[column], errors="coerce").to_numpy(dtype="float64")
        bad = np.flatnonzero(~(amount >= 0) | ~np.isfinite(amount))
        if bad.size:
            i = bad[0]
            found = additions[column].iloc[i]
            found = found.item() if isinstance(found, np.generic) else found
            raise DataValidationError(
                f"additions, row {i + 1}, column `{column}`: expected an amount >= 0, found {found!r}"
            )
        raw = out[column].to_numpy(dtype="float64").copy()
        raw[rows] += amount
        integral = pd.api.types.is_integer_dtype(out[column]) and np.all(amount == np.round(amount))
        out[column] = raw.astype("int64") if integral else raw
    return school_indicators(out.drop(columns=[i for i in DERIVATIONS if i in out.columns]))


# ---------------------------------------------------------------------------- plans
#: the item of a plan's costs for teachers it gets beyond those in post who could be trained
HIRED = "hired_teachers"


def _with_hire_row(costs: pd.DataFrame) -> pd.DataFrame:
    """``costs`` with a row :data:`HIRED`: a teacher hired because too few teachers in post can
    be trained, priced as a new post (the ``teachers`` row: yearly salary, 编制)."""
    if HIRED in costs.index or "teachers" not in costs.index:
        return costs
    row = costs.loc["teachers"].copy()
    row["name_zh"] = "新聘教师（在岗可培养的教师不足）"
    row["intervention"] = "新聘教师（新增编制）"
    out = costs.copy()
    out.loc[HIRED] = row
    return out


STATUS_ZH = {
    "optimal": "最优（已证明）",
    "near_optimal": "接近最优（与理论下界之差很小，见附录）",
    "feasible": "可行（未证明最优）",
    "time_limit": "求解达到时间上限（方案可行，可能不是最低成本）",
    "local_optimum": "局部最优",
    "infeasible": "在追加上限内无解",
}


@dataclass
class Plan:
    """A plan of additions and its verification.

    ``additions`` has one row per school: the key columns, ``enrolment``, one column
    per resource (units added, whole steps), ``cost`` (元, one-off plus one year of the
    yearly costs), ``cost_one_off``, ``cost_yearly`` (元 per year from then on),
    ``new_posts`` (new staffing posts, 编制), ``at_floor`` (Chinese name of the
    indicator the plan leaves between 85 % and 100 % of its threshold, "" if none) and
    ``reason`` (why the school gets what it gets: its own shortfall, or lowering a
    coefficient, from what to what) and ``beyond_training`` (teachers the plan gets by
    training those in post beyond the full-time teachers the school has to train: they
    are priced as new hires — a yearly salary and a new post — in the cost columns; 0
    without a ``teachers`` column; per resource in ``hired``).  ``groups`` one row per group (region/level) with
    the method, status, iterations and solve time; ``binding`` what prevents a plan when
    ``status`` is ``"infeasible"`` (one row per school or indicator, with a Chinese
    explanation).  ``before`` and ``after`` are :func:`what_if` outcomes; ``verified`` is
    True when ``after`` meets what the plan promises — the school rule for a school or
    naive plan, the school rule and every coefficient for a county plan (the solvers'
    result is re-checked, never trusted).

    ``status``: ``"optimal"`` (proven: exact enumeration, or within 0.01 % of a lower
    bound of the whole-unit problem), ``"near_optimal"`` (a group of more than 30 schools
    whose plan is within one step per addition of a lower bound; ``groups["gap"]`` is the
    proven distance), ``"feasible"`` (passes, optimality not proven), ``"time_limit"`` (the
    solver stopped; the plan passes but may cost more), ``"local_optimum"`` (2012
    composite), ``"infeasible"`` (no plan within the caps).  :data:`STATUS_ZH` names
    them in Chinese.  ``cv_margin`` is the safety margin the plan kept below each
    coefficient limit.
    """

    scheme: str
    kind: str
    additions: pd.DataFrame
    costs: pd.DataFrame
    total_cost: float
    status: str
    groups: pd.DataFrame
    binding: pd.DataFrame
    before: Outcome
    after: Outcome | None
    solve_seconds: float
    verified: bool = False
    resources: list[str] = field(default_factory=list)
    cv_margin: float = 0.0
    hired: pd.DataFrame | None = None

    def units(self) -> pd.DataFrame:
        """Units per school and item as priced: each resource's additions less the teachers
        hired for it (``hired``), and the hires as one more item, :data:`HIRED`."""
        frame = self.additions[self.resources].astype(float).copy()
        if self.hired is not None and float(self.hired.to_numpy().sum()) > 0:
            for r in self.hired.columns:
                frame[r] = frame[r] - self.hired[r].to_numpy(dtype=float)
            frame[HIRED] = self.hired.to_numpy(dtype=float).sum(axis=1)
        return frame

    def item_costs(self) -> pd.DataFrame:
        """The unit costs of the items of :meth:`units` (the hires priced as a new teacher)."""
        return _with_hire_row(self.costs)

    @property
    def one_off_cost(self) -> float:
        """One-off cost (元): building, rooms, equipment, training teachers in post."""
        return float(self.additions["cost_one_off"].sum()) if self.status != "infeasible" else float("nan")

    @property
    def yearly_cost(self) -> float:
        """Yearly cost (元 per year, every year after): salaries of the new posts."""
        return float(self.additions["cost_yearly"].sum()) if self.status != "infeasible" else float("nan")

    @property
    def new_posts(self) -> int:
        """New staffing posts (编制) the plan creates."""
        return int(self.additions["new_posts"].sum())

    def cost_by_resource(self) -> pd.DataFrame:
        """Units added and cost per resource, one-off or yearly, with the low–high range."""
        rows = []
        per_school, costs = self.units(), self.item_costs()
        for r in per_school.columns:
            units = float(per_school[r].sum())
            c = costs.loc[r]
            rows.append(
                {
                    "resource": r,
                    "name_zh": c["name_zh"],
                    "unit": c["unit"],
                    "intervention": c["intervention"],
                    "basis": c["basis"],
                    "added": units,
                    "new_posts": units if c["new_post"] else 0.0,
                    "cost": units * float(c["cost_yuan"]),
                    "cost_low": units * float(c["cost_low"]),
                    "cost_high": units * float(c["cost_high"]),
                }
            )
        return pd.DataFrame(rows)

    def cost_range(self) -> dict[str, tuple[float, float]]:
        """``{"one_off": (low, high), "yearly": (low, high)}`` from the unit costs' ranges."""
        by = self.cost_by_resource()
        out = {}
        for name, basis in (("one_off", "一次性"), ("yearly", BASIS_YEARLY)):
            part = by[by["basis"] == basis]
            out[name] = (float(part["cost_low"].sum()), float(part["cost_high"].sum()))
        return out

    def long(self) -> pd.DataFrame:
        """The plan as one row per school and resource added (amount > 0)."""
        keys = [c for c in ("region", "school", "level") if c in self.additions.columns]
        units, costs = self.units(), self.item_costs()
        wide = pd.concat([self.additions[keys], units], axis=1)
        frame = wide.melt(id_vars=keys, value_vars=list(units.columns), var_name="resource", value_name="added")
        frame = frame[frame["added"] > 0].copy()
        frame["name_zh"] = frame["resource"].map(costs["name_zh"])
        frame["unit"] = frame["resource"].map(costs["unit"])
        frame["basis"] = frame["resource"].map(costs["basis"])
        frame["cost"] = frame["added"] * frame["resource"].map(costs["cost_yuan"])
        return frame.reset_index(drop=True)


@dataclass
class _Arrays:
    """The numbers a solver needs, one row per school, one column per resource."""

    raw: np.ndarray  # current amounts
    pupils: np.ndarray
    per: np.ndarray  # 100 or 1
    step: np.ndarray
    unit_cost: np.ndarray  # 元 per step (one-off, plus one year of a yearly cost)
    cap: np.ndarray  # maximum additions, in steps (inf: no cap)
    thresholds: np.ndarray  # (n, k); 2017 only
    judged: np.ndarray
    groups: np.ndarray  # group code per school; -1: not counted in any coefficient
    group_keys: pd.DataFrame
    limits: np.ndarray  # coefficient target per group (the limit less the safety margin)
    integer: np.ndarray  # resources counted in persons or rooms
    indicators: list[str] = field(default_factory=list)
    names_zh: list[str] = field(default_factory=list)


def _arrays(
    table: pd.DataFrame,
    scheme: str,
    costs: pd.DataFrame,
    caps,
    *,
    include_excluded: bool = False,
    cv_margin: float = 0.0,
) -> _Arrays:
    res = resources(scheme)
    names = [raw for _, raw, _ in res]
    raw = table[names].to_numpy(dtype="float64")
    step = costs.loc[names, "step"].to_numpy(dtype="float64")
    by = _group_keys(table)
    counted = counted_schools(table, scheme, include_excluded)
    codes = np.full(len(table), -1, dtype=np.intp)
    found, uniques = pd.factorize(pd.MultiIndex.from_frame(table.loc[counted, by]), sort=True)
    codes[counted] = found
    group_keys = pd.DataFrame(list(uniques), columns=by)
    limits = np.array([_limits(scheme)[lvl] for lvl in group_keys["level"]], dtype=float)
    if not (isinstance(cv_margin, (int, float)) and 0 <= cv_margin < float(limits.min(initial=np.inf))):
        raise ParameterError(
            f"cv_margin: the safety margin below each coefficient limit must be >= 0 and below the limit, "
            f"got {cv_margin!r}"
        )
    thresholds = np.zeros_like(raw)
    if scheme == "quality_2017":
        rule = school_rule()
        junior = (table["level"] == LEVELS_2017[1]).to_numpy()
        thresholds = np.where(junior[:, None], rule.thresholds[LEVELS_2017[1]], rule.thresholds[LEVELS_2017[0]])
    return _Arrays(
        raw=raw,
        pupils=table["enrolment"].to_numpy(dtype="float64"),
        per=np.array([p for _, _, p in res], dtype="float64"),
        step=step,
        unit_cost=costs.loc[names, "cost_yuan"].to_numpy(dtype="float64") * step,
        cap=_caps(table, names, step, caps),
        thresholds=thresholds,
        judged=_judged(table) if scheme == "quality_2017" else np.zeros(len(table), dtype=bool),
        groups=codes,
        group_keys=group_keys,
        limits=limits - cv_margin,
        integer=costs.loc[names, "unit"].isin(["人", "间", "台", "册"]).to_numpy(),
        indicators=[i for i, _, _ in res],
        names_zh=[indicator_info(i)["name_zh"] for i, _, _ in res],
    )


def _caps(table: pd.DataFrame, names: list[str], step: np.ndarray, caps) -> np.ndarray:
    """Caps on additions per school, in steps.  ``caps`` is {resource: amount} for every
    school, or a DataFrame with the key columns and one column per capped resource."""
    out = np.full((len(table), len(names)), np.inf)
    if caps is None:
        return out
    if isinstance(caps, dict):
        for resource, amount in caps.items():
            if resource not in names:
                raise ParameterError(f"caps: {resource!r} is not a resource of this plan; resources: {names}")
            if not isinstance(amount, (int, float, np.number)) or not amount >= 0:
                raise ParameterError(f"caps: the cap of {resource!r} must be a number >= 0, got {amount!r}")
            out[:, names.index(resource)] = np.floor(amount / step[names.index(resource)] + 1e-9)
        return out
    if isinstance(caps, pd.DataFrame):
        keys = _keys(table)
        missing = [k for k in keys if k not in caps.columns]
        if missing:
            raise ParameterError(f"caps: key column(s) {missing} missing; a school is identified by {keys}")
        merged = table[keys].merge(caps, on=keys, how="left", validate="one_to_one")
        for column in caps.columns:
            if column in keys:
                continue
            if column not in names:
                raise ParameterError(f"caps: {column!r} is not a resource of this plan; resources: {names}")
            amount = pd.to_numeric(merged[column], errors="coerce").to_numpy(dtype="float64")
            if (amount < 0).any():
                raise ParameterError(f"caps: column `{column}` must be >= 0")
            j = names.index(column)
            out[:, j] = np.where(np.isnan(amount), np.inf, np.floor(amount / step[j] + 1e-9))
        return out
    raise ParameterError(f"caps must be a dict or a DataFrame, got {type(caps).__name__}")


def _value(a: _Arrays, steps: np.ndarray) -> np.ndarray:
    """Indicator values after ``steps`` — the very arithmetic of ``school_indicators``."""
    return (a.raw + steps * a.step) * a.per / a.pupils[:, None]
