"""Build student-shaped notebooks (released notebook + chosen answers) and grade
them through ``python -m autograder grade`` (the real nbgrader pipeline), in
parallel worker processes."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from autograder.course import nbgrader_meta, released_notebook, source_notebook

_MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.M)


def solution_answers(chapter: str) -> dict[str, str]:
    """grade_id -> the instructor's answer cell source, markers removed."""
    nb = nbformat.read(source_notebook(chapter), as_version=4)
    return {nbgrader_meta(c)["grade_id"]: _MARKERS.sub("", c.source)
            for c in nb.cells if nbgrader_meta(c).get("solution")}


def fill(chapter: str, answers: dict[str, str]) -> nbformat.NotebookNode:
    """The released notebook with the given answer cells replaced (others stay stubs)."""
    nb = nbformat.read(released_notebook(chapter), as_version=4)
    seen = set()
    for cell in nb.cells:
        gid = nbgrader_meta(cell).get("grade_id")
        if nbgrader_meta(cell).get("solution") and gid in answers:
            cell.source = answers[gid]
            seen.add(gid)
    missing = set(answers) - seen
    assert not missing, f"{chapter} has no answer cells named {sorted(missing)}"
    return nb


def grade_paths(paths: list[Path], workers: int = 2, chapter: str | None = None) -> list[dict]:
    """Grade notebooks with the one-file CLI, ``workers`` at a time."""
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")

    def one(path: Path) -> dict:
        cmd = [sys.executable, "-m", "autograder", "grade", str(path), "--details", "--compact"]
        if chapter:
            cmd += ["--chapter", chapter]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
        if proc.returncode != 0:
            return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else
                    f"exit {proc.returncode}", "returncode": proc.returncode}
        return json.loads(proc.stdout)

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, paths))
