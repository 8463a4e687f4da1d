"""Plans school by school: each school's own cheapest way to pass, and the naive plan.

- :func:`school_plan` — each school alone: the cheapest whole-step additions that pass
  the 2017 school rule, choosing which indicator may stay at the 85 % floor (exact:
  every admissible choice is enumerated and priced).
- :func:`naive_plan` — each school brought to every threshold on its own (what a
  shortfall table adds up to); the baseline a saving is measured against, and only when
  it passes the coefficient limits too.

Also the finishing step every plan shares (``_finish``): costs split into one-off and
yearly, the new posts, why each school gets what it gets, and the re-check with
:func:`~eduanalysis.judgement.plan_types.what_if`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd

from ..data.registry import indicator_info
from .plan_costs import BASIS_YEARLY, load_costs
from .plan_types import Outcome, Plan, _Arrays, _arrays, _judge, _keys, _prepare, _value, resources, what_if
from .school_rule import school_rule

__all__ = ["naive_plan", "school_plan"]


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


@dataclass
class _Setup:
    """What every plan of one table shares: the prepared table, its costs and arrays, the
    judgement before any addition, and the outcomes already judged (one re-check per
    distinct set of additions)."""

    table: pd.DataFrame
    scheme: str
    costs: pd.DataFrame
    a: _Arrays
    before: Outcome
    include_excluded: bool = False
    cv_margin: float = 0.0
    outcomes: dict = field(default_factory=dict)


def _setup(schools, scheme, costs, caps, *, include_excluded=False, cv_margin=0.0) -> _Setup:
    table = _prepare(schools, scheme)
    cost_table = load_costs(costs)
    a = _arrays(table, scheme, cost_table, caps, include_excluded=include_excluded, cv_margin=cv_margin)
    before = _judge(table, scheme, include_excluded)
    return _Setup(table, scheme, cost_table, a, before, include_excluded, cv_margin)


def _ceil3(x: float) -> str:
    """A coefficient to 3 decimals, rounded up: a value above a limit never reads as on it."""
    return f"{math.ceil(round(x * 1000, 6)) / 1000:.3f}"


def _amount(value: float, unit: str) -> str:
    return f"{value:,.0f} {unit}" if float(value).is_integer() else f"{value:,.1f} {unit}"


def _reasons(s: _Setup, steps: np.ndarray, at_floor: np.ndarray, after: Outcome | None) -> np.ndarray:
    """Why each school gets what it gets: its own shortfall under the school rule, or
    lowering a coefficient (group's value before → after the plan)."""
    a = s.a
    if s.scheme == "quality_2017":
        full, floor = _min_steps(a, 1.0), _min_steps(a, school_rule().floor)
        need = np.where(a.judged[:, None], np.where(at_floor, floor, full), 0.0)
    else:
        need = np.zeros_like(steps)
    own = np.minimum(steps, need)
    extra = steps - own
    by = list(a.group_keys.columns)
    cv_before = s.before.coefficients.set_index([*by, "indicator"])["cv"]
    cv_after = after.coefficients.set_index([*by, "indicator"])["cv"] if after is not None else None
    out = np.full(len(steps), "", dtype=object)
    names = [r for _, r, _ in resources(s.scheme)]
    units = s.costs.loc[names, "unit"].tolist()
    what = s.costs.loc[names, "name_zh"].tolist()
    for i in np.flatnonzero(steps.any(axis=1)):
        parts = []
        mine = [j for j in range(steps.shape[1]) if own[i, j] > 0]
        if mine:
            parts.append(
                "本校达标所需：" + "、".join(f"{what[j]} {_amount(own[i, j] * a.step[j], units[j])}" for j in mine)
            )
        for j in np.flatnonzero(extra[i] > 0):
            text = f"为降低{a.names_zh[j]}差异系数另加{what[j]} {_amount(extra[i, j] * a.step[j], units[j])}"
            if a.groups[i] >= 0:
                key = (*a.group_keys.iloc[a.groups[i]].tolist(), a.indicators[j])
                if key in cv_before.index and cv_after is not None and key in cv_after.index:
                    text += f"（本学段该系数由 {_ceil3(cv_before[key])} 降至 {_ceil3(cv_after[key])}）"
            parts.append(text)
        out[i] = "；".join(parts)
    return out


def _beyond_training(s: _Setup, amounts: np.ndarray) -> pd.DataFrame:
    """Teachers a plan gets by training those in post (no new post) beyond the teachers in
    post who could be trained (full-time teachers not yet counted for that indicator), per
    school and trained resource: they have to be hired.  All 0 when the table has no
    ``teachers`` column to tell."""
    names = [r for _, r, _ in resources(s.scheme)]
    trained = [
        j
        for j, r in enumerate(names)
        if r != "teachers" and s.costs.loc[r, "unit"] == "人" and not bool(s.costs.loc[r, "new_post"])
    ]
    out = pd.DataFrame(0, index=s.table.index, columns=[names[j] for j in trained], dtype="int64")
    if "teachers" not in s.table.columns:
        return out
    in_post = s.table["teachers"].to_numpy(dtype=float)
    for j in trained:
        available = np.maximum(in_post - s.table[names[j]].to_numpy(dtype=float), 0.0)
        out[names[j]] = np.maximum(amounts[:, j] - available, 0.0).round().astype("int64")
    return out


def _finish(s: _Setup, kind, steps, at_floor, status, groups, binding, started) -> Plan:
    """Turn whole steps into a :class:`Plan`: amounts, one-off and yearly costs, new posts,
    reasons, and the re-check with :func:`what_if` (never trusting a solver)."""
    table, scheme, a = s.table, s.scheme, s.a
    names = [raw for _, raw, _ in resources(scheme)]
    keys = _keys(table)
    additions = table[keys + ["enrolment"]].copy()
    amounts = steps * a.step
    for j, r in enumerate(names):
        integral = float(a.step[j]).is_integer()
        additions[r] = amounts[:, j].astype("int64") if integral else amounts[:, j]
    yearly = (s.costs.loc[names, "basis"] == BASIS_YEARLY).to_numpy()
    post = s.costs.loc[names, "new_post"].to_numpy(dtype=bool)
    additions["cost_one_off"] = steps[:, ~yearly] @ a.unit_cost[~yearly]
    additions["cost_yearly"] = steps[:, yearly] @ a.unit_cost[yearly]
    additions["cost"] = additions["cost_one_off"] + additions["cost_yearly"]
    additions["new_posts"] = amounts[:, post].sum(axis=1).astype("int64")
    additions["at_floor"] = _floor_label(at_floor, scheme)
    hired = _beyond_training(s, amounts)
    additions["beyond_training"] = hired.sum(axis=1).to_numpy()
    if additions["beyond_training"].any():
        # teachers beyond those in post who could be trained are hired: not the training price
        # but a new post with its yearly salary (the costs' ``teachers`` row)
        salary = float(s.costs.loc["teachers", "cost_yuan"])
        training = hired.to_numpy(dtype=float) @ s.costs.loc[list(hired.columns), "cost_yuan"].to_numpy(dtype=float)
        additions["cost_one_off"] = additions["cost_one_off"] - training
        additions["cost_yearly"] = additions["cost_yearly"] + additions["beyond_training"] * salary
        additions["cost"] = additions["cost_one_off"] + additions["cost_yearly"]
        additions["new_posts"] = additions["new_posts"] + additions["beyond_training"]
        if status == "optimal":
            # the solvers priced every such teacher as training: with the hires the plan is
            # valid and fully priced, but no longer proven least-cost
            status = "feasible"
    after, verified = None, False
    if status != "infeasible":
        key = (kind == "county", steps.tobytes())
        if key[1] in s.outcomes:
            after = s.outcomes[key[1]]  # the same additions judged already (e.g. county = each school alone)
        elif not steps.any():
            after = s.before
        else:
            after = what_if(table, additions[keys + names], scheme=scheme, include_excluded=s.include_excluded)
        s.outcomes[key[1]] = after
        verified = after.passes if kind == "county" else after.schools_pass
    additions["reason"] = _reasons(s, steps, at_floor, after)
    short = additions["beyond_training"] > 0
    note = "；在岗可培养的教师不足，其中 {:,} 人按新聘计（每年工资，占新增编制）"
    additions.loc[short, "reason"] = additions.loc[short, "reason"] + [
        note.format(n) for n in additions.loc[short, "beyond_training"]
    ]
    return Plan(
        scheme=scheme,
        kind=kind,
        additions=additions,
        costs=s.costs,
        total_cost=float(additions["cost"].sum()) if status != "infeasible" else float("nan"),
        status=status,
        groups=groups,
        binding=binding,
        before=s.before,
        after=after,
        solve_seconds=time.perf_counter() - started,
        verified=verified,
        resources=names,
        cv_margin=s.cv_margin,
        hired=hired,
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
    frame["n_schools"] = np.bincount(a.groups[a.groups >= 0], minlength=len(frame))
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
    >>> p.additions[["sports_area", "equipment_value", "at_floor"]].values.tolist()  # 2,550 ㎡ is 85 %: 6 × 100 ㎡
    [[600, 100000, '生均体育运动场馆面积']]
    >>> p.total_cost, p.one_off_cost, p.yearly_cost, p.verified
    (280000.0, 280000.0, 0.0, True)
    """
    started = time.perf_counter()
    return _school(_setup(schools, "quality_2017", costs, caps), started)


def _school(s: _Setup, started) -> Plan:
    steps, at_floor, feasible, full, floor = _school_choices(s.a)
    status = "optimal" if feasible.all() else "infeasible"
    binding = _school_binding(s.table, s.a, feasible, full, floor, "quality_2017")
    groups = _group_table(s.a, "per_school_enumeration", status)
    return _finish(s, "school", steps, at_floor, status, groups, binding, started)


def naive_plan(schools: pd.DataFrame, *, costs=None) -> Plan:
    """Each school brought to every 2017 threshold on its own (whole units, no 85 % use).

    The sum of the shortfalls a table of gaps lists; the baseline of a saving — a
    like-for-like one only when this plan also meets the coefficient limits
    (``after.passes``).

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
    return _naive(_setup(schools, "quality_2017", costs, None), started)


def _naive(s: _Setup, started) -> Plan:
    full = np.where(s.a.judged[:, None], _min_steps(s.a, 1.0), 0.0)  # caps play no part here
    groups = _group_table(s.a, "naive_full_thresholds", "feasible")
    none = pd.DataFrame(columns=[*_keys(s.table), "kind", "indicator", "detail"])
    return _finish(s, "naive", full, np.zeros_like(full, dtype=bool), "feasible", groups, none, started)
