"""The test-power runner (tests/power.py) gives the real pipeline's scores, test
cell by test cell: proved once for the mechanism, on one chapter (the solution,
the stub, one wrong implementation of every exercise and one correct rewrite),
through ``python -m autograder grade`` (sandboxed kernel, nbgrader, the judge).
Every other chapter's test power then relies on the runner."""

from __future__ import annotations

import nbformat
import pytest

from notebook_tools import grade_paths, notebook_for, variant_jobs, variants

CHAPTER = "ch08_backprop_by_hand"
SAMPLE = ([("solution",), ("stub",)]
          + [(ex, "wrong", next(iter(k["wrong"]))) for ex, k in variants(CHAPTER).VARIANTS.items()]
          + [(ex, "correct", next(iter(k["correct"])))
             for ex, k in list(variants(CHAPTER).VARIANTS.items())[:1]])


@pytest.fixture(scope="module")
def real_results(tmp_path_factory):
    paths = []
    for i, key in enumerate(SAMPLE):
        path = tmp_path_factory.mktemp(f"real{i:02d}") / f"{CHAPTER}.ipynb"
        nbformat.write(notebook_for(CHAPTER, variant_jobs(CHAPTER)[key]), path)
        paths.append(path)
    return dict(zip(SAMPLE, grade_paths(paths)))


@pytest.mark.parametrize("key", SAMPLE, ids=["-".join(k) for k in SAMPLE])
def test_runner_matches_real_pipeline(real_results, fast_results, key):
    if (CHAPTER, *key) not in fast_results:
        pytest.skip(f"{CHAPTER} is not among DLCOURSE_CHAPTERS")
    real, fast = real_results[key], fast_results[(CHAPTER, *key)]
    assert "error" not in real, real
    assert "error" not in fast, fast
    assert fast["tests"] == real["tests"]
    assert fast["exercises"] == real["exercises"]
    assert fast["failures"].keys() == real["failures"].keys()
