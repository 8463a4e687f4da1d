"""Preloaded kernels: fork each report's kernel from a process that has done the imports.

Starting a Python kernel and importing ipykernel, pandas, matplotlib and eduanalysis costs
about 2 s of CPU per report — in a batch, a large part of each report.  A *preload server*
(one per local batch; on Dask, one per worker process) imports all of that once, then
forks a new kernel process for every report.  Each report still gets its own fresh kernel process
(nothing a notebook does is seen by the next one); only the already-imported modules are
shared, copy-on-write.

How a forked kernel fits jupyter_client: :class:`PreloadedKernelManager` (an IPC kernel
manager) launches ``_preload_client.py`` instead of ``ipykernel_launcher``; the client asks
the server to fork, and stands in for the kernel (signals relayed, exit status mirrored,
the kernel killed if the client is).  So interrupts, cell timeouts, shutdowns and dead
kernels behave as with normal kernels; the batch tests run through this path.

Nothing outlives what it serves, whichever process dies (each case is tested):

- the stand-in dies with the process rendering the report (``PR_SET_PDEATHSIG``, as every
  kernel, :mod:`.kernels`), and the server kills a kernel whose stand-in has gone;
- a forked kernel dies with the server (``PR_SET_PDEATHSIG``), and a stand-in whose
  server has gone kills its kernel and exits;
- the server stops, killing its kernels, as soon as the process that started it exits
  (a pidfd on that process: not its thread, since a Dask worker starts servers from
  threads), and then removes its folder, which nobody else is left to remove.

Differences from a normal kernel, on purpose:

- the modules listed in :data:`PRELOAD` come from the server's import (made at batch
  start; a server is keyed by the package fingerprint and the project root, so changed
  code gets a new server);
- ``OPENBLAS_NUM_THREADS``/``OMP_NUM_THREADS`` default to 1 in the server (forking with
  BLAS threads running is unsafe); report computations are tiny;
- NumPy's global random state is reseeded in every kernel (Python's ``random`` reseeds
  itself after fork); otherwise every forked kernel would draw the same numbers.

Linux only (``os.pidfd_open``); elsewhere, or with ``--no-preload``, kernels start normally.
"""

from __future__ import annotations

import atexit
import ctypes
import json
import os
import selectors
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from contextlib import ExitStack, contextmanager
from pathlib import Path

from .kernels import IPCKernelManager

__all__ = [
    "PRELOAD",
    "PreloadServer",
    "PreloadedKernelManager",
    "available",
    "kernel_manager_for",
    "kernel_source",
    "using_server",
    "wait_for_socket",
]

#: modules imported once by the server, before any kernel is forked
PRELOAD = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "matplotlib_inline.backend_inline",
    "numpy",
    "pandas",
    "matplotlib.pyplot",
    "eduanalysis.presentation.city",
    "eduanalysis.presentation.notebook",
    "eduanalysis.presentation.balance",
    "eduanalysis.presentation.crossregion",
)
_CLIENT = Path(__file__).with_name("_preload_client.py")
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def available() -> bool:
    """Whether this platform can fork preloaded kernels (Linux: fork and pidfd)."""
    return hasattr(os, "fork") and hasattr(os, "pidfd_open") and hasattr(socket, "send_fds")


# --------------------------------------------------------------------------- manager side


class PreloadServer:
    """A preload server (a child process of this one) and its socket.

    The socket file appears only once the server has imported everything and listens,
    so its existence means "ready" to any process that knows the path.
    """

    def __init__(self, key: str, *, wait: bool = True, startup_timeout: float = 120.0):
        self.key = key
        self._dir = tempfile.mkdtemp(prefix="eduanalysis-preload-")  # 0700: only this user
        self.socket_path = os.path.join(self._dir, "kernels.sock")
        self.process = subprocess.Popen(
            self._command(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            cwd=self._dir,
        )
        if wait:
            try:
                self.wait_ready(startup_timeout)
            except RuntimeError:
                self.stop()  # nobody else will wait on it
                raise

    def _command(self) -> list[str]:
        return [sys.executable, "-m", "eduanalysis.running.preload", self.socket_path, str(os.getpid())]

    def wait_ready(self, timeout: float = 120.0) -> None:
        """Block until the server listens; if it cannot, say why to any process waiting on it."""
        deadline = time.monotonic() + timeout
        try:
            while not os.path.exists(self.socket_path):
                if self.process.poll() is not None:
                    raise RuntimeError(f"the kernel preload server exited with code {self.process.returncode}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the kernel preload server was not ready after {timeout:g} s")
                time.sleep(0.02)
        except RuntimeError as exc:
            Path(self._dir, "failed").write_text(str(exc), encoding="utf-8")
            self.stop(remove=False)
            raise

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, *, remove: bool = True) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if remove:
            shutil.rmtree(self._dir, ignore_errors=True)


def wait_for_socket(socket_path: str, timeout: float = 120.0) -> None:
    """Wait for a server started by another process (the batch) to listen on ``socket_path``."""
    deadline = time.monotonic() + timeout
    failed = Path(socket_path).with_name("failed")
    while not os.path.exists(socket_path):
        if failed.exists():
            raise RuntimeError(failed.read_text(encoding="utf-8"))
        if not Path(socket_path).parent.exists():
            raise RuntimeError(f"the kernel preload server's folder {Path(socket_path).parent} is gone")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the kernel preload server at {socket_path} was not ready after {timeout:g} s")
        time.sleep(0.02)


_SERVERS: dict[str, PreloadServer] = {}
_USERS: dict[str, int] = {}
_LOCK = threading.Lock()


@contextmanager
def using_server(key: str):
    """This process's preload server for ``key``, started on first use (restarted if it died).

    A server for another key (older code) is stopped once no report is using it.
    """
    with _LOCK:
        _stop_idle_except(key)
        server = _SERVERS.get(key)
        if server is None or not server.alive():
            if server is not None:
                server.stop()
            server = _SERVERS[key] = PreloadServer(key)
        _USERS[key] = _USERS.get(key, 0) + 1
    try:
        yield server
    finally:
        with _LOCK:
            _USERS[key] -= 1
            _stop_idle_except(key)


def _stop_idle_except(key: str) -> None:
    for other in [k for k in _SERVERS if k != key and not _USERS.get(k)]:
        _SERVERS.pop(other).stop()
        _USERS.pop(other, None)


def stop_all() -> None:
    with _LOCK:
        for server in _SERVERS.values():
            server.stop()
        _SERVERS.clear()
        _USERS.clear()


atexit.register(stop_all)
try:  # pool workers leave through multiprocessing's own exit path, not atexit
    from multiprocessing import util as _mp_util

    _mp_util.Finalize(None, stop_all, exitpriority=10)
except ImportError:  # pragma: no cover
    pass


class PreloadedKernelManager(IPCKernelManager):
    """IPC kernel manager whose python3 kernels are forked by a preload server."""

    preload_socket: str = ""  # set on the per-server subclass made by kernel_manager_for

    def kernel_command(self, cmd: list[str]) -> list[str]:
        # only the standard ipykernel spec running this interpreter can be forked
        if cmd[1:3] == ["-m", "ipykernel_launcher"] and os.path.realpath(cmd[0]) == os.path.realpath(sys.executable):
            return [sys.executable, str(_CLIENT), self.preload_socket, *cmd[3:]]
        return cmd


@contextmanager
def kernel_source(preload_with: dict | None):
    """``(kernel manager class or None, description)`` for one report.

    ``preload_with`` is ``{"socket": path}`` (a server the batch started), ``{"key": key}``
    (this process's own server for that key, as on Dask workers) or None.  When the server
    cannot be used the report runs on a normally started kernel (None) and the description
    says why.
    """
    if not preload_with or not available():
        yield None, "fresh"
        return
    with ExitStack() as stack:
        try:
            if "socket" in preload_with:
                wait_for_socket(preload_with["socket"])
                server = preload_with["socket"]
            else:
                server = stack.enter_context(using_server(preload_with["key"]))
            source = kernel_manager_for(server), "preloaded"
        except Exception as exc:  # fall back to a normal kernel, and say so
            source = None, f"fresh (preload server failed: {exc})"
        yield source


def kernel_manager_for(server: PreloadServer | str) -> type[PreloadedKernelManager]:
    """A kernel manager class bound to ``server`` or a server's socket path (papermill
    instantiates the class itself, so the binding is a class attribute)."""
    path = server if isinstance(server, str) else server.socket_path
    return type("PreloadedKernelManager", (PreloadedKernelManager,), {"preload_socket": path})


# ---------------------------------------------------------------------------- server side


def _preload() -> None:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("MKL_NUM_THREADS", "1")
    # the backend ipykernel would select; set before matplotlib reads the environment
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except Exception:  # the notebook's own import will raise it where it can be seen
            traceback.print_exc()
    from .warm import warm_registries

    warm_registries()  # every report reads them: load once, before forking


def _read_request(conn: socket.socket) -> tuple[dict, list[int]]:
    conn.settimeout(5)  # a stand-in sends its whole request at once; a stalled one must not hold the server
    data, fds, _flags, _addr = socket.recv_fds(conn, 1 << 16, 3)
    try:
        if len(fds) != 3:
            raise ValueError(f"expected the client's stdin, stdout and stderr, got {len(fds)} descriptors")
        if len(data) < 4:
            raise ValueError("short request")
        (length,) = struct.unpack("!I", data[:4])
        body = data[4:]
        while len(body) < length:
            chunk = conn.recv(length - len(body))
            if not chunk:
                raise ValueError(f"truncated request: {len(body)} of {length} bytes")
            body += chunk
        request = json.loads(body)
        if not {"argv", "cwd", "env"} <= set(request):
            raise ValueError(f"request needs argv, cwd and env; got {sorted(request)}")
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise
    conn.settimeout(None)
    return request, fds


def _become_kernel(request: dict, fds: list[int], close: list, start_dir: str, server_pid: int) -> None:
    """In the forked child: take the client's streams, directory and environment; run ipykernel."""
    code = 1
    try:
        # the server kills its kernels when it stops; if it is killed itself, the OS does
        _die_with_parent(server_pid)
        for obj in close:
            obj.close()
        os.setsid()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGCHLD):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        # as ipykernel_launcher: the launch directory leaves sys.path (IPython puts '' back)
        if sys.path and sys.path[0] in ("", start_dir):
            del sys.path[0]
        sys.argv = [str(Path(sys.executable).parent / "ipykernel_launcher"), *request["argv"]]
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=request["argv"])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:
        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(code)


def _die_with_parent(parent_pid: int) -> None:
    """Ask the OS to SIGKILL this process when its parent dies (``PR_SET_PDEATHSIG``)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    if os.getppid() != parent_pid:  # the parent died before the request took effect
        os._exit(1)


def _watch_parent(parent_pid: int) -> int:
    """A pidfd that becomes readable when ``parent_pid`` exits (the process, not one of its
    threads: a Dask worker starts its server from a thread that may end before it does)."""
    pidfd = os.pidfd_open(parent_pid)
    if os.getppid() != parent_pid:  # gone before we looked: the pid may be someone else's
        os.close(pidfd)
        raise ProcessLookupError(parent_pid)
    return pidfd


def serve(socket_path: str, parent_pid: int) -> None:
    """Preload, then fork a kernel for every client until the parent process goes away."""
    start_dir = os.getcwd()
    try:
        parent = _watch_parent(parent_pid)
    except ProcessLookupError:
        return
    _preload()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path + ".tmp")
    listener.listen(64)
    os.rename(socket_path + ".tmp", socket_path)  # appears only once it accepts connections
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, ("accept", None))
    selector.register(parent, selectors.EVENT_READ, ("parent", None))
    kernels: dict[int, dict] = {}  # pid -> {"conn": socket | None, "pidfd": int}
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    # Ctrl-C in a terminal reaches the whole process group: the batch decides what stops,
    # and stops this server itself (SIGTERM), or it notices that its parent has gone
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        while not stopping:
            for key, _mask in selector.select(timeout=1.0):
                kind, pid = key.data
                if kind == "parent":  # the batch (or Dask worker) is gone, however it ended
                    stopping.append("orphaned")
                elif kind == "accept":
                    _fork_kernel(listener, selector, kernels, start_dir, [parent])
                elif kind == "client":  # readable: the stand-in closed (killed, or gave up)
                    entry = kernels[pid]
                    try:
                        closed = not entry["conn"].recv(64)
                    except OSError:
                        closed = True
                    if closed:
                        _drop_client(selector, entry)
                        _kill(pid)
                elif kind == "exit":
                    entry = kernels.pop(pid)
                    _, status = os.waitpid(pid, 0)
                    selector.unregister(entry["pidfd"])
                    os.close(entry["pidfd"])
                    if entry["conn"] is not None:
                        try:
                            entry["conn"].sendall(f"exit {status}\n".encode())
                        except OSError:
                            pass
                        _drop_client(selector, entry)
    finally:
        for pid in list(kernels):  # never leave kernels behind
            _kill(pid)
            os.waitpid(pid, 0)
        listener.close()
        os.close(parent)
        Path(socket_path).unlink(missing_ok=True)
        if "orphaned" in stopping:  # nobody is left to remove the server's folder
            shutil.rmtree(Path(socket_path).parent, ignore_errors=True)
        else:  # a worker still waiting for this server must not wait in vain
            Path(socket_path).with_name("failed").write_text("the kernel preload server has stopped", encoding="utf-8")


def _fork_kernel(listener, selector, kernels: dict, start_dir: str, private_fds: list[int]) -> None:
    conn, _ = listener.accept()
    try:
        request, fds = _read_request(conn)
    except (OSError, ValueError) as exc:
        conn.close()
        print(f"eduanalysis preload server: bad request: {exc}", file=sys.stderr)
        return
    others = [listener, selector, conn] + [k["conn"] for k in kernels.values() if k["conn"]]
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    server_pid = os.getpid()
    child = os.fork()
    if child == 0:
        for fd in [*private_fds, *(k["pidfd"] for k in kernels.values())]:
            os.close(fd)
        _become_kernel(request, fds, others, start_dir, server_pid)  # never returns
    for fd in fds:
        os.close(fd)
    entry = kernels[child] = {"conn": conn, "pidfd": os.pidfd_open(child)}
    selector.register(entry["pidfd"], selectors.EVENT_READ, ("exit", child))
    selector.register(conn, selectors.EVENT_READ, ("client", child))
    try:
        conn.sendall(f"pid {child}\n".encode())
    except OSError:  # the stand-in is already gone: so must its kernel be
        _drop_client(selector, entry)
        _kill(child)


def _drop_client(selector, entry: dict) -> None:
    selector.unregister(entry["conn"])
    entry["conn"].close()
    entry["conn"] = None


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


if __name__ == "__main__":
    serve(sys.argv[1], int(sys.argv[2]))
