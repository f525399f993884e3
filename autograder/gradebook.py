"""Gradebooks: the course's (its URL), the cached template of a chapter, and
scores read back from one."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from .course import course_root, exercise_of, load_chapter, source_notebook

CACHE_ENV = "DLCOURSE_CACHE"
DB_URL_ENV = "DLCOURSE_DB_URL"


def db_url(root: Path | None = None) -> str:
    """The URL of the course's gradebook; every access of ours to it goes through here.

    ``DLCOURSE_DB_URL`` (e.g. ``postgresql://grader@dbhost/dlcourse`` for several
    graders), else ``c.CourseDirectory.db_url`` of the course's nbgrader_config.py,
    else SQLite: ``sqlite:///<root>/gradebook.db``."""
    if os.environ.get(DB_URL_ENV):
        return os.environ[DB_URL_ENV]
    root = Path(root or course_root())
    if (root / "nbgrader_config.py").is_file():
        from traitlets.config.loader import PyFileConfigLoader
        cfg = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
        if "db_url" in cfg.CourseDirectory and cfg.CourseDirectory.db_url:
            return str(cfg.CourseDirectory.db_url)
    return f"sqlite:///{root / 'gradebook.db'}"


def _cache_dir() -> Path:
    base = os.environ.get(CACHE_ENV) or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "dlcourse")
    return Path(base) / "gradebooks"


def template(chapter: str, root: Path | None = None) -> Path:
    """A gradebook holding ``chapter`` as ``generate_assignment`` records it, cached
    by the hash of the source notebook, the nbgrader config and nbgrader's version."""
    import nbgrader

    from .nbgrader_apps import generate_assignment
    root = root or course_root()
    src = source_notebook(chapter, root)
    key = hashlib.sha256(src.read_bytes() + (root / "nbgrader_config.py").read_bytes()
                         + nbgrader.__version__.encode()).hexdigest()[:16]
    target = _cache_dir() / f"{chapter}-{key}.db"
    if target.is_file():
        return target
    with tempfile.TemporaryDirectory(prefix="dlcourse-gb-") as tmp:
        tmp = Path(tmp)
        shutil.copytree(src.parent, tmp / "solutions" / chapter)
        generate_assignment(chapter, tmp, root)
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_suffix(f".{os.getpid()}.part")
        shutil.copy(tmp / "gradebook.db", part)
        os.replace(part, target)
    return target


def submission_scores(gb, chapter: str, student: str) -> dict[str, tuple[float, float]]:
    """grade_id -> (score, max_score) of one student's chapter in an open Gradebook."""
    nb = gb.find_submission_notebook(chapter, chapter, student)
    return {g.name: (float(g.score or 0.0), float(g.max_score)) for g in nb.grades}


def scores(db_url: str, chapter: str, student: str) -> dict[str, tuple[float, float]]:
    from nbgrader.api import Gradebook
    with Gradebook(db_url) as gb:
        return submission_scores(gb, chapter, student)


def summarize(chapter: str, test_scores: dict[str, tuple[float, float]],
              root: Path | None = None) -> dict:
    """Per-exercise totals keyed by the exercise names of the chapter."""
    ch = load_chapter(chapter, root)
    exercises = {e: {"score": 0.0, "max_score": pts} for e, pts in ch.exercise_points().items()}
    for gid, (score, _) in test_scores.items():
        if gid in ch.tests:
            exercises[exercise_of(gid)]["score"] += score
    return {"chapter": chapter,
            "score": round(sum(e["score"] for e in exercises.values()), 6),
            "max_score": ch.max_score,
            "exercises": exercises}
