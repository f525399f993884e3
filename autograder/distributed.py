"""The class command on a Dask cluster (``dask.distributed``).

``make autograde SCHEDULER=tcp://host:8786`` (``--scheduler``,
``DLCOURSE_DASK_SCHEDULER``) sends one task per submission to the cluster's
workers; this process, the coordinator, alone writes the gradebook. A task
carries everything as data: the chapter's source and the course's nbgrader
config (a few dozen KiB) and the submission's folder (its regular files, with
the grader's caps). It returns the ``Result`` dict, the graded notebook's bytes
and the worker's name: workers may be on other machines and share no folder with
the coordinator.

``SandboxPlugin`` (a Dask ``WorkerPlugin``, registered by the coordinator for
the batch) gives every worker a sandbox slot of its machine, distinct from the
other workers' there (``workers.claim_slot``), and its pool of pre-warmed
sandboxed kernels. Start workers with ``--nthreads 1`` (several with
``--nworkers N``): a worker grades one submission at a time.

A worker that dies mid-batch: the scheduler gives its tasks to other workers;
the coordinator records each submission once, when its result arrives. A task
whose workers keep dying (``distributed.scheduler.allowed-failures``) is
recorded as failed with the reason, and graded again on the next run.
"""

from __future__ import annotations

import os
import tempfile
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path

from distributed import WorkerPlugin

SCHEDULER_ENV = "DLCOURSE_DASK_SCHEDULER"
PLUGIN = "dlcourse-sandbox"

_SETUP: _Setup | None = None       # this worker's set-up for the current batch


class SandboxPlugin(WorkerPlugin):
    """A Dask worker's sandbox slot and its KernelPool, for the length of a batch."""

    name = PLUGIN

    def __init__(self, kernel_arguments: list[str], preload: str = "torch,torch._dynamo"):
        self.kernel_arguments = list(kernel_arguments)
        self.preload = preload          # what its kernels import before they are needed

    def setup(self, worker=None):
        global _SETUP
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        if _SETUP is None:
            _SETUP = _Setup(self.kernel_arguments, self.preload)

    def teardown(self, worker=None):
        """Stops the spare kernel and frees the slot once a submission still being
        graded (a cancelled batch) is done, without holding up the worker."""
        global _SETUP
        s, _SETUP = _SETUP, None
        if s is not None:
            threading.Thread(target=s.close, daemon=True).start()


class _Setup(threading.Thread):
    """A worker's set-up for a batch: its zygote (a process of its own) starts
    importing what kernels need; meanwhile this thread imports the grader
    (nbgrader, the judge), then claims a slot and starts the kernel pool.

    Imports happen in one thread at a time: CPython's import of one module from two
    threads at once can fail (python/cpython#83065: "No module named
    'fastjsonschema.ref_resolver'" failed a student here once, a submission's intake
    importing nbformat while this thread imported nbgrader). So a submission waits
    for the set-up (``worker``) before it imports anything, and the pool's own
    thread imports nothing (``KernelPool``)."""

    def __init__(self, kernel_arguments: list[str], preload: str):
        super().__init__(daemon=True, name="dlcourse-setup")
        from . import zygote as zg
        self.args, self.preload = kernel_arguments, preload
        self.zygote, self.worker, self.error = zg.start(preload), None, ""
        self.start()

    def run(self) -> None:
        from .pipeline import import_grader
        from .workers import Worker
        try:
            import_grader("torch" in self.preload)
        except Exception:  # noqa: BLE001 - grading imports them again and reports
            pass
        try:
            self.worker = Worker(self.args, self.preload, zygote=self.zygote or False)
        except Exception as exc:  # noqa: BLE001 - each of its submissions reports it
            self.error = f"{type(exc).__name__}: {exc}"
            if self.zygote is not None:
                self.zygote.close()

    def ready(self):
        """This worker's ``workers.Worker``, once set up."""
        self.join()
        if self.worker is None:
            raise RuntimeError(f"this worker could not set up its sandbox: {self.error}")
        return self.worker

    def close(self) -> None:
        from .workers import drop_courses
        self.join()
        if self.worker is not None:
            with self.worker.busy:
                self.worker.close()
        drop_courses()


def worker_slot() -> int | None:
    """This worker's sandbox slot (``client.run(worker_slot)`` lists them all)."""
    s = _SETUP
    return s.worker.slot if s is not None and not s.is_alive() and s.worker is not None else None


def grade_remote(course: dict, digest: str, student: str, chapter: str, files: dict) -> dict:
    """A Dask task: grade one submission on this worker and return it as data."""
    from .workers import materialize, write_folder
    root = materialize(course, digest)
    if _SETUP is None:             # a worker that joined before the plugin reached it
        from .workers import kernel_arguments
        SandboxPlugin(kernel_arguments(root)).setup()
    worker = _SETUP.ready()
    with tempfile.TemporaryDirectory(prefix="dlcourse-sub-") as tmp:
        folder = Path(tmp) / student / chapter
        folder.mkdir(parents=True)
        write_folder(files, folder)
        return worker.grade(folder, chapter, student, root)


def _failed(job, reason: str, root: Path) -> dict:
    from .pipeline import failed
    return {"result": failed(job.chapter, job.student, reason, root).details(), "graded": None,
            "worker": "", "retry": True}


def grade_on_cluster(address: str, root: Path, jobs: list, kernel_arguments: list[str],
                     window: int | None = None) -> Iterator[tuple[object, dict]]:
    """Yield ``(job, payload)`` as the cluster finishes them (payload as
    ``workers.Worker.grade`` returns it; ``retry`` when no grading took place)."""
    from distributed import Client, as_completed
    from distributed.scheduler import KilledWorker

    from .course import GradingError
    from .pipeline import failed, kernel_preload  # noqa: F401 - before the client's thread runs
    from .workers import bundle_digest, course_bundle, read_folder
    jobs = list(jobs)
    try:
        client = Client(address, timeout=60)
    except (OSError, TimeoutError, ValueError) as exc:
        raise GradingError(f"cannot reach the Dask scheduler at {address}: {exc}"[:300]) from None
    courses: dict[str, tuple[dict, str]] = {}
    batch = uuid.uuid4().hex[:8]
    running: dict = {}
    try:
        # what the batch's chapters import, as the local workers' zygote preloads it
        preload = kernel_preload(root, {job.chapter for job in jobs})
        client.register_plugin(SandboxPlugin(kernel_arguments, preload), name=PLUGIN)
        todo = list(jobs)

        def submit():
            # a window of tasks in flight, not the whole class in memory
            limit = window or max(8, 2 * sum(client.nthreads().values()))
            while todo and len(running) < limit:
                job = todo.pop(0)
                if job.chapter not in courses:
                    files = course_bundle(root, [job.chapter])
                    courses[job.chapter] = (files, bundle_digest(files))
                course, digest = courses[job.chapter]
                try:
                    files = read_folder(root / "submitted" / job.student / job.chapter)
                except OSError as exc:
                    yield job, _failed(job, f"cannot read the submission: {exc}"[:300], root)
                    continue
                fut = client.submit(grade_remote, course, digest, job.student, job.chapter, files,
                                    key=f"dlcourse-{batch}-{job.student}-{job.chapter}", pure=False)
                running[fut] = job
                done.add(fut)

        done = as_completed()
        yield from submit()
        for fut in done:
            job = running.pop(fut)
            try:
                payload = fut.result()
            except KilledWorker:
                payload = _failed(job, "the grading workers died while grading it", root)
            except Exception as exc:  # noqa: BLE001 - recorded as this submission's failure
                payload = _failed(job, f"{type(exc).__name__}: {exc}".splitlines()[0][:300], root)
            fut.release()
            yield job, payload
            yield from submit()
    finally:
        if running:
            client.cancel(list(running))
        try:
            client.unregister_worker_plugin(PLUGIN)
        except Exception:  # noqa: BLE001 - the cluster may be gone
            pass
        client.close()
