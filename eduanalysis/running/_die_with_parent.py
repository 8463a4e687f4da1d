"""Run a command that the kernel (Linux) kills when the process that started it dies.

``python _die_with_parent.py PARENT_PID COMMAND...`` asks for ``PR_SET_PDEATHSIG``
(SIGKILL), checks that its parent is still ``PARENT_PID`` (it may have died before the
request took effect), then replaces itself with ``COMMAND`` (``execvp``: same process,
same pid, the setting survives).  Kernels and preload stand-ins are started this way
(:class:`.kernels.IPCKernelManager`), so a report's kernel cannot outlive the process
rendering the report, however that process ends (kill -9, out-of-memory killer).

Run by path, standard library only: it must start in milliseconds.
"""

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def main(argv: list[str]) -> int:
    parent, command = int(argv[0]), argv[1:]
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        print(f"eduanalysis: prctl(PR_SET_PDEATHSIG) failed: {os.strerror(ctypes.get_errno())}", file=sys.stderr)
        return 1
    if os.getppid() != parent:  # the parent died before the request took effect
        return 1
    os.execvp(command[0], command)  # a kernelspec may name its program without a path
    return 1  # pragma: no cover - execv does not return


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
