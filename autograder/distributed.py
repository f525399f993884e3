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
import uuid
from collections.abc import Iterator
from pathlib import Path

from distributed import WorkerPlugin

SCHEDULER_ENV = "DLCOURSE_DASK_SCHEDULER"
PLUGIN = "dlcourse-sandbox"

_WORKER = None


class SandboxPlugin(WorkerPlugin):
    """A Dask worker's sandbox slot and its KernelPool, for the length of a batch."""

    name = PLUGIN

    def __init__(self, kernel_arguments: list[str], preload: str = "torch,torch._dynamo"):
        self.kernel_arguments = list(kernel_arguments)
        self.preload = preload          # what its kernels import before they are needed

    def setup(self, worker=None):
        global _WORKER
        from .workers import Worker
        os.environ.setdefault("OMP_NUM_THREADS", "1")
        if _WORKER is None:
            _WORKER = Worker(self.kernel_arguments, self.preload)
            import functools
            import threading

            from .pipeline import _import_judge
            # nbgrader and the judge are imported while the first kernel starts
            judge = functools.partial(_import_judge, "torch" in self.preload)
            threading.Thread(target=_warm, args=(judge,), daemon=True).start()

    def teardown(self, worker=None):
        """Stops the spare kernel and frees the slot once a submission still being
        graded (a cancelled batch) is done, without holding up the worker."""
        global _WORKER
        import threading

        from .workers import drop_courses
        w, _WORKER = _WORKER, None
        if w is None:
            return

        def close():
            with w.busy:
                w.close()
                drop_courses()
        threading.Thread(target=close, daemon=True).start()


def worker_slot() -> int | None:
    """This worker's sandbox slot (``client.run(worker_slot)`` lists them all)."""
    return _WORKER.slot if _WORKER is not None else None


def _warm(import_judge) -> None:
    from .pipeline import NBGRADER_IMPORT
    try:
        with NBGRADER_IMPORT:
            import nbgrader.converters  # noqa: F401
        import_judge()
    except Exception:  # noqa: BLE001 - grading imports them again and reports
        pass


def grade_remote(course: dict, digest: str, student: str, chapter: str, files: dict) -> dict:
    """A Dask task: grade one submission on this worker and return it as data."""
    from .workers import materialize, write_folder
    if _WORKER is None:             # a worker that joined before the plugin reached it
        from .workers import kernel_arguments
        SandboxPlugin(kernel_arguments(materialize(course, digest))).setup()
    root = materialize(course, digest)
    with tempfile.TemporaryDirectory(prefix="dlcourse-sub-") as tmp:
        folder = Path(tmp) / student / chapter
        folder.mkdir(parents=True)
        write_folder(files, folder)
        return _WORKER.grade(folder, chapter, student, root)


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
        from .pipeline import kernel_preload
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
