"""Student-shaped notebooks: the released notebook with chosen answer cells
filled in. Used by the test-power checks, the demo's sample class and the
grading benchmark."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

from autograder.course import nbgrader_meta, released_notebook, source_notebook

_MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.M)


def solution_answers(chapter: str, root: Path | None = None) -> dict[str, str]:
    """grade_id -> the instructor's answer cell source, solution markers removed."""
    nb = nbformat.read(source_notebook(chapter, root), as_version=4)
    return {nbgrader_meta(c)["grade_id"]: _MARKERS.sub("", c.source)
            for c in nb.cells if nbgrader_meta(c).get("solution")}


def released_answers(chapter: str, root: Path | None = None) -> dict[str, str]:
    """grade_id -> the student's stub of each answer cell, as released."""
    nb = nbformat.read(released_notebook(chapter, root), as_version=4)
    return {nbgrader_meta(c)["grade_id"]: c.source
            for c in nb.cells if nbgrader_meta(c).get("solution")}


def fill(chapter: str, answers: dict[str, str], root: Path | None = None) -> nbformat.NotebookNode:
    """The released notebook with the given answer cells replaced (others stay stubs)."""
    nb = nbformat.read(released_notebook(chapter, root), as_version=4)
    seen = set()
    for cell in nb.cells:
        gid = nbgrader_meta(cell).get("grade_id")
        if nbgrader_meta(cell).get("solution") and gid in answers:
            cell.source = answers[gid]
            seen.add(gid)
    missing = set(answers) - seen
    if missing:
        raise KeyError(f"{chapter} has no answer cells named {sorted(missing)}")
    return nb
