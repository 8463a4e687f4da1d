"""Render many reports: a local process pool by default, a Dask cluster on request.

One failing report never stops the others.  Each report's status, duration, error,
parameters, input hashes and outputs go to ``manifest.json``; ``index.html`` links every
report.  A report whose notebook, parameters, inputs and package are unchanged since its
last good render is skipped unless ``force``.  Everything is written atomically, and a
lock file keeps two batches from writing into the same folder at once.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import multiprocessing
import os
import sys
import threading
import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import ExitStack
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path

from .. import paths
from ..data.provenance import display_path as _display
from ..data.provenance import file_sha256 as _sha256
from ..errors import EduAnalysisError, NotebookExecutionError, ParameterError
from ..fileio import atomic_write_text
from ..presentation.fonts import embed_cjk_font
from ..presentation.index import index_html
from . import preload
from .jobs import Job, package_fingerprint, render_job
from .render import validate_parameters

__all__ = [
    "BatchLockedError",
    "run_batch",
    "run_job",
    "write_index",
]

MANIFEST = "manifest.json"
INDEX = "index.html"


class BatchLockedError(EduAnalysisError):
    """Another batch is writing into the same output folder."""


def _fingerprint(job: Job, keep_code: bool, package: str) -> str:
    payload = {
        "notebook": _sha256(Path(job.notebook)),
        "parameters": job.parameters,
        "inputs": {_display(Path(p)): _sha256(Path(p)) for p in job.inputs},
        "package": package,
        "keep_code": keep_code,
        "title": job.title,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def run_job(
    job: dict, output_dir: str, keep_code: bool = False, timeout: int | None = 600, preload_with: dict | None = None
) -> dict:
    """Render one job; never raises: the returned dict says ``ok`` or ``failed`` and why.

    ``preload_with`` forks the kernel from a preload server (:mod:`.preload`, Linux):
    ``{"socket": path}`` names the batch's server, ``{"key": key}`` asks for this
    process's own server for that key (Dask workers).  If the server cannot be used, the
    job runs on a normally started kernel and the record says why.

    Top-level and importable, so process pools and Dask workers can run it.
    """
    spec = Job(**job)
    out = Path(output_dir)
    started = datetime.now(UTC)
    t0 = time.perf_counter()
    result = {
        "name": spec.name,
        "kind": spec.kind,
        "title": spec.title,
        "parameters": spec.parameters,
        "notebook": _display(Path(spec.notebook)),
        "started_at": started.isoformat(timespec="seconds"),
        "inputs": {_display(Path(p)): _sha256(Path(p)) for p in spec.inputs if Path(p).exists()},
        "html": f"{spec.name}.html",
        "executed_notebook": f"executed/{spec.name}.ipynb",
        "host": os.uname().nodename,
        "pid": os.getpid(),
    }
    try:
        with preload.kernel_source(preload_with) as (kernel_manager, kernel):
            result["kernel"] = kernel
            render_job(spec, out, keep_code=keep_code, timeout=timeout, kernel_manager_class=kernel_manager)
        result.update(status="ok", error=None)
    except NotebookExecutionError as exc:
        result.update(status="failed", error=str(exc))
    except Exception as exc:  # a failing report must never stop the others
        tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
        result.update(status="failed", error=tb)
    result["duration_s"] = round(time.perf_counter() - t0, 3)
    result["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    return result


class _Progress:
    """A progress bar on an interactive terminal, plain lines otherwise (cron, CI)."""

    def __init__(self, total: int, stream=None):
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty()

    def update(self, record: dict) -> None:
        self.done += 1
        line = f"[{self.done}/{self.total}] {record['name']}: {record['status']} ({record.get('duration_s', 0):.1f} s)"
        if record["status"] == "failed":
            line += f" — {record['error']}"
        if self.tty:
            width = 30
            filled = int(width * self.done / self.total)
            bar = "█" * filled + "·" * (width - filled)
            self.stream.write(f"\r\x1b[2K{bar} {line}")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(line + "\n")
        self.stream.flush()


def _load_manifest(output_dir: Path) -> dict:
    path = output_dir / MANIFEST
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, OSError):
        return {}


def run_batch(
    jobs: list[Job],
    output_dir: str | Path | None = None,
    *,
    workers: int | None = None,
    force: bool = False,
    keep_code: bool = False,
    timeout: int | None = 600,
    scheduler: str | None = None,
    progress_stream=None,
    preload_kernels: bool = True,
) -> dict:
    """Render ``jobs``; write ``manifest.json`` and ``index.html``; return the manifest.

    Parameters are validated for every job before any kernel starts
    (``ParameterError``).  ``workers`` defaults to the CPU count; ``scheduler`` (e.g.
    ``tcp://127.0.0.1:8786``) runs the jobs on a Dask cluster instead.
    ``preload_kernels`` forks every kernel from a process that has already imported the
    report's packages (:mod:`.preload`; Linux; one per batch, or one per Dask worker
    process) instead of starting each from scratch; each report still runs in a kernel
    process of its own.
    """
    from .. import __version__

    output_dir = Path(output_dir) if output_dir is not None else paths.REPORTS_DIR
    for job in jobs:
        validate_parameters(job.notebook, job.parameters)
    names = [j.name for j in jobs]
    if len(set(names)) != len(names):
        raise ParameterError(f"job names must be unique, got {names}")
    output_dir.mkdir(parents=True, exist_ok=True)
    lock = open(output_dir / ".batch.lock", "w")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        lock.close()
        raise BatchLockedError(f"another batch is writing into {output_dir}") from None
    try:
        return _run_locked(
            jobs,
            output_dir,
            workers=workers,
            force=force,
            keep_code=keep_code,
            timeout=timeout,
            scheduler=scheduler,
            progress_stream=progress_stream,
            version=__version__,
            preload_kernels=preload_kernels,
        )
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()


def _run_locked(
    jobs, output_dir, *, workers, force, keep_code, timeout, scheduler, progress_stream, version, preload_kernels
) -> dict:
    for stale in [*output_dir.glob(".*.tmp"), *(output_dir / "executed").glob(".*.tmp")]:
        stale.unlink(missing_ok=True)  # left by an interrupted earlier run; never a report
    previous = _load_manifest(output_dir).get("reports", {})
    package = package_fingerprint()
    records: dict[str, dict] = {}
    todo: list[tuple[Job, str]] = []
    for job in jobs:
        fp = _fingerprint(job, keep_code, package)
        last = previous.get(job.name, {})
        if (
            not force
            and last.get("status") in ("ok", "skipped")
            and last.get("fingerprint") == fp
            and (output_dir / f"{job.name}.html").exists()
        ):
            records[job.name] = {
                **last,
                "status": "skipped",
                "duration_s": 0.0,
                "note": "unchanged since the last good render",
            }
        else:
            todo.append((job, fp))
    progress = _Progress(len(jobs), progress_stream)
    for rec in records.values():
        progress.update(rec)

    def finish(record: dict, fp: str) -> None:
        record["fingerprint"] = fp if record["status"] == "ok" else None
        record["package_version"] = version
        if record["status"] == "failed" and previous.get(record["name"], {}).get("status") in (
            "ok",
            "skipped",
        ):
            record["note"] = "render failed; the previous good report was left in place"
        records[record["name"]] = record
        progress.update(record)

    started = time.perf_counter()
    payloads = [(asdict(job), fp) for job, fp in todo]
    # a preload server imports the package once; its key changes with the code and the project
    preload_key = f"{package}:{paths.PROJECT_ROOT}" if preload_kernels and preload.available() else None
    if scheduler:
        # one server per Dask worker process, kept between batches while the key holds
        _run_dask(payloads, output_dir, keep_code, timeout, scheduler, finish, preload_key and {"key": preload_key})
    elif payloads:
        n = max(1, min(workers or os.cpu_count() or 1, len(payloads)))
        _run_local(payloads, output_dir, keep_code, timeout, n, finish, preload_key)
    manifest = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "package_version": version,
        "package_fingerprint": package,
        "python": sys.version.split()[0],
        "executor": f"dask:{scheduler}" if scheduler else f"processes:{workers or os.cpu_count()}",
        "kernels": "preloaded" if preload_key else "fresh",
        "wall_time_s": round(time.perf_counter() - started, 3),
        "reports": {**previous, **records},
    }
    manifest["summary"] = {
        status: sum(1 for name in (j.name for j in jobs) if records[name]["status"] == status)
        for status in ("ok", "skipped", "failed")
    }
    atomic_write_text(output_dir / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    write_index(manifest, output_dir)
    return manifest


def _crashed(job: dict, exc: BaseException) -> dict:
    return {
        "name": job["name"],
        "kind": job["kind"],
        "title": job["title"],
        "parameters": job["parameters"],
        "status": "failed",
        "error": f"worker crashed: {type(exc).__name__}: {exc}",
        "duration_s": None,
        "html": f"{job['name']}.html",
        "executed_notebook": f"executed/{job['name']}.ipynb",
    }


def _run_local(payloads, output_dir, keep_code, timeout, n, finish, preload_key) -> None:
    with ExitStack() as stack:
        preload_with = None
        if preload_key:
            # one server for the whole batch; it imports while the workers start
            server = preload.PreloadServer(preload_key, wait=False)
            stack.callback(server.stop)
            threading.Thread(target=_quietly, args=(server.wait_ready,), daemon=True).start()
            preload_with = {"socket": server.socket_path}
        # forkserver: workers do not inherit this process's descriptors (the batch lock) or
        # threads, so a worker outliving an interrupted batch cannot hold the lock
        context = multiprocessing.get_context("forkserver")
        pool = stack.enter_context(ProcessPoolExecutor(max_workers=n, mp_context=context))
        futures = {
            pool.submit(run_job, job, str(output_dir), keep_code, timeout, preload_with): (job, fp)
            for job, fp in payloads
        }
        try:
            for future in as_completed(futures):
                job, fp = futures[future]
                try:
                    record = future.result()
                except Exception as exc:  # the worker process itself died
                    record = _crashed(job, exc)
                finish(record, fp)
        except BaseException:  # Ctrl-C: stop now; reports in progress are abandoned (atomic writes)
            # the pool has no public way to stop running work; its workers are ours to end
            workers = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in workers:
                process.terminate()
            raise


def _quietly(func) -> None:
    try:
        func()
    except Exception:  # the workers read the reason from the server's folder
        pass


def _run_dask(payloads, output_dir, keep_code, timeout, scheduler, finish, preload_with) -> None:
    from distributed import Client
    from distributed import as_completed as dask_completed

    with Client(scheduler, timeout="30s") as client:
        futures = {}
        for job, fp in payloads:
            future = client.submit(
                run_job,
                job,
                str(output_dir),
                keep_code,
                timeout,
                preload_with,
                pure=False,
                key=f"render-{job['name']}-{fp[:12]}-{time.time_ns()}",
            )
            futures[future] = (job, fp)
        for future in dask_completed(list(futures)):
            job, fp = futures[future]
            try:
                record = future.result()
            except Exception as exc:  # KilledWorker and friends
                record = _crashed(job, exc)
            finish(record, fp)


def write_index(manifest: dict, output_dir: Path) -> Path:
    """Write ``index.html`` for ``manifest`` into ``output_dir`` (font embedded, atomically)."""
    path = output_dir / INDEX
    atomic_write_text(path, embed_cjk_font(index_html(manifest, output_dir)))
    return path
