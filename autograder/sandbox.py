"""The student's kernel, sandboxed (Linux).

``SandboxKernelManager`` starts every grading kernel through this module's
launcher (``python -m autograder.sandbox``). Run as root, the launcher puts the
kernel in new mount, PID, network, IPC and UTS namespaces and, inside them:

* a fresh root file system (tmpfs) holding only the system directories
  (``/usr``, ``/etc``, ...), the Python environment and the ``autograder``
  package, all read-only, and a private ``/tmp`` (size-capped tmpfs) with a
  copy of the submission's folder (``/tmp/work``, the kernel's working
  directory) and a fresh ``HOME``: ``solutions/``, the gradebook, the course,
  other students' files and the grader's processes are not there to read;
* no network (a new namespace with no interface up; the kernel talks to the
  grader over Unix sockets in a folder bound in for it alone);
* a dedicated unprivileged uid per grading slot, no supplementary groups;
* limits on CPU time, memory, file size, processes and open files;
* when the kernel ends, or the grader kills the launcher, every process it
  started dies with its PID namespace, however it detached; what it wrote
  vanishes with the tmpfs.

Without root (or where namespaces are not allowed) the kernel still runs in its
own process group with the same resource limits, in a private copy of the
submission with a fresh HOME and TMPDIR, but it can read what the grader's user
can read: grade as root (a container or a dedicated VM) for the full sandbox.
``sandbox_status()`` says which one is in force.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import stat
import sys
import tempfile
import time
from pathlib import Path

UID_BASE = int(os.environ.get("DLCOURSE_SANDBOX_UID", "61000"))
MEM_BYTES = int(float(os.environ.get("DLCOURSE_SANDBOX_MEM_GB", "6")) * 2**30)
TMP_BYTES = 512 * 2**20          # the kernel's /tmp (its work dir included)
FILE_BYTES = 64 * 2**20          # largest file it may write
NPROC = 256                      # processes and threads of its uid
NOFILE = 1024
COPY_MAX_FILES = 200
COPY_MAX_BYTES = 50 * 2**20

_CLONE_NEWNS, _CLONE_NEWUTS, _CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
_CLONE_NEWPID, _CLONE_NEWNET = 0x20000000, 0x40000000
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_REMOUNT = 1, 2, 4, 32
_MS_BIND, _MS_REC, _MS_PRIVATE = 4096, 16384, 1 << 18
_PR_SET_PDEATHSIG = 1


def _libc():
    return ctypes.CDLL(None, use_errno=True)


def _check(rc, what):
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def namespaces_available() -> bool:
    """Whether this process may build the full sandbox (root and namespaces allowed)."""
    if os.geteuid() != 0 or not sys.platform.startswith("linux"):
        return False
    pid = os.fork()
    if pid == 0:
        try:
            libc = _libc()
            os._exit(0 if libc.unshare(_CLONE_NEWNS | _CLONE_NEWPID | _CLONE_NEWNET) == 0 else 1)
        except BaseException:
            os._exit(1)
    _, status = os.waitpid(pid, 0)
    return os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0


_STATUS = None


def sandbox_status() -> str:
    global _STATUS
    if _STATUS is None:
        _STATUS = "full" if namespaces_available() else "limits-only"
    return _STATUS


# --------------------------------------------------------------------------- copying

def copy_tree_safely(src: Path, dst: Path, max_files: int = COPY_MAX_FILES,
                     max_bytes: int = COPY_MAX_BYTES) -> list[str]:
    """Copy regular files and folders only (symlinks and devices are skipped, never
    followed), up to a number of files and bytes. Returns what was skipped."""
    skipped, files, total = [], 0, 0
    dst.mkdir(parents=True, exist_ok=True)
    for dirpath, dirnames, filenames in os.walk(src, followlinks=False):
        rel = Path(dirpath).relative_to(src)
        for d in list(dirnames):
            if os.path.islink(os.path.join(dirpath, d)):
                dirnames.remove(d)
                skipped.append(str(rel / d) + " (a link)")
            else:
                (dst / rel / d).mkdir(exist_ok=True)
        for f in filenames:
            p = os.path.join(dirpath, f)
            st = os.lstat(p)
            if not stat.S_ISREG(st.st_mode):
                skipped.append(str(rel / f) + " (not a regular file)")
                continue
            if files >= max_files or total + st.st_size > max_bytes:
                skipped.append(str(rel / f) + " (over the size or file-count cap)")
                continue
            with open(p, "rb", opener=lambda path, flags: os.open(path, flags | os.O_NOFOLLOW)) as fin, \
                    open(dst / rel / f, "wb") as fout:
                shutil.copyfileobj(fin, fout)
            files += 1
            total += st.st_size
    return skipped


# --------------------------------------------------------------------------- launcher

def _limits(cpu_seconds: int, mem: bool, nproc: bool = False) -> None:
    import resource
    lim = [(resource.RLIMIT_CPU, cpu_seconds), (resource.RLIMIT_FSIZE, FILE_BYTES),
           (resource.RLIMIT_NOFILE, NOFILE), (resource.RLIMIT_CORE, 0)]
    # ``nproc``: this process already is the sandbox's dedicated uid (the full sandbox
    # calls this after setuid, so "am I root" cannot be the test there).
    if nproc or os.geteuid() == 0 or os.environ.get("DLCOURSE_SANDBOX_NPROC"):
        lim.append((resource.RLIMIT_NPROC, NPROC))
    if mem:
        lim.append((resource.RLIMIT_AS, MEM_BYTES))
    for what, value in lim:
        soft, hard = resource.getrlimit(what)
        value = value if hard == resource.RLIM_INFINITY else min(value, hard)
        resource.setrlimit(what, (value, value))


def _kernel_env(home: str, tmp: str) -> dict:
    keep = ("LANG", "LC_ALL", "DLCOURSE_DEVICE", "CUDA_VISIBLE_DEVICES", "OMP_NUM_THREADS",
            "MKL_NUM_THREADS", "DLCOURSE_PRELOAD", "NBGRADER_EXECUTION",
            "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env.update(HOME=home, TMPDIR=tmp, MPLBACKEND="Agg", MPLCONFIGDIR=os.path.join(home, ".mpl"),
               PYTHONDONTWRITEBYTECODE="1", PYTHONNOUSERSITE="1",
               PATH=os.path.dirname(sys.executable) + ":/usr/local/bin:/usr/bin:/bin")
    return env


def _bind(libc, src: str, dst: str, readonly: bool, rec: bool = True) -> None:
    if os.path.isdir(src):
        os.makedirs(dst, exist_ok=True)
    else:
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        open(dst, "a").close()
    _check(libc.mount(src.encode(), dst.encode(), None, _MS_BIND | (_MS_REC if rec else 0), None),
           f"bind {src}")
    if readonly:
        _check(libc.mount(None, dst.encode(), None,
                          _MS_BIND | _MS_REMOUNT | _MS_RDONLY | _MS_NOSUID | _MS_REC, None),
               f"read-only {src}")


def _readonly_paths() -> list[str]:
    import autograder
    paths = ["/usr", "/etc", os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix),
             os.path.dirname(os.path.realpath(autograder.__file__))]
    for p in ("/bin", "/sbin", "/lib", "/lib64", "/lib32", "/libx32"):
        if os.path.exists(p):
            paths.append(p)
    if os.path.exists("/dev/nvidiactl"):
        paths.append("/sys")
    # Packages installed elsewhere and found through .pth files (editable installs).
    for p in sys.path:
        rp = os.path.realpath(p) if p else ""
        if rp and os.path.isdir(rp) and not any(rp == q or rp.startswith(q + "/") for q in paths) \
                and rp.startswith(os.path.realpath(sys.prefix)):
            paths.append(rp)
    return paths


def _build_root(libc, root: str, ipc: str, src: str | None, uid: int) -> None:
    _check(libc.mount(None, b"/", None, _MS_REC | _MS_PRIVATE, None), "make mounts private")
    _check(libc.mount(b"tmpfs", root.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV,
                      f"size={TMP_BYTES},mode=755".encode()), "tmpfs root")
    for p in _readonly_paths():
        if os.path.islink(p):
            os.symlink(os.readlink(p), root + p)
        else:
            _bind(libc, p, root + p, readonly=True)
    os.makedirs(root + "/tmp", exist_ok=True)
    os.chmod(root + "/tmp", 0o1777)
    for d in ("/tmp/work", "/tmp/home"):
        os.makedirs(root + d, exist_ok=True)
    if src:
        copy_tree_safely(Path(src), Path(root + "/tmp/work"))
    # only the kernel's own folders: a course that lives under /tmp has its (read-only)
    # environment bound below root/tmp too
    for d in ("/tmp/work", "/tmp/home"):
        os.lchown(root + d, uid, uid)
        for dirpath, dirnames, filenames in os.walk(root + d):
            for name in dirnames + filenames:
                os.lchown(os.path.join(dirpath, name), uid, uid)
    os.chown(root + "/tmp", 0, 0)
    _bind(libc, ipc, root + ipc, readonly=False, rec=False)
    os.makedirs(root + "/dev", exist_ok=True)
    for dev in ("null", "zero", "full", "random", "urandom", "tty"):
        if os.path.exists("/dev/" + dev):
            _bind(libc, "/dev/" + dev, root + "/dev/" + dev, readonly=False)
    for dev in sorted(os.listdir("/dev")):
        if dev.startswith("nvidia"):
            _bind(libc, "/dev/" + dev, root + "/dev/" + dev, readonly=False)
    os.makedirs(root + "/dev/shm", exist_ok=True)
    _check(libc.mount(b"tmpfs", (root + "/dev/shm").encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV,
                      f"size={TMP_BYTES},mode=1777".encode()), "tmpfs /dev/shm")
    os.makedirs(root + "/proc", exist_ok=True)
    _check(libc.mount(b"proc", (root + "/proc").encode(), b"proc", _MS_NOSUID | _MS_NODEV, None),
           "mount /proc")
    os.chroot(root)
    os.chdir("/tmp/work")


def _parse(argv: list[str]):
    import argparse
    sep = argv.index("--")
    ap = argparse.ArgumentParser(prog="python -m autograder.sandbox")
    ap.add_argument("--ipc", required=True)
    ap.add_argument("--uid", type=int, required=True)
    ap.add_argument("--cpu", type=int, default=900)
    ap.add_argument("--src")
    ap.add_argument("--full", action="store_true")
    ap.add_argument("--zygote", help="a zygote's socket: it forks the kernel (autograder.zygote)")
    args = ap.parse_args(argv[:sep])
    if args.full and args.uid < UID_BASE:
        raise ValueError(f"a sandbox uid below {UID_BASE}: {args.uid}")
    cmd = argv[sep + 1:]
    cmd[0] = os.path.normpath(os.path.abspath(cmd[0]))   # "tests/../.venv" has no "tests" inside
    return args, cmd


def check_argv(argv: list[str]) -> None:
    """Raises if ``argv`` is not a launcher's command line."""
    args, _ = _parse(argv)
    if args.zygote:
        raise ValueError("a zygote's kernel cannot ask for another zygote")


def _exec(cmd: list[str], env: dict) -> None:
    os.execvpe(cmd[0], cmd, env)


def launch(argv: list[str], run=_exec) -> int:
    """``python -m autograder.sandbox --ipc DIR --uid N --cpu S [--src DIR] [--full]
    [--zygote SOCK] -- cmd...``: run ``cmd`` (the kernel) in the sandbox. ``run``
    replaces this process with the kernel (``exec``; a zygote's child runs it
    in-process). With ``--zygote`` the zygote forks the kernel and this process
    stands for it."""
    args, cmd = _parse(argv)
    if args.zygote:
        from . import zygote
        sep = argv.index("--")
        rest = [a for i, a in enumerate(argv[:sep])
                if a != "--zygote" and (i == 0 or argv[i - 1] != "--zygote")]
        return zygote.relay(args.zygote, rest + argv[sep:], args.ipc.rstrip("/") + ".pid")
    mem = not any(n.startswith("nvidia") for n in os.listdir("/dev"))

    if not args.full:
        work = tempfile.mkdtemp(prefix="work-", dir=args.ipc)
        if args.src:
            copy_tree_safely(Path(args.src), Path(work))
        home = os.path.join(work, ".home")
        os.makedirs(home, exist_ok=True)
        os.chdir(work)
        _limits(args.cpu, mem)
        run(cmd, _kernel_env(home, work))
        return 70

    libc = _libc()
    _check(libc.unshare(_CLONE_NEWNS | _CLONE_NEWPID | _CLONE_NEWNET | _CLONE_NEWIPC | _CLONE_NEWUTS),
           "unshare")
    alive_r, alive_w = os.pipe()          # EOF on alive_r: this process is gone
    child = os.fork()
    if child == 0:                                   # PID 1 of the sandbox
        try:
            os.close(alive_w)
            root = os.path.join(args.ipc, "root")
            os.makedirs(root, exist_ok=True)
            _build_root(libc, root, args.ipc, args.src, args.uid)
            os.setgroups([])
            os.setgid(args.uid)
            os.setuid(args.uid)
            # after setuid, which clears it: dies with this process, however it dies
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
            import select
            if select.select([alive_r], [], [], 0)[0]:
                os._exit(70)                          # it died before the signal was set
            os.close(alive_r)
            os.umask(0o077)
            signal.signal(signal.SIGINT, signal.SIG_IGN)     # the kernel gets it from its group
            kernel = os.fork()
            if kernel == 0:
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                _limits(args.cpu, mem, nproc=True)
                run(cmd, _kernel_env("/tmp/home", "/tmp"))
                os._exit(70)
            while True:                              # reap orphans until the kernel ends
                pid, status = os.waitpid(-1, 0)
                if pid == kernel:
                    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
        except BaseException as exc:
            sys.stderr.write(f"sandbox: {exc}\n")
            os._exit(70)
    os.close(alive_r)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, lambda *a: os.kill(child, signal.SIGKILL))
    parent = os.getppid()
    while True:                 # until the sandbox ends, or the grader that started it dies
        try:
            pid, status = os.waitpid(child, os.WNOHANG)
        except InterruptedError:
            continue
        if pid == child:
            return os.waitstatus_to_exitcode(status) & 0xFF
        if os.getppid() != parent:
            os.kill(child, signal.SIGKILL)      # PID 1 dies, and every process of the sandbox
        time.sleep(0.2)


# --------------------------------------------------------------------------- kernel manager

def kernel_manager_class():
    from jupyter_client.manager import AsyncKernelManager

    class SandboxKernelManager(AsyncKernelManager):
        """A kernel started by the sandbox launcher, reached over Unix sockets."""

        slot = 0
        cpu_seconds = 900
        zygote = None           # a zygote's socket: it forks the kernel (autograder.zygote)

        def __init__(self, **kw):
            from .kernel_client import ReadyAsyncClient
            super().__init__(**kw)
            self.client_factory = ReadyAsyncClient      # ready without 0.2 s of silence
            self.ipc_dir = tempfile.mkdtemp(prefix="dlj-", dir="/tmp")
            self.full = sandbox_status() == "full"
            self.transport = "ipc"
            self.ip = os.path.join(self.ipc_dir, "k")
            self.connection_file = os.path.join(self.ipc_dir, "kernel.json")
            self._src = None

        async def _async_pre_start_kernel(self, **kw):
            import subprocess
            self._src = kw.get("cwd")
            kw["cwd"] = self.ipc_dir
            # what the kernel writes to its file descriptors never reaches the grader's output
            if not os.environ.get("DLCOURSE_SANDBOX_DEBUG"):
                kw["stdout"] = kw["stderr"] = subprocess.DEVNULL
            return await super()._async_pre_start_kernel(**kw)

        def format_kernel_cmd(self, extra_arguments=None):
            cmd = super().format_kernel_cmd(extra_arguments)
            uid = UID_BASE + int(self.slot)
            if self.full:
                os.chown(self.ipc_dir, uid, uid)
                os.chmod(self.ipc_dir, 0o700)
                os.chown(self.connection_file, uid, uid)
            launcher = [sys.executable, "-m", "autograder.sandbox", "--ipc", self.ipc_dir,
                        "--uid", str(uid), "--cpu", str(int(self.cpu_seconds))]
            if self._src:
                launcher += ["--src", str(self._src)]
            if self.full:
                launcher.append("--full")
            if self.zygote:
                launcher += ["--zygote", self.zygote]
            return launcher + ["--", *cmd]

        def cleanup_ipc_dir(self):
            shutil.rmtree(self.ipc_dir, ignore_errors=True)
            with contextlib.suppress(OSError):
                os.unlink(self.ipc_dir + ".pid")

    return SandboxKernelManager


def start_kernel(src: Path | None, slot: int = 0, extra_arguments: list[str] = (),
                 preload: str = "torch,torch._dynamo", cpu_seconds: int = 900,
                 zygote: str | None = None):
    """Start a sandboxed kernel now (importing ``preload``), for nbgrader to use later:
    its start overlaps the grader's own imports. ``zygote``: a zygote's socket, which
    forks the kernel with ``preload`` already imported."""
    import asyncio
    km = kernel_manager_class()(kernel_name="python3")
    km.slot, km.cpu_seconds, km.zygote = slot, cpu_seconds, zygote
    env = dict(os.environ, NBGRADER_EXECUTION="autograde", DLCOURSE_PRELOAD=preload)
    kw = {"cwd": str(src)} if src is not None else {}
    asyncio.run(km.start_kernel(extra_arguments=list(extra_arguments), env=env, **kw))
    return km


def _import_kernel_start() -> None:
    """Import here what starting a kernel and waiting for it imports, so that a
    pool's thread imports nothing (see ``distributed._Setup``)."""
    import asyncio  # noqa: F401

    from zmq.utils import monitor  # noqa: F401

    from . import kernel_client  # noqa: F401
    km = kernel_manager_class()(kernel_name="python3")
    try:
        km.kernel_spec              # jupyter_client finds it through IPython and ipykernel
    finally:
        shutil.rmtree(km.ipc_dir, ignore_errors=True)


def _wait_uid_free(uid: int, timeout: float = 20.0) -> None:
    """Until no process of ``uid`` is left (at most ``timeout`` s). A stopped sandbox's
    processes die asynchronously, and they still count against the uid's process
    limit: a kernel started on that uid too early cannot start its threads (a fork
    bomb's hundreds of children take seconds to go on a loaded machine)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = False
        for pid in os.listdir("/proc"):
            if pid.isdigit():
                try:
                    if os.stat(f"/proc/{pid}").st_uid == uid:
                        busy = True
                        break
                except OSError:
                    continue
        if not busy:
            return
        time.sleep(0.1)


def _alive(km) -> bool:
    try:
        return km.provisioner.process.poll() is None
    except Exception:  # noqa: BLE001
        return False


def _wait_ready(km, timeout: float = 120) -> None:
    """Until the kernel answers (its sandbox is built and torch is imported)."""
    from .kernel_client import ReadyBlockingClient
    kc = ReadyBlockingClient()
    kc.load_connection_info(km.get_connection_info())
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=timeout)
    finally:
        kc.stop_channels()


def _fill_work_dir(km, src: Path) -> None:
    """Copy a submission's folder into a kernel that was started before it was known:
    through /proc/<pid>/root into its private /tmp/work (full sandbox), or into its
    work folder (limits only)."""
    pid = km.provisioner.process.pid
    if km.zygote:           # the zygote's child stands where the launcher would
        pidfile = Path(km.ipc_dir + ".pid")
        for _ in range(100):
            if pidfile.is_file():
                break
            time.sleep(0.02)
        pid = int(pidfile.read_text())
    if km.full:
        # the launcher's child is PID 1 of the sandbox; its root is the kernel's root
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        work = Path(f"/proc/{kids[0]}/root/tmp/work")
        uid = UID_BASE + int(km.slot)
    else:
        work = next(Path(km.ipc_dir).glob("work-*"))
        uid = None
    copy_tree_safely(Path(src), work)
    if uid is not None:
        for dirpath, dirnames, filenames in os.walk(work):
            for name in dirnames + filenames:
                os.lchown(os.path.join(dirpath, name), uid, uid)


class KernelPool:
    """Pre-warmed sandboxed kernels for one grading worker: while one submission is
    graded, the next kernel is already starting. A kernel never serves two
    submissions: each is used once, then stopped. Two uids per worker slot
    alternate, so the kernel in use and the spare never share one.

    Kernels are forked by the pool's zygote (``autograder.zygote``), which imported
    ``preload`` once; if it cannot start, each kernel imports it itself."""

    def __init__(self, slot: int, extra_arguments: list[str], cpu_seconds: int = 900,
                 preload: str = "torch,torch._dynamo", zygote=True):
        """``zygote``: True, start one for this pool; a ``zygote.Zygote`` started by
        the caller, which the pool then owns; a path, use the zygote that listens (or
        will) there, shared with other workers; False, none."""
        self.slot, self.args, self.cpu, self.preload = slot, list(extra_arguments), cpu_seconds, preload
        self._turn, self._closing = 0, False
        self._zygote, self._zygote_path = None, None
        from . import zygote as zg
        if isinstance(zygote, zg.Zygote):
            self._zygote = zygote               # started by the caller; the pool closes it
        elif isinstance(zygote, str):
            self._zygote_path = zygote if zg.wanted() else None
        elif zygote:
            self._zygote = zg.start(preload)
        _import_kernel_start()
        self._prepare()

    def _socket(self) -> str | None:
        if self._zygote is not None:
            return self._zygote.wait_ready()
        if self._zygote_path is not None:
            from .zygote import wait_socket
            path = wait_socket(self._zygote_path)
            if path is None:
                self._zygote_path = None            # failed: kernels start without it
            return path
        return None

    def _start(self, src: Path | None):
        """A kernel on the slot's next uid, once no process of that uid is left."""
        uid_slot = 2 * self.slot + (self._turn % 2)
        self._turn += 1
        _wait_uid_free(UID_BASE + uid_slot)
        return start_kernel(src, uid_slot, self.args, self.preload, cpu_seconds=self.cpu,
                            zygote=self._socket())

    def _prepare(self) -> None:
        import threading
        box = {}

        def start():
            try:
                box["km"] = km = self._start(None)
                if not self._closing:       # a pool being closed stops it unused
                    _wait_ready(km)
            except Exception as exc:  # noqa: BLE001 - take() starts one directly instead
                box["error"] = exc
        self._box = box
        self._thread = threading.Thread(target=start, daemon=True)
        self._thread.start()

    def take(self, src: Path):
        self._thread.join()
        km = self._box.get("km")
        if km is not None and ("error" in self._box or not _alive(km)):
            stop_kernel(km)                 # it started, then died (or never became ready)
            km = None
        if km is not None:
            try:
                _fill_work_dir(km, src)
            except Exception:  # noqa: BLE001
                stop_kernel(km)
                km = None
        if km is None:
            km = self._start(src)
        self._prepare()
        return km

    def close(self) -> None:
        self._closing = True
        self._thread.join()
        if self._box.get("km") is not None:
            stop_kernel(self._box["km"])
        if self._zygote is not None:
            self._zygote.close()


def stop_kernel(km) -> None:
    """Stop a kernel and everything it started (its PID namespace or process group)."""
    try:
        pgid = os.getpgid(km.provisioner.process.pid)
        os.killpg(pgid, signal.SIGKILL)
    except Exception:
        pass
    km.cleanup_ipc_dir()


if __name__ == "__main__":
    sys.exit(launch(sys.argv[1:]))
