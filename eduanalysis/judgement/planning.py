"""What it takes to pass (达标测算): the least-cost additions for the balance standards.

A county bureau asks: which teachers, ㎡ and equipment, added where, make every school and
every difference coefficient pass at the least cost?  This module answers with plans
that are verified by the project's own checks:

- :func:`what_if` — add given resources to given schools and judge the result (new
  indicator values, the 2017 school rule, every coefficient against its limit).  Every
  plan below is re-checked with it before it is returned.
- :func:`school_plan` — each school alone: the cheapest integer additions that pass the
  2017 school rule, choosing which indicator may stay at the 85 % floor (exact: every
  admissible choice is enumerated and priced).
- :func:`naive_plan` — each school brought to every threshold on its own (what a
  shortfall table adds up to); the baseline the saving is measured against.
- :func:`county_plan` — the whole county: every school passes *and* every indicator's
  difference coefficient meets its limit (2017), or the composite meets its limit
  (2012); see :mod:`eduanalysis.judgement.county_solver` for the method.

Resources are the raw counts of the school table (``qualified_teachers``,
``teaching_aux_area`` ...); each 2017 indicator is one resource per student (or per 100
students), so adding a resource moves exactly one indicator.  A new teacher who holds a
degree *and* teaches PE would count for two indicators; plans never assume that, so
their cost is an upper bound in that respect.  Unit costs are data
(``judgement/costs.csv``): apart from equipment (1 元 of value costs 1 元), every default
is an assumption marked as such, and every figure can be overridden (``costs=``).
Teachers are priced per year and buildings once, so a total is "first-year cost".
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

from ..data.registry import indicator_info
from ..errors import DataValidationError, ParameterError
from ..measures.coefficients import STATUS_OK, difference_coefficients
from ..measures.indicators import DERIVATIONS, school_indicators
from .school_rule import LEVELS_2017, quality_school_check, school_rule
from .standards import get_threshold, indicator_set

__all__ = [
    "COSTS_CSV",
    "SCHEMES",
    "Outcome",
    "Plan",
    "compare_plans",
    "county_plan",
    "load_costs",
    "naive_plan",
    "resources",
    "school_plan",
    "what_if",
]

COSTS_CSV = Path(__file__).with_name("costs.csv")
_COST_COLUMNS = ["resource", "name_zh", "unit", "step", "cost_yuan", "basis", "assumption", "source", "note"]
#: scheme -> (indicator set, standard of the coefficient limit, indicator id of that limit)
SCHEMES = {
    "quality_2017": ("quality_balance_2017", "quality_balance_2017", "indicator_cv"),
    "basic_2012": ("basic_balance_2012", "basic_balance_2012", "composite_cv"),
}


# ---------------------------------------------------------------------------- costs
@lru_cache(maxsize=1)
def _costs_file() -> pd.DataFrame:
    table = pd.read_csv(COSTS_CSV, dtype=str, keep_default_na=False)
    if list(table.columns) != _COST_COLUMNS:
        raise DataValidationError(f"{COSTS_CSV.name}: header must be {_COST_COLUMNS}, found {list(table.columns)}")
    known = {raw for raw, _ in DERIVATIONS.values()}
    for row, rec in enumerate(table.itertuples(index=False), start=2):
        where = f"{COSTS_CSV.name}, row {row} ({rec.resource})"
        if rec.resource not in known:
            raise DataValidationError(f"{where}, column `resource`: not a resource of any indicator")
        if rec.assumption not in {"yes", "no"}:
            raise DataValidationError(f"{where}, column `assumption`: expected yes/no, found {rec.assumption!r}")
    table["step"] = pd.to_numeric(table["step"], errors="raise")
    table["cost_yuan"] = pd.to_numeric(table["cost_yuan"], errors="raise")
    table["assumption"] = table["assumption"] == "yes"
    return table.set_index("resource")


def load_costs(costs: dict[str, float] | pd.Series | pd.DataFrame | None = None) -> pd.DataFrame:
    """Unit costs per resource: the defaults of ``costs.csv``, with the user's overrides.

    Parameters
    ----------
    costs : dict or Series {resource: 元 per unit}, or DataFrame, optional
        Overrides.  A DataFrame may carry ``cost_yuan`` and/or ``step`` (the unit in which
        additions are made: 1 teacher, 1 ㎡, 100 元 ...) indexed by resource.  An
        overridden figure is no longer marked as the project's assumption.

    Returns
    -------
    DataFrame indexed by resource: ``name_zh``, ``unit``, ``step``, ``cost_yuan``,
    ``basis`` (每年 / 一次性), ``assumption`` (bool), ``source``, ``note``.

    Examples
    --------
    >>> c = load_costs({"sports_area": 450})
    >>> float(c.loc["sports_area", "cost_yuan"]), bool(c.loc["sports_area", "assumption"])
    (450.0, False)
    >>> float(c.loc["equipment_value", "cost_yuan"])
    1.0
    """
    table = _costs_file().copy()
    if costs is None:
        return table
    if isinstance(costs, pd.DataFrame):
        frame = costs
    else:
        frame = pd.DataFrame({"cost_yuan": pd.Series(costs, dtype="object")})
    unknown = [r for r in frame.index if r not in table.index]
    if unknown:
        raise ParameterError(f"costs: unknown resource(s) {unknown}; known: {', '.join(table.index)}")
    for column in ("cost_yuan", "step"):
        if column not in frame.columns:
            continue
        for resource, value in frame[column].items():
            if not isinstance(value, (int, float, np.number)) or not math.isfinite(value) or value <= 0:
                raise ParameterError(f"costs: `{column}` of {resource!r} must be a finite number > 0, got {value!r}")
            table.loc[resource, column] = float(value)
            table.loc[resource, "assumption"] = False
            table.loc[resource, "source"] = "用户提供"
    return table


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
    """Schools the 2017 rule judges (not special-education schools, not small teaching points)."""
    if "school_type" not in table.columns:
        return np.ones(len(table), dtype=bool)
    kind = table["school_type"].fillna("").astype(str).to_numpy()
    pupils = table["enrolment"].to_numpy(dtype="float64")
    return ~((kind == "特殊教育学校") | ((kind == "教学点") & (pupils < 50)))


# ---------------------------------------------------------------------------- what-if
@dataclass
class Outcome:
    """A school table judged after (or before) additions.

    ``table`` holds raw counts and indicators; ``rule`` the 2017 verdict per school
    (:func:`~eduanalysis.judgement.school_rule.quality_school_check` summary, 2017 scheme
    only); ``coefficients`` one row per group and indicator (``cv``, ``limit``, ``met``;
    ``met`` is NA where no coefficient exists, ``status`` says why); ``composite`` the
    2012 composite per group (2012 scheme only).  ``schools_pass``: every judged school
    passes the school rule (always True for 2012, which has none);
    ``coefficients_pass``: every coefficient (2017) or composite (2012) that exists
    meets its limit; ``passes``: both.
    """

    scheme: str
    table: pd.DataFrame
    rule: pd.DataFrame | None
    coefficients: pd.DataFrame
    composite: pd.DataFrame | None
    schools_pass: bool
    coefficients_pass: bool

    @property
    def passes(self) -> bool:
        return self.schools_pass and self.coefficients_pass


def _judge(table: pd.DataFrame, scheme: str) -> Outcome:
    set_name, standard, limit_id = _scheme(scheme)
    indicators = indicator_set(set_name)
    by = _group_keys(table)
    cv = difference_coefficients(table, indicators, by=by, on_zero_mean="nan")
    limits = {lvl: float(get_threshold(standard, limit_id, lvl)["value"]) for lvl in LEVELS_2017}
    cv["limit"] = cv["level"].map(limits)
    rule = composite = None
    if scheme == "quality_2017":
        met = pd.array(cv["cv"] <= cv["limit"], dtype="boolean")
        met[cv["status"].to_numpy() != STATUS_OK] = pd.NA
        cv["met"] = met
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
            rows.append(
                {
                    **dict(zip(by, key)),
                    "composite": value,
                    "limit": limit,
                    "met": (value <= limit) if defined.all() else pd.NA,
                    "status": STATUS_OK if defined.all() else "; ".join(sorted(set(group.loc[~defined, "status"]))),
                }
            )
        composite = pd.DataFrame(rows)
        composite["met"] = composite["met"].astype("boolean")
        schools_pass, coefficients_pass = True, bool(composite["met"].fillna(True).all())
    return Outcome(scheme, table, rule, cv, composite, schools_pass, coefficients_pass)


def what_if(schools: pd.DataFrame, additions: pd.DataFrame | None = None, *, scheme: str = "quality_2017") -> Outcome:
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
    return _judge(table, scheme)


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
@dataclass
class Plan:
    """A plan of additions and its verification.

    ``additions`` has one row per school: the key columns, ``enrolment``, one column
    per resource (units added, whole steps), ``cost`` (元) and ``at_floor`` (Chinese
    name of the indicator the plan leaves between 85 % and 100 % of its threshold, ""
    if none); ``groups`` one row per group (region/level) with the method, status,
    iterations and solve time; ``binding`` what prevents a plan when ``status`` is
    ``"infeasible"`` (one row per school or indicator, with a Chinese explanation).
    ``before`` and ``after`` are :func:`what_if` outcomes; ``verified`` is True when
    ``after`` meets what the plan promises — the school rule for a school or naive
    plan, the school rule and every coefficient for a county plan (the solvers' result
    is re-checked, never trusted).

    ``status``: ``"optimal"`` (proven: exact enumeration, or within 0.01 % of the
    relaxation's lower bound, or no further from it than rounding each ㎡/元 addition
    up to a whole unit), ``"feasible"`` (passes, optimality not proven),
    ``"time_limit"`` (the solver stopped; the plan passes but may cost more),
    ``"local_optimum"`` (2012 composite), ``"infeasible"`` (no plan within the caps).
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

    def cost_by_resource(self) -> pd.DataFrame:
        """Units added and cost (元) per resource, with Chinese names and units."""
        rows = []
        for r in self.resources:
            units = float(self.additions[r].sum())
            rows.append(
                {
                    "resource": r,
                    "name_zh": self.costs.loc[r, "name_zh"],
                    "unit": self.costs.loc[r, "unit"],
                    "added": units,
                    "cost": units * float(self.costs.loc[r, "cost_yuan"]),
                }
            )
        return pd.DataFrame(rows)

    def long(self) -> pd.DataFrame:
        """The plan as one row per school and resource added (amount > 0)."""
        keys = [c for c in ("region", "school", "level") if c in self.additions.columns]
        frame = self.additions.melt(id_vars=keys, value_vars=self.resources, var_name="resource", value_name="added")
        frame = frame[frame["added"] > 0].copy()
        frame["name_zh"] = frame["resource"].map(self.costs["name_zh"])
        frame["unit"] = frame["resource"].map(self.costs["unit"])
        frame["cost"] = frame["added"] * frame["resource"].map(self.costs["cost_yuan"])
        return frame.reset_index(drop=True)


@dataclass
class _Arrays:
    """The numbers a solver needs, one row per school, one column per resource."""

    raw: np.ndarray  # current amounts
    pupils: np.ndarray
    per: np.ndarray  # 100 or 1
    step: np.ndarray
    unit_cost: np.ndarray  # 元 per step
    cap: np.ndarray  # maximum additions, in steps (inf: no cap)
    thresholds: np.ndarray  # (n, k); 2017 only
    judged: np.ndarray
    groups: np.ndarray  # group code per school
    group_keys: pd.DataFrame
    limits: np.ndarray  # coefficient limit per group
    integer: np.ndarray  # resources counted in persons or rooms


def _arrays(table: pd.DataFrame, scheme: str, costs: pd.DataFrame, caps) -> _Arrays:
    res = resources(scheme)
    names = [raw for _, raw, _ in res]
    raw = table[names].to_numpy(dtype="float64")
    step = costs.loc[names, "step"].to_numpy(dtype="float64")
    by = _group_keys(table)
    codes, uniques = pd.factorize(pd.MultiIndex.from_frame(table[by]), sort=True)
    group_keys = pd.DataFrame(list(uniques), columns=by)
    _, standard, limit_id = _scheme(scheme)
    limits = np.array([float(get_threshold(standard, limit_id, lvl)["value"]) for lvl in group_keys["level"]])
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
        groups=codes.astype(np.intp),
        group_keys=group_keys,
        limits=limits,
        integer=costs.loc[names, "unit"].isin(["人", "间", "台", "册"]).to_numpy(),
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


def _min_steps(a: _Arrays, share: float) -> np.ndarray:
    """Fewest whole steps that bring each indicator to ``share`` × threshold, as judged by
    :func:`rule_verdicts` (value ≥ threshold for share 1, value ÷ threshold ≥ share else)."""

    def ok(s):
        v = _value(a, s)
        return v >= a.thresholds if share == 1.0 else v / a.thresholds >= share

    gap = (share * a.thresholds * a.pupils[:, None] / a.per - a.raw) / a.step
    s = np.ceil(np.maximum(gap, 0.0) - 1e-9)
    for _ in range(3):  # guard rounding both ways so the checker agrees exactly
        up = ~ok(s)
        s[up] += 1
        down = (s > 0) & ok(np.maximum(s - 1, 0))
        s[down] -= 1
    if not ok(s).all():  # pragma: no cover - three passes always settle it
        raise RuntimeError("planning: could not settle the whole-step requirement")
    return s


def _school_choices(a: _Arrays):
    """Every school's cheapest passing additions alone (no coefficient constraint).

    Returns (steps, at_floor mask, feasible mask, full steps, floor steps).  The rule
    lets ``k − min_met`` indicators stay between the floor and the threshold; every
    admissible set of such indicators is priced and the cheapest feasible one kept.
    """
    rule = school_rule()
    k = a.raw.shape[1]
    full = np.where(a.judged[:, None], _min_steps(a, 1.0), 0.0)
    floor = np.where(a.judged[:, None], _min_steps(a, rule.floor), 0.0)
    allowed = k - rule.min_met
    cases = [c for m in range(allowed + 1) for c in combinations(range(k), m)]
    best_cost = np.full(len(a.raw), np.inf)
    best = np.zeros(len(a.raw), dtype=np.intp)
    for c_index, case in enumerate(cases):
        need = full.copy()
        for j in case:
            need[:, j] = floor[:, j]
        feasible = np.all(need <= a.cap, axis=1)
        cost = np.where(feasible, need @ a.unit_cost, np.inf)
        better = cost < best_cost - 1e-9
        best_cost[better] = cost[better]
        best[better] = c_index
    steps = full.copy()
    at_floor = np.zeros_like(full, dtype=bool)
    for c_index, case in enumerate(cases):
        rows = best == c_index
        for j in case:
            steps[rows, j] = floor[rows, j]
            at_floor[rows, j] = floor[rows, j] < full[rows, j]
    return steps, at_floor, np.isfinite(best_cost), full, floor


def _floor_label(at_floor: np.ndarray, scheme: str) -> np.ndarray:
    names = np.array([indicator_info(i)["name_zh"] for i, _, _ in resources(scheme)], dtype=object)
    out = np.full(len(at_floor), "", dtype=object)
    for j, name in enumerate(names):
        out[at_floor[:, j]] = np.where(out[at_floor[:, j]] == "", name, out[at_floor[:, j]] + "、" + name)
    return out


def _finish(
    table, scheme, kind, costs, a, steps, at_floor, status, groups, binding, started, before=None, outcomes=None
) -> Plan:
    names = [raw for _, raw, _ in resources(scheme)]
    keys = _keys(table)
    additions = table[keys + ["enrolment"]].copy()
    amounts = steps * a.step
    for j, r in enumerate(names):
        integral = float(a.step[j]).is_integer()
        additions[r] = amounts[:, j].astype("int64") if integral else amounts[:, j]
    additions["cost"] = steps @ a.unit_cost
    additions["at_floor"] = _floor_label(at_floor, scheme)
    before = before or _judge(table, scheme)
    after, verified = None, False
    if status != "infeasible":
        key = steps.tobytes()
        if outcomes is not None and key in outcomes:
            after = outcomes[key]  # the same additions judged already (e.g. county = each school alone)
        elif not steps.any():
            after = before
        else:
            after = what_if(table, additions[keys + names], scheme=scheme)
        if outcomes is not None:
            outcomes[key] = after
        verified = after.passes if kind == "county" else after.schools_pass
    return Plan(
        scheme=scheme,
        kind=kind,
        additions=additions,
        costs=costs,
        total_cost=float(additions["cost"].sum()) if status != "infeasible" else float("nan"),
        status=status,
        groups=groups,
        binding=binding,
        before=before,
        after=after,
        solve_seconds=time.perf_counter() - started,
        verified=verified,
        resources=names,
    )


def _school_binding(table, a, feasible, full, floor, scheme) -> pd.DataFrame:
    rows = []
    inds = resources(scheme)
    costs_names = [indicator_info(i)["name_zh"] for i, _, _ in inds]
    for i in np.flatnonzero(~feasible):
        over_full = [j for j in range(len(inds)) if full[i, j] > a.cap[i, j]]
        over_floor = [j for j in over_full if floor[i, j] > a.cap[i, j]]
        detail = (
            "、".join(costs_names[j] for j in over_full)
            + f"：在追加上限内达不到标准值（最多允许 {len(inds) - school_rule().min_met} 项只达到 85%）"
        )
        if over_floor:
            detail += "；其中" + "、".join(costs_names[j] for j in over_floor) + "连 85% 也达不到"
        rows.append(
            {
                **{k: table[k].iloc[i] for k in _keys(table)},
                "kind": "school",
                "indicator": "、".join(inds[j][0] for j in over_full),
                "detail": detail,
            }
        )
    return pd.DataFrame(rows, columns=[*_keys(table), "kind", "indicator", "detail"])


def _group_table(a: _Arrays, method: str, status: str, seconds=0.0, iterations=0) -> pd.DataFrame:
    frame = a.group_keys.copy()
    frame["n_schools"] = np.bincount(a.groups, minlength=len(frame))
    frame["method"] = method
    frame["status"] = status
    frame["iterations"] = iterations
    frame["seconds"] = seconds
    return frame


def school_plan(schools: pd.DataFrame, *, costs=None, caps=None) -> Plan:
    """The cheapest additions with which each school, alone, passes the 2017 school rule.

    Exact: for each school every admissible choice of the indicator left at the 85 %
    floor (7 choices, or none) is priced with whole teachers, rooms, ㎡ and 元, and the
    cheapest feasible one kept.  Coefficients are not constrained (see
    :func:`county_plan`).  ``caps`` bounds the additions per school ({resource: amount}
    or a DataFrame per school); a school that cannot pass within them makes the plan
    ``"infeasible"`` and is listed in ``binding``.

    Examples
    --------
    >>> t = pd.DataFrame({"school": ["甲"], "level": ["小学"], "enrolment": [400],
    ...     "qualified_teachers": [20], "key_teachers": [4], "pe_art_teachers": [4],
    ...     "teaching_aux_area": [1800.0], "sports_area": [2000.0],
    ...     "equipment_value": [700000], "multimedia_rooms": [10]})
    >>> p = school_plan(t)
    >>> p.additions[["sports_area", "equipment_value", "at_floor"]].values.tolist()
    [[550, 100000, '生均体育运动场馆面积']]
    >>> p.total_cost, p.verified
    (265000.0, True)
    """
    started = time.perf_counter()
    table = _prepare(schools, "quality_2017")
    cost_table = load_costs(costs)
    return _school(table, cost_table, _arrays(table, "quality_2017", cost_table, caps), None, started, None)


def _school(table, cost_table, a, before, started, outcomes) -> Plan:
    steps, at_floor, feasible, full, floor = _school_choices(a)
    status = "optimal" if feasible.all() else "infeasible"
    binding = _school_binding(table, a, feasible, full, floor, "quality_2017")
    groups = _group_table(a, "per_school_enumeration", status)
    return _finish(
        table,
        "quality_2017",
        "school",
        cost_table,
        a,
        steps,
        at_floor,
        status,
        groups,
        binding,
        started,
        before,
        outcomes,
    )


def naive_plan(schools: pd.DataFrame, *, costs=None) -> Plan:
    """Each school brought to every 2017 threshold on its own (whole units, no 85 % use).

    The sum of the shortfalls a table of gaps lists; the baseline of the saving.

    Examples
    --------
    >>> t = pd.DataFrame({"school": ["甲"], "level": ["小学"], "enrolment": [400],
    ...     "qualified_teachers": [20], "key_teachers": [4], "pe_art_teachers": [4],
    ...     "teaching_aux_area": [1800.0], "sports_area": [2000.0],
    ...     "equipment_value": [700000], "multimedia_rooms": [10]})
    >>> naive_plan(t).total_cost  # 1,000 ㎡ × 300 元 + 100,000 元
    400000.0
    """
    started = time.perf_counter()
    table = _prepare(schools, "quality_2017")
    cost_table = load_costs(costs)
    return _naive(table, cost_table, _arrays(table, "quality_2017", cost_table, None), None, started, None)


def _naive(table, cost_table, a, before, started, outcomes) -> Plan:
    full = np.where(a.judged[:, None], _min_steps(a, 1.0), 0.0)  # caps play no part here
    groups = _group_table(a, "naive_full_thresholds", "feasible")
    none = pd.DataFrame(columns=[*_keys(table), "kind", "indicator", "detail"])
    at_floor = np.zeros_like(full, dtype=bool)
    return _finish(
        table,
        "quality_2017",
        "naive",
        cost_table,
        a,
        full,
        at_floor,
        "feasible",
        groups,
        none,
        started,
        before,
        outcomes,
    )


def county_plan(
    schools: pd.DataFrame,
    *,
    scheme: str = "quality_2017",
    costs=None,
    caps=None,
    time_limit: float = 60.0,
) -> Plan:
    """The least-cost additions with which a county passes: schools and coefficients.

    ``scheme="quality_2017"``: every judged school passes the 2017 school rule and, in
    every group (level, and region if the table has several) of two or more schools,
    every one of the seven indicators' difference coefficients meets its limit (小学
    ≤ 0.50, 初中 ≤ 0.45).  ``scheme="basic_2012"``: the composite of the eight 2012
    coefficients meets its limit (小学 ≤ 0.65, 初中 ≤ 0.55); the 2012 standard has no
    school rule.

    The method (see :mod:`eduanalysis.judgement.county_solver`): start from each
    school's own optimum; where a coefficient still fails, solve a mixed-integer
    program with ``scipy.optimize.milp`` (HiGHS) in which the coefficient limit — a
    second-order-cone constraint, convex in the additions — is outer-approximated by
    tangents, turn its floor choices into a plan by water-filling, and stop when plan
    and bound are within 0.01 % (``groups`` gives ``lower_bound`` and ``gap``); for the
    2012 composite choose one fill level per indicator (Lagrangian grid, then
    ``scipy.optimize.minimize`` with SLSQP; a local optimum).  The returned plan is
    re-checked with :func:`what_if` (``verified``).  ``groups`` says, per group, which
    method settled it, in how many rounds and seconds.  A plan that cannot exist within
    ``caps`` has ``status == "infeasible"`` and ``binding`` says what binds: schools
    that cannot pass the rule, or indicators whose coefficient cannot reach its limit
    (with the lowest value reachable).

    Examples
    --------
    Two primary schools that pass the rule but are far apart in sports ground: the
    second must be raised until the coefficient is ≤ 0.50 (derivation in
    tests/test_planning.py):

    >>> base = {"level": "小学", "enrolment": 100, "qualified_teachers": 5, "key_teachers": 1,
    ...         "pe_art_teachers": 1, "teaching_aux_area": 450.0, "equipment_value": 200000,
    ...         "multimedia_rooms": 3}
    >>> t = pd.DataFrame([{**base, "school": "甲", "sports_area": 3000.0},
    ...                   {**base, "school": "乙", "sports_area": 750.0}])
    >>> p = county_plan(t)
    >>> p.additions["sports_area"].tolist(), p.verified
    ([0, 250], True)
    """
    started = time.perf_counter()
    _scheme(scheme)
    table = _prepare(schools, scheme)
    cost_table = load_costs(costs)
    a = _arrays(table, scheme, cost_table, caps)
    return _county(table, scheme, cost_table, a, _judge(table, scheme), started, time_limit, None)


def _county(table, scheme, cost_table, a, before, started, time_limit, outcomes) -> Plan:
    from .county_solver import solve_county

    if scheme == "quality_2017":
        steps0, at_floor0, feasible, full, floor = _school_choices(a)
        if not feasible.all():
            binding = _school_binding(table, a, feasible, full, floor, scheme)
            groups = _group_table(a, "per_school_enumeration", "infeasible")
            return _finish(
                table,
                scheme,
                "county",
                cost_table,
                a,
                steps0,
                at_floor0,
                "infeasible",
                groups,
                binding,
                started,
                before,
                outcomes,
            )
    else:
        steps0 = np.zeros_like(a.raw)
        at_floor0 = np.zeros_like(a.raw, dtype=bool)
        full = floor = steps0
    result = solve_county(a, scheme, steps0, at_floor0, full, floor, time_limit=time_limit)
    binding = result.binding
    if len(binding):
        binding = pd.concat([a.group_keys.iloc[binding.pop("group")].reset_index(drop=True), binding], axis=1)
    return _finish(
        table,
        scheme,
        "county",
        cost_table,
        a,
        result.steps,
        result.at_floor,
        result.status,
        result.groups,
        binding,
        started,
        before,
        outcomes,
    )


def compare_plans(schools: pd.DataFrame, *, costs=None, caps=None, time_limit: float = 60.0) -> dict[str, Plan]:
    """The 2017 county plan with the two it is measured against, from one prepared table.

    Returns ``{"county": ..., "school": ..., "naive": ...}`` — the plans
    :func:`county_plan`, :func:`school_plan` and :func:`naive_plan` return — computed
    once: the table is prepared and judged before the additions once, and a plan equal
    to another (the county plan is each school's own optimum when no coefficient binds)
    is judged once.  What the balance report shows.

    Examples
    --------
    >>> t = pd.DataFrame({"school": ["甲"], "level": ["小学"], "enrolment": [400],
    ...     "qualified_teachers": [20], "key_teachers": [4], "pe_art_teachers": [4],
    ...     "teaching_aux_area": [1800.0], "sports_area": [2000.0],
    ...     "equipment_value": [700000], "multimedia_rooms": [10]})
    >>> {k: p.total_cost for k, p in compare_plans(t).items()}
    {'county': 265000.0, 'school': 265000.0, 'naive': 400000.0}
    """
    started = time.perf_counter()
    table = _prepare(schools, "quality_2017")
    cost_table = load_costs(costs)
    a = _arrays(table, "quality_2017", cost_table, caps)
    before = _judge(table, "quality_2017")
    outcomes: dict = {}
    return {
        "county": _county(table, "quality_2017", cost_table, a, before, started, time_limit, outcomes),
        "school": _school(table, cost_table, a, before, time.perf_counter(), outcomes),
        "naive": _naive(table, cost_table, a, before, time.perf_counter(), outcomes),
    }
