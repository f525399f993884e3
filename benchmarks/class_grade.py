"""Throughput of class grading, and the fixed cost of grading one notebook.

Builds a synthetic class in a temporary course: K students x the course's
chapters (or the tiny torch-free smoke chapter with ``--smoke``), a mix of right
(the solution), wrong (the released stubs) and broken (not JSON) work, and
grades it with the class command three ways:

  JOBS=1      one local worker
  JOBS=2      two local workers
  Dask        a local ``dask scheduler`` and two ``dask worker --nthreads 1`` processes

Then the fixed cost per notebook: the smoke chapter's solution graded with a
cold sandboxed kernel (started for it) and with a pre-warmed one (a KernelPool's
spare, started beforehand). Prints figures, asserts nothing; with
build/notebook_times.json (written by tests/test_notebooks.py) it projects the
time for a class of 300 students x 14 chapters.

Usage: .venv/bin/python benchmarks/class_grade.py [--smoke] [--students K]
       [--chapter CH ...] [--repeat N] [--skip-dask]
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
BIN = Path(sys.executable).parent


def _quiet():
    return contextlib.redirect_stdout(io.StringIO())


def make_class(root: Path, chapters: list[str], students: int, smoke: bool) -> int:
    """A released course with ``students`` submissions per chapter: right, wrong, broken."""
    import nbformat

    from autograder import classroom
    root.mkdir(parents=True)
    if smoke:
        import smoke_chapter as sc
        sc.make_course(root)
        chapters = [sc.CHAPTER]
    else:
        shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
        for ch in chapters:
            shutil.copytree(REPO / "solutions" / ch, root / "solutions" / ch)
    os.environ["DLCOURSE_ROOT"] = str(root)
    with _quiet():
        for ch in chapters:
            classroom.release(root, ch)
    kinds = ["right", "wrong", "right", "broken"]
    n = 0
    for ch in chapters:
        src = nbformat.read(root / "solutions" / ch / f"{ch}.ipynb", as_version=4)
        stub = nbformat.read(root / "notebooks" / ch / f"{ch}.ipynb", as_version=4)
        if not smoke:
            from submissions import fill, solution_answers
            src = fill(ch, solution_answers(ch, root), root)
        for i in range(students):
            d = root / "submitted" / f"s{i:03d}" / ch
            d.mkdir(parents=True)
            kind = kinds[i % len(kinds)]
            if kind == "broken":
                (d / f"{ch}.ipynb").write_text('{"cells": [')
            else:
                nbformat.write(src if kind == "right" else stub, d / f"{ch}.ipynb")
            n += 1
    return n


def grade(root: Path, **kw) -> tuple[float, dict]:
    from autograder.autograde import autograde
    t0 = time.perf_counter()
    with _quiet():
        autograde(root, force=True, quiet=True, **kw)
    seconds = time.perf_counter() - t0
    rows = {(r["student"], r["chapter"]): (r["status"], r["score"], r["reason"])
            for r in csv.DictReader(open(root / "reports" / "autograde_report.csv"))}
    return seconds, rows


def _same(rows: dict, ref: dict) -> str:
    diff = [f"{'/'.join(k)}: {rows.get(k)} != {ref.get(k)}" for k in sorted(ref.keys() | rows.keys())
            if rows.get(k) != ref.get(k)]
    for d in diff:
        print("  differs: " + d)
    return "yes" if not diff else f"NO ({len(diff)})"


@contextlib.contextmanager
def local_cluster(workers: int = 2):
    """A ``dask scheduler`` and ``workers`` single-thread ``dask worker`` processes."""
    tmp = Path(tempfile.mkdtemp(prefix="dlcourse-dask-"))
    sf = tmp / "scheduler.json"
    log = open(tmp / "log", "w")
    procs = [subprocess.Popen([BIN / "dask", "scheduler", "--host", "127.0.0.1", "--port", "0",
                               "--no-dashboard", "--scheduler-file", str(sf)],
                              stdout=log, stderr=log, start_new_session=True)]
    try:
        while not sf.is_file():
            time.sleep(0.2)
        for i in range(workers):
            procs.append(subprocess.Popen(
                [BIN / "dask", "worker", "--scheduler-file", str(sf), "--host", "127.0.0.1",
                 "--nthreads", "1", "--nworkers", "1", "--no-dashboard",
                 "--local-directory", str(tmp / f"w{i}")],
                stdout=log, stderr=log, start_new_session=True))
        address = json.loads(sf.read_text())["address"]
        from distributed import Client
        t0 = time.perf_counter()
        with Client(address) as c:
            c.wait_for_workers(workers, timeout=180)
        yield address, time.perf_counter() - t0
    finally:
        for p in reversed(procs):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(p.pid, signal.SIGKILL)
            p.wait()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)


def fixed_cost(repeat: int) -> tuple[list[float], list[float]]:
    """Seconds to grade the smoke chapter's solution: cold kernel vs pre-warmed."""
    import smoke_chapter as sc

    from autograder import classroom
    from autograder.pipeline import _kernel_arguments, grade_folder, import_grader
    from autograder.sandbox import KernelPool
    from autograder.workers import claim_slot
    tmp = Path(tempfile.mkdtemp(prefix="dlcourse-fixed-"))
    try:
        root = sc.make_course(tmp / "course")
        os.environ["DLCOURSE_ROOT"] = str(root)
        with _quiet():
            classroom.release(root)
        folder = tmp / "sub"
        folder.mkdir()
        shutil.copy(root / "solutions" / sc.CHAPTER / f"{sc.CHAPTER}.ipynb", folder)
        slot, fd = claim_slot()
        import_grader()
        grade_folder(folder, sc.CHAPTER, root=root, slot=slot)    # imports, cached gradebook
        cold, warm = [], []
        for _ in range(repeat):
            t0 = time.perf_counter()
            r = grade_folder(folder, sc.CHAPTER, root=root, slot=slot)
            cold.append(time.perf_counter() - t0)
            assert r.score == r.max_score, r
        pool = KernelPool(slot, _kernel_arguments(root))
        try:
            for _ in range(repeat):
                pool._thread.join()               # the spare is up: grading starts warm
                time.sleep(0.5)
                t0 = time.perf_counter()
                r = grade_folder(folder, sc.CHAPTER, root=root, slot=slot, pool=pool)
                warm.append(time.perf_counter() - t0)
                assert r.score == r.max_score, r
        finally:
            pool.close()
            os.close(fd)
        return cold, warm
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def projection(per_nb_fixed: float, speedup2: float, rate: tuple[float, int, int] | None = None) -> None:
    """300 students x the course's chapters, from the solution notebooks' own times
    (build/notebook_times.json: each imports torch itself, so this errs high) and,
    when this run graded every chapter, from its measured JOBS=1 rate."""
    eff = min(1.0, speedup2 / 2)
    students = 300
    cases = []
    times = REPO / "build" / "notebook_times.json"
    if times.is_file():
        t = json.loads(times.read_text())
        cases.append((f"solution notebooks' times ({times.relative_to(REPO)}, sum {sum(t.values()):.0f} s) "
                      f"+ {per_nb_fixed:.2f} s fixed each", len(t), sum(t.values()) + per_nb_fixed * len(t)))
    if rate is not None:
        seconds, notebooks, chapters = rate
        cases.append((f"this run's JOBS=1 rate ({seconds / notebooks:.1f} s a notebook)", chapters,
                      seconds / notebooks * chapters))
    for what, n_ch, per_student in cases:
        core_s = students * per_student
        print(f"\nProjection, {students} students x {n_ch} chapters ({students * n_ch} notebooks), from {what}:")
        print(f"  one worker: {core_s / 3600:.1f} h; parallel efficiency from JOBS=2/JOBS=1: {eff:.2f}")
        for label, n in (("one 16-core machine, JOBS=16", 16), ("10 Dask workers (1 core each)", 10),
                         ("10 machines x 16 Dask workers", 160)):
            print(f"  {label:<32} {core_s / (n * eff) / 3600:6.2f} h")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="the smoke chapter instead of the course's")
    ap.add_argument("--students", type=int, default=4, help="students per chapter (default 4)")
    ap.add_argument("--chapter", action="append", help="only these chapters")
    ap.add_argument("--repeat", type=int, default=3, help="repeats of the fixed-cost measure")
    ap.add_argument("--skip-dask", action="store_true")
    args = ap.parse_args()
    os.environ.setdefault("DLCOURSE_CACHE", tempfile.mkdtemp(prefix="dlcourse-bench-cache-"))
    os.environ.setdefault("MPLBACKEND", "Agg")
    from autograder.course import chapters
    chs = args.chapter or chapters(REPO)
    base = Path(tempfile.mkdtemp(prefix="dlcourse-bench-"))
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    try:
        root = base / "course"
        n = make_class(root, chs, args.students, args.smoke)
        what = "smoke chapter" if args.smoke else f"{len(chs)} chapter(s)"
        print(f"Synthetic class: {args.students} students x {what} = {n} notebooks "
              "(right, wrong, right, broken, ...)")
        results = {}
        s1, rows1 = grade(root, jobs=1)
        results["JOBS=1"] = s1
        s2, rows2 = grade(root, jobs=2)
        results["JOBS=2"] = s2
        same = {"JOBS=2": _same(rows2, rows1)}
        if not args.skip_dask:
            with local_cluster(2) as (address, startup):
                sd, rowsd = grade(root, scheduler=address)
            results["Dask, 2 workers"] = sd
            same["Dask, 2 workers"] = _same(rowsd, rows1)
        print(f"\n{'run':<18}{'seconds':>9}{'notebooks/min':>15}{'speed-up':>10}  grades = JOBS=1")
        for k, v in results.items():
            print(f"{k:<18}{v:>9.1f}{n / v * 60:>15.1f}{s1 / v:>10.2f}  {same.get(k, '-')}")
        if not args.skip_dask:
            print(f"(Dask workers took {startup:.1f} s to join; not counted)")
        cold, warm = fixed_cost(args.repeat)
        print("\nFixed cost per notebook (the smoke chapter's solution; median of "
              f"{args.repeat}): cold kernel (started for it, the one-file command's way) "
              f"{statistics.median(cold):.2f} s, pre-warmed (a worker's, forked by its zygote) "
              f"{statistics.median(warm):.2f} s")
        print("  cold: " + ", ".join(f"{v:.2f}" for v in cold) + "   warm: "
              + ", ".join(f"{v:.2f}" for v in warm))
        rate = (s1, n, len(chs)) if not args.smoke and len(chs) == len(chapters(REPO)) else None
        projection(statistics.median(warm), s1 / s2, rate)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
