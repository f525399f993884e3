"""Grades out of the gradebook, for people and for learning-management systems.

``make grades`` (``classroom.grades``) writes, beside grades.csv and
grades_by_exercise.csv:

* ``reports/nbgrader_grades.csv``: nbgrader's own export (its CsvExportPlugin,
  run in-process: one row per student and assignment, as ``nbgrader export``);
* ``reports/canvas_grades.csv``: Canvas's gradebook import format: the columns
  ``Student, ID, SIS User ID, SIS Login ID, Section``, then one column per
  chapter, and a ``Points Possible`` row;
* ``reports/moodle_grades.csv``: for Moodle's "Import grades from CSV":
  ``First name, Last name, ID number, Email address``, then one column per chapter.

Scores are points per chapter. A failed submission scores 0; a chapter a student
did not submit is left blank (the LMS's own rule for missing work applies).
Names, e-mail addresses and LMS ids come from nbgrader's student table
(``nbgrader db student import``); the student id fills the SIS columns.
"""

from __future__ import annotations

import csv
from pathlib import Path

REPORTS = "reports"


def _students(url: str) -> dict[str, dict]:
    from nbgrader.api import Gradebook
    with Gradebook(url) as gb:
        return {s.id: {"first": s.first_name or "", "last": s.last_name or "",
                       "email": s.email or "", "lms": s.lms_user_id or ""} for s in gb.students}


def chapter_points(df) -> tuple[list[str], dict[tuple[str, str], float], dict[str, float]]:
    """Chapters, (student, chapter) -> points, chapter -> max points, from the
    per-exercise rows of ``classroom.collect_grades``."""
    chapters = sorted(df["chapter"].unique())
    totals = df.groupby(["student", "chapter"])["score"].sum().to_dict()
    per = df.groupby(["chapter", "student"])["max_score"].sum().groupby(level="chapter").max()
    maxes = {ch: float(per[ch]) for ch in chapters}
    return chapters, {k: round(float(v), 6) for k, v in totals.items()}, maxes


def _fmt(v) -> str:
    return "" if v is None else f"{v:g}"


def nbgrader_csv(url: str, dest: Path) -> Path:
    """nbgrader's CSV export (``nbgrader export``), in-process."""
    import logging
    import warnings

    from nbgrader.api import Gradebook
    from nbgrader.plugins import CsvExportPlugin
    plugin = CsvExportPlugin(to=str(dest))
    plugin.log.setLevel(logging.WARNING)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with Gradebook(url) as gb:
            plugin.export(gb)
    return dest


def canvas_csv(students: dict[str, dict], chapters: list[str], points: dict, maxes: dict,
               dest: Path) -> Path:
    ids = sorted(students.keys() | {s for s, _ in points})
    with open(dest, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["Student", "ID", "SIS User ID", "SIS Login ID", "Section", *chapters])
        w.writerow(["    Points Possible", "", "", "", "", *(_fmt(maxes[c]) for c in chapters)])
        for sid in ids:
            info = students.get(sid, {})
            name = ", ".join(p for p in (info.get("last"), info.get("first")) if p) or sid
            w.writerow([name, info.get("lms", ""), sid, sid, "",
                        *(_fmt(points.get((sid, c))) for c in chapters)])
    return dest


def moodle_csv(students: dict[str, dict], chapters: list[str], points: dict, dest: Path) -> Path:
    ids = sorted(students.keys() | {s for s, _ in points})
    with open(dest, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["First name", "Last name", "ID number", "Email address", *chapters])
        for sid in ids:
            info = students.get(sid, {})
            w.writerow([info.get("first", ""), info.get("last", ""), sid, info.get("email", ""),
                        *(_fmt(points.get((sid, c))) for c in chapters)])
    return dest


def export_all(root: Path, df) -> list[Path]:
    """The three exports of a course whose per-exercise grades are ``df``."""
    from .gradebook import db_url
    url = db_url(root)
    out = Path(root) / REPORTS
    out.mkdir(exist_ok=True)
    students = _students(url)
    chapters, points, maxes = chapter_points(df)
    return [nbgrader_csv(url, out / "nbgrader_grades.csv"),
            canvas_csv(students, chapters, points, maxes, out / "canvas_grades.csv"),
            moodle_csv(students, chapters, points, out / "moodle_grades.csv")]
