"""Benchmark: `eduanalysis batch` against the naive loop a user would write, and where a report's time goes.

Renders N city reports (the four real cities plus synthetic ones with districts,
:func:`eduanalysis.data.synthetic.add_synthetic_regions`) in a temporary copy of the
project (EDUANALYSIS_ROOT), in the same run:

  (a) naive: for each region, the `papermill` CLI, then the `jupyter nbconvert --to html` CLI;
  (b) ours:  `eduanalysis batch --force --jobs <cores>` (worker processes, kernels forked
      from a preload server);
  (b') with --modes including nowarm: ours with EDUANALYSIS_NO_WARM=1 (no warm-ups in the
      forkserver and preload server, :mod:`eduanalysis.running.warm`), to show what they save;
  (c) ours with `--no-preload` (every kernel started from scratch), to show what the
      preload server contributes;
  (d) with --dask: ours on a Dask cluster on loopback (scheduler + <jobs> one-thread
      workers, started here as `dask scheduler` / `dask worker` processes), with the HTML
      compared byte for byte against (b) (timestamps masked).  A cluster is long-lived, so
      one warm-up batch runs first (its time is printed, not counted).

Always prints the floor (start a kernel, import the report helpers), the per-report cost
against it, and a profile per stage from the manifest of the last (b) run (kernel start,
each notebook section's cells, HTML export, font subsetting, workbook, writing; the index
is timed separately).  With --scale 10,50,100 it also renders that many synthetic reports
with (b) and prints total time against N x 1.5 x floor / workers and the peak memory of
the batch's whole process tree (proportional set size, sampled), so a flat memory
profile shows as a flat column.

Run: .venv/bin/python benchmarks/bench_batch.py [--synthetic 8] [--repeats 1] [--modes naive,ours,fresh]
     [--scale 10,50,100] [--dask]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from eduanalysis import paths
from eduanalysis.data.synthetic import add_synthetic_regions

BIN = Path(sys.executable).parent
REAL = ["wuhai", "mudanjiang", "mianyang", "yining"]


def make_project(root: Path, n_synthetic: int) -> list[str]:
    """Copy data/ and notebooks/ into root and add seeded synthetic regions; return the report names."""
    shutil.copytree(paths.PROJECT_ROOT / "data" / "raw", root / "data" / "raw")
    shutil.copytree(paths.NOTEBOOKS_DIR, root / "notebooks")
    # the seeds' text copies are addressed relative to the project root (../shared/seeds)
    seeds = paths.PROJECT_ROOT.parent / "shared" / "seeds"
    if seeds.is_dir():
        (root.parent / "shared").mkdir(exist_ok=True)
        (root.parent / "shared" / "seeds").symlink_to(seeds)
    return REAL + add_synthetic_regions(root / "data" / "raw", n_synthetic)


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished descendant of this process so far.

    The subprocesses here run one at a time and reap their own children (workers,
    kernels, servers), so the difference around one run is that run's CPU time, whatever
    else the shared machine is doing."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


CPU: dict[str, list[float]] = {}  # mode -> CPU seconds of each run
KNOWN: set[int] = set()  # long-lived children of this process (the Dask cluster)


def adopt_orphans() -> None:
    """Make this process the reaper of its orphaned descendants (Linux), so that their CPU
    time is counted too: multiprocessing's forkserver outlives the batch that started it
    (it exits when the batch has gone) and would otherwise be reaped by init."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def reap_orphans(timeout: float = 10.0) -> None:
    """Wait for adopted descendants (children of this process that it did not start)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        orphans = [p.pid for p in psutil.Process().children() if p.pid not in KNOWN]
        if not orphans:
            return
        for pid in orphans:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass
        time.sleep(0.05)


def run(cmd: list[str], env: dict) -> None:
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


class PeakMemory:
    """Peak summed PSS (RSS where PSS is unavailable) of a process and all its descendants."""

    def __init__(self, pid: int, every: float = 0.25):
        self.peak, self._stop = 0, threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(pid, every), daemon=True)
        self._thread.start()

    def _sample(self, pid: int, every: float) -> None:
        try:
            root = psutil.Process(pid)
        except psutil.NoSuchProcess:
            return
        while not self._stop.is_set():
            total = 0
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            for proc in procs:
                try:
                    info = proc.memory_full_info()
                    total += getattr(info, "pss", info.rss)
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(every)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def ours(root: Path, regions: list[str], env: dict, jobs: int, *extra: str, out: str = "ours") -> tuple[float, int]:
    """Wall seconds and peak memory (bytes) of one `eduanalysis batch`."""
    cmd = [str(BIN / "eduanalysis"), "batch", "--force", "--jobs", str(jobs), "--regions", ",".join(regions)]
    cmd += ["--output-dir", str(root / out), *extra]
    start, cpu = time.perf_counter(), children_cpu()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    memory = PeakMemory(proc.pid)
    _, err = proc.communicate()
    took = time.perf_counter() - start
    reap_orphans()
    CPU.setdefault(out, []).append(children_cpu() - cpu)
    peak = memory.stop()
    if proc.returncode != 0:
        raise SystemExit(f"batch failed ({proc.returncode}): {err.decode()[-2000:]}")
    return took, peak


def naive(root: Path, regions: list[str], env: dict) -> float:
    out = root / "naive"
    out.mkdir(exist_ok=True)
    start, cpu = time.perf_counter(), children_cpu()
    for region in regions:
        executed = out / f"{region}.ipynb"
        nb = str(root / "notebooks" / "city_report.ipynb")
        run([str(BIN / "papermill"), nb, str(executed), "-p", "region", region, "--no-progress-bar"], env)
        run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)], env)
    CPU.setdefault("naive", []).append(children_cpu() - cpu)
    return time.perf_counter() - start


def kernel_floor(env: dict) -> float:
    """Start a python3 kernel, import the report helpers, shut down (wall seconds; the CPU
    seconds go to ``CPU["floor"]``)."""
    code = (
        "import time\n"
        "from jupyter_client.manager import start_new_kernel\n"
        "t = time.perf_counter()\n"
        "km, kc = start_new_kernel(kernel_name='python3')\n"
        "kc.execute_interactive('import eduanalysis.presentation.notebook', timeout=120)\n"
        "km.shutdown_kernel(now=True)\n"
        "print(time.perf_counter() - t)\n"
    )
    cpu = children_cpu()
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    CPU.setdefault("floor", []).append(children_cpu() - cpu)
    return float(out.stdout.strip().splitlines()[-1])


def index_time(out: Path, env: dict) -> float:
    """Seconds to write index.html (and the all-regions workbook) for a finished batch's manifest."""
    code = (
        "import json, sys, time\nfrom pathlib import Path\nfrom eduanalysis.running.batch import write_index\n"
        "out = Path(sys.argv[1]); manifest = json.loads((out / 'manifest.json').read_text(encoding='utf-8'))\n"
        "t = time.perf_counter(); write_index(manifest, out); print(time.perf_counter() - t)\n"
    )
    res = subprocess.run([sys.executable, "-c", code, str(out)], env=env, capture_output=True, text=True, check=True)
    return float(res.stdout.strip().splitlines()[-1])


def profile(out: Path) -> list[str]:
    """Per-stage seconds of the reports of one batch (from its manifest), largest first."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    per_stage: dict[str, list[float]] = {}
    totals = []
    for rec in manifest["reports"].values():
        stages = rec.get("stages_s") or {}
        for name, took in stages.items():
            per_stage.setdefault(name, []).append(took)
        if rec.get("duration_s") is not None:
            totals.append(rec["duration_s"])
    n = len(totals)
    mean_total = statistics.fmean(totals) if totals else float("nan")
    lines = [f"per-stage profile of the last (b) run, {n} reports (seconds per report, in its worker):"]
    lines.append(f"  {'stage':28}{'median':>8}{'mean':>8}{'share':>8}")
    for name, values in sorted(per_stage.items(), key=lambda kv: -statistics.fmean(kv[1])):
        mean = statistics.fmean(values)
        lines.append(f"  {name:28}{statistics.median(values):>8.3f}{mean:>8.3f}{mean / mean_total:>8.0%}")
    accounted = sum(statistics.fmean(v) for v in per_stage.values())
    lines.append(f"  {'(sum of stages)':28}{'':>8}{accounted:>8.3f}{accounted / mean_total:>8.0%}")
    lines.append(f"  {'(report duration_s)':28}{statistics.median(totals):>8.3f}{mean_total:>8.3f}")
    return lines


_STAMPS = re.compile(rb"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(\+00:00|Z)?( UTC)?")


def differing_pages(a: Path, b: Path, names: list[str]) -> list[str]:
    """Reports whose HTML differs between two output folders once timestamps are masked."""
    return [
        n
        for n in names
        if _STAMPS.sub(b"<t>", (a / f"{n}.html").read_bytes()) != _STAMPS.sub(b"<t>", (b / f"{n}.html").read_bytes())
    ]


class DaskCluster:
    """`dask scheduler` and `workers` one-thread `dask worker` processes on 127.0.0.1."""

    def __init__(self, workers: int, env: dict, cwd: Path):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.address = f"tcp://127.0.0.1:{port}"
        dask = str(BIN / "dask")
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "env": env, "cwd": cwd}
        self.procs = [
            subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], **quiet)
        ]
        from distributed import Client

        for i in range(workers):
            cmd = [
                dask,
                "worker",
                self.address,
                "--nthreads",
                "1",
                "--no-dashboard",
                "--host",
                "127.0.0.1",
                "--name",
                f"w{i}",
            ]
            self.procs.append(subprocess.Popen(cmd, **quiet))
        KNOWN.update(p.pid for p in self.procs)
        with Client(self.address, timeout="60s") as client:
            client.wait_for_workers(workers, timeout=120)

    def stop(self) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--synthetic", type=int, default=8, help="synthetic regions beside the 4 real ones")
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--modes", default="naive,ours,fresh", help="comma list of naive, ours, nowarm, fresh")
    parser.add_argument("--scale", default="", help="e.g. 10,50,100: synthetic reports rendered by (b) at each size")
    parser.add_argument("--dask", action="store_true", help="also run (b) on a loopback Dask cluster and compare")
    args = parser.parse_args()
    adopt_orphans()
    modes = {m for m in args.modes.split(",") if m}
    sizes = [int(s) for s in args.scale.split(",") if s]
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        root = Path(tmp) / "project"
        root.mkdir()
        regions = make_project(root, max([args.synthetic, *sizes]))
        env = {**os.environ, "EDUANALYSIS_ROOT": str(root)}
        selected = regions[: 4 + args.synthetic]
        n = len(selected)
        floors = [kernel_floor(env) for _ in range(3)]
        floor = statistics.median(floors)
        times: dict[str, list[float]] = {m: [] for m in ("naive", "ours", "nowarm", "fresh", "dask")}
        cluster = DaskCluster(args.jobs, env, root) if args.dask else None
        warmup = None
        if cluster:
            # a cluster is long-lived: one untimed batch first starts each worker's preload
            # server and warms its process, as the first batch of a month would
            warmup = ours(root, selected, env, args.jobs, "--scheduler", cluster.address, out="dask")[0]
        try:
            for _ in range(args.repeats):  # interleaved, so drift hits all alike
                if "naive" in modes:
                    times["naive"].append(naive(root, selected, env))
                if "ours" in modes or cluster:
                    times["ours"].append(ours(root, selected, env, args.jobs)[0])
                if "nowarm" in modes:
                    cold = {**env, "EDUANALYSIS_NO_WARM": "1"}
                    times["nowarm"].append(ours(root, selected, cold, args.jobs, out="nowarm")[0])
                if "fresh" in modes:
                    times["fresh"].append(ours(root, selected, env, args.jobs, "--no-preload", out="fresh")[0])
                if cluster:
                    extra = ("--scheduler", cluster.address)
                    times["dask"].append(ours(root, selected, env, args.jobs, *extra, out="dask")[0])
        finally:
            if cluster:
                cluster.stop()
        print(f"{n} city reports, {args.jobs} workers, {args.repeats} repeats, cores={os.cpu_count()}")
        print(f"floor: kernel start + import eduanalysis.presentation.notebook = {floor:.2f} s (runs: "
              + " ".join(f"{f:.2f}" for f in floors) + ")")  # fmt: skip
        labels = {
            "naive": "(a) naive papermill + nbconvert CLI",
            "ours": "(b) eduanalysis batch",
            "nowarm": "(b') batch, no warm-ups (NO_WARM)",
            "fresh": "(c) eduanalysis batch --no-preload",
            "dask": "(d) eduanalysis batch on Dask",
        }
        print(f"{'':38}{'median s':>10}{'reports/min':>13}{'worker-s/report':>17}{'x floor':>9}")
        med = {m: statistics.median(t) for m, t in times.items() if t}
        for mode, m in med.items():
            per = m / n if mode == "naive" else m * args.jobs / n
            print(f"{labels[mode]:38}{m:>10.1f}{60 * n / m:>13.1f}{per:>17.2f}{per / floor:>9.2f}")
        floor_cpu = statistics.median(CPU["floor"])
        print(
            f"CPU seconds (user+system of every process, immune to the machine's other load): "
            f"floor {floor_cpu:.2f} s per kernel start + import"
        )
        outs = {"naive": "naive", "ours": "ours", "nowarm": "nowarm", "fresh": "fresh", "dask": "dask"}
        for mode in med:
            if CPU.get(outs[mode]) and mode != "dask":  # Dask's work is in the cluster's processes
                per = statistics.median(CPU[outs[mode]]) / n
                print(f"  {labels[mode]:38}{per:>8.2f} CPU-s/report{per / floor_cpu:>8.2f}x floor")
        if "naive" in med and "ours" in med:
            print(f"speed-up (a)/(b): {med['naive'] / med['ours']:.2f}x")
        if "fresh" in med and "ours" in med:
            print(f"preload server: (c)/(b) = {med['fresh'] / med['ours']:.2f}x")
        if warmup is not None:
            print(f"(d) first batch on the fresh cluster (untimed warm-up, not in the median): {warmup:.1f} s")
        if "nowarm" in med and "ours" in med:
            print(f"warm-ups (export in the forkserver, registries in the preload server): (b')/(b) = "
                  f"{med['nowarm'] / med['ours']:.2f}x")  # fmt: skip
        if "dask" in med:
            differ = differing_pages(root / "ours", root / "dask", selected)
            print(
                f"Dask vs local: (d)/(b) = {med['dask'] / med['ours']:.2f}x (goal <= 1.10); "
                f"HTML identical apart from timestamps: {n - len(differ)}/{n}"
                + (f" differ: {differ}" if differ else "")
            )
        print("all runs, s: " + " | ".join(f"{m} " + " ".join(f"{t:.1f}" for t in ts) for m, ts in times.items() if ts))
        if (root / "ours" / "manifest.json").exists():
            print("\n".join(profile(root / "ours")))
            took = index_time(root / "ours", env)
            print(f"  index.html + findings.xlsx for {n} reports (in the batch process): {took:.3f} s")
        for size in sizes:
            chosen = regions[4 : 4 + size]
            # the machine is shared: the floor is measured again right before and after each size
            before = kernel_floor(env)
            took, peak = ours(root, chosen, env, args.jobs, out=f"scale{size}")
            near = (before + kernel_floor(env)) / 2
            cpu_report, cpu_floor = CPU[f"scale{size}"][-1] / size, statistics.median(CPU["floor"][-2:])
            target = size * 1.5 * near / args.jobs
            manifest = json.loads((root / f"scale{size}" / "manifest.json").read_text(encoding="utf-8"))
            worker_s = sum(r["duration_s"] or 0 for r in manifest["reports"].values()) / size
            print(
                f"scale {size:>4} synthetic reports: {took:7.1f} s  (target {size} x 1.5 x floor {near:.2f} / "
                f"{args.jobs} = {target:.1f} s, ratio {took / target:.2f}; {worker_s:.2f} worker-s/report = "
                f"{worker_s / near:.2f}x floor; {cpu_report:.2f} CPU-s/report = "
                f"{cpu_report / cpu_floor:.2f}x floor CPU);  "
                f"peak memory {peak / 2**20:6.0f} MiB;  "
                f"index+findings.xlsx {index_time(root / f'scale{size}', env):.2f} s"
            )


if __name__ == "__main__":
    main()
