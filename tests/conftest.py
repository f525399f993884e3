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
