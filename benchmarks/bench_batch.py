"""Benchmark: `eduanalysis batch` against the naive loop a user would write.

Renders N city reports (the four real cities plus seeded synthetic ones; N >= 12) two ways
in the same run, in a temporary copy of the project (EDUANALYSIS_ROOT):

  (a) naive: for each region, the `papermill` CLI, then the `jupyter nbconvert --to html` CLI;
  (b) ours:  `eduanalysis batch --force --jobs <cores>` (process pool, IPC kernels forked
      from a preload server);
  (c) ours with `--no-preload` (every kernel started from scratch), to show what the
      preload server contributes.

Prints median wall times, the ratio, reports per minute, and the per-report cost against
the floor of starting a kernel and importing the package.  Goal (issue 6): (b) at least
2.5x faster than (a) on a 2-core machine.

Run: .venv/bin/python benchmarks/bench_batch.py [--synthetic 8] [--repeats 3]
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from eduanalysis import paths

BIN = Path(sys.executable).parent


def make_project(root: Path, n_synthetic: int, seed: int = 20261123) -> list[str]:
    """Copy data/ and notebooks/ into root and add seeded synthetic regions."""
    shutil.copytree(paths.PROJECT_ROOT / "data", root / "data")
    shutil.copytree(paths.NOTEBOOKS_DIR, root / "notebooks")
    rng = np.random.default_rng(seed)
    template = list(csv.DictReader(open(paths.FIGURES_DIR / "yining.csv", encoding="utf-8")))
    regions = ["wuhai", "mudanjiang", "mianyang", "yining"]
    with (
        open(root / "data" / "raw" / "regions.csv", "a", encoding="utf-8") as fh,
        open(root / "data" / "raw" / "sources.csv", "a", encoding="utf-8") as sources,
    ):
        for i in range(1, n_synthetic + 1):
            slug = f"synth{i:02d}"
            fh.write(f"{slug},合成示例市{i},合成省,,地级市\n")
            # figures cite a registered document of their own region
            source = f"{slug}_synthetic"
            sources.write(
                f"{source},{slug},合成示例文件（非真实）,合成示例市{i}（合成）,2021,督导评估报告,,,,基准测试用合成数据\n"
            )
            regions.append(slug)
            budget = 100000 * rng.uniform(0.5, 2.0)
            rows = []
            for row in template:
                row = dict(row, region=slug, source=source, note="合成示例数据")
                if row["indicator"] == "edu_budget_expenditure":
                    budget *= rng.uniform(0.97, 1.12)
                    row["value_as_written"] = f"{budget:.0f} 万元"
                rows.append(row)
            with open(root / "data" / "raw" / "figures" / f"{slug}.csv", "w", encoding="utf-8", newline="") as out:
                writer = csv.DictWriter(out, fieldnames=list(template[0]), lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
    return regions


def run(cmd: list[str], env: dict) -> None:
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def naive(root: Path, regions: list[str], env: dict) -> float:
    out = root / "naive"
    out.mkdir(exist_ok=True)
    start = time.perf_counter()
    for region in regions:
        executed = out / f"{region}.ipynb"
        run(
            [
                str(BIN / "papermill"),
                str(root / "notebooks" / "city_report.ipynb"),
                str(executed),
                "-p",
                "region",
                region,
                "--no-progress-bar",
            ],
            env,
        )
        run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)], env)
    return time.perf_counter() - start


def ours(root: Path, regions: list[str], env: dict, jobs: int, *extra: str) -> float:
    start = time.perf_counter()
    run(
        [
            str(BIN / "eduanalysis"),
            "batch",
            "--force",
            "--jobs",
            str(jobs),
            "--regions",
            ",".join(regions),
            "--output-dir",
            str(root / "ours"),
            *extra,
        ],
        env,
    )
    return time.perf_counter() - start


def kernel_floor(env: dict) -> float:
    """Start a python3 kernel, import the report helpers, shut down."""
    code = (
        "import time\n"
        "from jupyter_client.manager import start_new_kernel\n"
        "t = time.perf_counter()\n"
        "km, kc = start_new_kernel(kernel_name='python3')\n"
        "kc.execute_interactive('import eduanalysis.presentation.notebook', timeout=120)\n"
        "km.shutdown_kernel(now=True)\n"
        "print(time.perf_counter() - t)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        root = Path(tmp)
        regions = make_project(root, args.synthetic)
        env = {**os.environ, "EDUANALYSIS_ROOT": str(root)}
        n = len(regions)
        floors = [kernel_floor(env) for _ in range(3)]
        t_naive, t_ours, t_fresh = [], [], []
        for _ in range(args.repeats):  # interleaved, so drift hits all alike
            t_naive.append(naive(root, regions, env))
            t_ours.append(ours(root, regions, env, args.jobs))
            t_fresh.append(ours(root, regions, env, args.jobs, "--no-preload"))
        mn, mo, floor = statistics.median(t_naive), statistics.median(t_ours), statistics.median(floors)
        mf = statistics.median(t_fresh)
        print(f"{n} city reports, {args.jobs} workers, {args.repeats} repeats, cores={os.cpu_count()}")
        print(f"{'':34}{'median s':>10}{'reports/min':>13}")
        print(f"{'(a) naive papermill + nbconvert CLI':34}{mn:>10.1f}{60 * n / mn:>13.1f}")
        print(f"{'(b) eduanalysis batch':34}{mo:>10.1f}{60 * n / mo:>13.1f}")
        print(f"{'(c) eduanalysis batch --no-preload':34}{mf:>10.1f}{60 * n / mf:>13.1f}")
        print(f"speed-up (a)/(b): {mn / mo:.2f}x   (goal >= 2.5x);  (a)/(c): {mn / mf:.2f}x;  (c)/(b): {mf / mo:.2f}x")
        print(
            "all runs, s: naive "
            + " ".join(f"{t:.1f}" for t in t_naive)
            + " | ours "
            + " ".join(f"{t:.1f}" for t in t_ours)
            + " | no-preload "
            + " ".join(f"{t:.1f}" for t in t_fresh)
        )
        print(f"floor: kernel start + import eduanalysis.presentation.notebook = {floor:.2f} s")
        print(
            f"per report, naive: {mn / n:.2f} s ({mn / n / floor:.1f}x floor); "
            f"ours: {mo * args.jobs / n:.2f} worker-s ({mo * args.jobs / n / floor:.1f}x floor), "
            f"{mo / n:.2f} s wall"
        )


if __name__ == "__main__":
    main()
