"""A kernel manager whose kernels talk over IPC (Unix sockets) instead of TCP ports.

Parallel kernels on TCP pick free ports independently and can race for the same port
("Address already in use").  IPC sockets are files named after the kernel's unique
connection file, so kernels started at the same moment cannot collide.  Passed to
papermill as ``kernel_manager_class``.
"""

from __future__ import annotations

from jupyter_client.manager import AsyncKernelManager
from traitlets import default

__all__ = ["IPCKernelManager"]


class IPCKernelManager(AsyncKernelManager):
    """AsyncKernelManager with ``transport = "ipc"`` by default."""

    @default("transport")
    def _transport_default(self) -> str:
        return "ipc"
