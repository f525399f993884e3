"""Grade a class: every ``submitted/<student>/<chapter>/``, N at a time, one writer.

Workers grade submissions through ``pipeline.grade_folder``, each in its own
throw-away course directory and its own sandbox (one uid per worker slot), so
a broken, hostile or endless submission fails alone. This process is the only
writer of the course: for each result it puts the graded notebook in
``autograded/<student>/<chapter>/`` and records the scores in ``gradebook.db``
with nbgrader's own ``SaveAutoGrades``, then appends the row to
``reports/autograde_report.csv`` (student, chapter, status, score, max_score,
seconds, reason).
"""

from __future__ import annotations

import csv
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

from .course import chapters, course_root, load_chapter

REPORTS = "reports"
FIELDS = ["student", "chapter", "status", "score", "max_score", "seconds", "reason"]


@dataclass(frozen=True)
class Job:
    student: str
    chapter: str


def find_jobs(root: Path, chapter: str | None = None) -> list[Job]:
    sub = root / "submitted"
    if not sub.is_dir():
        return []
    known = set(chapters(root))
    out = []
    for student in sorted(p for p in sub.iterdir() if p.is_dir() and not p.is_symlink()):
        for ch_dir in sorted(p for p in student.iterdir() if p.is_dir() and not p.is_symlink()):
            if ch_dir.name in known and (chapter is None or ch_dir.name == chapter):
                out.append(Job(student.name, ch_dir.name))
    return out


# ---------------------------------------------------------------------- workers

_SLOT = 0
_POOL = None


def _init_worker(slots, root: str) -> None:
    """A worker: its sandbox slot, a pre-warmed kernel, and the judge imported."""
    global _SLOT, _POOL
    from multiprocessing.util import Finalize
    _SLOT = slots.get()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from .pipeline import _import_judge, _kernel_arguments
    from .sandbox import KernelPool
    _POOL = KernelPool(_SLOT, _kernel_arguments(Path(root)))
    Finalize(_POOL, _POOL.close, exitpriority=10)   # runs when the worker exits
    _import_judge()


def _grade(root: str, student: str, chapter: str, staging: str) -> dict:
    from .pipeline import failed, grade_folder
    try:
        res = grade_folder(Path(root) / "submitted" / student / chapter, chapter, student,
                           root=Path(root), slot=_SLOT,
                           keep_graded=Path(staging) / student / chapter, pool=_POOL)
    except Exception as exc:  # noqa: BLE001 - one submission must not stop the class
        res = failed(chapter, student, f"{type(exc).__name__}: {exc}".splitlines()[0][:300], Path(root))
    return res.details()


# ---------------------------------------------------------------------- the writer

def _assignment_in_gradebook(db: Path, chapter: str) -> bool:
    from nbgrader.api import Gradebook, MissingEntry
    if not db.is_file():
        return False
    with Gradebook(f"sqlite:///{db}") as gb:
        try:
            gb.find_assignment(chapter)
            return True
        except MissingEntry:
            return False


def record(root: Path, result: dict, graded: Path | None) -> None:
    """Put one graded submission into the course: its notebook and its scores."""
    import nbformat
    from nbgrader.api import Gradebook
    from nbgrader.preprocessors import SaveAutoGrades
    student, chapter = result["student"], result["chapter"]
    dest = root / "autograded" / student / chapter
    if dest.exists():
        shutil.rmtree(dest)
    if result["status"] == "failed" or graded is None or not graded.is_file():
        return
    dest.mkdir(parents=True)
    shutil.copy(graded, dest / graded.name)
    stamp = root / "submitted" / student / chapter / "timestamp.txt"
    if stamp.is_file() and not stamp.is_symlink() and stamp.stat().st_size < 200:
        shutil.copy(stamp, dest / "timestamp.txt")
    import warnings
    db_url = f"sqlite:///{root / 'gradebook.db'}"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # SQLAlchemy notices from inside nbgrader
        with Gradebook(db_url) as gb:
            gb.update_or_create_student(student)
            gb.update_or_create_submission(chapter, student)
        nb = nbformat.read(dest / graded.name, as_version=4)
        SaveAutoGrades().preprocess(nb, {"nbgrader": {"notebook": chapter, "assignment": chapter,
                                                      "student": student, "db_url": db_url}})


def _row(result: dict) -> dict:
    return {"student": result["student"], "chapter": result["chapter"], "status": result["status"],
            "score": result["score"] if result["status"] != "failed" else "",
            "max_score": result["max_score"], "seconds": result["seconds"],
            "reason": result["reason"]}


def autograde(root: Path | None = None, chapter: str | None = None, jobs: int | None = None,
              quiet: bool = False) -> int:
    """Grade every submission of the class (or of one chapter), ``jobs`` at a time."""
    import multiprocessing

    from tqdm import tqdm

    from .classroom import release
    root = Path(root or course_root()).resolve()
    todo = find_jobs(root, chapter)
    if not todo:
        print(f"nothing to grade: no submitted/<student>/<chapter>/ under {root}")
        return 0
    for ch in sorted({j.chapter for j in todo}):
        load_chapter(ch, root)
        if not _assignment_in_gradebook(root / "gradebook.db", ch):
            release(root, ch)
    jobs = max(1, int(jobs or os.environ.get("JOBS") or os.cpu_count() or 1))
    rows: dict[Job, dict] = {}
    staging = Path(tempfile.mkdtemp(prefix="dlcourse-staging-"))
    t0 = time.perf_counter()
    bar = tqdm(total=len(todo), unit="nb", disable=quiet, desc="autograde",
               bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}] {postfix}")
    failures = 0
    attempts: dict[Job, int] = {}
    try:
        pending = list(todo)
        while pending:
            ctx = multiprocessing.get_context("fork")
            slots = ctx.Queue()
            for i in range(jobs):
                slots.put(i)
            with ProcessPoolExecutor(jobs, mp_context=ctx, initializer=_init_worker,
                                     initargs=(slots, str(root))) as pool:
                futures = {pool.submit(_grade, str(root), j.student, j.chapter, str(staging)): j
                           for j in pending}
                try:
                    for fut in as_completed(futures):
                        job = futures[fut]
                        result = fut.result()
                        graded = staging / job.student / job.chapter / f"{job.chapter}.ipynb"
                        record(root, result, graded)
                        rows[job] = _row(result)
                        failures += result["status"] == "failed"
                        pending.remove(job)
                        bar.set_postfix_str(f"failed {failures}")
                        bar.update()
                except BrokenProcessPool:
                    # A worker died (it never runs student code, but be safe): what was
                    # not recorded is graded again by a fresh pool, once; a submission
                    # whose second try also breaks the pool fails with a reason.
                    for job in list(pending):
                        attempts[job] = attempts.get(job, 0) + 1
                        if attempts[job] >= 2:
                            rows[job] = _row({"student": job.student, "chapter": job.chapter,
                                              "status": "failed", "score": 0.0,
                                              "max_score": load_chapter(job.chapter, root).max_score,
                                              "seconds": 0.0, "reason": "the grading process died"})
                            pending.remove(job)
                            failures += 1
                            bar.update()
    finally:
        bar.close()
        shutil.rmtree(staging, ignore_errors=True)
    ordered = [rows[j] for j in todo if j in rows]
    out = root / REPORTS / "autograde_report.csv"
    out.parent.mkdir(exist_ok=True)
    with open(out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(ordered)
    if not quiet:
        for r in ordered:
            print(f"{r['status']:>7}  {r['student']:<12} {r['chapter']:<26} {r['score']!s:>5} / "
                  f"{r['max_score']:<5} {r['seconds']:>6.1f} s  {r['reason'][:100]}")
        print(f"{len(ordered)} submissions in {time.perf_counter() - t0:.1f} s with {jobs} "
              f"worker(s); report: {out}")
    return 0
