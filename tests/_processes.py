"""Process helpers for the tests that check nothing is left running (Linux /proc)."""

from __future__ import annotations

import os
import time
from pathlib import Path


def alive(pid: int) -> bool:
    """True while ``pid`` runs; a zombie (exited, not yet reaped) counts as dead."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (children, grandchildren, …)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except (FileNotFoundError, ProcessLookupError):
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def cmdline(pid: int) -> str:
    """The command line of ``pid`` ('' once it is gone)."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def parent(pid: int) -> int:
    """The parent pid of ``pid`` (0 once it is gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return int(stat.rsplit(")", 1)[1].split()[1])


def wait_gone(pids, timeout: float = 10.0) -> list[tuple[int, str]]:
    """Wait until none of ``pids`` runs; return the ones still running (pid, command line)."""
    deadline = time.monotonic() + timeout
    while any(alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    return [(p, cmdline(p)) for p in pids if alive(p)]


def has_open_files(pid: int) -> bool:
    """Whether ``pid`` still holds file descriptors (a process that is exiting has closed
    them all before it becomes a zombie: it can no longer write anything)."""
    try:
        return bool(os.listdir(f"/proc/{pid}/fd"))
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return False


def lock_is_free(path) -> bool:
    """Whether the flock on ``path`` could be taken now (it is released again at once)."""
    import fcntl

    with open(path, "a") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(fh, fcntl.LOCK_UN)
        return True


def wait_for_lock(path, timeout: float = 10.0) -> None:
    """Wait until the flock on ``path`` is free (AssertionError after ``timeout``)."""
    deadline = time.monotonic() + timeout
    while not lock_is_free(path):
        assert time.monotonic() < deadline, f"{path} is still locked after {timeout:g} s"
        time.sleep(0.02)
