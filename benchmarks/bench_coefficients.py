"""Benchmark: grouped difference coefficients on a national-scale synthetic table.

1,000,000 schools, 8 indicators, about 3,000 counties x 2 levels (seeded).  Times, in
the same run, (a) a straightforward per-group Python loop, (b) a minimal NumPy
reference (factorize + np.bincount moments) and (c) eduanalysis.difference_coefficients,
and prints medians and ratios, plus peak memory of (c) against the input table's size.

Goals (issue 3): (c) within 1.5x of (b), >= 20x faster than (a), < 1 s, peak memory
< 3x the input table.  Run: .venv/bin/python benchmarks/bench_coefficients.py
"""

from __future__ import annotations

import argparse
import statistics
import time
import tracemalloc

import numpy as np
import pandas as pd

from eduanalysis import difference_coefficients, weighted_cv

INDICATORS = [f"ind{i}" for i in range(1, 9)]


def make_table(n_schools: int, n_counties: int, seed: int = 20261123) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    county = rng.integers(0, n_counties, n_schools)
    level = rng.integers(0, 2, n_schools)
    data = {
        "region": pd.Categorical.from_codes(county, [f"county{i:04d}" for i in range(n_counties)]).astype(str),
        "level": np.where(level == 0, "小学", "初中"),
        "enrolment": rng.integers(50, 3000, n_schools),
    }
    for i, name in enumerate(INDICATORS):
        data[name] = rng.gamma(4.0, 1.0 + i, n_schools)
    return pd.DataFrame(data)


def loop_baseline(df: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (region, level), g in df.groupby(["region", "level"], sort=True):
        w = g["enrolment"].to_numpy(dtype="float64")
        for name in INDICATORS:
            x = g[name].to_numpy()
            mean = (w * x).sum() / w.sum()
            sd = np.sqrt((w * (x - mean) ** 2).sum() / w.sum())
            rows.append((region, level, name, sd / mean))
    return pd.DataFrame(rows, columns=["region", "level", "indicator", "cv"])


def scalar_api_loop(df: pd.DataFrame) -> pd.DataFrame:
    """The loop a user of the scalar API writes: weighted_cv per group and indicator."""
    rows = []
    for (region, level), g in df.groupby(["region", "level"], sort=True):
        for name in INDICATORS:
            rows.append((region, level, name, weighted_cv(g[name], g["enrolment"])))
    return pd.DataFrame(rows, columns=["region", "level", "indicator", "cv"])


def numpy_reference(df: pd.DataFrame) -> np.ndarray:
    c1, u1 = pd.factorize(df["region"], sort=True)
    c2, u2 = pd.factorize(df["level"], sort=True)
    codes, _ = pd.factorize(c1 * len(u2) + c2, sort=True)
    n = codes.max() + 1
    w = df["enrolment"].to_numpy(dtype="float64")
    total = np.bincount(codes, weights=w, minlength=n)
    out = np.empty((n, len(INDICATORS)))
    for j, name in enumerate(INDICATORS):
        x = df[name].to_numpy()
        mean = np.bincount(codes, weights=w * x, minlength=n) / total
        dev = x - mean[codes]
        out[:, j] = np.sqrt(np.bincount(codes, weights=w * dev * dev, minlength=n) / total) / mean
    return out


def ours(df: pd.DataFrame) -> pd.DataFrame:
    return difference_coefficients(df, INDICATORS, weight="enrolment", by=["region", "level"])


def median_time(fn, df, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(df)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=1_000_000)
    parser.add_argument("--counties", type=int, default=3_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--loop-repeats", type=int, default=1)
    args = parser.parse_args()

    df = make_table(args.schools, args.counties)
    input_bytes = df.memory_usage(deep=True).sum()
    print(
        f"table: {len(df):,} schools, {df.groupby(['region', 'level']).ngroups:,} groups, "
        f"{len(INDICATORS)} indicators, {input_bytes / 2**20:.0f} MiB in memory"
    )

    # correctness first: all three agree
    a = loop_baseline(df).sort_values(["region", "level", "indicator"])["cv"].to_numpy()
    b = numpy_reference(df).ravel()
    c = ours(df).sort_values(["region", "level", "indicator"])["cv"].to_numpy()
    assert np.allclose(np.sort(a), np.sort(b)) and np.allclose(a, c), "implementations disagree"

    t_loop = median_time(loop_baseline, df, args.loop_repeats)
    t_scalar = median_time(scalar_api_loop, df, args.loop_repeats)
    t_numpy = median_time(numpy_reference, df, args.repeats)
    t_ours = median_time(ours, df, args.repeats)

    tracemalloc.start()
    ours(df)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"{'implementation':<28}{'median s':>10}")
    print(f"{'(a) per-group Python loop':<28}{t_loop:>10.3f}")
    print(f"{'(a2) loop over weighted_cv':<28}{t_scalar:>10.3f}")
    print(f"{'(b) NumPy bincount reference':<28}{t_numpy:>10.3f}")
    print(f"{'(c) eduanalysis':<28}{t_ours:>10.3f}")
    print(f"ours / numpy reference : {t_ours / t_numpy:.2f}x   (goal <= 1.5x)")
    print(f"loop (a) / ours        : {t_loop / t_ours:.1f}x   (goal >= 20x)")
    print(f"loop (a2) / ours       : {t_scalar / t_ours:.1f}x")
    print(f"ours, whole table      : {t_ours:.3f} s  (goal < 1 s)")
    print(f"peak memory / input    : {peak / input_bytes:.2f}x   ({peak / 2**20:.0f} MiB peak, goal < 3x)")


if __name__ == "__main__":
    main()
