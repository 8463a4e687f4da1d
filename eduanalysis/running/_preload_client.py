"""Stand-in kernel process for a kernel forked by the preload server (see ``preload.py``).

jupyter_client starts this small script instead of ``python -m ipykernel_launcher``.  It
asks the preload server (a process that has already imported ipykernel, pandas,
matplotlib and eduanalysis) to fork a fresh kernel with the same arguments, working
directory, environment and standard streams, then stands in for that kernel:

- signals jupyter_client sends to it (interrupt, terminate) are passed on to the kernel;
- when the kernel exits it exits the same way (same code, or killed by the same signal),
  so the kernel manager sees a dead kernel exactly as it would see a normal one;
- if it is killed itself (SIGKILL), the server sees its connection close and kills the
  kernel.

Run by path (``python _preload_client.py SOCKET ARGS...``) so that it imports nothing but
the standard library: it must start in milliseconds.
"""

import json
import os
import signal
import socket
import struct
import sys

_RELAYED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGUSR1, signal.SIGUSR2)


def main(argv: list[str]) -> int:
    socket_path, kernel_args = argv[0], argv[1:]
    pending: list[int] = []
    kernel_pid = 0

    def relay(signum, _frame):
        if kernel_pid:
            try:
                os.kill(kernel_pid, signum)
            except ProcessLookupError:
                pass
        else:
            pending.append(signum)

    for sig in _RELAYED:
        signal.signal(sig, relay)

    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(socket_path)
    except OSError as exc:
        print(f"eduanalysis preload client: cannot reach {socket_path}: {exc}", file=sys.stderr)
        return 1
    request = json.dumps({"argv": kernel_args, "cwd": os.getcwd(), "env": dict(os.environ)}).encode()
    socket.send_fds(conn, [struct.pack("!I", len(request)) + request], [0, 1, 2])
    reader = conn.makefile("r", encoding="ascii")
    line = reader.readline()
    if not line.startswith("pid "):
        print(f"eduanalysis preload client: server refused: {line.strip()}", file=sys.stderr)
        return 1
    kernel_pid = int(line.split()[1])
    for sig in pending:
        relay(sig, None)
    line = reader.readline()
    if not line.startswith("exit "):  # the server went away: do not leave the kernel behind
        try:
            os.kill(kernel_pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return 1
    status = int(line.split()[1])
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig in _RELAYED:
            signal.signal(sig, signal.SIG_DFL)
        os.kill(os.getpid(), sig)  # die the same way (SIGKILL needs no reset)
    return os.waitstatus_to_exitcode(status) if os.WIFEXITED(status) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
