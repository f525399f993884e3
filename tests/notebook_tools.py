"""Variant jobs for the test-power checks, and grading notebooks through
``python -m autograder grade`` (the real pipeline: sandboxed kernel, nbgrader,
the judge), in parallel worker processes."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat

from autograder.course import chapters
from submissions import fill, released_answers, solution_answers

CHAPTERS = [c for c in chapters() if importlib.util.find_spec(f"variants.{c}")]
if os.environ.get("DLCOURSE_CHAPTERS"):   # e.g. DLCOURSE_CHAPTERS=ch01_tensors_autograd,ch02_...
    CHAPTERS = [c for c in CHAPTERS if c in os.environ["DLCOURSE_CHAPTERS"].split(",")]


def variants(chapter: str):
    return importlib.import_module(f"variants.{chapter}")


def variant_jobs(chapter: str) -> dict[tuple, dict[str, str]]:
    """("solution",), ("stub",) and (exercise, "wrong"|"correct", name) -> the
    answer cells that differ from the solution."""
    jobs = {("solution",): {}, ("stub",): released_answers(chapter)}
    for ex, kinds in variants(chapter).VARIANTS.items():
        for kind in ("wrong", "correct"):
            for name, code in kinds.get(kind, {}).items():
                jobs[(ex, kind, name)] = {ex: code}
    return jobs


def notebook_for(chapter: str, answers: dict[str, str]) -> nbformat.NotebookNode:
    """What a student would submit: the released notebook, solved but for ``answers``."""
    return fill(chapter, {**solution_answers(chapter), **answers})


def grade_paths(paths: list[Path], workers: int = 2) -> list[dict]:
    """Grade notebooks with the one-file CLI (``--details``), ``workers`` at a time."""
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", DLCOURSE_DEVICE="cpu")

    def one(path: Path) -> dict:
        cmd = [sys.executable, "-m", "autograder", "grade", str(path), "--details", "--compact"]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
        if proc.returncode != 0:
            return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else
                    f"exit {proc.returncode}"}
        return json.loads(proc.stdout)

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, paths))
