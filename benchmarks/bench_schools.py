"""Benchmark: school tables at county and province scale (issue 13, item 4).

Sizes: a county of 10,000 schools and a province of 100,000 (100 counties), generated
here (seeded, never committed; see ``school_tables.py``).  For each size, in the same
run, against a NumPy floor (the least code that computes the same numbers):

- the 2017 per-school rule (``quality_school_check``) vs ratio/met/pass on arrays;
- the difference coefficients per county and level (``difference_coefficients``) vs
  ``np.bincount`` moments;
- the top contributors per coefficient (``grouped_contributions``) vs the same
  arithmetic without the tidy frame.

With ``--render`` the balance report notebook is rendered for the 10,000-school county
(and with ``--render-province`` for the province too), reporting seconds and megabytes.

Goals: the 100,000-school rule under 1 s; the 10,000- and 100,000-school reports under 30 s and 5 MB
(before this work: 7.5–9 min and 109 MB; the rule 4–8 ms per school, measured at
1.1 ms per school on this machine before vectorising).
Run: .venv/bin/python benchmarks/bench_schools.py [--render] [--render-province]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))

from school_tables import write_school_table

from eduanalysis import paths
from eduanalysis.data.schools import read_school_table
from eduanalysis.judgement.school_rule import quality_school_check, school_rule
from eduanalysis.judgement.standards import indicator_set
from eduanalysis.measures.coefficients import difference_coefficients, grouped_contributions
from eduanalysis.measures.indicators import school_indicators

QUALITY = indicator_set("quality_balance_2017")
ALL = list(dict.fromkeys(indicator_set("basic_balance_2012") + QUALITY))


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def rule_floor(table: pd.DataFrame):
    """The 2017 rule on arrays: the least computation that gives each school's verdict."""
    rule = school_rule()
    values = table[QUALITY].to_numpy(dtype="float64")
    junior = (table["level"] == "初中").to_numpy()
    thresholds = np.where(junior[:, None], rule.thresholds["初中"], rule.thresholds["小学"])
    met = values >= thresholds
    ratio = values / thresholds
    return (met.sum(axis=1) >= rule.min_met) & np.all(met | (ratio >= rule.floor), axis=1)


def _codes(table: pd.DataFrame, by: list[str]) -> tuple[np.ndarray, int]:
    """Group codes the cheap way (factorize each key, combine the integer codes)."""
    codes = np.zeros(len(table), dtype=np.int64)
    for column in by:
        c, u = pd.factorize(table[column], sort=True)
        codes = codes * len(u) + c
    codes, uniques = pd.factorize(codes, sort=True)
    return codes, len(uniques)


def cv_floor(table: pd.DataFrame, by: list[str]) -> np.ndarray:
    codes, n = _codes(table, by)
    w = table["enrolment"].to_numpy(dtype="float64")
    total = np.bincount(codes, weights=w, minlength=n)
    out = np.empty((n, len(ALL)))
    for j, name in enumerate(ALL):
        x = table[name].to_numpy(dtype="float64")
        m = np.bincount(codes, weights=w * x, minlength=n) / total
        d = x - m[codes]
        out[:, j] = np.sqrt(np.bincount(codes, weights=w * d * d, minlength=n) / total) / m
    return out


def contributions_floor(table: pd.DataFrame, by: list[str]) -> list[np.ndarray]:
    codes, n = _codes(table, by)
    w = table["enrolment"].to_numpy(dtype="float64")
    total = np.bincount(codes, weights=w, minlength=n)
    tops = []
    for name in ALL:
        x = table[name].to_numpy(dtype="float64")
        m = np.bincount(codes, weights=w * x, minlength=n) / total
        c = w * (x - m[codes]) ** 2 / total[codes]
        order = np.lexsort((-c, codes))
        start = np.searchsorted(codes[order], np.arange(n))
        rank = np.arange(len(order)) - start[codes[order]]
        tops.append(order[rank < 3])
    return tops


def compare(table: pd.DataFrame, by: list[str], repeats: int) -> None:
    rows = [
        ("2017 school rule", lambda: quality_school_check(table), lambda: rule_floor(table)),
        ("coefficients", lambda: difference_coefficients(table, ALL, by=by), lambda: cv_floor(table, by)),
        (
            "top contributors",
            lambda: grouped_contributions(table, ALL, by=by, top=3),
            lambda: contributions_floor(table, by),
        ),
    ]
    print(f"{'step':<20}{'ours s':>10}{'floor s':>10}{'ratio':>8}")
    for name, ours, floor in rows:
        t_ours, t_floor = median_time(ours, repeats), median_time(floor, repeats)
        print(f"{name:<20}{t_ours:>10.3f}{t_floor:>10.3f}{t_ours / t_floor:>7.1f}x")


def render(csv: Path) -> tuple[float, float]:
    from eduanalysis.running import render_notebook

    out = csv.with_suffix(".html")
    start = time.perf_counter()
    render_notebook(paths.NOTEBOOKS_DIR / "balance_report.ipynb", {"school_table": str(csv)}, out, title="基准")
    return time.perf_counter() - start, out.stat().st_size / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--render", action="store_true", help="render the 10,000-school report")
    parser.add_argument("--render-province", action="store_true", help="render the 100,000-school report too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for n, regions in ((10_000, 1), (100_000, 100)):
            csv = write_school_table(Path(tmp) / f"schools_{n}.csv", n, n_regions=regions)
            table = school_indicators(read_school_table(csv))
            by = ["region", "level"] if "region" in table else ["level"]
            # correctness first: ours and the floor give the same numbers
            summary, _ = quality_school_check(table)
            assert (summary["passes"].to_numpy(dtype=bool) == rule_floor(table)).all()
            ours_cv = difference_coefficients(table, ALL, by=by)["cv"].to_numpy().reshape(-1, len(ALL))
            assert np.allclose(ours_cv, cv_floor(table, by), rtol=1e-12)
            top = grouped_contributions(table, ALL, by=by, top=3)
            assert len(top) == sum(len(t) for t in contributions_floor(table, by))

            print(f"\n{n:,} schools, {regions} county(ies), {len(ALL)} indicators")
            compare(table, by, args.repeats)
            if n == 100_000:
                t_rule = median_time(lambda t=table: quality_school_check(t), args.repeats)
                print(f"100,000-school rule: {t_rule:.3f} s (goal < 1 s; before: ~1.1 ms/school ≈ 110 s)")
            if (n == 10_000 and args.render) or (n == 100_000 and args.render_province):
                seconds, megabytes = render(csv)
                goal = "goal < 30 s, < 5 MB"  # issue 13 item 4: the county and the province alike
                print(f"balance report: {seconds:.1f} s, {megabytes:.2f} MB ({goal})")
                print("  before at 10,000 schools (issue 13): 7.5–9 min, 109 MB")


if __name__ == "__main__":
    main()
