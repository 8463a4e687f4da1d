"""A kernel manager whose kernels talk over IPC (Unix sockets) instead of TCP ports, and
die with the process that started them.

Parallel kernels on TCP pick free ports independently and can race for the same port
("Address already in use").  IPC sockets are files named after the kernel's unique
connection file, so kernels started at the same moment cannot collide.  Passed to
papermill as ``kernel_manager_class``.

On Linux every kernel is started through ``_die_with_parent.py``, which asks the OS
(``PR_SET_PDEATHSIG``) to kill the kernel when the process that started it dies: a
report's worker killed with ``kill -9`` (or by the out-of-memory killer) leaves no kernel
behind.  ipykernel's own parent poller would notice only about a second later, and not at
all for a kernel forked by the preload server (its parent is the server).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from traitlets import default

__all__ = ["IPCKernelManager", "die_with_parent"]

_GUARD = Path(__file__).with_name("_die_with_parent.py")


def die_with_parent(command: list[str]) -> list[str]:
    """``command`` wrapped so that the OS kills it when this process dies (Linux only).

    The wrapper replaces itself with ``command`` (same process), so signals, exit status
    and process group are the command's own.  Elsewhere ``command`` is returned unchanged.
    """
    if not sys.platform.startswith("linux"):
        return command
    # -S -E: the wrapper needs nothing but ctypes; the command keeps the environment
    return [sys.executable, "-S", "-E", str(_GUARD), str(os.getpid()), *command]


class IPCKernelManager(AsyncKernelManager):
    """AsyncKernelManager with ``transport = "ipc"`` by default; kernels die with this process."""

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"

    def format_kernel_cmd(self, extra_arguments=None):
        return die_with_parent(self.kernel_command(super().format_kernel_cmd(extra_arguments)))

    def kernel_command(self, cmd: list[str]) -> list[str]:
        """The command that starts the kernel (a hook for subclasses); ``cmd`` is the kernelspec's."""
        return cmd
