"""How much grading costs compared with just executing the notebook.

For each chapter, on a solution-filled student notebook, prints wall-clock seconds of:
  execute   plain nbclient run in a fresh process (`jupyter execute`)
  +tests    the same, with the hidden tests in place (the source notebook: what a
            grader runs; stock nbgrader runs them in the kernel)
  grade     python -m autograder grade (sandboxed kernel, nbgrader autograde with the judge,
            cached gradebook)
  stock     nbgrader's own CLI in a fresh course: generate_assignment, then autograde
Usage: .venv/bin/python benchmarks/grade_speed.py [--repeat N] [--chapter CH ...]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from autograder.course import chapters, course_root

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from submissions import fill, solution_answers  # noqa: E402

BIN = Path(sys.executable).parent
ENV = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")  # nbgrader needs alembic


def _time(cmd, cwd=None) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, capture_output=True, env=ENV)
    return time.perf_counter() - t0


def _stock(chapter: str, nb_path: Path) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        shutil.copy(course_root() / "nbgrader_config.py", tmp)
        shutil.copytree(course_root() / "solutions" / chapter, tmp / "solutions" / chapter)
        sub = tmp / "submitted" / "s1" / chapter
        sub.mkdir(parents=True)
        shutil.copy(nb_path, sub / f"{chapter}.ipynb")
        t0 = time.perf_counter()
        for args in (["generate_assignment", chapter, "--force"],
                     ["autograde", chapter, "--force"]):
            subprocess.run([BIN / "nbgrader", *args], cwd=tmp, check=True, capture_output=True,
                           env=ENV)
        return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--chapter", action="append", help="only these chapters")
    args = ap.parse_args()
    print(f"{'chapter':<26}{'execute':>9}{'+tests':>9}{'grade':>9}{'stock':>9}"
          f"{'grade/execute':>15}{'grade/+tests':>14}")
    with tempfile.TemporaryDirectory() as tmp:
        for ch in args.chapter or chapters():
            path = Path(tmp) / f"{ch}.ipynb"
            nbformat.write(fill(ch, solution_answers(ch)), path)
            grade = [sys.executable, "-m", "autograder", "grade", str(path)]
            _time(grade)  # builds the cached gradebook once
            runs = {"execute": [], "+tests": [], "grade": [], "stock": []}
            with_tests = Path(tmp) / f"{ch}_with_tests.ipynb"
            shutil.copy(course_root() / "solutions" / ch / f"{ch}.ipynb", with_tests)
            for _ in range(args.repeat):
                out = Path(tmp) / "executed.ipynb"
                runs["execute"].append(_time([BIN / "jupyter-execute", str(path),
                                              f"--output={out}"], cwd=tmp))
                runs["+tests"].append(_time([BIN / "jupyter-execute", str(with_tests),
                                             f"--output={out}"], cwd=tmp))
                runs["grade"].append(_time(grade))
            runs["stock"].append(_stock(ch, path))
            med = {k: statistics.median(v) for k, v in runs.items()}
            print(f"{ch:<26}{med['execute']:>9.1f}{med['+tests']:>9.1f}{med['grade']:>9.1f}"
                  f"{med['stock']:>9.1f}{med['grade'] / med['execute']:>15.2f}"
                  f"{med['grade'] / med['+tests']:>14.2f}", flush=True)


if __name__ == "__main__":
    main()
