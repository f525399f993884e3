"""Test power, measured: per exercise, the solution gets full points, the stub
gets zero, every wrong implementation in tests/variants/<chapter>.py loses
points on that exercise (and nowhere else, unless another exercise calls it),
and every correct alternative gets full points. Graded through the test-power runner (tests/power.py),
which test_power_runner.py proves equal to the real pipeline (the judge)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from autograder.course import load_chapter
from notebook_tools import CHAPTERS, variants

BUILD = Path(__file__).resolve().parent.parent / "build"
CASES = [(ch, ex, kind, name)
         for ch in CHAPTERS
         for ex, kinds in variants(ch).VARIANTS.items()
         for kind in ("wrong", "correct")
         for name in kinds.get(kind, {})]
ONE_SENTENCE = re.compile(r"^AssertionError: [^\n]{10,}$")


def _ok(result):
    assert "error" not in result, f"grading failed: {result.get('error')}"
    return result


@pytest.fixture(scope="module", autouse=True)
def summary(fast_results):
    """build/test_power.json: per exercise, wrong variants rejected and correct accepted."""
    out = {}
    for ch, ex, kind, name in CASES:
        r = fast_results[(ch, ex, kind, name)]
        s = out.setdefault(ch, {}).setdefault(ex, {"wrong": 0, "rejected": 0,
                                                   "correct": 0, "accepted": 0})
        s[kind] += 1
        if "error" in r:
            continue
        if kind == "wrong":
            s["rejected"] += r["exercises"][ex]["score"] < r["exercises"][ex]["max_score"]
        else:
            s["accepted"] += r["score"] == r["max_score"]
    BUILD.mkdir(exist_ok=True)
    (BUILD / "test_power.json").write_text(json.dumps(out, indent=2))
    print(json.dumps(out, indent=1))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solution_gets_full_points(fast_results, chapter):
    r = _ok(fast_results[(chapter, "solution")])
    assert r["score"] == r["max_score"] == load_chapter(chapter).max_score, r["failures"]


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_stub_gets_zero(fast_results, chapter):
    r = _ok(fast_results[(chapter, "stub")])
    assert r["score"] == 0, {k: v for k, v in r["exercises"].items() if v["score"]}


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_dependencies_are_declared(fast_results, chapter):
    """What the solution's run shows: a test of B that runs E's code (E != B, not
    through ag.references) means a wrong E can cost B points; CALLS must say so."""
    calls = variants(chapter).CALLS
    exercise_of = __import__("autograder.course", fromlist=["exercise_of"]).exercise_of
    undeclared = set()
    for gid, ran in fast_results["__traces__"][chapter].items():
        b = exercise_of(gid)
        for e in ran:
            if e not in ("setup", b) and b not in calls.get(e, []):
                undeclared.add(f"{gid} runs {e}")
    assert not undeclared, f"add to CALLS (or use ag.references): {sorted(undeclared)}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_exercise_has_enough_variants(chapter):
    mod = variants(chapter)
    assert set(mod.VARIANTS) == set(load_chapter(chapter).exercises)
    for ex, kinds in mod.VARIANTS.items():
        assert len(kinds.get("wrong", {})) >= 3, f"{ex}: fewer than 3 wrong implementations"
        assert len(kinds.get("correct", {})) >= 1, f"{ex}: no correct alternative"


@pytest.mark.parametrize("chapter, exercise, kind, name", CASES,
                         ids=[f"{c}-{e}-{k}-{n}" for c, e, k, n in CASES])
def test_variant(fast_results, chapter, exercise, kind, name):
    r = _ok(fast_results[(chapter, exercise, kind, name)])
    ex = r["exercises"]
    if kind == "correct":
        assert r["score"] == r["max_score"], f"correct variant lost points: {r['failures']}"
        return
    assert ex[exercise]["score"] < ex[exercise]["max_score"], \
        f"wrong variant '{name}' of {exercise} got full points"
    allowed = {exercise, *variants(chapter).CALLS.get(exercise, [])}
    collateral = {e: v for e, v in ex.items() if e not in allowed and v["score"] < v["max_score"]}
    assert not collateral, f"wrong '{name}' of {exercise} also cost points on {collateral}"
    for gid, msg in r["failures"].items():
        if msg.startswith("AssertionError"):
            assert ONE_SENTENCE.match(msg), f"{gid}: failure message is not one sentence: {msg!r}"
