"""Worker processes that die alone and never outlive the batch that started them.

:func:`run_each` runs a function once per item, each call in a process of its own, at most
``workers`` at a time.  Unlike a ``ProcessPoolExecutor`` (where one worker killed by the
out-of-memory killer breaks the whole pool and fails every pending item), a process that
dies fails only its own item, and the caller learns how it died ("signal 9, SIGKILL").

The processes are forked by multiprocessing's *forkserver* (which imports the modules of
:data:`PRELOAD` once), so they inherit neither this process's threads nor its descriptors,
except those passed on purpose.  The OS ties them to the process that started them:

- each holds a copy of a descriptor given by the caller (the output folder's lock,
  :mod:`.lock`), so the lock is released only when every one of them is gone;
- each kills itself when the starting process exits, however that ends (a pidfd, read by
  a thread that does nothing else); what they start in turn (kernels) dies with them
  (``PR_SET_PDEATHSIG``, :mod:`.kernels`);
- Ctrl-C and terminal hang-ups, which reach the whole process group, are left to the
  starting process, which ends the workers itself (:func:`run_each` kills and reaps every
  running one on any way out, including an exception such as ``KeyboardInterrupt``).

A worker's result travels back through a pipe of which it holds the only write end:
a record, or end-of-file when it died without one.
"""

from __future__ import annotations

import multiprocessing
import os
import select
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from multiprocessing import connection, reduction

__all__ = ["PRELOAD", "describe_exit", "run_each"]

#: imported once by the forkserver, so that each worker starts ready to render
#: (the last one exports a small notebook once: :func:`.warm.warm_export`)
PRELOAD = [
    "eduanalysis.running.batch",
    "papermill",
    "nbconvert",
    "fontTools.subset",
    "eduanalysis.running._warm_workers",
]


def describe_exit(exitcode: int | None) -> str:
    """``'signal 9, SIGKILL'`` or ``'exit code 3'`` for an exit status as multiprocessing gives it.

    >>> describe_exit(-9), describe_exit(3)
    ('signal 9, SIGKILL', 'exit code 3')
    """
    if exitcode is None:
        return "exit status unknown"
    if exitcode < 0:
        try:
            return f"signal {-exitcode}, {signal.Signals(-exitcode).name}"
        except ValueError:
            return f"signal {-exitcode}"
    return f"exit code {exitcode}"


class _InheritedFd:
    """A descriptor that the started process receives a copy of (SCM_RIGHTS)."""

    def __init__(self, fd: int):
        self.fd = fd

    def __reduce__(self):
        # DupFd registers the descriptor with the launcher of the process being started
        # (it must run while that process is pickled), as multiprocessing does for pipes
        return (_detach, (reduction.DupFd(self.fd),))


def _detach(dup) -> int:
    return dup.detach()


_KEPT: list[int] = []  # descriptors a worker holds until it exits


def _die_with(parent_pid: int) -> None:
    """Kill this process when ``parent_pid`` exits (a pidfd on Linux; a poll elsewhere)."""
    if hasattr(os, "pidfd_open"):
        try:
            pidfd = os.pidfd_open(parent_pid)
        except ProcessLookupError:
            os._exit(1)

        def wait():
            select.select([pidfd], [], [])
            os.kill(os.getpid(), signal.SIGKILL)

    else:  # pragma: no cover - macOS

        def wait():
            while True:
                try:
                    os.kill(parent_pid, 0)
                except ProcessLookupError:
                    os.kill(os.getpid(), signal.SIGKILL)
                time.sleep(0.5)

    threading.Thread(target=wait, name="eduanalysis-die-with-parent", daemon=True).start()


def _worker(conn, keep_fd: int | None, parent_pid: int, target: Callable, args: tuple) -> None:
    if keep_fd is not None:
        _KEPT.append(keep_fd)
    _die_with(parent_pid)
    # the starting process decides about terminal signals, and ends this one itself.  A
    # Python handler, not SIG_IGN: the processes this one starts must not inherit it
    for sig in (signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda *_: None)
    result = target(*args)
    conn.send(result)
    conn.close()


@dataclass
class _Running:
    process: multiprocessing.process.BaseProcess
    item: object
    started: float


def run_each(
    items: Iterable,
    target: Callable,
    *,
    workers: int,
    args_for: Callable[[object], tuple],
    done: Callable[[object, object, str | None, float], None],
    keep_fd: int | None = None,
) -> None:
    """Call ``target(*args_for(item))`` for each item, each in a new process, ``workers`` at a time.

    ``args_for`` is called just before an item's process starts (so its arguments may
    depend on what happened meanwhile).  ``done(item, result, death, started)`` is called
    in this process as each finishes: ``result`` is what ``target`` returned and ``death``
    None, or ``result`` None and ``death`` how the process ended ("signal 9, SIGKILL")
    if it died without returning;
    ``started`` is the ``time.time()`` of its start.  ``target`` must be importable (it
    is pickled by reference) and its result picklable.  ``keep_fd`` is passed to every
    process, which holds it until it exits.  On any exception (``KeyboardInterrupt``
    included), every running process is killed and reaped before it propagates.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    queue = deque(items)
    running: dict[connection.Connection, _Running] = {}
    try:
        while queue or running:
            while queue and len(running) < workers:
                item = queue.popleft()
                reader = writer = None
                try:
                    reader, writer = context.Pipe(duplex=False)
                    inherited = None if keep_fd is None else _InheritedFd(keep_fd)
                    process = context.Process(
                        target=_worker,
                        args=(writer, inherited, os.getpid(), target, args_for(item)),
                        daemon=True,
                    )
                    process.start()
                except OSError as exc:  # out of processes or descriptors: this item fails, not the run
                    for end in (reader, writer):
                        if end is not None:
                            end.close()
                    done(item, None, f"could not be started: {exc}", time.time())
                    continue
                writer.close()  # the worker holds the only write end: end-of-file means it is gone
                running[reader] = _Running(process, item, time.time())
            for reader in connection.wait(list(running)):
                entry = running[reader]
                result, death = _collect(reader, entry.process)
                del running[reader]  # only now: interrupted while collecting, it is still stopped below
                done(entry.item, result, death, entry.started)
    finally:
        for entry in running.values():
            entry.process.kill()
        for reader, entry in running.items():
            entry.process.join()
            reader.close()


def _collect(reader: connection.Connection, process) -> tuple[object, str | None]:
    received = False
    try:
        result, received = reader.recv(), True
    except (EOFError, OSError):
        result = None
    reader.close()
    process.join(10)
    if process.is_alive():  # sent its result but does not exit: it must not linger
        process.kill()
        process.join()
    if received:
        return result, None
    how = describe_exit(process.exitcode)
    if process.exitcode == 255:  # multiprocessing's way of saying "the forkserver is gone"
        how += ", or its forkserver died"
    return None, how
