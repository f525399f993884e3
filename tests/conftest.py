"""Shared fixtures. Tests never download and never touch the course's own
gradebook, submissions or reports: graders run in temporary directories."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

# Grading caches and device choice for the whole session.
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", "")


@pytest.fixture(scope="session", autouse=True)
def _isolated_cache(tmp_path_factory):
    """Gradebook templates go to a per-session cache, not ~/.cache."""
    os.environ["DLCOURSE_CACHE"] = str(tmp_path_factory.mktemp("dlcache"))
    yield


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def device():
    import autograder as ag
    return ag.get_device()


@pytest.fixture(scope="session")
def fast_results():
    """Every test-power job of every chapter, graded by the fast path once:
    (chapter, *job key) -> summary with per-test ``tests`` and ``failures``."""
    from autograder.fastgrade import grade_variants
    from autograder.grading import summarize
    from notebook_tools import CHAPTERS, variant_jobs
    out = {}
    for ch in CHAPTERS:
        jobs = variant_jobs(ch)
        names = {"/".join(k): k for k in jobs}
        raw = grade_variants(ch, {n: jobs[k] for n, k in names.items()})
        for n, r in raw.items():
            if "error" in r:
                out[(ch, *names[n])] = r
                continue
            summary = summarize(ch, {g: tuple(v) for g, v in r["scores"].items()})
            summary["tests"] = {g: v[0] for g, v in sorted(r["scores"].items())}
            summary["failures"] = r["failures"]
            out[(ch, *names[n])] = summary
    return out
