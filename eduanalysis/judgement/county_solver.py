"""The county plan's solvers: coefficient limits on top of the school rule (scipy.optimize).

Notation, per group (one level of one county): school i with enrolment P_i, weight
w_i = P_i / Σ P, resource amount t_i = R_i + s_i·step (s_i whole steps added) and
indicator value y_i = per · t_i / P_i.  With the weighted mean m = Σ w_i y_i and the
weighted root mean square q = √(Σ w_i y_i²), the coefficient is CV = √(q²/m² − 1), so

    CV ≤ L   ⟺   q ≤ c·m   with c = √(1 + L²).

q is a weighted Euclidean norm of y and m is linear in y: the limit is a second-order
cone constraint, **convex** in the additions.  Two consequences drive the method:

- For fixed lower bounds (what the school rule needs once each school's floor
  indicator is chosen) the cheapest way to meet one limit is *water-filling*: raise the
  lowest schools to a common level h, the smallest h that meets the limit (KKT
  conditions of the convex problem with a uniform unit cost; every school receiving
  additions ends at the same value).
- The only combinatorial part is the floor choice (which indicator each school leaves
  at 85 %), and it couples the indicators of a school.

2017 (:func:`solve_quality_group`), exact within a stated gap:

1. each school's own optimum (enumeration, in ``planning``); if every coefficient
   already meets its limit, that is the county optimum (the county problem only adds
   constraints);
2. otherwise a mixed-integer linear program, solved with ``scipy.optimize.milp``
   (HiGHS branch and cut): whole teachers and rooms — and, in a group of at most 30
   schools, whole 60-㎡/100-㎡/10,000-元 steps — otherwise continuous ㎡ and 元 (rounded up
   afterwards), binaries z_ij for the floor choices (Σ_j z_ij ≤ 7 − 6), and for each
   failing indicator the cone written in its separable "extended formulation"
   (Vielma, Dunning, Huchette & Lubin, 2017): Σ_i v_i ≤ n·c·μ with μ the mean and
   v_i ≥ (W_i / c)(2 r ŷ_i − r² μ) — tangents of the perspective W_i ŷ_i² / (c μ), valid
   because (ŷ − r μ)² ≥ 0, three non-zeros each, one family per school.  Outer
   approximations make the program a relaxation: its bound is a lower bound;
3. each round's solution becomes up to three plans (an upper bound each): as it is; with
   only the coefficients it fails repaired (a solution a hair above a limit keeps its
   teacher allocation); and its floor choices water-filled anew.  The loop stops when
   the best plan and the bound are within ``_GAP`` (0.01 %: ``optimal``), or — a group of
   more than 30 schools, or fine ㎡/元 steps — within what rounding fractional additions
   up can cost (``near_optimal``, the proven gap reported); otherwise it adds tangents
   where the solution and the plan lie, and solves again.  Each group has its own time
   budget; HiGHS's feasibility tolerances are tightened so that a point violating a cone
   row by the default tolerance cannot hold the bound below every real plan.

MILP rather than ``minimize`` (SLSQP, trust-constr): the floor choice is combinatorial
and teachers are whole, so a continuous local method would have to round and could not
bound its distance from the optimum; the MILP bound makes the gap a number.

2012 (:func:`solve_basic_group`): no school rule, only the composite (mean of eight
coefficients) ≤ limit.  For fixed per-indicator targets the cheapest plan is again
water-filling, so the problem reduces to one fill level per indicator: a Lagrangian
search on a grid of levels gives a start, ``scipy.optimize.minimize`` (SLSQP, eight
variables) polishes it.  The composite is not convex in the levels, so this optimum is
local (``status`` says ``local_optimum``).

Whole steps are restored by rounding up and the result is re-checked with the project's
own :func:`~eduanalysis.measures.coefficients.difference_coefficients`; the caller
re-checks the whole plan once more with :func:`~eduanalysis.judgement.planning.what_if`.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize

from ..measures.coefficients import coefficient_columns
from .county_program import _GAP, _SMALL_GROUP, _Program
from .school_rule import school_rule

__all__ = ["CountyResult", "solve_basic_group", "solve_county", "solve_quality_group"]

_MAX_CUT_ROUNDS = 60
_GRID = 160
#: HiGHS feasibility tolerances the MILP rounds alternate between (see _Program.solve)
_TOLERANCES = (1e-10, 1e-9)


@dataclass
class CountyResult:
    steps: np.ndarray
    at_floor: np.ndarray
    status: str
    groups: pd.DataFrame
    binding: pd.DataFrame


def _least_true(holds, lo: float, hi: float, steps: int = 60) -> float:
    """Bisection for a monotone predicate false at ``lo`` and true at ``hi``: a point
    where it holds, within (hi − lo)·2⁻ˢᵗᵉᵖˢ of the least one."""
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        if holds(mid):
            hi = mid
        else:
            lo = mid
    return hi


def _cvs(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Coefficient of each column, by the project's own measure (identical arithmetic to
    :func:`~eduanalysis.measures.coefficients.difference_coefficients`)."""
    return coefficient_columns(values, weights)


def _cv1(y: np.ndarray, w: np.ndarray) -> float:
    """Fast coefficient of one indicator (for searches; final checks use :func:`_cvs`)."""
    total = w.sum()
    m = np.dot(w, y) / total
    if m <= 0:
        return np.inf
    d = y - m
    return float(np.sqrt(np.dot(w, d * d) / total) / m)


@dataclass
class _Group:
    """One group's arrays (rows: its schools)."""

    raw: np.ndarray
    pupils: np.ndarray
    per: np.ndarray
    step: np.ndarray
    unit_cost: np.ndarray
    cap: np.ndarray
    limit: float
    integer: np.ndarray  # resources counted in whole units inside the MILP (people, rooms)

    def values(self, steps: np.ndarray) -> np.ndarray:
        return (self.raw + steps * self.step) * self.per / self.pupils[:, None]

    def values_col(self, j: int, steps_j: np.ndarray) -> np.ndarray:
        return (self.raw[:, j] + steps_j * self.step[j]) * self.per[j] / self.pupils

    def steps_for(self, j: int, level: float) -> np.ndarray:
        """Whole steps that bring indicator j of every school to at least ``level``."""
        need = (level * self.pupils / self.per[j] - self.raw[:, j]) / self.step[j]
        return np.ceil(np.maximum(need, 0.0) - 1e-9)


def _waterfill(
    g: _Group, j: int, lower: np.ndarray, *, integer: bool, limit: float | None = None
) -> tuple[np.ndarray, float] | None:
    """Cheapest "raise the lowest to a common level" steps for indicator j meeting the limit.

    ``lower`` are steps every school keeps at least (e.g. what the school rule needs);
    caps are respected.  Returns (steps, level) or None when even the highest level
    leaves the coefficient above the limit.
    """
    w = g.pupils
    limit = g.limit if limit is None else limit

    def steps_at(h):
        s = np.maximum(lower, g.steps_for(j, h) if integer else (h * g.pupils / g.per[j] - g.raw[:, j]) / g.step[j])
        return np.minimum(s, g.cap[:, j])

    def cv_at(h):
        s = steps_at(h)
        return _cv1((g.raw[:, j] + s * g.step[j]) * g.per[j] / g.pupils, w), s

    base = (g.raw[:, j] + lower * g.step[j]) * g.per[j] / g.pupils
    lo, hi = float(base.min()), float(base.max())
    if cv_at(lo)[0] <= limit:
        return steps_at(lo), lo
    if cv_at(hi)[0] > limit:
        return None
    hi = _least_true(lambda h: cv_at(h)[0] <= limit, lo, hi)
    return steps_at(hi), hi


def _lowest_cv(g: _Group, j: int, lower: np.ndarray) -> float:
    """The lowest coefficient of indicator j reachable within the caps (diagnosis).

    For every target the cheapest plan is a capped water-fill, so the water-fill levels
    reach the minimum; searched on a grid, then refined."""
    base = (g.raw[:, j] + lower * g.step[j]) * g.per[j] / g.pupils
    ceiling = np.where(np.isfinite(g.cap[:, j]), (g.raw[:, j] + g.cap[:, j] * g.step[j]) * g.per[j] / g.pupils, np.inf)
    ceiling = np.maximum(ceiling, base)

    def cv(h):
        return _cv1(np.minimum(np.maximum(base, h), ceiling), g.pupils)

    finite = ceiling[np.isfinite(ceiling)]
    grid = np.linspace(base.min(), max(base.max(), finite.max() if finite.size else base.max()), _GRID)
    values = np.array([cv(h) for h in grid])
    best = int(values.argmin())
    lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    refined = optimize.minimize_scalar(cv, bounds=(lo, hi), method="bounded") if hi > lo else None
    return float(min(values[best], refined.fun if refined is not None else np.inf))


def _repair(g: _Group, steps: np.ndarray, cols: list[int]) -> np.ndarray:
    """Add steps where they lower a failing coefficient most per 元, until it passes.

    The amount added at a time is the linear estimate of what closes the gap (the
    function is convex, so the estimate never overshoots), at most up to the
    best-provided school; a few rounds suffice."""
    steps = steps.copy()
    c = np.sqrt(1 + g.limit**2)
    w = g.pupils / g.pupils.sum()
    for j in cols:
        for _ in range(10_000):
            y = (g.raw[:, j] + steps[:, j] * g.step[j]) * g.per[j] / g.pupils
            if _cvs(y[:, None], g.pupils)[0] <= g.limit:
                break
            q, m = np.sqrt(np.dot(w, y * y)), np.dot(w, y)
            excess = max(q - c * m, 0.0)
            per_step = w * (y / q - c) * g.per[j] / g.pupils * g.step[j]  # d(q − c·m) per step
            gain = per_step / g.unit_cost[j]
            gain[steps[:, j] >= g.cap[:, j]] = np.inf
            i = int(np.argmin(gain))
            if not np.isfinite(gain[i]) or gain[i] >= 0:
                raise RuntimeError("planning: no school left to repair a coefficient within the caps")
            add = max(1.0, np.ceil(excess / -per_step[i])) if excess > 0 else 1.0
            # never past the best-provided school: beyond it, more only widens the spread
            # (and a derivative near 0 would otherwise ask for astronomically many steps)
            to_top = np.ceil((y.max() - y[i]) * g.pupils[i] / (g.per[j] * g.step[j]) - 1e-9)
            add = min(add, max(to_top, 1.0))
            steps[i, j] = min(steps[i, j] + add, g.cap[i, j])
    return steps


def _rule_ok(g: _Group, judged, full, floor, steps: np.ndarray) -> bool:
    """Every judged school passes the rule with ``steps`` (at most k − 6 below full, none
    below the floor), in whole steps as :func:`planning._min_steps` counted them."""
    allowed = g.raw.shape[1] - school_rule().min_met
    below = judged[:, None] & (steps < full)
    return bool(np.all(below.sum(axis=1) <= allowed) and np.all(~judged[:, None] | (steps >= floor)))


def _polish(g: _Group, judged, full, floor, steps: np.ndarray) -> np.ndarray | None:
    """Keep the floor choices of ``steps``, redo every failing indicator by integer
    water-filling above what the school rule then needs: for fixed floor choices that is
    the cheapest distribution (KKT), so it turns a relaxation's choices into a plan."""
    at_floor = judged[:, None] & (steps < full)
    allowed = g.raw.shape[1] - school_rule().min_met
    crowded = np.flatnonzero(at_floor.sum(axis=1) > allowed)  # a relaxation may split the choice
    if crowded.size:
        saving = np.where(at_floor[crowded], (full[crowded] - floor[crowded]) * g.unit_cost, -np.inf)
        keep = np.argsort(-saving, axis=1)[:, :allowed]
        at_floor[crowded] = False
        at_floor[crowded[:, None], keep] = True
    lower = np.where(judged[:, None], np.where(at_floor, floor, full), 0.0)
    plan = lower.copy()
    cvs = _cvs(g.values(plan), g.pupils)
    for j in np.flatnonzero(cvs > g.limit):
        filled = _waterfill(g, j, lower[:, j], integer=True)
        if filled is None:
            return None
        plan[:, j] = filled[0]
    failing = [j for j in range(g.raw.shape[1]) if _cvs(g.values(plan)[:, [j]], g.pupils)[0] > g.limit]
    return _repair(g, plan, failing) if failing else plan


def _rounding(g: _Group, plan: np.ndarray, lower: np.ndarray, roundable: np.ndarray) -> float:
    """One step of every ``roundable`` addition above what the school rule already needs
    (``lower``): what rounding a relaxation's fractional additions up to whole steps can
    cost.  A plan that close to the bound is ``near_optimal``; the gap reported is the
    proven one either way."""
    return float(((plan > lower) & roundable).sum(axis=0) @ g.unit_cost)


def solve_quality_group(
    g: _Group, judged: np.ndarray, steps0: np.ndarray, full: np.ndarray, floor: np.ndarray, time_limit: float
) -> dict:
    """2017: school rule + every coefficient ≤ limit (module docstring).

    Each round solves the relaxed program (a lower bound), turns its floor choices into
    a plan by water-filling (an upper bound), and stops when the two are within
    ``_GAP``; otherwise it adds tangents where the relaxation's solution and the plan
    lie and solves again.
    """
    n, k = g.raw.shape
    cvs0 = _cvs(g.values(steps0), g.pupils)
    failing = [j for j in range(k) if cvs0[j] > g.limit]
    if not failing:
        return {"steps": steps0, "method": "per_school_enumeration", "status": "optimal"}
    unit = np.tile(g.unit_cost, n)
    program = _Program(g, judged, full, floor, k - school_rule().min_met)
    best = _polish(g, judged, full, floor, steps0)
    best_cost = float(best.ravel() @ unit) if best is not None else np.inf
    loose = np.where(judged[:, None], floor, 0.0)
    for j in failing:  # first tangents: the per-school optimum and two water-fills
        program.activate(j, steps0[:, j])
        program.add_cuts(j, steps0[:, j])
        for lower in (steps0[:, j], loose[:, j]):
            filled = _waterfill(g, j, lower, integer=False)
            if filled is not None:
                program.add_cuts(j, filled[0])
    started = time.perf_counter()
    bound, rounds, status = -np.inf, 0, "time_limit"

    def consider(candidate):
        nonlocal best, best_cost
        if candidate is None or not _rule_ok(g, judged, full, floor, candidate):
            return
        cost = float(candidate.ravel() @ unit)
        if cost < best_cost and np.all(~(_cvs(g.values(candidate), g.pupils) > g.limit)):
            best, best_cost = candidate, cost

    def proven():
        return best is not None and best_cost - bound <= _GAP * best_cost

    def near(relaxed_all: bool):
        # in the first round (a linear program) or a large group every resource may be
        # fractional in the relaxation; later rounds of a small group only the fine ㎡/元
        roundable = np.ones(k, dtype=bool) if relaxed_all else ~program.whole
        return best is not None and best_cost - bound <= max(
            _GAP * best_cost, _rounding(g, best, program.lb, roundable)
        )

    while rounds < _MAX_CUT_ROUNDS:
        rounds += 1
        remaining = time_limit - (time.perf_counter() - started)
        if remaining <= 0:
            break
        # the first round as a linear program: often its bound already proves the
        # water-filled plan optimal; otherwise whole teachers and floor choices count
        # a MILP round gets half the time left (at least 1 s), so that a round that stalls
        # leaves time for the next, at the other tolerance
        budget = remaining if rounds == 1 else max(min(remaining, 1.0), remaining / 2)
        res = program.solve(budget, relax=rounds == 1, tolerance=_TOLERANCES[rounds % 2])
        if res.status == 2:
            return {"status": "infeasible", "method": "milp_conic_cuts", "rounds": rounds}
        if res.x is None:
            break
        dual = getattr(res, "mip_dual_bound", None) if rounds > 1 else None
        bound = max(bound, float(dual if dual is not None and np.isfinite(dual) else res.fun))
        x = res.x[: n * k].reshape(n, k) * program.unit
        steps = np.where(program.whole, np.round(x), np.ceil(x - 1e-9))
        steps = np.maximum(steps, program.lb)
        # Three ways to turn the program's solution into a plan: as it is; with only what
        # fails repaired (the solver's tolerance can leave a coefficient a hair above its
        # limit — repairing keeps the teacher allocation instead of discarding it); and
        # its floor choices water-filled anew (_polish).
        consider(steps)
        cvs = _cvs(g.values(steps), g.pupils)
        failing_now = [j for j in range(k) if cvs[j] > g.limit]
        if failing_now and _rule_ok(g, judged, full, floor, steps):
            with contextlib.suppress(RuntimeError):
                consider(_repair(g, steps, failing_now))
        consider(_polish(g, judged, full, floor, steps))
        if proven():
            status = "optimal"
            break
        if (n > _SMALL_GROUP and near(True)) or (rounds > 1 and near(False)):
            status = "near_optimal"
            break
        if res.status == 1:
            continue  # the round ran out of time: the same program again, at the other tolerance
        for j in failing_now:
            if j not in program.ratios:
                program.activate(j, steps[:, j])
            program.add_cuts(j, steps[:, j])
        if best is not None:
            for j in program.ratios:
                program.add_cuts(j, best[:, j])
    else:
        status = "feasible"
    if best is None:
        return {"status": status, "method": "milp_conic_cuts", "rounds": rounds, "steps": None}
    gap = (best_cost - bound) / best_cost if np.isfinite(bound) and best_cost > 0 else np.nan
    return {"steps": best, "method": "milp_conic_cuts", "status": status, "rounds": rounds, "bound": bound, "gap": gap}


def solve_basic_group(g: _Group, time_limit: float) -> dict:
    """2012: composite ≤ limit; one water-fill level per indicator (module docstring)."""
    n, k = g.raw.shape
    base = g.values(np.zeros_like(g.raw))
    cv0 = _cvs(base, g.pupils)
    if np.nanmean(cv0) <= g.limit:
        return {"steps": np.zeros_like(g.raw), "method": "already_met", "status": "optimal"}
    top = np.where(np.isfinite(g.cap), g.values(np.where(np.isfinite(g.cap), g.cap, 0.0)), base.max(axis=0))
    lo, hi = base.min(axis=0), np.maximum(top.max(axis=0), base.max(axis=0))

    def fill(j, h):
        y = np.clip(np.maximum(base[:, j], h), None, np.maximum(top[:, j], base[:, j]))
        return y

    def cost_j(j, h):
        y = fill(j, h)
        return float(np.dot((y - base[:, j]) * g.pupils / g.per[j] / g.step[j], np.full(n, g.unit_cost[j])))

    def cv_j(j, h):
        return _cv1(fill(j, h), g.pupils)

    grid = np.linspace(0.0, 1.0, _GRID)
    levels = lo[:, None] + grid[None, :] * (hi - lo)[:, None]
    cvs = np.array([[cv_j(j, h) for h in levels[j]] for j in range(k)])
    costs = np.array([[cost_j(j, h) for h in levels[j]] for j in range(k)])
    target = k * g.limit
    if cvs.min(axis=1).sum() > target:
        return {"status": "infeasible", "method": "lagrangian_slsqp", "lowest": cvs.min(axis=1).mean()}
    scale = max(costs.max(), 1.0)

    def pick(lam):
        g_idx = np.argmin(costs / scale + lam * cvs, axis=1)
        return g_idx, cvs[np.arange(k), g_idx].sum()

    lam_lo, lam_hi = 0.0, 1.0
    while pick(lam_hi)[1] > target and lam_hi < 1e12:
        lam_hi *= 4
    lam_hi = _least_true(lambda lam: pick(lam)[1] <= target, lam_lo, lam_hi)
    u_start = grid[pick(lam_hi)[0]]

    def h_of(u):
        return lo + np.clip(u, 0, 1) * (hi - lo)

    def total_cost(u):
        h = h_of(u)
        return sum(cost_j(j, h[j]) for j in range(k)) / scale

    def slack(u):
        h = h_of(u)
        return target - sum(cv_j(j, h[j]) for j in range(k))

    res = optimize.minimize(
        total_cost,
        u_start,
        method="SLSQP",
        bounds=[(0.0, 1.0)] * k,
        constraints=[{"type": "ineq", "fun": slack}],
        options={"maxiter": 200, "ftol": 1e-10},
    )
    candidates = [u_start] + ([res.x] if res.success and slack(res.x) >= -1e-9 else [])

    def steps_at(h):
        return np.column_stack([np.minimum(g.steps_for(j, h[j]), g.cap[:, j]) for j in range(k)])

    def meets(steps, exact=False):
        values = g.values(steps)
        if exact:  # the project's own measure, for the plan that is returned
            return np.nanmean(_cvs(values, g.pupils)) <= g.limit
        return np.mean([_cv1(values[:, j], g.pupils) for j in range(k)]) <= g.limit - 1e-12

    def integral(u):
        h = h_of(u)
        for _ in range(200):  # round up; nudge the levels up if rounding broke the limit
            if meets(steps_at(h)):
                steps = tighten(h)
                if meets(steps, exact=True):
                    return steps
            u = u + 0.002 * (1 - u)
            h = h_of(u)
        return None

    def tighten(h):
        """Lower each indicator's level alone as far as the composite allows (bisection):
        no single level of the result can come down."""
        h = h.copy()
        for _ in range(3):
            for j in range(k):
                if not steps_at(h)[:, j].any():
                    continue
                low, high = lo[j], h[j]
                trial = h.copy()
                trial[j] = low
                if meets(steps_at(trial)):
                    h[j] = low
                    continue
                for _ in range(50):
                    trial[j] = 0.5 * (low + high)
                    if meets(steps_at(trial)):
                        high = trial[j]
                    else:
                        low = trial[j]
                h[j] = high
        return steps_at(h)

    plans = [s for s in (integral(u) for u in candidates) if s is not None]
    if not plans:
        return {"status": "infeasible", "method": "lagrangian_slsqp", "lowest": cvs.min(axis=1).mean()}
    best = min(plans, key=lambda s: float(s.ravel() @ np.tile(g.unit_cost, n)))
    return {"steps": best, "method": "lagrangian_slsqp", "status": "local_optimum", "slsqp": bool(res.success)}


def solve_county(a, scheme, steps0, at_floor0, full, floor, *, time_limit: float) -> CountyResult:
    """Solve every group of a prepared plan (see :func:`eduanalysis.judgement.planning.county_plan`).

    ``a`` is the planner's ``_Arrays`` (schools not counted in any coefficient have group
    −1 and keep ``steps0``); ``time_limit`` is each group's own budget in seconds, so a
    slow first group cannot starve the next."""
    steps = steps0.copy()
    at_floor = at_floor0.copy()
    frames, binding = [], []
    names = a.names_zh
    overall = "optimal"
    for code in range(len(a.group_keys)):
        idx = np.flatnonzero(a.groups == code)
        started = time.perf_counter()
        g = _Group(
            raw=a.raw[idx],
            pupils=a.pupils[idx],
            per=a.per,
            step=a.step,
            unit_cost=a.unit_cost,
            cap=a.cap[idx],
            limit=float(a.limits[code]),
            integer=a.integer,
        )
        record = {"n_schools": len(idx), "iterations": 0, "lower_bound": np.nan, "gap": np.nan}
        if len(idx) < 2:
            record.update(method="single_school", status="optimal")
        elif scheme == "quality_2017":
            out = solve_quality_group(g, a.judged[idx], steps0[idx], full[idx], floor[idx], time_limit)
            record.update(method=out["method"], status=out["status"], iterations=out.get("rounds", 0))
            record.update(lower_bound=out.get("bound", np.nan), gap=out.get("gap", np.nan))
            if out.get("steps") is not None:
                new = out["steps"]
                at_floor[idx] = a.judged[idx, None] & (new < full[idx])
                steps[idx] = new
            if out["status"] == "infeasible" or out.get("steps") is None:
                binding += _diagnose_quality(g, code, a.judged[idx], full[idx], floor[idx], names, a.indicators)
        else:
            out = solve_basic_group(g, time_limit)
            record.update(method=out["method"], status=out["status"])
            if out.get("steps") is not None:
                steps[idx] = out["steps"]
            else:
                binding.append(
                    {
                        "group": code,
                        "kind": "coefficient",
                        "indicator": "composite_cv",
                        "detail": f"在追加上限内，综合差异系数最低只能降到约 {out['lowest']:.4f}（限值 {g.limit:g}）",
                    }
                )
        record["seconds"] = time.perf_counter() - started
        frames.append(record)
        overall = _worse(overall, record["status"])
    groups = pd.concat([a.group_keys.reset_index(drop=True), pd.DataFrame(frames)], axis=1)
    binding_frame = pd.DataFrame(binding, columns=["group", "kind", "indicator", "detail"])
    return CountyResult(steps, at_floor, overall, groups, binding_frame)


_ORDER = ["optimal", "near_optimal", "local_optimum", "feasible", "time_limit", "infeasible"]


def _worse(a: str, b: str) -> str:
    return a if _ORDER.index(a) >= _ORDER.index(b) else b


def _diagnose_quality(g, code, judged, full, floor, names, indicators) -> list[dict]:
    """Which coefficient cannot meet its limit within the caps, or that only the
    combination with the school rule fails."""
    rows = []
    lower = np.where(judged[:, None], floor, 0.0)
    for j in range(g.raw.shape[1]):
        lowest = _lowest_cv(g, j, lower[:, j])
        if lowest > g.limit:
            rows.append(
                {
                    "group": code,
                    "kind": "coefficient",
                    "indicator": indicators[j],
                    "detail": f"{names[j]}：在追加上限内，差异系数最低只能降到约 {lowest:.4f}（限值 {g.limit:g}）",
                }
            )
    if not rows:
        rows.append(
            {
                "group": code,
                "kind": "combination",
                "indicator": "",
                "detail": "各校达标与各项差异系数分别都能满足，但在追加上限内无法同时满足",
            }
        )
    return rows
