"""Render many reports: a local process pool by default, a Dask cluster on request.

One failing report never stops the others.  Each report's status, duration, error,
parameters, input hashes and outputs go to ``manifest.json``; ``index.html`` links every
report.  A report whose notebook, parameters, inputs and package are unchanged since its
last good render is skipped unless ``force``.  Everything is written atomically, and a
lock (:mod:`.lock`, shared with ``eduanalysis report``) keeps two runs from writing into
the same folder at once.

Faults, and what the OS does about them (local batches):

- every report renders in a worker process of its own (forked by multiprocessing's
  forkserver, which has imported the package once).  A worker that dies — ``kill -9``,
  the out-of-memory killer — fails its report only, with the reason ("worker process died
  (signal 9, SIGKILL)"); the other reports go on, and the manifest and index are written;
- a worker holds a copy of the folder lock and kills itself when the batch process exits
  (a pidfd on the batch), and each kernel dies with the process that started it
  (``PR_SET_PDEATHSIG``, :mod:`.kernels`; the preload server watches its parent with a
  pidfd).  So however the batch ends, no process below it goes on, and the folder is
  unlocked only once no process that could write into it exists;
- SIGTERM, SIGHUP and SIGINT (Ctrl-C) stop the batch: running reports are abandoned (their
  previous good pages stay: atomic writes), the manifest records what finished and what
  did not, and :class:`BatchInterrupted` says which signal (exit 128 + signal number).
  A signal the caller ignores (``nohup``) stays ignored.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import signal
import sys
import threading
import time
import traceback
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass, field
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
from .jobs import Job, package_fingerprint, region_outputs, render_job
from .lock import BatchLockedError, OutputFolderError, output_lock, usable_output_dir
from .render import validate_parameters
from .workers import describe_exit, run_each

__all__ = [
    "BatchInterrupted",
    "BatchLockedError",
    "BatchOutputError",
    "OutputFolderError",
    "run_batch",
    "run_job",
    "write_index",
]

MANIFEST = "manifest.json"
INDEX = "index.html"
FINDINGS = "findings.xlsx"
log = logging.getLogger("eduanalysis")


class BatchInterrupted(KeyboardInterrupt):
    """The batch was stopped by a signal (SIGINT, SIGTERM, SIGHUP); ``signum`` says which."""

    def __init__(self, signum: int):
        self.signum = signum
        super().__init__(f"interrupted by {signal.Signals(signum).name}")


class BatchOutputError(EduAnalysisError):
    """``manifest.json`` or ``index.html`` could not be written (e.g. the disk is full)."""


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
    result = _base_record(job)
    result.update(
        started_at=started.isoformat(timespec="seconds"),
        inputs={_display(Path(p)): _sha256(Path(p)) for p in spec.inputs if Path(p).exists()},
        host=os.uname().nodename,
        pid=os.getpid(),
    )
    try:
        with preload.kernel_source(preload_with) as (kernel_manager, kernel):
            result["kernel"] = kernel
            rendered = render_job(spec, out, keep_code=keep_code, timeout=timeout, kernel_manager_class=kernel_manager)
        result.update(status="ok", error=None, stages_s=rendered.stages)
        if spec.kind == "city":
            result["summary"] = json.loads(region_outputs(out, spec.name)["summary"].read_text(encoding="utf-8"))
    except NotebookExecutionError as exc:
        result.update(status="failed", error=str(exc))
    except Exception as exc:  # a failing report must never stop the others
        tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
        result.update(status="failed", error=tb)
    result["duration_s"] = round(time.perf_counter() - t0, 3)
    result["finished_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    return result


def _base_record(job: dict) -> dict:
    return {
        "name": job["name"],
        "kind": job["kind"],
        "title": job["title"],
        "parameters": job["parameters"],
        "notebook": _display(Path(job["notebook"])),
        "html": f"{job['name']}.html",
        "executed_notebook": f"executed/{job['name']}.ipynb",
    }


def _failed(job: dict, error: str, started: float | None = None) -> dict:
    """The record of a job that produced none of its own (its worker died, the batch stopped)."""
    now = datetime.now(UTC)
    record = {**_base_record(job), "status": "failed", "error": error, "duration_s": None}
    if started is not None:
        elapsed = time.time() - started
        record["duration_s"] = round(elapsed, 3)
        record["started_at"] = datetime.fromtimestamp(started, UTC).isoformat(timespec="seconds")
    record["finished_at"] = now.isoformat(timespec="seconds")
    return record


def _complete(record, job: dict) -> dict:
    """A record with every field the manifest, progress line and index rely on."""
    if not isinstance(record, dict):
        return _failed(job, f"the worker returned no report record (got {type(record).__name__})")
    record = {**_base_record(job), **record}
    if record.get("status") not in ("ok", "failed", "skipped"):
        record.update(status="failed", error=f"the worker returned a record without a status: {record.get('status')!r}")
    if record["status"] == "failed" and not record.get("error"):
        record["error"] = "failed without an error message"
    record.setdefault("error", None)
    duration = record.get("duration_s")
    if not isinstance(duration, int | float) or isinstance(duration, bool):
        record["duration_s"] = None
    return record


class _Progress:
    """A progress bar on an interactive terminal, plain lines otherwise (cron, CI)."""

    def __init__(self, total: int, stream=None):
        self.total, self.done = total, 0
        self.stream = stream or sys.stderr
        try:
            self.tty = self.stream.isatty()
        except (AttributeError, ValueError):
            self.tty = False

    def update(self, record: dict) -> None:
        self.done += 1
        duration = record.get("duration_s")
        took = f"{duration:.1f} s" if isinstance(duration, int | float) else "—"
        line = f"[{self.done}/{self.total}] {record.get('name', '?')}: {record.get('status', '?')} ({took})"
        if record.get("status") == "failed":
            line += f" — {record.get('error') or 'no error message'}"
        try:
            if self.tty:
                width = 30
                filled = int(width * min(self.done, self.total) / max(self.total, 1))
                bar = "█" * filled + "·" * (width - filled)
                self.stream.write(f"\r\x1b[2K{bar} {line}")
                if self.done >= self.total:
                    self.stream.write("\n")
            else:
                self.stream.write(line + "\n")
            self.stream.flush()
        except (OSError, ValueError):  # a closed or broken log stream must not stop the batch
            pass


_REQUIRED = ("name", "title", "status", "html")


def _load_previous(output_dir: Path) -> tuple[dict, list[str]]:
    """The previous manifest's reports, and warnings about what could not be used.

    A manifest that cannot be read or parsed is treated as absent (every report is
    rendered again and the index lists only this batch's), with a warning: it is this
    program's own record, and a corrupt one must not stop the monthly run.
    """
    path = output_dir / MANIFEST
    if not path.exists():
        return {}, []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return {}, [f"{path} could not be read ({type(exc).__name__}: {exc}); started without it"]
    reports = data.get("reports") if isinstance(data, dict) else None
    if not isinstance(reports, dict):
        return {}, [f"{path} has no 'reports' table; started without it"]
    usable, dropped = {}, []
    for name, rec in reports.items():
        if _well_formed(name, rec):
            usable[name] = rec
        else:
            dropped.append(name)
    warnings = []
    if dropped:
        warnings.append(f"{path}: ignored {len(dropped)} malformed record(s): {', '.join(map(str, dropped[:10]))}")
    return usable, warnings


def _well_formed(name: str, rec) -> bool:
    """Whether a previous record has what the manifest, progress line and index read."""
    if not (isinstance(rec, dict) and rec.get("name") == name):
        return False
    duration = rec.get("duration_s")
    return (
        all(isinstance(rec.get(k), str) for k in _REQUIRED)
        and isinstance(rec.get("parameters", {}), dict)
        and (duration is None or (isinstance(duration, int | float) and not isinstance(duration, bool)))
    )


@contextmanager
def _signals_interrupt():
    """SIGINT, SIGTERM and SIGHUP raise :class:`BatchInterrupted` in the main thread, once.

    Only signals whose handling is still the default are taken over (``nohup`` keeps
    SIGHUP ignored); later signals are ignored while the batch cleans up.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    fired: list[int] = []

    def handler(signum, _frame):
        if not fired:
            fired.append(signum)
            raise BatchInterrupted(signum)

    previous = {}
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(sig) in (signal.SIG_DFL, signal.default_int_handler):
            previous[sig] = signal.signal(sig, handler)
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


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
    (``ParameterError``), and the output folder before anything is written
    (``OutputFolderError``; ``BatchLockedError`` if another run holds it).
    ``workers`` defaults to the CPU count; ``scheduler`` (e.g. ``tcp://127.0.0.1:8786``)
    runs the jobs on a Dask cluster instead.  ``preload_kernels`` forks every kernel from a
    process that has already imported the report's packages (:mod:`.preload`; Linux; one
    per batch, or one per Dask worker process) instead of starting each from scratch; each
    report still runs in a kernel process of its own.

    A signal stops the batch (see the module docstring): the manifest and index are still
    written, then :class:`BatchInterrupted` is raised.  ``BatchOutputError`` means the
    manifest or index could not be written.
    """
    from .. import __version__

    output_dir = Path(output_dir) if output_dir is not None else paths.REPORTS_DIR
    for job in jobs:
        validate_parameters(job.notebook, job.parameters)
    names = [j.name for j in jobs]
    if len(set(names)) != len(names):
        raise ParameterError(f"job names must be unique, got {names}")
    usable_output_dir(output_dir, (MANIFEST, INDEX))
    with output_lock(output_dir, "batch") as lock_fd, _signals_interrupt():
        usable_output_dir(output_dir / "executed")
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
            lock_fd=lock_fd,
        )


@dataclass
class _Run:
    """What one batch has done so far, and how to record it."""

    jobs: list[Job]
    output_dir: Path
    previous: dict
    version: str
    package: str
    executor: str
    progress: _Progress
    warnings: list[str]
    records: dict = field(default_factory=dict)
    kernels: str = "fresh"
    started: float = field(default_factory=time.perf_counter)
    partial_write_failed: bool = False

    def finish(self, record: dict, job: dict, fp: str) -> None:
        record = _complete(record, job)
        record["fingerprint"] = fp if record["status"] == "ok" else None
        record["package_version"] = self.version
        last = self.previous.get(record["name"], {})
        if record["status"] == "failed" and last.get("status") in ("ok", "skipped"):
            record["note"] = "render failed; the previous good report was left in place"
            if isinstance(last.get("summary"), dict):  # the index links that page: show its summary
                record["summary"] = last["summary"]
        self.records[record["name"]] = record
        self.progress.update(record)

    def manifest(self, state: str) -> dict:
        manifest = {
            "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "state": state,
            "package_version": self.version,
            "package_fingerprint": self.package,
            "python": sys.version.split()[0],
            "executor": self.executor,
            "kernels": self.kernels,
            "wall_time_s": round(time.perf_counter() - self.started, 3),
            "reports": {**self.previous, **self.records},
        }
        manifest["summary"] = {
            status: sum(1 for job in self.jobs if self.records.get(job.name, {}).get("status") == status)
            for status in ("ok", "skipped", "failed")
        }
        if self.warnings:
            manifest["warnings"] = list(self.warnings)
        return manifest

    def save_partial(self) -> None:
        """The manifest so far (``state: running``): what is on disk stays described even
        if the batch itself is killed before the end."""
        try:
            _write_manifest(self.output_dir, self.manifest("running"))
        except OSError as exc:
            if not self.partial_write_failed:
                log.warning("could not update %s: %s", self.output_dir / MANIFEST, exc)
            self.partial_write_failed = True


def _write_manifest(output_dir: Path, manifest: dict) -> None:
    atomic_write_text(output_dir / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")


def _run_locked(
    jobs,
    output_dir,
    *,
    workers,
    force,
    keep_code,
    timeout,
    scheduler,
    progress_stream,
    version,
    preload_kernels,
    lock_fd,
) -> dict:
    for stale in [*output_dir.glob(".*.tmp"), *(output_dir / "executed").glob(".*.tmp")]:
        try:  # left by an interrupted earlier run; never a report
            stale.unlink(missing_ok=True)
        except OSError as exc:  # e.g. a folder of that name: harmless, say so
            log.warning("could not remove %s: %s", stale, exc)
    previous, warnings = _load_previous(output_dir)
    for warning in warnings:
        log.warning("%s", warning)
    package = package_fingerprint()
    run = _Run(
        jobs=jobs,
        output_dir=output_dir,
        previous=previous,
        version=version,
        package=package,
        executor=f"dask:{scheduler}" if scheduler else f"processes:{workers or os.cpu_count()}",
        progress=_Progress(len(jobs), progress_stream),
        warnings=warnings,
    )
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
            run.records[job.name] = {
                **last,
                "status": "skipped",
                "duration_s": 0.0,
                "note": "unchanged since the last good render",
            }
            run.progress.update(run.records[job.name])
        else:
            todo.append((job, fp))

    def finish(record: dict, job: dict, fp: str) -> None:
        run.finish(record, job, fp)
        run.save_partial()

    payloads = [(asdict(job), fp) for job, fp in todo]
    # a preload server imports the package once; its key changes with the code and the project
    preload_key = f"{package}:{paths.PROJECT_ROOT}" if preload_kernels and preload.available() else None
    run.kernels = "preloaded" if preload_key else "fresh"
    stopped: BaseException | None = None
    try:
        if scheduler:
            # one server per Dask worker process, kept between batches while the key holds
            _run_dask(payloads, output_dir, keep_code, timeout, scheduler, finish, preload_key and {"key": preload_key})
        elif payloads:
            n = max(1, min(workers or os.cpu_count() or 1, len(payloads)))
            _run_local(payloads, output_dir, keep_code, timeout, n, finish, preload_key, lock_fd)
    except BaseException as exc:  # interrupted (or a bug): record what did and did not finish, then re-raise
        stopped = exc
    if stopped is not None:
        if isinstance(stopped, BatchInterrupted):
            why = f"the batch was interrupted ({signal.Signals(stopped.signum).name}) before this report finished"
        elif isinstance(stopped, KeyboardInterrupt):
            why = "the batch was interrupted (SIGINT) before this report finished"
        else:
            why = f"the batch stopped before this report finished: {type(stopped).__name__}: {stopped}"
        for job, fp in todo:
            if job.name not in run.records:
                run.finish(_failed(asdict(job), why), asdict(job), fp)
    manifest = run.manifest("complete" if stopped is None else "interrupted")
    try:
        _write_manifest(output_dir, manifest)
        write_index(manifest, output_dir)
    except OSError as exc:
        error = BatchOutputError(f"could not write the manifest or index into {output_dir}: {exc}")
        error.manifest = manifest
        raise error from (stopped or exc)
    if stopped is not None:
        raise stopped
    return manifest


# ------------------------------------------------------------------------ local workers


def _run_local(payloads, output_dir, keep_code, timeout, n, finish, preload_key, lock_fd) -> None:
    """Each report in a worker process of its own (:mod:`.workers`); a worker that dies
    fails its report only.  Every worker holds a copy of the folder lock."""
    with ExitStack() as stack:
        server = None
        if preload_key:
            # one server for the whole batch; it imports while the first workers start
            server = preload.PreloadServer(preload_key, wait=False)
            stack.callback(server.stop)
            threading.Thread(target=_quietly, args=(server.wait_ready,), daemon=True).start()
        notes: dict[str, str] = {}  # report -> why it ran on a fresh kernel after all

        def args_for(payload):
            job, _fp = payload
            preload_with = None
            if server is not None:
                if server.alive():
                    preload_with = {"socket": server.socket_path}
                else:  # killed (the out-of-memory killer?): the remaining reports start their own kernels
                    notes[job["name"]] = (
                        f"fresh (the kernel preload server had died: {describe_exit(server.process.returncode)})"
                    )
            return (job, str(output_dir), keep_code, timeout, preload_with)

        def done(payload, record, death, started):
            job, fp = payload
            if death is not None:
                record = _failed(job, f"worker process died ({death}) before the report was finished", started)
            if job["name"] in notes and isinstance(record, dict):
                record["kernel"] = notes[job["name"]]
            elif (
                isinstance(record, dict)
                and record.get("status") == "failed"
                and server is not None
                and not server.alive()
                and str(record.get("kernel", "")).startswith("preloaded")
            ):
                record["error"] = (
                    f"{record.get('error')}; the kernel preload server died during this report "
                    f"({describe_exit(server.process.returncode)})"
                )
            finish(record, job, fp)

        run_each(payloads, run_job, workers=n, args_for=args_for, done=done, keep_fd=lock_fd)


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
                record = _failed(job, f"worker crashed: {type(exc).__name__}: {exc}")
            finish(record, job, fp)


def write_index(manifest: dict, output_dir: Path) -> Path:
    """Write ``index.html`` for ``manifest`` into ``output_dir`` (font embedded, atomically),
    after ``findings.xlsx``, every region's findings in one workbook, which it links."""
    from ..presentation.export import write_findings_workbook

    reports = manifest["reports"]
    cities = sorted(n for n, r in reports.items() if r.get("kind") == "city" and r.get("status") != "failed")
    write_findings_workbook([region_outputs(output_dir, n)["findings_csv"] for n in cities], output_dir / FINDINGS)
    path = output_dir / INDEX
    atomic_write_text(path, embed_cjk_font(index_html(manifest, output_dir)))
    return path
