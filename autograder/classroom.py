"""The instructor's commands: release, autograde a class, feedback, grades, demo.

Each works on a course directory (the repository root by default): the layout
nbgrader expects, with ``solutions/`` as source and ``notebooks/`` as release.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from .course import GradingError, chapters, course_root, load_chapter

REPORTS = "reports"


def release(root: Path | None = None, chapter: str | None = None) -> int:
    """solutions/<ch>/ -> notebooks/<ch>/ (nbgrader generate_assignment)."""
    from .gradebook import db_url
    from .nbgrader_apps import generate_assignment
    root = root or course_root()
    for ch in [chapter] if chapter else chapters(root):
        load_chapter(ch, root)
        t0 = time.perf_counter()
        generate_assignment(ch, root, course_root(), db_url=db_url(root))
        print(f"released {ch} -> notebooks/{ch}/ ({time.perf_counter() - t0:.1f} s)")
    return 0


def autograde(root: Path | None = None, chapter: str | None = None, jobs: int | None = None,
              scheduler: str | None = None, force: bool = False) -> int:
    """Grade every new or changed submission (see ``autograder.autograde``): ``jobs``
    at a time here, or on the Dask cluster at ``scheduler``; ``force`` regrades all."""
    from .autograde import autograde as _autograde
    return _autograde(root, chapter, jobs, scheduler=scheduler, force=force)


def feedback(root: Path | None = None, chapter: str | None = None) -> int:
    """HTML feedback (nbgrader generate_feedback) for every autograded submission."""
    from .gradebook import db_url
    from .nbgrader_apps import generate_feedback
    root = root or course_root()
    graded = root / "autograded"
    done = sorted({d.name for s in graded.iterdir() if s.is_dir() for d in s.iterdir()
                   if d.is_dir() and (chapter is None or d.name == chapter)}) if graded.is_dir() else []
    for ch in done:
        generate_feedback(ch, root, db_url=db_url(root))
        print(f"feedback for {ch} -> feedback/<student>/{ch}/")
    return 0


def _has_gradebook(url: str) -> bool:
    return not url.startswith("sqlite:///") or Path(url[len("sqlite:///"):]).is_file()


def collect_grades(root: Path):
    """One row per (student, chapter, exercise) from the gradebook, plus the
    submissions whose grading failed (scored 0, with the reason)."""
    import pandas as pd
    from nbgrader.api import Gradebook, MissingEntry
    from .gradebook import db_url, submission_scores, summarize
    from .ledger import Ledger
    rows = []
    url = db_url(root)
    failed = {}
    if _has_gradebook(url):
        for (student, ch), e in Ledger(url).entries().items():
            if e.status == "failed" and (root / "solutions" / ch).is_dir():
                failed[(student, ch)] = e.reason
        with Gradebook(url) as gb:
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
    """reports/grades_by_exercise.csv, reports/grades.csv, the exports (nbgrader's
    CSV, Canvas, Moodle: ``autograder.exports``) and reports/class_results.png."""
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
    from .exports import export_all
    written = export_all(root, df)
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
    print(f"wrote {out / 'grades.csv'}, {out / 'grades_by_exercise.csv'}, "
          + ", ".join(str(p) for p in written) + f" and {out / 'class_results.png'}")
    return 0


def demo(root: Path | None = None, jobs: int | None = None) -> int:
    """Grade the bundled sample class (demo/submitted) in a scratch course directory."""
    repo = course_root()
    root = Path(root or repo / "build" / "demo").resolve()
    if root == repo:
        raise GradingError("the demo needs its own directory, not the course root")
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    shutil.copytree(repo / "demo" / "submitted", root / "submitted")
    used = sorted({c.name for s in (root / "submitted").iterdir() for c in s.iterdir()})
    for ch in used:        # only the chapters the sample class submitted
        shutil.copytree(repo / "solutions" / ch, root / "solutions" / ch)
    shutil.copy(repo / "nbgrader_config.py", root / "nbgrader_config.py")
    print(f"Sample class: {', '.join(sorted(os.listdir(root / 'submitted')))} (in {root})")
    for ch in used:
        release(root, ch)
    autograde(root, jobs=jobs)
    grades(root)
    return 0
