"""Grade a class: every ``submitted/<student>/<chapter>/``, N at a time, one writer.

Workers (``workers.py``: local processes; ``distributed.py``: a Dask cluster)
grade submissions through ``pipeline.grade_folder``, each in its own throw-away
course directory and its own sandbox, so a broken, hostile or endless submission
fails alone. They hand back data. This process, the coordinator, is the only
writer of the course: for each result it puts the graded notebook in
``autograded/<student>/<chapter>/``, records the scores in the gradebook (the URL
from ``gradebook.db_url``: SQLite by default, PostgreSQL for several graders)
with nbgrader's own ``SaveAutoGrades``, and, in the same step, the submission's
row in the ledger (``ledger.py``): the key it was graded under and its report
row. ``reports/autograde_report.csv`` (student, chapter, status, score,
max_score, seconds, reason) is written from the ledger at the end.

A submission whose key (its folder's content, its chapter's source version) is
in the ledger is not graded again unless ``force``: a re-run grades what is new
or changed, and an interrupted batch resumes where it stopped.
"""

from __future__ import annotations

import csv
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .course import chapters, course_root, load_chapter

REPORTS = "reports"
FIELDS = ["student", "chapter", "status", "score", "max_score", "seconds", "reason"]
SCHEDULER_ENV = "DLCOURSE_DASK_SCHEDULER"


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
        # a chapter folder that is a link is listed too: it gets a row, failed with a reason
        for ch_dir in sorted(p for p in student.iterdir() if p.is_dir()):
            if ch_dir.name in known and (chapter is None or ch_dir.name == chapter):
                out.append(Job(student.name, ch_dir.name))
    return out


# ---------------------------------------------------------------------- the local pool

def _died(job: Job, root: Path) -> dict:
    return {"result": {"student": job.student, "chapter": job.chapter, "status": "failed",
                       "score": 0.0, "max_score": load_chapter(job.chapter, root).max_score,
                       "seconds": 0.0, "reason": "the grading process died"},
            "graded": None, "worker": "", "retry": True}


def grade_locally(root: Path, jobs: list[Job], n: int) -> Iterator[tuple[Job, dict]]:
    """``n`` forked worker processes on this machine; yields ``(job, payload)``."""
    zygote = _shared_zygote(root)
    try:
        yield from _pool_rounds(root, jobs, n, zygote.path if zygote else None)
    finally:
        if zygote is not None:
            zygote.close()


def _shared_zygote(root: Path):
    """One zygote for every local worker (it imports torch once), started while this
    process imports the judge and nbgrader, which the forked workers then inherit."""
    from .pipeline import import_grader, kernel_preload, uses_torch
    # one thread per kernel and per judge: the workers are the parallelism (read by the
    # zygote's and this process's torch when they load it)
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    from . import zygote as zg
    zygote = zg.start(kernel_preload(root))
    import_grader(uses_torch(root))
    return zygote


def _pool_rounds(root: Path, jobs: list[Job], n: int, zygote: str | None):
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    from .workers import grade_local, init_local
    pending = list(jobs)
    attempts: dict[Job, int] = {}
    while pending:
        pool = ProcessPoolExecutor(min(n, len(pending)), mp_context=multiprocessing.get_context("fork"),
                                   initializer=init_local, initargs=(str(root), zygote))
        finished = False
        try:
            futures = {pool.submit(grade_local, str(root), j.student, j.chapter): j for j in pending}
            try:
                for fut in as_completed(futures):
                    job = futures[fut]
                    payload = fut.result()
                    pending.remove(job)
                    yield job, payload
            except BrokenProcessPool:
                # A worker died (it never runs student code, but be safe): what was not
                # recorded is graded again by a fresh pool, once; a submission whose
                # second try also breaks the pool fails with a reason.
                for job in list(pending):
                    attempts[job] = attempts.get(job, 0) + 1
                    if attempts[job] >= 2:
                        pending.remove(job)
                        yield job, _died(job, root)
            finished = True
        finally:
            if not finished:    # Ctrl-C or a failure here: what the workers grade is not wanted
                for proc in list(getattr(pool, "_processes", {}).values()):
                    proc.kill()     # their kernels die with them
            # a batch that ended returns once its workers are gone (each stops its spare
            # kernel); on Ctrl-C they were killed
            pool.shutdown(wait=finished, cancel_futures=True)


# ---------------------------------------------------------------------- the writer

def _assignment_in_gradebook(url: str, chapter: str) -> bool:
    from nbgrader.api import Gradebook, MissingEntry
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).is_file():
        return False
    with Gradebook(url) as gb:
        try:
            gb.find_assignment(chapter)
            return True
        except MissingEntry:
            return False


def record(root: Path, result: dict, graded: bytes | None, url: str | None = None,
           ledger=None, key: str = "", worker: str = "") -> None:
    """Put one graded submission into the course: its notebook, its scores and
    (``ledger``) the key it was graded under with its report row."""
    import warnings

    import nbformat
    from nbgrader.api import Gradebook, MissingEntry
    from nbgrader.preprocessors import SaveAutoGrades

    from .gradebook import db_url
    url = url or db_url(root)
    student, chapter = result["student"], result["chapter"]
    dest = root / "autograded" / student / chapter
    if dest.exists():
        shutil.rmtree(dest)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # SQLAlchemy notices from inside nbgrader
        if result["status"] == "failed" or graded is None:
            with Gradebook(url) as gb:      # no scores of an older version remain
                try:
                    gb.remove_submission(chapter, student)
                except MissingEntry:
                    pass
        else:
            dest.mkdir(parents=True)
            part = dest / f".{chapter}.ipynb.part"
            part.write_bytes(graded)
            os.replace(part, dest / f"{chapter}.ipynb")
            stamp = root / "submitted" / student / chapter / "timestamp.txt"
            if stamp.is_file() and not stamp.is_symlink() and stamp.stat().st_size < 200:
                shutil.copy(stamp, dest / "timestamp.txt")
            with Gradebook(url) as gb:
                gb.update_or_create_student(student)
                gb.update_or_create_submission(chapter, student)
            nb = nbformat.reads(graded.decode(), as_version=4)
            SaveAutoGrades().preprocess(nb, {"nbgrader": {"notebook": chapter, "assignment": chapter,
                                                          "student": student, "db_url": url}})
    if ledger is not None:
        ledger.put(result, key, worker)


def _key_of(root: Path, job: Job, versions: dict[str, str]) -> str:
    from .ledger import submission_hash
    return f"{submission_hash(root / 'submitted' / job.student / job.chapter)}-{versions[job.chapter]}"


def autograde(root: Path | None = None, chapter: str | None = None, jobs: int | None = None,
              quiet: bool = False, scheduler: str | None = None, force: bool = False) -> int:
    """Grade every new or changed submission of the class (or of one chapter):
    ``jobs`` at a time on this machine, or on the Dask cluster at ``scheduler``."""
    from tqdm import tqdm

    from .classroom import release
    from .gradebook import db_url
    from .ledger import Ledger, chapter_version
    root = Path(root or course_root()).resolve()
    todo = find_jobs(root, chapter)
    if not todo:
        print(f"nothing to grade: no submitted/<student>/<chapter>/ under {root}")
        return 0
    url = db_url(root)
    used = sorted({j.chapter for j in todo})
    for ch in used:
        load_chapter(ch, root)
        if not _assignment_in_gradebook(url, ch):
            release(root, ch)
    ledger = Ledger(url)
    versions = {ch: chapter_version(ch, root) for ch in used}
    keys = {j: _key_of(root, j, versions) for j in todo}
    known = ledger.entries()
    pending = [j for j in todo if force or (j.student, j.chapter) not in known
               or known[(j.student, j.chapter)].key != keys[j]]
    skipped = len(todo) - len(pending)
    scheduler = scheduler or os.environ.get(SCHEDULER_ENV) or None
    n = max(1, int(jobs or os.environ.get("JOBS") or os.cpu_count() or 1))
    where = f"the Dask cluster at {scheduler}" if scheduler else f"{n} worker(s)"
    if not quiet and skipped:
        print(f"{skipped} of {len(todo)} submissions unchanged since they were graded: skipped "
              "(--force regrades them)")
    t0 = time.perf_counter()
    bar = tqdm(total=len(pending), unit="nb", disable=quiet or not pending, desc="autograde",
               bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}] {postfix}")
    failures = done = 0
    interrupted = False
    results = None
    links = [j for j in pending if (root / "submitted" / j.student / j.chapter).is_symlink()]
    pending = [j for j in pending if j not in links]
    for job in links:       # never followed: it could point at a classmate's work
        from .pipeline import failed as failed_result
        res = failed_result(job.chapter, job.student,
                            f"submitted/{job.student}/{job.chapter} is a symbolic link: refused", root)
        record(root, res.details(), None, url, ledger, key=keys[job], worker="coordinator")
        failures += 1
    # what record() imports, imported before a Dask client's thread runs (one thread
    # imports at a time: see distributed._Setup)
    import nbformat  # noqa: F401
    from nbgrader.preprocessors import SaveAutoGrades  # noqa: F401
    try:
        if pending:
            if scheduler:
                from .distributed import grade_on_cluster
                from .workers import kernel_arguments
                results = grade_on_cluster(scheduler, root, pending, kernel_arguments(root))
            else:
                results = grade_locally(root, pending, n)
            for job, payload in results:
                res = payload["result"]
                record(root, res, payload["graded"], url, ledger,
                       key="" if payload.get("retry") else keys[job], worker=payload["worker"])
                done += 1
                failures += res["status"] == "failed"
                bar.set_postfix_str(f"failed {failures}")
                bar.update()
    except KeyboardInterrupt:
        interrupted = True
    finally:
        if results is not None:
            results.close()          # stops the pool or cancels what the cluster still has
        bar.close()
    entries = ledger.entries()
    ordered = [entries[(j.student, j.chapter)].report_row() for j in todo
               if (j.student, j.chapter) in entries]
    out = root / REPORTS / "autograde_report.csv"
    out.parent.mkdir(exist_ok=True)
    part = out.with_suffix(".csv.part")
    with open(part, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(ordered)
    os.replace(part, out)
    if interrupted:
        print(f"interrupted: {done} of {len(pending)} graded and recorded; run the same command "
              "again to grade the rest")
        return 130
    if not quiet:
        _print_table(ordered)
        counts = {}
        for r in ordered:
            counts[r["status"]] = counts.get(r["status"], 0) + 1
        print(f"{done} graded on {where} in {time.perf_counter() - t0:.1f} s, {skipped} unchanged; "
              + ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
              + f"; report: {out}")
    return 0


def _print_table(rows: list[dict], limit: int = 60) -> None:
    """Every row for a small class; for a large one, those that need a look."""
    shown = rows if len(rows) <= limit else [r for r in rows if r["status"] != "graded"][:limit]
    if len(shown) < len(rows):
        print(f"{len(rows)} submissions; not graded cleanly (first {limit}):" if shown else
              f"{len(rows)} submissions, all graded")
    for r in shown:
        score = r["score"] if r["score"] == "" else f"{float(r['score']):g}"
        print(f"{r['status']:>7}  {r['student']:<12} {r['chapter']:<26} {score:>5} / "
              f"{float(r['max_score']):<5g} {float(r['seconds']):>6.1f} s  {r['reason'][:100]}")
