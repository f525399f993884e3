"""Where things are: the course root, its chapters, and each chapter's exercises.

A chapter is a folder ``solutions/chNN_slug/`` holding ``chNN_slug.ipynb``. Its
exercises are read from the nbgrader metadata of that notebook: an answer cell
has ``grade_id == <exercise>``; a hidden test cell has ``grade_id ==
test_<exercise>`` or ``test_<exercise>__<aspect>`` and carries the points.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT_ENV = "DLCOURSE_ROOT"
CHAPTER_RE = re.compile(r"^(ch\d\d_[a-z0-9_]+)$")
FILE_RE = re.compile(r"^(ch\d\d_[a-z0-9_]+)\.ipynb$")


class GradingError(Exception):
    """A submission or request that cannot be graded; the message is one line."""


def course_root() -> Path:
    """The repository root (``DLCOURSE_ROOT`` overrides)."""
    if os.environ.get(ROOT_ENV):
        return Path(os.environ[ROOT_ENV]).resolve()
    return Path(__file__).resolve().parent.parent


def chapters(root: Path | None = None) -> list[str]:
    src = (root or course_root()) / "solutions"
    return sorted(p.name for p in src.iterdir()
                  if CHAPTER_RE.match(p.name) and (p / f"{p.name}.ipynb").is_file())


def source_notebook(chapter: str, root: Path | None = None) -> Path:
    return (root or course_root()) / "solutions" / chapter / f"{chapter}.ipynb"


def released_notebook(chapter: str, root: Path | None = None) -> Path:
    return (root or course_root()) / "notebooks" / chapter / f"{chapter}.ipynb"


def chapter_from_filename(path: Path) -> str:
    m = FILE_RE.match(Path(path).name)
    if not m:
        raise GradingError(f"cannot tell the chapter from the file name {Path(path).name!r}: "
                           "name it chNN_slug.ipynb or pass --chapter")
    return m.group(1)


def nbgrader_meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def exercise_of(grade_id: str) -> str:
    """``test_xor_backward__shapes`` -> ``xor_backward``."""
    if not grade_id.startswith("test_"):
        raise ValueError(f"graded cell {grade_id!r} does not follow test_<exercise>[__aspect]")
    return grade_id[len("test_"):].split("__")[0]


@dataclass
class Chapter:
    name: str
    exercises: list[str]                           # answer cells, in notebook order
    tests: dict[str, float] = field(default_factory=dict)   # hidden grade_id -> points

    @property
    def max_score(self) -> float:
        return sum(self.tests.values())

    def exercise_points(self) -> dict[str, float]:
        out = {e: 0.0 for e in self.exercises}
        for gid, pts in self.tests.items():
            out[exercise_of(gid)] += pts
        return out


def load_chapter(chapter: str, root: Path | None = None) -> Chapter:
    """The chapter's exercises and test points (parsed once per version of its notebook)."""
    if not CHAPTER_RE.match(chapter):
        raise GradingError(f"{chapter!r} is not a chapter name (chNN_slug)")
    path = source_notebook(chapter, root)
    if not path.is_file():
        known = ", ".join(chapters(root)) or "none"
        raise GradingError(f"unknown chapter {chapter!r} (known: {known})")
    return _parse_chapter(chapter, path, path.stat().st_mtime_ns)


@lru_cache(maxsize=64)
def _parse_chapter(chapter: str, path: Path, _mtime_ns: int) -> Chapter:
    import nbformat  # imported here: it takes a second, and the grader starts its kernel first
    nb = nbformat.read(path, as_version=4)
    ch = Chapter(chapter, [])
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if meta.get("solution") and not meta.get("grade"):
            ch.exercises.append(meta["grade_id"])
        elif meta.get("grade") and not meta.get("solution"):
            ch.tests[meta["grade_id"]] = float(meta["points"])
    unknown = {exercise_of(g) for g in ch.tests} - set(ch.exercises)
    if unknown:
        raise ValueError(f"{chapter}: tests for exercises without an answer cell: {sorted(unknown)}")
    return ch
