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


def pytest_terminal_summary(terminalreporter):
    """What each chapter costs the suite: a new chapter's cost shows up here."""
    from suite_cost import COST
    if not COST:
        return
    cols = list(COST)
    chapters = sorted({ch for v in COST.values() for ch in v})
    tr = terminalreporter
    tr.write_sep("=", "cost per chapter")
    tr.write_line(f"{'chapter':<30}" + "".join(f"{c:>26}" for c in cols))
    for ch in chapters:
        tr.write_line(f"{ch:<30}" + "".join(
            f"{COST[c][ch]:>26.1f}" if isinstance(COST[c].get(ch), float) else f"{COST[c].get(ch, '-'):>26}"
            for c in cols))


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
    """Every test-power job of every chapter, graded once through the judge by the
    test-power runner (tests/power.py): (chapter, *job key) -> summary with
    per-test ``tests`` and ``failures``."""
    import json
    import time

    from autograder.gradebook import summarize
    from autograder.course import load_chapter
    from notebook_tools import CHAPTERS, variant_jobs
    from power import grade_many
    jobs, keys = [], {}
    for ch in CHAPTERS:
        for key, answers in variant_jobs(ch).items():
            name = "/".join((ch, *key))
            jobs.append((ch, name, answers, key[0] if len(key) == 3 else None))
            keys[name] = (ch, *key)
    t0 = time.perf_counter()
    raw = grade_many(jobs, workers=int(os.environ.get("DLCOURSE_WORKERS", "2")))
    seconds = time.perf_counter() - t0
    out = {"__traces__": raw.pop("__traces__")}
    base_seconds = raw.pop("__base_seconds__")
    for name, r in raw.items():
        ch = keys[name][0]
        if "error" in r:
            out[keys[name]] = r
            continue
        pts = load_chapter(ch).tests
        summary = summarize(ch, {g: (v, pts[g]) for g, v in r["tests"].items()})
        summary["tests"] = r["tests"]
        summary["failures"] = r["failures"]
        out[keys[name]] = summary
    BUILD = REPO / "build"
    BUILD.mkdir(exist_ok=True)
    per_chapter = {ch: sum(1 for n in keys.values() if n[0] == ch) for ch in CHAPTERS}
    cpu = {ch: base_seconds.get(ch, 0.0) + sum(r.get("seconds", 0.0) for n, r in raw.items()
                                                 if keys[n][0] == ch) for ch in CHAPTERS}
    (BUILD / "test_power_time.json").write_text(json.dumps(
        {"seconds": round(seconds, 1), "jobs": len(jobs), "jobs_per_chapter": per_chapter,
         "worker_seconds_per_chapter": {ch: round(v, 1) for ch, v in cpu.items()}}, indent=1))
    from suite_cost import COST
    COST["test power (worker s)"] = {ch: cpu[ch] for ch in CHAPTERS}
    COST["variants"] = per_chapter
    print(f"\ntest-power runner: {len(jobs)} variants of {len(CHAPTERS)} chapters in {seconds:.1f} s")
    return out
