"""What it takes to pass (达标测算): the least-cost additions for the balance standards.

A county bureau asks: which teachers, ㎡ and equipment, added where, make every school and
every difference coefficient pass at the least cost — and how is that spread over the
years of a budget?  The answer is split by job:

- :mod:`~eduanalysis.judgement.plan_costs` — unit costs as data (one-off or yearly, a
  low–high range, the intervention and whether it creates a post);
- :mod:`~eduanalysis.judgement.plan_types` — :func:`what_if` (add resources, judge the
  result with the one judge) and the :class:`Plan` every function returns;
- :mod:`~eduanalysis.judgement.plan_school` — :func:`school_plan` (each school alone)
  and :func:`naive_plan` (each school to every threshold: the baseline);
- this module — :func:`county_plan` (every school and every coefficient; the solvers are
  in :mod:`~eduanalysis.judgement.county_solver`) and :func:`compare_plans`;
- :mod:`~eduanalysis.judgement.plan_phased` — :func:`phased_plan`, the county plan
  scheduled over years within a yearly budget.

Resources are the raw counts of the school table (``qualified_teachers``,
``teaching_aux_area`` ...); each 2017 indicator is one resource per student (or per 100
students), so adding a resource moves exactly one indicator.  A new teacher who holds a
degree *and* teaches PE would count for two indicators; plans never assume that, so
their cost is an upper bound in that respect.  A plan's ``total_cost`` is its one-off
cost plus one year of its yearly cost (what it minimises); the two are kept apart in
``one_off_cost`` and ``yearly_cost``.
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from .county_solver import solve_county
from .plan_costs import COSTS_CSV, load_costs
from .plan_phased import PhasedPlan, schedule_plan
from .plan_school import (
    _finish,
    _group_table,
    _naive,
    _school,
    _school_binding,
    _school_choices,
    _Setup,
    _setup,
    naive_plan,
    school_plan,
)
from .plan_types import SCHEMES, STATUS_ZH, Outcome, Plan, _scheme, resources, what_if

__all__ = [
    "COSTS_CSV",
    "SCHEMES",
    "STATUS_ZH",
    "Outcome",
    "PhasedPlan",
    "Plan",
    "compare_plans",
    "county_plan",
    "load_costs",
    "naive_plan",
    "phased_plan",
    "resources",
    "schedule_plan",
    "school_plan",
    "what_if",
]


def county_plan(
    schools: pd.DataFrame,
    *,
    scheme: str = "quality_2017",
    costs=None,
    caps=None,
    time_limit: float = 20.0,
    include_excluded: bool = False,
    cv_margin: float = 0.0,
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

    ``time_limit`` is the budget of each group (seconds), not shared between them.
    ``cv_margin`` keeps each coefficient that far below its limit (a safety margin; the
    verdicts in ``after`` are still against the limit itself).  ``include_excluded``
    counts special-education schools and teaching points under 50 pupils in the
    coefficients, which the 2017 standard leaves out (they get no additions either way:
    the school rule does not judge them).

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
    >>> p = county_plan(t)  # 250 ㎡ needed, added in 100 ㎡ steps
    >>> p.additions["sports_area"].tolist(), p.verified
    ([0, 300], True)
    >>> p.additions["reason"].iloc[1]  # equal weights: CV = (30 − 10.5)/(30 + 10.5) = 0.4815
    '为降低生均体育运动场馆面积差异系数另加体育运动场馆 300 ㎡（本学段该系数由 0.600 降至 0.482）'
    >>> county_plan(t, cv_margin=0.05).additions["sports_area"].tolist()  # CV ≤ 0.45: y ≥ 11.38 ㎡
    [0, 400]
    """
    started = time.perf_counter()
    _scheme(scheme)
    s = _setup(schools, scheme, costs, caps, include_excluded=include_excluded, cv_margin=cv_margin)
    return _county(s, started, time_limit)


def _county(s: _Setup, started, time_limit) -> Plan:
    a = s.a
    if s.scheme == "quality_2017":
        steps0, at_floor0, feasible, full, floor = _school_choices(a)
        if not feasible.all():
            binding = _school_binding(s.table, a, feasible, full, floor, s.scheme)
            groups = _group_table(a, "per_school_enumeration", "infeasible")
            return _finish(s, "county", steps0, at_floor0, "infeasible", groups, binding, started)
    else:
        steps0 = np.zeros_like(a.raw)
        at_floor0 = np.zeros_like(a.raw, dtype=bool)
        full = floor = steps0
    result = solve_county(a, s.scheme, steps0, at_floor0, full, floor, time_limit=time_limit)
    binding = result.binding
    if len(binding):
        binding = pd.concat([a.group_keys.iloc[binding.pop("group")].reset_index(drop=True), binding], axis=1)
    return _finish(s, "county", result.steps, result.at_floor, result.status, result.groups, binding, started)


def compare_plans(
    schools: pd.DataFrame,
    *,
    costs=None,
    caps=None,
    time_limit: float = 20.0,
    include_excluded: bool = False,
    cv_margin: float = 0.0,
) -> dict[str, Plan]:
    """The 2017 county plan with the two it is measured against, from one prepared table.

    Returns ``{"county": ..., "school": ..., "naive": ...}`` — the plans
    :func:`county_plan`, :func:`school_plan` and :func:`naive_plan` return — computed
    once: the table is prepared and judged before the additions once, and a plan equal
    to another (the county plan is each school's own optimum when no coefficient binds)
    is judged once.  What the balance report shows.  A saving against the naive plan is
    like-for-like only when ``naive.after.passes``.

    Examples
    --------
    >>> t = pd.DataFrame({"school": ["甲"], "level": ["小学"], "enrolment": [400],
    ...     "qualified_teachers": [20], "key_teachers": [4], "pe_art_teachers": [4],
    ...     "teaching_aux_area": [1800.0], "sports_area": [2000.0],
    ...     "equipment_value": [700000], "multimedia_rooms": [10]})
    >>> {k: p.total_cost for k, p in compare_plans(t).items()}
    {'county': 280000.0, 'school': 280000.0, 'naive': 400000.0}
    """
    started = time.perf_counter()
    s = _setup(schools, "quality_2017", costs, caps, include_excluded=include_excluded, cv_margin=cv_margin)
    return {
        "county": _county(s, started, time_limit),
        "school": _school(s, time.perf_counter()),
        "naive": _naive(s, time.perf_counter()),
    }


def phased_plan(schools: pd.DataFrame, *, years: int, budget_per_year: float, **county_options) -> PhasedPlan:
    """Which additions in which year: the least-cost county plan within a yearly budget.

    Parameters
    ----------
    schools : DataFrame
        A school table with raw counts (as for :func:`~eduanalysis.judgement.planning.county_plan`).
    years : int
        Years to the deadline; the county passes by the last of them.
    budget_per_year : float
        元 the county can spend each year (one-off costs of that year plus the salaries of
        every post added so far).
    **county_options
        ``costs``, ``caps``, ``time_limit``, ``include_excluded``, ``cv_margin`` as for
        :func:`~eduanalysis.judgement.planning.county_plan`.

    Returns
    -------
    PhasedPlan
        ``status == "infeasible"`` with ``binding`` and ``min_budget_per_year`` when the
        budget is too small.
    """
    return schedule_plan(county_plan(schools, **county_options), years=years, budget_per_year=budget_per_year)
