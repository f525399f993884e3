"""A kernel factory: one process per grading worker imports torch once, then forks
a fresh sandboxed kernel for every submission.

Starting a kernel costs seconds of CPU, nearly all of it ``import torch``. The
zygote (``python -m autograder.zygote``) is a fresh interpreter, started by the
worker's ``KernelPool`` with the kernel's environment: it imports the modules a
kernel preloads (torch, ipykernel, the kernel extension), nothing of the grader
and no course file, and waits on a Unix socket that only its own user can reach.

For each kernel the launcher (``python -m autograder.sandbox --zygote SOCK ...``,
what jupyter_client starts and kills) sends its arguments and its standard file
descriptors. The zygote forks; the child builds exactly the sandbox the launcher
would build (``sandbox.enter``) and runs ipykernel in-process instead of
``exec``-ing a new interpreter. Nothing a kernel does can reach the zygote: the
child is another process in its own namespaces and uid, and a kernel never
serves two submissions.

Lifetimes are chained: the launcher gone (killed, or its grader gone), the
zygote kills that child's process group, whose PID-1 takes the sandbox with it;
the zygote's parent gone, the zygote kills every child and exits; the zygote
killed, each child dies by its parent-death signal.
"""

from __future__ import annotations

import importlib
import json
import os
import select
import signal
import socket
import struct
import sys

# A message on the socket: one byte of kind, then data. Launcher -> zygote: "R" the
# request (JSON, with the fds), "I" interrupt. Zygote -> launcher: "P" the child's
# pid, "X" its exit code.
_HDR = struct.Struct("!cI")
_PR_SET_CHILD_SUBREAPER = 36


def send(sock: socket.socket, kind: bytes, data: bytes = b"", fds: list[int] = ()) -> None:
    msg = _HDR.pack(kind, len(data)) + data
    if fds:
        socket.send_fds(sock, [msg], list(fds))
    else:
        sock.sendall(msg)


def recv(sock: socket.socket) -> tuple[bytes, bytes, list[int]]:
    """One message (b"", b"", [] when the peer is gone)."""
    head, fds, _, _ = socket.recv_fds(sock, _HDR.size, 3)
    if not head:
        return b"", b"", []
    while len(head) < _HDR.size:
        more = sock.recv(_HDR.size - len(head))
        if not more:
            return b"", b"", []
        head += more
    kind, n = _HDR.unpack(head)
    data = b""
    while len(data) < n:
        more = sock.recv(n - len(data))
        if not more:
            return b"", b"", []
        data += more
    return kind, data, fds


# --------------------------------------------------------------------------- the launcher's side

def relay(sock_path: str, argv: list[str], pidfile: str | None) -> int:
    """The launcher with ``--zygote``: ask the zygote for the kernel, stand for it
    (jupyter_client's process: signals are passed on, its death kills the kernel)
    and return the kernel's exit code."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    conn.connect(sock_path)
    send(conn, b"R", json.dumps({"argv": argv}).encode(), [0, 1, 2])

    def interrupt(*_):
        try:
            send(conn, b"I")
        except OSError:
            pass
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, lambda *_: os._exit(143))
    parent = os.getppid()
    while True:
        try:
            ready, _, _ = select.select([conn], [], [], 0.2)
        except InterruptedError:
            continue
        if os.getppid() != parent:
            return 137                  # the grader is gone: closing the socket kills the kernel
        if not ready:
            continue
        kind, data, _ = recv(conn)
        if kind == b"P" and pidfile:
            with open(pidfile + ".part", "w") as f:
                f.write(data.decode())
            os.replace(pidfile + ".part", pidfile)
        elif kind == b"X":
            return int(data)
        elif not kind:
            return 70                   # the zygote is gone


# --------------------------------------------------------------------------- the zygote

def _child(zygote: int, argv: list[str], fds: list[int], keep: list) -> None:
    """In the forked child: become the launcher's sandbox, the kernel in-process."""
    from . import sandbox
    try:
        os.setsid()                     # the zygote kills this group when the launcher goes
        sandbox._libc().prctl(sandbox._PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != zygote:      # it died before the signal was set
            os._exit(70)
        for i, fd in enumerate(fds[:3]):
            os.dup2(fd, i)
        for s in keep:                  # never closed by their objects, below the kernel's feet
            s.detach()
        os.closerange(3, 65536)
        for sig in (signal.SIGTERM, signal.SIGCHLD, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        os._exit(sandbox.launch(argv, run=_run_kernel))
    except BaseException as exc:  # noqa: BLE001
        try:
            os.write(2, f"zygote child: {exc}\n".encode())
        finally:
            os._exit(70)


def _run_kernel(cmd: list[str], env: dict) -> None:
    """``exec`` of ``python -m ipykernel_launcher ...``, without a new interpreter."""
    if cmd[1:3] != ["-m", "ipykernel_launcher"]:
        os.execvpe(cmd[0], cmd, env)
    os.environ.clear()
    os.environ.update(env)
    import random
    import tempfile
    tempfile.tempdir = None
    random.seed()
    if "numpy" in sys.modules:                      # a fresh interpreter seeds it from the OS
        sys.modules["numpy"].random.seed()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.argv = ["ipykernel_launcher", *cmd[3:]]
    sys.path.insert(0, os.getcwd())     # as `python -m` would (the zygote ran with -P)
    try:
        from ipykernel import kernelapp
        kernelapp.launch_new_instance()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        os._exit(code)
    except BaseException:  # noqa: BLE001
        import traceback
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)
    os._exit(0)


def serve(sock_path: str, preload: list[str]) -> int:
    from . import sandbox
    signal.signal(signal.SIGINT, signal.SIG_IGN)        # its grader decides when it ends
    for name in preload:
        try:
            importlib.import_module(name)
        except ImportError:
            pass                                        # the notebook will say so itself
    if _cuda_touched():
        sys.stderr.write("zygote: the CUDA driver was loaded while preloading; a forked kernel "
                         "could not use it\n")
        return 3
    me = os.getuid()
    # a sandbox's PID 1 orphaned by its killed parent is reaped here, at once: until
    # then it counts as a process of its uid, and the next kernel waits for that uid
    sandbox._libc().prctl(_PR_SET_CHILD_SUBREAPER, 1)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(sock_path + ".part")
    listener.listen(16)
    os.replace(sock_path + ".part", sock_path)      # it exists once the imports are done
    parent = os.getppid()
    children: dict[int, socket.socket] = {}         # child pid -> its launcher
    by_conn: dict[socket.socket, int] = {}
    signal.signal(signal.SIGTERM, _exit_on_signal)
    try:
        while os.getppid() == parent:
            try:
                ready, _, _ = select.select([listener, *by_conn], [], [], 0.2)
            except InterruptedError:
                ready = []
            for s in ready:
                if s is listener:
                    _accept(listener, me, children, by_conn)
                else:
                    pid = by_conn[s]
                    try:
                        kind, _, fds = recv(s)
                    except OSError:
                        kind, fds = b"", []
                    for fd in fds:
                        os.close(fd)
                    if kind == b"I":
                        _signal_group(pid, signal.SIGINT)
                    elif not kind:                  # the launcher is gone: so is the kernel
                        _signal_group(pid, signal.SIGKILL)
                        del by_conn[s]
                        s.close()
            _reap(children, by_conn)
    finally:
        for pid in list(children):
            _signal_group(pid, signal.SIGKILL)
        import time
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:          # theirs too: orphans come here
            try:
                if os.waitpid(-1, os.WNOHANG)[0] == 0:
                    time.sleep(0.02)
            except ChildProcessError:
                break
    return 0


def _accept(listener: socket.socket, me: int, children: dict, by_conn: dict) -> None:
    """One launcher's request: fork its kernel. A malformed or silent request is
    dropped; it never stops the zygote."""
    conn, _ = listener.accept()
    fds: list[int] = []
    try:
        uid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12))[1]
        if uid != me:
            raise ValueError(f"a request from uid {uid}")
        conn.settimeout(5)
        kind, data, fds = recv(conn)
        conn.settimeout(None)
        if kind != b"R":
            raise ValueError("not a request")
        argv = json.loads(data)["argv"]
        from . import sandbox
        try:
            sandbox.check_argv(argv)
        except SystemExit:                          # argparse's way of refusing
            raise ValueError("not a launcher's command line") from None
    except (OSError, ValueError, KeyError, TypeError):
        for fd in fds:
            os.close(fd)
        conn.close()
        return
    zygote = os.getpid()
    pid = os.fork()
    if pid == 0:
        _child(zygote, argv, fds, [listener, conn, *by_conn])
    for fd in fds:
        os.close(fd)
    children[pid] = conn
    by_conn[conn] = pid
    send(conn, b"P", str(pid).encode())


def _cuda_touched() -> bool:
    """Whether preloading initialized CUDA, or loaded its driver (``cuInit`` is not
    fork-safe either): kernels then start without the zygote."""
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_initialized():
        return True
    with open("/proc/self/maps") as f:
        return any("libcuda.so" in line for line in f)


def _exit_on_signal(*_):
    raise SystemExit(0)


def _signal_group(pid: int, sig: int) -> None:
    try:
        os.killpg(pid, sig)
    except OSError:
        pass


def _reap(children: dict, by_conn: dict) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = children.pop(pid, None)
        if conn is not None and by_conn.pop(conn, None) is not None:
            try:
                send(conn, b"X", str(os.waitstatus_to_exitcode(status) & 0xFF).encode())
            except OSError:
                pass
            conn.close()


# --------------------------------------------------------------------------- the grader's handle

def wanted() -> bool:
    """Kernels are forked by a zygote unless ``DLCOURSE_NO_ZYGOTE`` is set."""
    return not os.environ.get("DLCOURSE_NO_ZYGOTE")


class Zygote:
    """A zygote started by a grading worker (``start``), ready once its socket exists.

    ``socket`` is None until it is ready, and stays None if it failed (kernels are
    then started the usual way)."""

    def __init__(self, preload: str):
        import subprocess
        import tempfile
        from .sandbox import _kernel_env
        self.dir = tempfile.mkdtemp(prefix="dlz-")           # 0700, the grader's user only
        self._path = os.path.join(self.dir, "s")
        env = _kernel_env(os.path.join(self.dir, "home"), self.dir)
        out = None if os.environ.get("DLCOURSE_SANDBOX_DEBUG") else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            [sys.executable, "-P", "-B", "-m", "autograder.zygote", "--socket", self._path,
             "--preload", ",".join(m for m in [preload, "ipykernel.kernelapp",
                                               "autograder.kernel_ext"] if m)],
            cwd=self.dir, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out)
        self.socket: str | None = None

    @property
    def path(self) -> str:
        """Where its socket will be: another process (a forked worker) may wait for it."""
        return self._path

    def wait_ready(self, timeout: float = 120) -> str | None:
        if self.socket is None:
            self.socket = wait_socket(self._path, timeout, alive=lambda: self.proc.poll() is None)
        return self.socket if self.proc.poll() is None else None

    def close(self) -> None:
        import shutil
        import subprocess
        try:
            self.proc.terminate()       # it kills and reaps its kernels
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()            # its kernels die with it (parent-death signal)
            self.proc.wait()
        except OSError:
            pass
        shutil.rmtree(self.dir, ignore_errors=True)


def start(preload: str) -> Zygote | None:
    """A zygote preloading ``preload``; None where none is wanted or it cannot start."""
    if not wanted():
        return None
    try:
        return Zygote(preload)
    except OSError:
        return None


def wait_socket(path: str, timeout: float = 120, alive=None) -> str | None:
    """``path`` once a zygote listens there; None if it failed, was closed (its
    folder is gone), ``alive()`` says it died, or it took too long."""
    import time
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return path
        if os.path.exists(path + ".failed") or not os.path.isdir(os.path.dirname(path)) \
                or (alive is not None and not alive()):
            return None
        time.sleep(0.05)
    return None


def main(argv: list[str]) -> int:
    import argparse
    ap = argparse.ArgumentParser(prog="python -m autograder.zygote")
    ap.add_argument("--socket", required=True)
    ap.add_argument("--preload", default="")
    args = ap.parse_args(argv)
    try:
        code = serve(args.socket, [m for m in args.preload.split(",") if m])
    except BaseException:
        code = 1
        raise
    finally:
        if not os.path.exists(args.socket):
            open(args.socket + ".failed", "w").close()     # kernels start without it
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
