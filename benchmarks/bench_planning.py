"""Benchmark: the least-cost plan to pass (issues 15 and 20) — solve times, gaps and savings.

Counties of 500 and 5,000 schools, generated here (seeded, never committed), in three
variants: "moderate" (spread like the demo county: the coefficients already meet their
limits, so the county plan is each school's own optimum), "heavy tails" (sports ground and
equipment multiplied by a lognormal factor: those coefficients bind) and "teacher-bound"
(骨干 teachers multiplied by a lognormal factor: a teacher coefficient binds, whole teachers
in the program).  Plus the synthetic demo county of ``data/raw/schools``, the 6-school
county of the tolerance stall (tests/test_planning.py) and the plans over years.

Each county prints the naive plan (each school to every threshold), each school's own
optimum and the county plan (one-off and yearly apart), whether each passes when
re-checked, the county plan's status and proven gap, and its solve time as a ratio to the
per-school enumeration timed in the same run (the baseline: the county plan starts from
it).  Goals: a 500-school county plan in under 5 s whatever binds; the 6-school county
proven optimal in seconds.
Run: .venv/bin/python benchmarks/bench_planning.py [--sizes 500,5000]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from school_tables import make_school_table

from eduanalysis import paths
from eduanalysis.data.schools import COLUMNS, read_school_table
from eduanalysis.judgement.planning import county_plan, naive_plan, schedule_plan, school_plan
from eduanalysis.measures.indicators import school_indicators


def county(n: int, *, heavy: bool = False, teachers: bool = False, seed: int = 20261123) -> pd.DataFrame:
    raw = make_school_table(n, seed=seed).rename(columns={zh: c for c, (zh, _, _) in COLUMNS.items()})
    rng = np.random.default_rng(seed + 1)
    if heavy:
        raw["sports_area"] = np.round(raw["sports_area"] * rng.lognormal(0, 0.8, n), 1)
        raw["equipment_value"] = np.round(raw["equipment_value"] * rng.lognormal(0, 0.8, n)).astype("int64")
    if teachers:
        raw["key_teachers"] = np.round(raw["key_teachers"] * rng.lognormal(0, 0.9, n)).astype("int64")
    return raw


# the 6-school county HiGHS's default tolerance stalled on (tests/test_planning.py keeps it as a regression test)
STALL_COUNTY = pd.read_csv(Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "stall_county.csv")


def wan(x: float) -> str:
    return f"{x / 1e4:,.1f} 万元"


def run(name: str, table: pd.DataFrame, *, time_limit: float = 20.0):
    start = time.perf_counter()
    alone = school_plan(table)
    baseline = time.perf_counter() - start
    naive = naive_plan(table)
    start = time.perf_counter()
    plan = county_plan(table, time_limit=time_limit)
    seconds = time.perf_counter() - start
    before = plan.before.coefficients
    binding = before[before["met"] == False]  # noqa: E712 - nullable boolean
    gaps = plan.groups["gap"].dropna()
    print(f"\n{name}: {len(table):,} schools; coefficients over their limit before: {len(binding)}")
    shown = (("naive (every threshold alone)", naive), ("each school's own optimum", alone), ("county plan", plan))
    for label, p in shown:
        print(
            f"  {label:<30} one-off {wan(p.one_off_cost):>14}  yearly {wan(p.yearly_cost):>11}"
            f"  posts {p.new_posts:>5,}  passes all: {p.after.passes}"
        )
    print(
        f"  county plan: {seconds:.2f} s = {seconds / baseline:.1f} × the per-school enumeration ({baseline:.2f} s);"
        f" status {plan.status}, methods {sorted(set(plan.groups['method']))}"
        + (f", proven gap ≤ {gaps.max():.2e}" if len(gaps) else "")
    )
    if naive.after.passes:
        saving = naive.total_cost - plan.total_cost
        print(f"  saving against naive (first year): {wan(saving)} ({saving / naive.total_cost:.1%})")
    else:
        print("  naive plan leaves coefficients failing: no like-for-like saving")
    return plan


def run_phased(name: str, plan, years: int) -> None:
    """The plan over ``years``: at the least budget that works, and at 80 % of it."""
    start = time.perf_counter()
    least = schedule_plan(plan, years=years, budget_per_year=None)
    short = schedule_plan(plan, years=years, budget_per_year=0.8 * least.min_budget_per_year)
    seconds = time.perf_counter() - start
    print(
        f"  phased over {years} years ({name}): least yearly budget {wan(least.min_budget_per_year)},"
        f" {years}-year total {wan(least.total_cost)} ({least.status}); at 80 % of it: {short.status};"
        f" two schedules in {seconds:.2f} s = {seconds / max(plan.solve_seconds, 1e-9):.2f} × the county plan's solve"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,5000")
    args = parser.parse_args()
    demo = school_indicators(read_school_table(paths.SCHOOLS_DIR / "synthetic_demo_county.csv"))
    plan = run("synthetic demo county", demo)
    run_phased("demo", plan, 3)
    run("6-school county of the tolerance stall", STALL_COUNTY, time_limit=30)
    for n in (int(s) for s in args.sizes.split(",")):
        for label, kw in (("moderate", {}), ("heavy tails", {"heavy": True}), ("teacher-bound", {"teachers": True})):
            plan = run(f"{n}-school county, {label}", county(n, **kw))
            if label != "moderate":
                run_phased(label, plan, 5)
    print("\ngoals: a 500-school county plan in under 5 s whatever binds;")
    print("       the 6-school county proven optimal in seconds")


if __name__ == "__main__":
    main()
