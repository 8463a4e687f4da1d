"""The 2017 county program (:class:`_Program`): the mixed-integer linear relaxation the
county solver (:mod:`eduanalysis.judgement.county_solver`) solves round after round.

Kept apart from the solver's loop so that each module stays one job: this one builds the
program from the group's arrays and its growing list of tangent cuts and calls
``scipy.optimize.milp`` (HiGHS); the loop, the repairs and the verdict on optimality are
in ``county_solver``.
"""

from __future__ import annotations

import contextlib
import os
import sys
import warnings

import numpy as np
from scipy import optimize, sparse

__all__: list[str] = []

#: relative gap between a plan and the relaxation's bound at which a plan counts as optimal
_GAP = 1e-4
#: groups up to this many schools are solved with every coarse addition in whole steps
_SMALL_GROUP = 30
#: a ㎡/元 step is coarse (whole in a small group's program) when it moves a median school's
#: indicator by at least this share of the mean
_WHOLE_SCALE = 1e-3


@contextlib.contextmanager
def _quiet_stdout():
    """Silence what HiGHS prints on the process's standard output (some versions print
    debugging lines from C++; in a report kernel they would land in the page)."""
    sys.stdout.flush()  # what Python already wrote goes out first
    try:
        saved = os.dup(1)
    except (OSError, ValueError):  # no standard output to protect
        yield
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(devnull)


class _Program:
    """The 2017 group program, rebuilt each round from its growing list of cuts.

    Variables, in order: steps s_ij (i·k + j), floor binaries z, then for each active
    indicator j (one whose limit has been seen failing) the mean μ_j and one v_ij per
    school.  In units of a reference mean M_j, ŷ_i = a0_i + a1_i·s_ij and

        μ_j = Σ_i w_i ŷ_i,    Σ_i v_ij ≤ n·c·μ_j,    v_ij ≥ (W_i / c)(2 r ŷ_i − r² μ_j)

    for every cut ratio r recorded for school i (W_i = n·w_i).  Since (ŷ − r μ)² ≥ 0, each
    cut is a tangent of the perspective W_i ŷ_i² / (c μ) and Σ of those ≤ n c μ is the
    limit q ≤ c·m: an outer approximation that is separable by school, with 3 non-zeros
    per cut (the "extended formulation" of a conic constraint; Vielma et al., 2017), far
    tighter than tangents of q − c·m itself.
    """

    def __init__(self, g, judged, full, floor, allowed):
        n, k = g.raw.shape
        self.g, self.n, self.k, self.allowed = g, n, k, allowed
        self.c = np.sqrt(1 + g.limit**2)
        self.w = g.pupils / g.pupils.sum()
        relief = judged[:, None] & (floor < full)
        free = relief.sum(axis=1) <= allowed  # every relief can be taken at once: no binary
        self.lb = np.where(judged[:, None], np.where(relief & free[:, None], floor, full), 0.0)
        self.zpairs = np.argwhere(relief & ~free[:, None])
        self.lb[self.zpairs[:, 0], self.zpairs[:, 1]] = floor[self.zpairs[:, 0], self.zpairs[:, 1]]
        self.full, self.floor = full, floor
        # continuous resources (㎡, 元) enter in units of `unit` steps, so that their
        # coefficients are not ~1e-9 (HiGHS drops those as zeros); people and rooms in steps
        # People and rooms are whole numbers of steps in the program.  So are ㎡ and 元 in a
        # small group (≤ _SMALL_GROUP schools) when a step is coarse — it moves a median
        # school's indicator by ≥ _WHOLE_SCALE of the mean (the defaults: 60 ㎡, 100 ㎡, a
        # 10,000 元 batch) — so that the bound is one of the whole-step problem and proves
        # optimality.  Fine steps (1 ㎡, 1 元, set by a user) and large groups enter
        # continuous, in units of `unit` steps (so that their coefficients are not ~1e-9,
        # which HiGHS drops as zeros): whole 1-元 steps made a 6-school county spend its
        # whole time budget in branch and bound (measured), and whole ㎡/元 steps slow a
        # 60-school county from < 1 s to > 20 s.  Such a plan is proven only within what
        # rounding its continuous additions up can cost (status `near_optimal`).
        a1 = g.step * g.per / np.median(g.pupils) / np.maximum(np.dot(self.w, g.values(np.zeros_like(g.raw))), 1e-12)
        self.whole = g.integer | ((n <= _SMALL_GROUP) & (a1 >= _WHOLE_SCALE))
        self.unit = np.where(self.whole, 1.0, 10.0 ** np.maximum(np.round(np.log10(0.05 / a1)), 0.0))
        self.ref = {}  # j -> reference mean M_j
        self.ratios = {}  # j -> list of arrays of r (one value per school)

    def activate(self, j, steps_j):
        y = self.g.values_col(j, steps_j)
        self.ref[j] = float(np.dot(self.w, y)) or 1.0
        self.ratios[j] = []

    def add_cuts(self, j, steps_j):
        y = self.g.values_col(j, steps_j)
        m = float(np.dot(self.w, y))
        if m > 0:
            self.ratios[j].append(y / m)

    def solve(self, time_limit, relax=False, tolerance=1e-9):
        """Solve the program; ``relax`` drops integrality (a linear program: a weaker
        bound, found much faster); ``tolerance`` is HiGHS's feasibility tolerance."""
        g, n, k = self.g, self.n, self.k
        n_a, n_z = n * k, len(self.zpairs)
        active = sorted(self.ratios)
        offset = {j: n_a + n_z + b * (n + 1) for b, j in enumerate(active)}  # μ_j, then v_1j..v_nj
        size = n_a + n_z + len(active) * (n + 1)
        unit = np.tile(self.unit, n)
        cost = np.zeros(size)
        cost[:n_a] = np.tile(g.unit_cost, n) * unit
        lower = np.zeros(size)
        upper = np.full(size, np.inf)
        lower[:n_a], upper[:n_a] = self.lb.ravel() / unit, g.cap.ravel() / unit
        zi, zj = self.zpairs[:, 0], self.zpairs[:, 1]
        lower[n_a : n_a + n_z] = (self.full[zi, zj] > g.cap[zi, zj]).astype(float)
        upper[n_a : n_a + n_z] = 1.0
        integrality = np.zeros(size)
        if not relax:
            integrality[:n_a] = np.tile(self.whole.astype(float), n)
            integrality[n_a : n_a + n_z] = 1.0
        rows, cols, vals, lo, hi = [], [], [], [], []
        r0 = 0

        def add(row_cols, row_vals, low, high):
            nonlocal r0
            rows.extend([r0] * len(row_cols))
            cols.extend(row_cols)
            vals.extend(row_vals)
            lo.append(low)
            hi.append(high)
            r0 += 1

        if n_z:  # s_ij + (full − floor)·z_ij ≥ full;  Σ_j z_ij ≤ allowed
            d = self.full[zi, zj] - self.floor[zi, zj]
            for p, (i, j) in enumerate(self.zpairs):
                add([i * k + j, n_a + p], [self.unit[j], d[p]], self.full[i, j], np.inf)
            for i in np.unique(zi):
                members = np.flatnonzero(zi == i)
                add(list(n_a + members), [1.0] * len(members), -np.inf, self.allowed)
        school = np.arange(n)
        for j in active:
            mu, v = offset[j], offset[j] + 1 + school
            scale = g.per[j] / (g.pupils * self.ref[j])
            a0, a1 = g.raw[:, j] * scale, g.step[j] * self.unit[j] * scale
            big = n * self.w  # W_i, mean 1
            # n·μ_j − Σ W_i a1_i x_ij = Σ W_i a0_i
            add([mu, *(school * k + j)], [float(n), *(-big * a1)], float(big @ a0), float(big @ a0))
            add([*v, mu], [1.0] * n + [-n * self.c], -np.inf, 0.0)
            big_w = big / self.c
            for r in self.ratios[j]:
                # v_i − (2 r W_i / c) a1_i s_i + (W_i r² / c) μ ≥ (2 r W_i / c) a0_i
                rr = np.repeat(np.arange(r0, r0 + n), 3)
                rows.extend(rr)
                cols.extend(np.column_stack([v, school * k + j, np.full(n, mu)]).ravel())
                vals.extend(np.column_stack([np.ones(n), -2 * r * big_w * a1, big_w * r * r]).ravel())
                lo.extend(2 * r * big_w * a0)
                hi.extend(np.full(n, np.inf))
                r0 += n
        matrix = sparse.csr_matrix((vals, (rows, cols)), shape=(r0, size))
        # HiGHS accepts a point that violates a row by its feasibility tolerance (1e-6 by
        # default).  On a cone row that is a coefficient a hair above its limit (0.4500003),
        # and the branch and bound then keeps a "solution" one teacher cheaper than any real
        # plan as its bound, never closing the gap (measured: a 6-school county stalled for
        # its whole time budget at 0.46 %, exactly one teacher).  Tighter tolerances remove
        # that, but which one closes fastest varies from county to county (measured on that
        # county: 1e-9 proves it in 4 s with 1-㎡ steps and stalls with the default steps;
        # 1e-10 the other way round), so the rounds alternate between 1e-9 and 1e-10.  scipy
        # passes these options to HiGHS verbatim (with a RuntimeWarning, silenced here).
        options = {
            "time_limit": max(time_limit, 0.1),
            "mip_rel_gap": _GAP,
            "mip_feasibility_tolerance": tolerance,
            "primal_feasibility_tolerance": tolerance,
        }
        with _quiet_stdout(), warnings.catch_warnings():
            warnings.filterwarnings("ignore", message="Unrecognized options detected", category=RuntimeWarning)
            return optimize.milp(
                cost,
                integrality=integrality,
                bounds=optimize.Bounds(lower, upper),
                constraints=optimize.LinearConstraint(matrix, lo, hi),
                options=options,
            )
