"""The grading side of the class command: a worker process grades one submission
at a time and hands back data, never writing the course.

A worker (a process of the local pool, or a Dask worker) holds:

* a **sandbox slot**, claimed with an exclusive lock on
  ``/tmp/dlcourse-slots/slot-N.lock`` (``DLCOURSE_SLOT_DIR``): every worker on a
  machine gets its own N, so its kernels run under their own uids
  (``sandbox.KernelPool``: 61000 + 2N and 61000 + 2N + 1), whoever started it
  (``make autograde``, several Dask workers, two batches at once). The lock goes
  with the process, however it ends;
* a ``KernelPool``: the next sandboxed kernel is started while the current
  submission is graded; a kernel never serves two submissions. Kernels are
  forked by a zygote that imported torch once (``autograder.zygote``): on this
  machine one for all the coordinator's workers, on a Dask worker its own.

``grade_submission`` returns the ``Result`` as a dict, the graded notebook's
bytes and the worker's name: the coordinator alone writes the gradebook, and a
worker on another machine needs no folder shared with it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import socket
import tempfile
import threading
from pathlib import Path

SLOT_DIR_ENV = "DLCOURSE_SLOT_DIR"
MAX_SLOTS = 512


class Worker:
    """A sandbox slot and its kernel pool, for one grading process."""

    def __init__(self, kernel_arguments: list[str], preload: str = "torch,torch._dynamo",
                 zygote=True):
        from .sandbox import KernelPool
        self.slot, self._lock_fd = claim_slot()
        self.name = f"{socket.gethostname()}/slot{self.slot}/pid{os.getpid()}"
        self.pool = KernelPool(self.slot, list(kernel_arguments), preload=preload, zygote=zygote)
        self.busy = threading.Lock()        # a Dask worker with several threads grades one at a time

    def grade(self, folder: Path, chapter: str, student: str, root: Path) -> dict:
        from .pipeline import failed, grade_folder
        with self.busy, tempfile.TemporaryDirectory(prefix="dlcourse-out-") as out:
            keep = Path(out) / student / chapter
            retry = False
            try:
                res = grade_folder(Path(folder), chapter, student, root=Path(root), slot=self.slot,
                                   keep_graded=keep, pool=self.pool)
            except Exception as exc:  # noqa: BLE001 - one submission must not stop the class
                # the grader's fault, not the submission's (what the submission can cause
                # is a GradingError or a graded result): recorded, and graded again next run
                error = f"{type(exc).__name__}: {exc}".splitlines()[0][:300]
                res = failed(chapter, student, f"the grader failed ({error}); it is graded again "
                             "on the next run", Path(root))
                retry = True
            nb = keep / f"{chapter}.ipynb"
            graded = nb.read_bytes() if res.status != "failed" and nb.is_file() else None
        return {"result": res.details(), "graded": graded, "worker": self.name, "retry": retry}

    def close(self) -> None:
        try:
            self.pool.close()
        finally:
            if self._lock_fd is not None:
                os.close(self._lock_fd)
                self._lock_fd = None


def claim_slot() -> tuple[int, int]:
    """The lowest free slot number on this machine, and the descriptor holding it."""
    d = Path(os.environ.get(SLOT_DIR_ENV) or "/tmp/dlcourse-slots")
    d.mkdir(mode=0o700, parents=True, exist_ok=True)
    for i in range(MAX_SLOTS):
        fd = os.open(d / f"slot-{i}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        return i, fd
    raise RuntimeError(f"no free sandbox slot in {d} ({MAX_SLOTS} in use)")


def kernel_arguments(root: Path) -> list[str]:
    from .pipeline import _kernel_arguments
    return _kernel_arguments(Path(root))


# ------------------------------------------------------------------ the local process pool

_WORKER: Worker | None = None


def init_local(root: str, zygote: str | None = None) -> None:
    """Initializer of a local pool process: dies with the coordinator, claims a slot,
    imports the grader (already imported by the coordinator, before the fork) and
    starts its kernel pool (its kernels forked by the coordinator's ``zygote``)."""
    global _WORKER
    import ctypes
    import signal
    from multiprocessing.util import Finalize
    try:    # a killed coordinator takes its workers with it (their kernels follow them)
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)      # PR_SET_PDEATHSIG
    except Exception:  # noqa: BLE001 - not Linux
        pass
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from .pipeline import import_grader, kernel_preload, uses_torch
    import_grader(uses_torch(Path(root)))       # before the pool's thread starts
    _WORKER = Worker(kernel_arguments(Path(root)), kernel_preload(Path(root)),
                     zygote=zygote if zygote else True)
    Finalize(_WORKER, _WORKER.close, exitpriority=10)   # runs when the worker exits


def grade_local(root: str, student: str, chapter: str) -> dict:
    return _WORKER.grade(Path(root) / "submitted" / student / chapter, chapter, student, Path(root))


# ------------------------------------------------------------------ data for remote workers

def read_folder(folder: Path) -> dict[str, bytes | None]:
    """A submission folder as data: its regular files, with the same caps as the
    grader's own copy, and its links as ``None`` (never followed; a link stays a
    link on the worker, so intake refuses it there with the same reason)."""
    from .sandbox import COPY_MAX_FILES, copy_tree_safely
    folder = Path(folder)
    with tempfile.TemporaryDirectory(prefix="dlcourse-pack-") as tmp:
        copy_tree_safely(folder, Path(tmp))
        files: dict[str, bytes | None] = {str(p.relative_to(tmp)): p.read_bytes()
                                          for p in sorted(Path(tmp).rglob("*")) if p.is_file()}
    links = 0
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            if p.is_symlink() and links < COPY_MAX_FILES:
                files[str(p.relative_to(folder))] = None
                links += 1
    return files


def write_folder(files: dict[str, bytes | None], dest: Path) -> None:
    dest = Path(dest).resolve()
    for rel in sorted(files, key=lambda r: files[r] is None):      # files first, then links
        p = Path(os.path.normpath(dest / rel))
        if not str(p).startswith(str(dest) + os.sep) or os.path.isabs(rel):
            raise ValueError(f"a path outside the folder: {rel!r}")
        p.parent.mkdir(parents=True, exist_ok=True)
        if files[rel] is None:
            if not p.exists():
                os.symlink("/dev/null", p)
        else:
            p.write_bytes(files[rel])


def course_bundle(root: Path, chapters: list[str]) -> dict[str, bytes]:
    """What a remote worker needs of the course: the config and the chapters' sources."""
    files = {"nbgrader_config.py": (root / "nbgrader_config.py").read_bytes()}
    for ch in chapters:
        for rel, data in read_folder(root / "solutions" / ch).items():
            files[f"solutions/{ch}/{rel}"] = data
    return files


def bundle_digest(files: dict[str, bytes]) -> str:
    h = hashlib.sha256()
    for rel in sorted(files):
        h.update(rel.encode() + b"\0" + hashlib.sha256(files[rel]).digest())
    return h.hexdigest()[:16]


_COURSES: dict[str, Path] = {}
_COURSES_LOCK = threading.Lock()


def materialize(files: dict[str, bytes], digest: str) -> Path:
    """The course bundle as a course directory on this machine (once per version)."""
    with _COURSES_LOCK:
        if digest in _COURSES and _COURSES[digest].is_dir():
            return _COURSES[digest]
        base = Path(tempfile.gettempdir()) / f"dlcourse-course-{os.getpid()}-{digest}"
        if not base.is_dir():
            part = Path(tempfile.mkdtemp(prefix="dlcourse-course-part-"))
            write_folder(files, part)
            os.replace(part, base)
        _COURSES[digest] = base
        return base


def drop_courses() -> None:
    with _COURSES_LOCK:
        for p in _COURSES.values():
            shutil.rmtree(p, ignore_errors=True)
        _COURSES.clear()
