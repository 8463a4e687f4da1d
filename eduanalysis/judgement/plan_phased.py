"""A plan over years (达标测算分年安排): the county plan scheduled within a yearly budget.

:func:`~eduanalysis.judgement.planning.phased_plan` (:func:`schedule_plan` here) takes the
least-cost county plan (every school and every coefficient
passing, :func:`~eduanalysis.judgement.planning.county_plan`) and decides in which year
each addition is made, so that the county passes by the final year, no year spends more
than the budget, and the cost over the years is least:

- a one-off cost (building, rooms, equipment, training a teacher in post) falls in the
  year the addition is made;
- a yearly cost (the salary of a new post) falls in the year the post is added and in
  every year after it, up to the final year.

Additions of one resource are interchangeable in cost wherever they go, so the schedule
is a small integer program over (resource, year) — whole steps per year, solved exactly
with ``scipy.optimize.milp`` — and the schools' additions are then laid out in that order.
Posts come as late as the budget allows (each year earlier costs one more salary);
one-off additions as early as it allows (the county gains from them sooner; the cost is
the same).  When the budget is too small the result says so, with the least yearly
budget that works.

The schedule fixes *what* is added to the least-cost county plan; it does not trade a
post for a one-off alternative when the budget binds (the county plan already picks the
cheapest intervention per indicator).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, sparse

from ..errors import ParameterError
from .plan_costs import BASIS_YEARLY
from .plan_types import Plan, _keys

__all__ = ["PhasedPlan", "schedule_plan"]

#: seconds each schedule program may take (packing one-off items into years is a bin-packing
#: problem: the least budget of the demo county takes ~2 s to prove)
_TIME_LIMIT = 10.0


@dataclass
class PhasedPlan:
    """A county plan laid out over ``years``.

    ``schedule``: one row per school, resource and year with units added (``added``),
    ``cost_one_off`` spent that year and ``cost_yearly`` (元 per year from that year on);
    ``by_year``: per year, ``one_off``, ``salaries`` (every post added so far),
    ``spending`` (their sum), ``budget``, ``new_posts`` added that year;
    ``total_cost``: spending over all the years; ``status``: ``"optimal"``, ``"feasible"``
    (a schedule within the budget, its least cost not proven), ``"time_limit"`` or
    ``"infeasible"`` (``binding`` then says why, and ``min_budget_per_year`` is the least
    yearly budget with which the plan fits in ``years``, whatever the status);
    ``proven``: False when a schedule program ran out of time (the schedule then fits the
    budget but may cost more, and ``min_budget_per_year`` is a budget that works, perhaps
    not the least).
    """

    plan: Plan
    years: int
    budget_per_year: float
    schedule: pd.DataFrame
    by_year: pd.DataFrame
    total_cost: float
    status: str
    min_budget_per_year: float
    binding: str = ""
    proven: bool = True


def _items(plan: Plan) -> pd.DataFrame:
    """Whole steps per resource in the plan, with one-off and yearly cost per step."""
    rows = []
    units, costs = plan.units(), plan.item_costs()  # teachers hired beyond training: their own item
    for r in units.columns:
        c = costs.loc[r]
        steps = float(units[r].sum()) / float(c["step"])
        if steps <= 0:
            continue
        per_step = float(c["cost_yuan"]) * float(c["step"])
        yearly = c["basis"] == BASIS_YEARLY
        rows.append(
            {
                "resource": r,
                "steps": int(round(steps)),
                "one_off": 0.0 if yearly else per_step,
                "yearly": per_step if yearly else 0.0,
                "posts_per_step": float(c["step"]) if bool(c["new_post"]) else 0.0,
            }
        )
    return pd.DataFrame(rows, columns=["resource", "steps", "one_off", "yearly", "posts_per_step"])


def _program(items: pd.DataFrame, years: int, budget: float | None):
    """Variables x[u, t] (steps of item u in year t, u-major), and B when ``budget`` is None
    (then B is minimised).  Returns the milp result."""
    n_u = len(items)
    size = n_u * years + (1 if budget is None else 0)
    one_off = items["one_off"].to_numpy()
    yearly = items["yearly"].to_numpy()
    t = np.arange(1, years + 1)
    cost = np.zeros(size)
    if budget is None:
        cost[-1] = 1.0
    else:
        # salaries for every year from the one a post is added; one-off spending nudged early
        # (the same cost, sooner benefit) by a tie-break far below one 元
        spend = yearly[:, None] * (years - t + 1)[None, :] + one_off[:, None] * (1 + 1e-9 * t[None, :])
        cost[: n_u * years] = spend.ravel()
    rows, cols, vals, lo, hi = [], [], [], [], []
    r = 0
    for u in range(n_u):  # every step is added in some year
        rows += [r] * years
        cols += list(u * years + np.arange(years))
        vals += [1.0] * years
        lo.append(float(items["steps"].iloc[u]))
        hi.append(float(items["steps"].iloc[u]))
        r += 1
    for y in range(years):  # spending of year y ≤ budget
        for u in range(n_u):
            if one_off[u]:
                rows.append(r)
                cols.append(u * years + y)
                vals.append(one_off[u])
            if yearly[u]:
                for s in range(y + 1):
                    rows.append(r)
                    cols.append(u * years + s)
                    vals.append(yearly[u])
        if budget is None:
            rows.append(r)
            cols.append(size - 1)
            vals.append(-1.0)
        lo.append(-np.inf)
        hi.append(0.0 if budget is None else budget)
        r += 1
    integrality = np.ones(size)
    if budget is None:
        integrality[-1] = 0
    matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(r, size))
    return optimize.milp(
        cost,
        integrality=integrality,
        bounds=optimize.Bounds(np.zeros(size), np.full(size, np.inf)),
        constraints=optimize.LinearConstraint(matrix, lo, hi),
        options={"time_limit": _TIME_LIMIT},
    )


def _lay_out(plan: Plan, items: pd.DataFrame, steps_by_year: np.ndarray, years: int) -> pd.DataFrame:
    """The schools' additions in the scheduled order: per resource, schools in table order
    take the year's steps until each has what the plan gives it."""
    keys = _keys(plan.additions)
    rows = []
    units, costs = plan.units(), plan.item_costs()
    for u, item in enumerate(items.itertuples(index=False)):
        step = float(costs.loc[item.resource, "step"])
        need = np.round(units[item.resource].to_numpy(dtype=float) / step).astype(int)
        school = 0
        for y in range(years):
            left = int(round(steps_by_year[u, y]))
            while left > 0:
                while need[school] == 0:
                    school += 1
                take = min(left, need[school])
                need[school] -= take
                left -= take
                rows.append(
                    {
                        **{k: plan.additions[k].iloc[school] for k in keys},
                        "year": y + 1,
                        "resource": item.resource,
                        "name_zh": costs.loc[item.resource, "name_zh"],
                        "unit": costs.loc[item.resource, "unit"],
                        "added": take * step,
                        "cost_one_off": take * item.one_off,
                        "cost_yearly": take * item.yearly,
                        "new_posts": take * item.posts_per_step,
                    }
                )
    columns = [*keys, "year", "resource", "name_zh", "unit", "added", "cost_one_off", "cost_yearly", "new_posts"]
    return pd.DataFrame(rows, columns=columns)


def _by_year(schedule: pd.DataFrame, years: int, budget: float) -> pd.DataFrame:
    year = np.arange(1, years + 1)
    one_off = schedule.groupby("year")["cost_one_off"].sum().reindex(year, fill_value=0.0).to_numpy()
    started = schedule.groupby("year")["cost_yearly"].sum().reindex(year, fill_value=0.0).to_numpy()
    posts = schedule.groupby("year")["new_posts"].sum().reindex(year, fill_value=0.0).to_numpy()
    salaries = np.cumsum(started)
    return pd.DataFrame(
        {
            "year": year,
            "one_off": one_off,
            "salaries": salaries,
            "spending": one_off + salaries,
            "budget": budget,
            "new_posts": posts.astype(int),
        }
    )


def schedule_plan(plan: Plan, *, years: int, budget_per_year: float | None) -> PhasedPlan:
    """Schedule a computed county plan over ``years`` within ``budget_per_year`` (元; None:
    the least yearly budget with which the plan fits).

    Examples
    --------
    >>> import pandas as pd
    >>> from eduanalysis.judgement.planning import county_plan
    >>> base = {"level": "小学", "enrolment": 100, "qualified_teachers": 5, "key_teachers": 1,
    ...         "teaching_aux_area": 450.0, "sports_area": 750.0, "equipment_value": 200000,
    ...         "multimedia_rooms": 3}
    >>> t = pd.DataFrame([{**base, "school": "甲", "pe_art_teachers": 0},
    ...                   {**base, "school": "乙", "pe_art_teachers": 0}])
    >>> p = schedule_plan(county_plan(t), years=3, budget_per_year=200000)  # two PE teachers
    >>> p.by_year[["new_posts", "spending"]].values.tolist()  # posts as late as the budget allows
    [[0.0, 0.0], [0.0, 0.0], [2.0, 191854.0]]
    >>> schedule_plan(county_plan(t), years=3, budget_per_year=None).budget_per_year  # the least
    191854.0
    >>> short = schedule_plan(county_plan(t), years=3, budget_per_year=100000)
    >>> short.status, short.min_budget_per_year
    ('infeasible', 191854.0)
    >>> print(*short.binding.split("；"), sep="\\n")
    每年预算不足：按方案，3 年内一次性投入共 0.0 万元，新增编制工资到最后一年每年 19.2 万元
    每年预算至少需要 19.2 万元（仅新增编制的工资就超过了每年预算）
    """
    if not (isinstance(years, (int, np.integer)) and years >= 1):
        raise ParameterError(f"years must be a whole number >= 1, got {years!r}")
    if budget_per_year is not None and not (
        isinstance(budget_per_year, (int, float, np.number)) and math.isfinite(budget_per_year)
    ):
        raise ParameterError(f"budget_per_year must be a finite number of 元, got {budget_per_year!r}")
    if budget_per_year is not None and budget_per_year < 0:
        raise ParameterError(f"budget_per_year must be >= 0 元, got {budget_per_year!r}")
    if plan.status == "infeasible":
        shown = math.nan if budget_per_year is None else float(budget_per_year)
        empty = _lay_out(plan, _items(plan).iloc[0:0], np.zeros((0, years)), years)
        return PhasedPlan(
            plan, years, shown, empty, _by_year(empty, years, shown), math.nan,
            "infeasible", math.nan, "达标方案本身在追加上限内无解，无法分年安排",
        )  # fmt: skip
    items = _items(plan)
    if items.empty:
        shown = 0.0 if budget_per_year is None else float(budget_per_year)
        empty = _lay_out(plan, items, np.zeros((0, years)), years)
        return PhasedPlan(plan, years, shown, empty, _by_year(empty, years, shown), 0.0, "optimal", 0.0)
    least = _program(items, years, None)
    min_budget = float(np.ceil(least.x[-1] - 1e-6)) if least.x is not None else math.nan
    if budget_per_year is None:
        budget_per_year = min_budget
    res = _program(items, years, float(budget_per_year))
    if res.x is None and res.status != 2:  # out of time before any schedule was found
        empty = _lay_out(plan, items.iloc[0:0], np.zeros((0, years)), years)
        return PhasedPlan(
            plan, years, float(budget_per_year), empty, _by_year(empty, years, budget_per_year), math.nan,
            "time_limit", min_budget, f"在 {_TIME_LIMIT:g} 秒内未找到分年安排，请放宽预算或年数后重试", proven=False,
        )  # fmt: skip
    if res.x is None:
        salaries = float((items["yearly"] * items["steps"]).sum())
        one_off = float((items["one_off"] * items["steps"]).sum())
        why = (
            f"每年预算不足：按方案，{years} 年内一次性投入共 {one_off / 1e4:,.1f} 万元，"
            f"新增编制工资到最后一年每年 {salaries / 1e4:,.1f} 万元；每年预算至少需要 {min_budget / 1e4:,.1f} 万元"
        )
        if salaries > budget_per_year:
            why += "（仅新增编制的工资就超过了每年预算）"
        empty = _lay_out(plan, items.iloc[0:0], np.zeros((0, years)), years)
        return PhasedPlan(
            plan, years, float(budget_per_year), empty, _by_year(empty, years, budget_per_year), math.nan,
            "infeasible", min_budget, why,
        )  # fmt: skip
    steps_by_year = np.round(res.x.reshape(len(items), years))
    schedule = _lay_out(plan, items, steps_by_year, years)
    by_year = _by_year(schedule, years, float(budget_per_year))
    proven = least.status == 0 and res.status == 0
    total = float(by_year["spending"].sum())
    return PhasedPlan(
        plan, years, float(budget_per_year), schedule, by_year, total, "optimal" if proven else "feasible", min_budget,
        proven=proven,
    )  # fmt: skip
