"""Benchmark: the least-cost plan to pass (issue 15) — solve times and the saving.

Counties of 500 and 5,000 schools, generated here (seeded, never committed), in two
variants: "moderate" (spread like the demo county: the coefficients already meet their
limits, so the county plan is each school's own optimum) and "heavy tails" (sports
ground and equipment multiplied by a lognormal factor: a few very rich schools push
those coefficients over their limits, and the MILP has to work).  Plus the synthetic
demo county of ``data/raw/schools``.

For each: the naive plan (each school brought to every threshold on its own), each
school's own optimum, and the county plan (every school and every coefficient), with
the county plan's solve time, its proven gap to the relaxation's bound, and whether
each plan passes when re-checked.  Goal: a 500-school county plan in under 5 s.
Run: .venv/bin/python benchmarks/bench_planning.py
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
from eduanalysis.judgement.planning import county_plan, naive_plan, school_plan
from eduanalysis.measures.indicators import school_indicators


def county(n: int, *, heavy: bool, seed: int = 20261123) -> pd.DataFrame:
    raw = make_school_table(n, seed=seed).rename(columns={zh: c for c, (zh, _, _) in COLUMNS.items()})
    if heavy:
        rng = np.random.default_rng(seed + 1)
        raw["sports_area"] = np.round(raw["sports_area"] * rng.lognormal(0, 0.8, n), 1)
        raw["equipment_value"] = np.round(raw["equipment_value"] * rng.lognormal(0, 0.8, n)).astype("int64")
    return raw


def wan(x: float) -> str:
    return f"{x / 1e4:,.1f} 万元"


def run(name: str, table: pd.DataFrame) -> None:
    naive, alone = naive_plan(table), school_plan(table)
    start = time.perf_counter()
    plan = county_plan(table)
    seconds = time.perf_counter() - start
    binding = plan.before.coefficients
    binding = binding[binding["met"] == False]  # noqa: E712 - nullable boolean
    gaps = plan.groups["gap"].dropna()
    print(f"\n{name}: {len(table):,} schools; coefficients over their limit before: {len(binding)}")
    print(
        f"  naive (every threshold, each school alone): {wan(naive.total_cost):>14}  passes all: {naive.after.passes}"
    )
    print(
        f"  each school's own optimum (85 % used):      {wan(alone.total_cost):>14}  passes all: {alone.after.passes}"
    )
    print(f"  county plan (schools and coefficients):     {wan(plan.total_cost):>14}  passes all: {plan.after.passes}")
    print(
        f"  county plan: {seconds:.2f} s, status {plan.status}, methods {sorted(set(plan.groups['method']))}"
        + (f", gap to bound ≤ {gaps.max():.2e}" if len(gaps) else "")
    )
    if naive.after.passes:
        saving = naive.total_cost - plan.total_cost
        print(f"  saving against naive: {wan(saving)} ({saving / naive.total_cost:.1%})")
    else:
        print("  naive plan leaves coefficients failing: no like-for-like saving")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="500,5000")
    args = parser.parse_args()
    demo = school_indicators(read_school_table(paths.SCHOOLS_DIR / "synthetic_demo_county.csv"))
    run("synthetic demo county", demo)
    for n in (int(s) for s in args.sizes.split(",")):
        for heavy in (False, True):
            run(f"{n}-school county, {'heavy tails' if heavy else 'moderate'}", county(n, heavy=heavy))
    print("\ngoal: a 500-school county plan in under 5 s")


if __name__ == "__main__":
    main()
