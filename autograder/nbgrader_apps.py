"""nbgrader's own applications, run in-process with the course's configuration."""

from __future__ import annotations

import io
import logging
import os
import sys
import warnings
from pathlib import Path

from .course import GradingError, course_root


def ensure_env_on_path() -> None:
    """nbgrader shells out to ``alembic``; kernels must be this interpreter."""
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def load_config(course_dir: Path, root: Path | None = None, db_url: str | None = None):
    """The course's nbgrader_config.py, pointed at ``course_dir`` and its gradebook:
    ``db_url`` (the course's, from ``gradebook.db_url``) or, for a throw-away course
    directory, its own SQLite file (never a configured shared database)."""
    from traitlets.config.loader import PyFileConfigLoader
    root = root or course_root()
    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    cfg.CourseDirectory.root = str(course_dir)
    cfg.CourseDirectory.db_url = db_url or f"sqlite:///{Path(course_dir) / 'gradebook.db'}"
    return cfg


def run_app(app) -> None:
    """Run an nbgrader converter, turning its failure into a one-line GradingError."""
    from nbgrader.converters.base import NbGraderException
    ensure_env_on_path()
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    handler.setLevel(logging.ERROR)
    app.log.addHandler(handler)
    app.log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLAlchemy notices from inside nbgrader
            app.start()
    except NbGraderException:
        lines = [ln for ln in buf.getvalue().splitlines() if ln.strip()]
        detail = next((ln for ln in reversed(lines) if "Error" in ln and "Traceback" not in ln),
                      lines[0] if lines else "see nbgrader's log")
        raise GradingError(f"nbgrader could not process the notebook: {detail.strip()[:300]}") from None
    finally:
        app.log.removeHandler(handler)


def _coursedir(cfg, chapter: str, student: str | None = None):
    from nbgrader.coursedir import CourseDirectory
    coursedir = CourseDirectory(config=cfg)
    coursedir.assignment_id = chapter
    if student:
        coursedir.student_id = student
    return coursedir


def generate_assignment(chapter: str, course_dir: Path, root: Path | None = None,
                        db_url: str | None = None) -> None:
    """nbgrader generate_assignment for one chapter."""
    from nbgrader.converters import GenerateAssignment
    cfg = load_config(course_dir, root, db_url)
    app = GenerateAssignment(coursedir=_coursedir(cfg, chapter), config=cfg)
    app.force = True
    run_app(app)


def autograde(chapter: str, student: str, course_dir: Path, root: Path | None = None,
              slot: int = 0, deadline: float = 0.0) -> None:
    """nbgrader autograde of one student's chapter (its Execute step is the judge)."""
    from nbgrader.converters import Autograde
    cfg = load_config(course_dir, root)
    cfg.JudgedExecute.sandbox_slot = slot
    cfg.JudgedExecute.deadline = deadline
    app = Autograde(coursedir=_coursedir(cfg, chapter, student), config=cfg)
    app.force = True
    app.create_student = True
    run_app(app)


def generate_feedback(chapter: str | None, course_dir: Path, root: Path | None = None,
                      db_url: str | None = None) -> None:
    from nbgrader.converters import GenerateFeedback
    cfg = load_config(course_dir, root, db_url)
    app = GenerateFeedback(coursedir=_coursedir(cfg, chapter or "*"), config=cfg)
    app.force = True
    run_app(app)
