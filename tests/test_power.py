"""Test power, measured through the real pipeline (``python -m autograder grade``,
i.e. nbgrader autograde): per exercise, the solution gets full points, the stub
gets zero, every wrong implementation in tests/variants/<chapter>.py loses points
on that exercise (and nowhere else, unless another exercise calls it), and every
correct alternative gets full points."""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import nbformat
import pytest

from autograder.course import chapters, load_chapter
from autograder.submissions import fill, solution_answers
from notebook_tools import grade_paths

BUILD = Path(__file__).resolve().parent.parent / "build"
CHAPTERS = [c for c in chapters() if importlib.util.find_spec(f"variants.{c}")]


def _variants(chapter):
    return importlib.import_module(f"variants.{chapter}")


CASES = [(ch, ex, kind, name)
         for ch in CHAPTERS
         for ex, kinds in _variants(ch).VARIANTS.items()
         for kind in ("wrong", "correct")
         for name in kinds.get(kind, {})]


@pytest.fixture(scope="session")
def graded(tmp_path_factory):
    """Grade every variant notebook of every chapter once (2 at a time)."""
    jobs = {}
    for ch in CHAPTERS:
        d = tmp_path_factory.mktemp(ch)
        sol = solution_answers(ch)
        notebooks = {("solution",): fill(ch, sol), ("stub",): fill(ch, {})}
        for _, ex, kind, name in [c for c in CASES if c[0] == ch]:
            code = _variants(ch).VARIANTS[ex][kind][name]
            notebooks[(ex, kind, name)] = fill(ch, {**sol, ex: code})
        for i, (key, nb) in enumerate(notebooks.items()):
            path = d / f"{i:03d}" / f"{ch}.ipynb"
            path.parent.mkdir()
            nbformat.write(nb, path)
            jobs[(ch, *key)] = path
    keys = list(jobs)
    results = dict(zip(keys, grade_paths([jobs[k] for k in keys])))
    _write_summary(results)
    return results


def _write_summary(results):
    summary = {}
    for ch in CHAPTERS:
        for ex, kinds in _variants(ch).VARIANTS.items():
            s = summary.setdefault(ch, {}).setdefault(ex, {"wrong": 0, "rejected": 0,
                                                           "correct": 0, "accepted": 0})
            for name in kinds.get("wrong", {}):
                r = results[(ch, ex, "wrong", name)]
                s["wrong"] += 1
                s["rejected"] += int("error" not in r and
                                     r["exercises"][ex]["score"] < r["exercises"][ex]["max_score"])
            for name in kinds.get("correct", {}):
                r = results[(ch, ex, "correct", name)]
                s["correct"] += 1
                s["accepted"] += int("error" not in r and r["score"] == r["max_score"])
    BUILD.mkdir(exist_ok=True)
    (BUILD / "test_power.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=1))


def _ok(result):
    assert "error" not in result, f"grading failed: {result.get('error')}"
    return result


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solution_gets_full_points(graded, chapter):
    r = _ok(graded[(chapter, "solution")])
    assert r["score"] == r["max_score"] == load_chapter(chapter).max_score, r["failures"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_stub_gets_zero(graded, chapter):
    r = _ok(graded[(chapter, "stub")])
    assert r["score"] == 0, {k: v for k, v in r["exercises"].items() if v["score"]}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_exercise_has_enough_variants(chapter):
    mod = _variants(chapter)
    assert set(mod.VARIANTS) == set(load_chapter(chapter).exercises)
    for ex, kinds in mod.VARIANTS.items():
        assert len(kinds.get("wrong", {})) >= 3, f"{ex}: fewer than 3 wrong implementations"
        assert len(kinds.get("correct", {})) >= 1, f"{ex}: no correct alternative"


ONE_SENTENCE = re.compile(r"^AssertionError: [^\n]{10,}$")


@pytest.mark.parametrize("chapter, exercise, kind, name", CASES,
                         ids=[f"{c}-{e}-{k}-{n}" for c, e, k, n in CASES])
def test_variant(graded, chapter, exercise, kind, name):
    r = _ok(graded[(chapter, exercise, kind, name)])
    ex = r["exercises"]
    if kind == "correct":
        assert r["score"] == r["max_score"], f"correct variant lost points: {r['failures']}"
        return
    assert ex[exercise]["score"] < ex[exercise]["max_score"], \
        f"wrong variant '{name}' of {exercise} got full points"
    allowed = {exercise, *_variants(chapter).CALLS.get(exercise, [])}
    collateral = {e: v for e, v in ex.items() if e not in allowed and v["score"] < v["max_score"]}
    assert not collateral, f"wrong '{name}' of {exercise} also cost points on {collateral}"
    for gid, msg in r["failures"].items():
        if msg.startswith("AssertionError"):
            assert ONE_SENTENCE.match(msg), f"{gid}: failure message is not one sentence: {msg!r}"
