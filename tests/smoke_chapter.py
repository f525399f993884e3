"""A tiny chapter (no torch) for testing the grading machinery in seconds."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CHAPTER = "ch00_smoke"
REPO = Path(__file__).resolve().parent.parent


def _meta(grade_id, *, solution=False, grade=False, locked=False, points=None):
    m = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
         "solution": solution, "task": False}
    if points is not None:
        m["points"] = points
    return {"nbgrader": m}


def build_source() -> nbformat.NotebookNode:
    cells = [
        new_markdown_cell("# Smoke chapter"),
        new_code_cell("import math", metadata=_meta("setup", locked=True)),
        new_code_cell("def double(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION",
                      metadata=_meta("double", solution=True)),
        new_code_cell("assert double(1) == 2, 'double(1) should be 2.'\nprint('ok')",
                      metadata=_meta("check_double", locked=True)),
        new_code_cell("# Hidden tests for double (1 point).\n### BEGIN HIDDEN TESTS\n"
                      "assert double(3) == 6, 'double(3) should be 6.'\n"
                      "import warnings\nwarnings.warn('a library warning is not a wrong answer')\n"
                      "### END HIDDEN TESTS",
                      metadata=_meta("test_double", grade=True, locked=True, points=1)),
        new_code_cell("def halve(x):\n    ### BEGIN SOLUTION\n    return x / 2\n    ### END SOLUTION",
                      metadata=_meta("halve", solution=True)),
        new_code_cell("assert halve(4) == 2, 'halve(4) should be 2.'",
                      metadata=_meta("test_halve__int", grade=True, locked=True, points=1)),
        new_code_cell("### BEGIN HIDDEN TESTS\nassert halve(3) == 1.5, 'halve(3) should be 1.5.'\n"
                      "### END HIDDEN TESTS",
                      metadata=_meta("test_halve__odd", grade=True, locked=True, points=2)),
    ]
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return nb


def make_course(root: Path) -> Path:
    """A course directory with only the smoke chapter and the real config."""
    root = Path(root)
    (root / "solutions" / CHAPTER).mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    nbformat.write(build_source(), root / "solutions" / CHAPTER / f"{CHAPTER}.ipynb")
    return root
