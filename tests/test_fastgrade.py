"""The fast path (autograder.fastgrade) gives the same scores as the real
pipeline (nbgrader autograde through ``python -m autograder grade``), test cell
by test cell, on the solution, the stub and one wrong implementation of every
exercise of every chapter; test_power.py then relies on it for all variants."""

from __future__ import annotations

import nbformat
import pytest

from notebook_tools import CHAPTERS, grade_paths, notebook_for, variant_jobs, variants

SAMPLE = [(ch, key) for ch in CHAPTERS for key in
          [("solution",), ("stub",)] +
          [(ex, "wrong", next(iter(k["wrong"]))) for ex, k in variants(ch).VARIANTS.items()] +
          [(ex, "correct", next(iter(k["correct"])))
           for ex, k in list(variants(ch).VARIANTS.items())[:1]]]


@pytest.fixture(scope="module")
def real_results(tmp_path_factory):
    paths = []
    for i, (ch, key) in enumerate(SAMPLE):
        path = tmp_path_factory.mktemp(f"real{i:02d}") / f"{ch}.ipynb"
        nbformat.write(notebook_for(ch, variant_jobs(ch)[key]), path)
        paths.append(path)
    return dict(zip(SAMPLE, grade_paths(paths)))


@pytest.mark.parametrize("chapter, key", SAMPLE, ids=["-".join((c, *k)) for c, k in SAMPLE])
def test_fast_path_matches_real_pipeline(real_results, fast_results, chapter, key):
    real, fast = real_results[(chapter, key)], fast_results[(chapter, *key)]
    assert "error" not in real, real
    assert "error" not in fast, fast
    assert fast["tests"] == real["tests"]
    assert fast["exercises"] == real["exercises"]
    assert fast["failures"].keys() == real["failures"].keys()
