"""One writer per output folder: the lock that ``eduanalysis batch`` and ``report`` share.

The lock is an ``flock`` on ``<folder>/.batch.lock``.  A second batch or report into the
same folder is refused at once (:class:`BatchLockedError`, exit 2) rather than made to
wait: a cron run that finds the folder busy should say so, not pile up behind it.

``flock`` belongs to the open file, not to a process: every process given a copy of the
lock's descriptor holds the lock too, and it is released only when the last copy is
closed — by the OS, however the holders end.  The batch hands a copy to each worker
process that writes reports, so the folder stays locked until no process that could still
write into it exists; a killed batch cannot release the lock while one of its workers is
still running.
"""

from __future__ import annotations

import errno
import fcntl
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from ..errors import EduAnalysisError

__all__ = ["LOCK_FILE", "BatchLockedError", "OutputFolderError", "output_lock", "usable_output_dir"]

LOCK_FILE = ".batch.lock"


class BatchLockedError(EduAnalysisError):
    """Another batch or report is writing into the same output folder."""


class OutputFolderError(EduAnalysisError):
    """The output folder cannot be created or written (or holds a folder where a file goes)."""


def usable_output_dir(output_dir: str | Path, files: tuple[str, ...] = ()) -> Path:
    """Create ``output_dir`` if needed and check that reports can be written into it.

    ``files`` are names that must be regular files if they exist (``manifest.json``,
    ``index.html``).  Raises :class:`OutputFolderError` naming the folder and what is wrong.
    """
    output_dir = Path(output_dir)
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputFolderError(f"output folder {output_dir} is a file, not a folder") from None
    except NotADirectoryError:
        raise OutputFolderError(f"output folder {output_dir}: a part of the path is a file, not a folder") from None
    except OSError as exc:
        raise OutputFolderError(f"cannot create the output folder {output_dir}: {exc.strerror}") from None
    for name in files:
        path = output_dir / name
        if (path.exists() or path.is_symlink()) and not path.is_file():
            what = "a folder" if path.is_dir() else "not a regular file"
            raise OutputFolderError(f"{path} is {what}; remove it or choose another output folder")
    try:  # the honest test of "writable": create a file (permissions, read-only mounts, ACLs)
        fd, probe = tempfile.mkstemp(prefix=".write-test.", suffix=".tmp", dir=output_dir)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputFolderError(f"cannot write into the output folder {output_dir}: {exc.strerror}") from None
    return output_dir


@contextmanager
def output_lock(output_dir: str | Path, command: str):
    """Hold the lock of ``output_dir`` (which must exist); yield the lock's descriptor.

    ``command`` (``"batch"``, ``"report"``) is written into the lock file, so that a
    refused run can say who holds the folder.  Hand the descriptor to processes that write
    into the folder (see the module docstring); the lock is released when this process
    and every such process have closed it.
    """
    path = Path(output_dir) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise OutputFolderError(f"cannot open the lock file {path}: {exc.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise OutputFolderError(f"cannot lock {path}: {exc.strerror}") from None
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            raise BatchLockedError(
                f"{output_dir} is in use: another batch or report is writing into it"
                + (f" (pid {holder})" if holder else "")
                + "; try again when it has finished"
            ) from None
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}, eduanalysis {command}\n".encode(), 0)
        except OSError:
            pass  # who holds the lock is a courtesy; the lock itself is held
        yield fd
    finally:
        os.close(fd)  # never LOCK_UN: that would release it for the workers' copies too
