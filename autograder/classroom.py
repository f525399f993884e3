"""The instructor's commands: release, autograde a class, feedback, grades, demo.

Each works on a course directory (the repository root by default): the layout
nbgrader expects, with ``solutions/`` as source and ``notebooks/`` as release.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .course import GradingError, chapters, course_root, load_chapter

REPORTS = "reports"
# A whole submission (every cell) gets this long before it is stopped.
STUDENT_TIMEOUT = int(os.environ.get("DLCOURSE_SUBMISSION_TIMEOUT", "900"))


def release(root: Path | None = None, chapter: str | None = None) -> int:
    """solutions/<ch>/ -> notebooks/<ch>/ (nbgrader generate_assignment)."""
    from .grading import generate_assignment
    root = root or course_root()
    for ch in [chapter] if chapter else chapters(root):
        load_chapter(ch, root)
        t0 = time.perf_counter()
        generate_assignment(ch, root, course_root())
        print(f"released {ch} -> notebooks/{ch}/ ({time.perf_counter() - t0:.1f} s)")
    return 0


def _submissions(root: Path, chapter: str | None):
    sub = root / "submitted"
    if not sub.is_dir():
        return []
    known = set(chapters(root))
    out = []
    for student in sorted(p for p in sub.iterdir() if p.is_dir()):
        for ch_dir in sorted(p for p in student.iterdir() if p.is_dir()):
            if ch_dir.name in known and (chapter is None or ch_dir.name == chapter):
                out.append((student.name, ch_dir.name))
    return out


def _assignment_in_gradebook(root: Path, chapter: str) -> bool:
    from nbgrader.api import Gradebook, MissingEntry
    if not (root / "gradebook.db").is_file():
        return False
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        try:
            gb.find_assignment(chapter)
            return True
        except MissingEntry:
            return False


def autograde_one(root: Path, chapter: str, student: str) -> dict:
    """Grade one submission in the real course directory, guarding the course's
    files: everything but this student's autograded folder and the gradebook."""
    from .grading import read_submission, run_autograde
    from .guard import FileGuard
    read_submission(root / "submitted" / student / chapter / f"{chapter}.ipynb")
    allow = [root / "autograded" / student / chapter, root / "gradebook.db",
             root / "gradebook.db-journal", root / ".nbgrader.log", root / REPORTS]
    with FileGuard(root, allow=allow) as guard:
        run_autograde(root, chapter, student, course_root(), timeout=STUDENT_TIMEOUT)
    return {"tampered": guard.changed}


def _autograde_child(argv: list[str]) -> None:
    """Entry point of the per-submission subprocess: prints one JSON line."""
    root, chapter, student = Path(argv[0]), argv[1], argv[2]
    try:
        out = {"ok": True, **autograde_one(root, chapter, student)}
    except GradingError as exc:
        out = {"ok": False, "reason": str(exc)}
    except Exception as exc:  # noqa: BLE001 - one bad submission must not stop the class
        out = {"ok": False, "reason": f"{type(exc).__name__}: {exc}".splitlines()[0]}
    print("\n@@RESULT@@" + json.dumps(out))


def autograde(root: Path | None = None, chapter: str | None = None) -> int:
    """Grade every submitted/<student>/<chapter>/, each in its own process with a
    time limit, so a broken, hostile or endless submission fails alone."""
    from .grading import scores_from_gradebook, summarize
    root = root or course_root()
    subs = _submissions(root, chapter)
    if not subs:
        print(f"nothing to grade: no submitted/<student>/<chapter>/ under {root}")
        return 0
    for ch in sorted({c for _, c in subs}):
        if not _assignment_in_gradebook(root, ch):
            release(root, ch)
    rows = []
    for student, ch in subs:
        t0 = time.perf_counter()
        cmd = [sys.executable, "-c",
               "import sys; from autograder.classroom import _autograde_child; "
               "_autograde_child(sys.argv[1:])", str(root), ch, student]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, cwd=root,
                                  timeout=STUDENT_TIMEOUT + 60, start_new_session=True)
            tail = proc.stdout.rsplit("@@RESULT@@", 1)
            res = json.loads(tail[1]) if len(tail) == 2 else {
                "ok": False, "reason": f"grader process died (exit {proc.returncode})"}
        except subprocess.TimeoutExpired:
            res = {"ok": False, "reason": f"grading took longer than {STUDENT_TIMEOUT} s"}
        row = {"student": student, "chapter": ch, "status": "graded" if res["ok"] else "failed",
               "score": "", "max_score": load_chapter(ch, root).max_score,
               "seconds": round(time.perf_counter() - t0, 1), "reason": res.get("reason", "")}
        if res.get("tampered"):
            row["status"] = "flagged"
            row["reason"] = "changed course files (restored): " + ", ".join(res["tampered"])[:300]
        if res["ok"]:
            summary = summarize(ch, scores_from_gradebook(
                f"sqlite:///{root / 'gradebook.db'}", ch, student), root)
            row["score"] = summary["score"]
        rows.append(row)
        print(f"{row['status']:>7}  {student:<12} {ch:<26} {row['score']!s:>5} / "
              f"{row['max_score']:<5} {row['seconds']:>6.1f} s  {row['reason']}")
    out = root / REPORTS / "autograde_report.csv"
    out.parent.mkdir(exist_ok=True)
    with open(out, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    print(f"report: {out.relative_to(root) if out.is_relative_to(root) else out}")
    return 0


def feedback(root: Path | None = None, chapter: str | None = None) -> int:
    """HTML feedback (nbgrader generate_feedback) for every autograded submission."""
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory
    from .grading import _run_app, load_config
    root = root or course_root()
    done = sorted({c for _, c in _submissions(root, chapter)
                   if (root / "autograded").is_dir()})
    for ch in done:
        cfg = load_config(root)
        coursedir = CourseDirectory(config=cfg)
        coursedir.assignment_id = ch
        app = GenerateFeedback(coursedir=coursedir, config=cfg)
        app.force = True
        _run_app(app)
        print(f"feedback for {ch} -> feedback/<student>/{ch}/")
    return 0


def collect_grades(root: Path):
    """One row per (student, chapter, exercise) from the gradebook, plus the
    failed submissions of the last autograde (scored 0, with the reason)."""
    import pandas as pd
    from nbgrader.api import Gradebook, MissingEntry
    from .grading import submission_scores, summarize
    rows = []
    db = root / "gradebook.db"
    report = root / REPORTS / "autograde_report.csv"
    failed = {}
    if report.is_file():
        for r in csv.DictReader(open(report)):
            if r["status"] == "failed":
                failed[(r["student"], r["chapter"])] = r["reason"]
    if db.is_file():
        with Gradebook(f"sqlite:///{db}") as gb:
            for assignment in gb.assignments:
                ch = assignment.name
                for student in gb.students:
                    if (student.id, ch) in failed:
                        continue
                    try:
                        scores = submission_scores(gb, ch, student.id)
                    except MissingEntry:
                        continue
                    for ex, d in summarize(ch, scores, root)["exercises"].items():
                        rows.append((student.id, ch, ex, d["score"], d["max_score"], "graded"))
    for (student, ch), reason in failed.items():
        for ex, pts in load_chapter(ch, root).exercise_points().items():
            rows.append((student, ch, ex, 0.0, pts, f"failed: {reason}"))
    return pd.DataFrame(rows, columns=["student", "chapter", "exercise", "score", "max_score",
                                       "status"])


def grades(root: Path | None = None) -> int:
    """reports/grades_by_exercise.csv, reports/grades.csv and reports/class_results.png."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    root = root or course_root()
    df = collect_grades(root)
    if df.empty:
        print("no grades yet: run `make autograde` first")
        return 0
    out = root / REPORTS
    out.mkdir(exist_ok=True)
    df.to_csv(out / "grades_by_exercise.csv", index=False)
    table = df.pivot_table(index="student", columns="chapter", values="score", aggfunc="sum")
    maxes = df.groupby("chapter")["max_score"].sum() / df.groupby("chapter")["student"].nunique()
    table["total"] = table.sum(axis=1)
    table.to_csv(out / "grades.csv")
    print("Grades (points per chapter; max: " + ", ".join(
        f"{c} {m:g}" for c, m in maxes.items()) + ")")
    print(table.to_string(float_format=lambda v: f"{v:g}"))

    frac = df.assign(frac=df.score / df.max_score * 100)
    per_ex = frac.groupby(["chapter", "exercise"], sort=False)["frac"]
    means = per_ex.mean()
    fig, ax = plt.subplots(figsize=(max(6, 1.1 * len(means)), 4.8))
    colors = {ch: f"C{i}" for i, ch in enumerate(dict.fromkeys(c for c, _ in means.index))}
    ax.bar(range(len(means)), means.values, color=[colors[c] for c, _ in means.index], alpha=0.55)
    for i, (_, vals) in enumerate(per_ex):  # one dot per student, spread so equal scores show
        spread = (np.arange(len(vals)) - (len(vals) - 1) / 2) * min(0.12, 0.6 / max(len(vals), 1))
        ax.scatter(i + spread, vals.values, color="k", s=14, zorder=3)
    ax.set_xticks(range(len(means)), [f"{c[:4]} {e}" for c, e in means.index], rotation=40,
                  ha="right")
    ax.set_ylabel("score (% of the exercise's points)")
    ax.set_ylim(-3, 105)
    ax.set_title(f"Class results per exercise: bars = class mean, dots = the "
                 f"{df.student.nunique()} students")
    fig.tight_layout()
    fig.savefig(out / "class_results.png", dpi=110)
    print(f"wrote {out / 'grades.csv'}, {out / 'grades_by_exercise.csv'} and "
          f"{out / 'class_results.png'}")
    return 0


def demo(root: Path | None = None) -> int:
    """Grade the bundled sample class (demo/submitted) in a scratch course directory."""
    repo = course_root()
    root = Path(root or repo / "build" / "demo").resolve()
    if root == repo:
        raise GradingError("the demo needs its own directory, not the course root")
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    shutil.copytree(repo / "solutions", root / "solutions")
    shutil.copy(repo / "nbgrader_config.py", root / "nbgrader_config.py")
    shutil.copytree(repo / "demo" / "submitted", root / "submitted")
    print(f"Sample class: {', '.join(sorted(os.listdir(root / 'submitted')))} (in {root})")
    release(root)
    autograde(root)
    grades(root)
    return 0
