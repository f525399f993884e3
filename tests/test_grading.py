"""The one-file grade command and the class autograde, on a tiny chapter
(ch00_smoke, no torch) so each grade takes about a second."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import smoke_chapter as sc
from autograder import classroom
from autograder.course import GradingError, chapter_from_filename, exercise_of


@pytest.fixture(scope="module")
def course(tmp_path_factory, monkeypatch_module):
    root = sc.make_course(tmp_path_factory.mktemp("course"))
    monkeypatch_module.setenv("DLCOURSE_ROOT", str(root))
    classroom.release(root)
    return root


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def _src(root):
    return nbformat.read(root / "solutions" / sc.CHAPTER / f"{sc.CHAPTER}.ipynb", as_version=4)


def _released(root):
    return nbformat.read(root / "notebooks" / sc.CHAPTER / f"{sc.CHAPTER}.ipynb", as_version=4)


def _tree_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def _cli(*args, env_extra=None):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "autograder", *args], capture_output=True,
                          text=True, env=env, timeout=300)


def test_exercise_names_from_grade_ids():
    assert exercise_of("test_xor_backward") == "xor_backward"
    assert exercise_of("test_xor_backward__shapes") == "xor_backward"
    assert exercise_of("test_GATE_WEIGHTS") == "GATE_WEIGHTS"
    assert chapter_from_filename(Path("x/ch08_backprop_by_hand.ipynb")) == "ch08_backprop_by_hand"
    with pytest.raises(GradingError, match="chNN_slug"):
        chapter_from_filename(Path("homework.ipynb"))


def test_grade_cli_prints_scores_per_exercise_and_changes_nothing(course, tmp_path):
    before = _tree_digest(course)
    nb = _src(course)
    path = tmp_path / f"{sc.CHAPTER}.ipynb"
    nbformat.write(nb, path)
    proc = _cli("grade", str(path))
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == {
        "chapter": sc.CHAPTER, "score": 4.0, "max_score": 4.0,
        "exercises": {"double": {"score": 1.0, "max_score": 1.0},
                      "halve": {"score": 3.0, "max_score": 3.0}}}
    assert _tree_digest(course) == before


def test_grade_stub_partial_and_renamed_file(course, tmp_path):
    nb = _released(course)
    path = tmp_path / "my_homework.ipynb"
    nbformat.write(nb, path)
    out = json.loads(_cli("grade", str(path), "--chapter", sc.CHAPTER).stdout)
    assert out["score"] == 0.0
    nb.cells[5].source = "def halve(x):\n    return x // 2"  # right on even ints only
    nbformat.write(nb, path)
    out = json.loads(_cli("grade", str(path), "--chapter", sc.CHAPTER, "--details").stdout)
    assert out["exercises"]["halve"] == {"score": 1.0, "max_score": 3.0}
    assert out["failures"]["test_halve__odd"] == "AssertionError: halve(3) should be 1.5."


@pytest.mark.parametrize("content, name, reason", [
    ('{"cells": [', f"{sc.CHAPTER}.ipynb", "not a valid Jupyter notebook"),
    ("print('hello')\n", f"{sc.CHAPTER}.ipynb", "not a valid Jupyter notebook"),
    ("{}", "ch99_unknown.ipynb", "unknown chapter 'ch99_unknown'"),
    ("{}", "notes.ipynb", "cannot tell the chapter"),
    (None, f"{sc.CHAPTER}.ipynb", "no such file"),
])
def test_grade_cli_refuses_what_it_cannot_grade(course, tmp_path, content, name, reason):
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    proc = _cli("grade", str(path))
    assert proc.returncode == 2
    assert reason in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert proc.stdout == ""


def test_edited_or_deleted_tests_are_restored(course, tmp_path):
    nb = _src(course)
    nb.cells[5].source = "def halve(x):\n    return 0"
    nb.cells[6].source = "pass"            # visible-test cell edited away
    del nb.cells[7]                        # hidden test cells deleted, one after a read-only
    del nb.cells[4]                        # check cell (nbgrader 0.9.6 crashes on that one)
    nb.cells[2].metadata["nbgrader"]["points"] = 99
    path = tmp_path / f"{sc.CHAPTER}.ipynb"
    nbformat.write(nb, path)
    out = json.loads(_cli("grade", str(path)).stdout)
    assert out["max_score"] == 4.0
    assert out["exercises"]["halve"]["score"] == 0.0
    assert out["exercises"]["double"]["score"] == 1.0


def _submit(root, student, nb=None, raw=None):
    d = root / "submitted" / student / sc.CHAPTER
    d.mkdir(parents=True, exist_ok=True)
    if raw is not None:
        (d / f"{sc.CHAPTER}.ipynb").write_text(raw)
    else:
        nbformat.write(nb, d / f"{sc.CHAPTER}.ipynb")


def test_class_autograde_grades_in_parallel_and_writes_one_gradebook(course, monkeypatch):
    """Two workers, one writer: every submission has a row with a status; good work
    is scored, bad work fails alone with its reason; the course's own files are
    unchanged; re-running gives the same grades; feedback hides the hidden tests."""
    monkeypatch.setenv("DLCOURSE_CELL_TIMEOUT", "5")
    src = _src(course)
    _submit(course, "good", src)
    _submit(course, "stub", _released(course))
    _submit(course, "broken", raw='{"cells": [')
    loop = _src(course)
    loop.cells[2].source = "def double(x):\n    while True:\n        pass"
    _submit(course, "loop", loop)
    killer = _src(course)
    killer.cells[2].source = "import os\nos._exit(1)"
    _submit(course, "killer", killer)
    protected = {k: v for k, v in _tree_digest(course).items()
                 if k.startswith(("solutions", "notebooks", "submitted", "nbgrader_config"))}

    classroom.autograde(course, jobs=2)

    rows = {r["student"]: r for r in csv.DictReader(open(course / "reports/autograde_report.csv"))}
    first = {s: (r["status"], r["score"]) for s, r in rows.items()}
    assert first == {
        "good": ("graded", "4.0"), "stub": ("graded", "0.0"), "broken": ("failed", ""),
        "loop": ("graded", "3.0"), "killer": ("graded", "0.0")}
    assert "not a valid Jupyter notebook" in rows["broken"]["reason"]
    after = _tree_digest(course)
    assert {k: after.get(k) for k in protected} == protected

    from autograder.gradebook import scores
    assert scores(f"sqlite:///{course / 'gradebook.db'}", sc.CHAPTER, "good") == {
        "test_double": (1.0, 1.0), "test_halve__int": (1.0, 1.0), "test_halve__odd": (2.0, 2.0)}

    classroom.autograde(course, jobs=1, force=True)    # unchanged: only --force grades again
    rows = {r["student"]: r for r in csv.DictReader(open(course / "reports/autograde_report.csv"))}
    assert {s: (r["status"], r["score"]) for s, r in rows.items()} == first

    classroom.grades(course)
    assert (course / "reports" / "class_results.png").stat().st_size > 1000
    table = {r["student"]: r for r in csv.DictReader(open(course / "reports" / "grades.csv"))}
    assert float(table["good"]["total"]) == 4.0 and float(table["broken"]["total"]) == 0.0
    classroom.feedback(course)
    html = (course / "feedback" / "good" / sc.CHAPTER / f"{sc.CHAPTER}.html").read_text()
    graded = (course / "autograded" / "good" / sc.CHAPTER / f"{sc.CHAPTER}.ipynb").read_text()
    for seen in (html, graded):
        assert "halve(3) should be 1.5" not in seen     # a hidden test's source
        assert "hidden tests: they ran when your notebook was graded" in seen


@pytest.mark.parametrize("hack", [
    "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])",
    "ip = get_ipython()\n_run = ip.run_cell\nip.run_cell = lambda raw_cell, *a, **k: _run('pass', *a, **k)",
    "import sys, io\nsys.stdout = io.StringIO()\ndef double(x):\n    return 2 * x",
], ids=["input-transformer", "run_cell-patch", "stdout-swallowed"])
def test_code_that_skips_the_tests_earns_nothing(course, tmp_path, hack):
    """Stock nbgrader gives the first two one-liners full marks: its tests run in the
    student's kernel. Here they run in the judge, so only real answers count."""
    nb = _released(course)
    nb.cells[2].source = hack
    path = tmp_path / f"{sc.CHAPTER}.ipynb"
    nbformat.write(nb, path)
    out = json.loads(_cli("grade", str(path), "--details").stdout)
    expected = {"double": 1.0 if "def double" in hack else 0.0, "halve": 0.0}
    assert {e: v["score"] for e, v in out["exercises"].items()} == expected, out
