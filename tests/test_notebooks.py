"""Every chapter: the solution notebook runs cleanly, notebooks/ is exactly what
`make release` makes, and the student version hides solutions and hidden tests
and runs up to its first exercise."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from autograder import classroom
from autograder.course import chapters, load_chapter, nbgrader_meta, released_notebook, source_notebook

CHAPTERS = chapters()
HERE = Path(__file__).resolve().parent
TIMES = HERE.parent / "build" / "notebook_times.json"
LIMIT_S = 60          # each solution notebook on a 2-core CPU


@pytest.fixture(scope="session")
def executed():
    """Every solution notebook, and every released one up to its first stub, each in
    a fresh kernel, two at a time: (kind, chapter) -> {seconds, error, stderr_tests}."""
    jobs = [("solution", ch, source_notebook(ch), []) for ch in CHAPTERS] + \
           [("released", ch, released_notebook(ch), ["--upto-first-stub"]) for ch in CHAPTERS]
    env = dict(os.environ, DLCOURSE_DEVICE=os.environ.get("DLCOURSE_DEVICE", "cpu"),
               OMP_NUM_THREADS="1", MPLBACKEND="Agg")

    def run(job):
        kind, ch, path, extra = job
        proc = subprocess.run([sys.executable, str(HERE / "execute_notebook.py"), str(path), *extra],
                              capture_output=True, text=True, env=env, timeout=600)
        try:
            return (kind, ch), json.loads(proc.stdout.strip().splitlines()[-1])
        except (ValueError, IndexError):
            return (kind, ch), {"error": proc.stderr.strip()[-300:], "seconds": None, "stderr_tests": []}

    with ThreadPoolExecutor(int(os.environ.get("DLCOURSE_WORKERS", "2"))) as pool:
        out = dict(pool.map(run, jobs))
    TIMES.parent.mkdir(exist_ok=True)
    TIMES.write_text(json.dumps({ch: out[("solution", ch)]["seconds"] for ch in CHAPTERS},
                                indent=2, sort_keys=True))
    from suite_cost import COST
    for kind, col in (("solution", "solution notebook (s)"), ("released", "released, to 1st stub (s)")):
        COST[col] = {ch: float(out[(kind, ch)]["seconds"]) if out[(kind, ch)]["seconds"] is not None
                     else "error" for ch in CHAPTERS}
    return out


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solution_notebook_executes_cleanly_and_in_time(executed, chapter):
    r = executed[("solution", chapter)]
    print(f"{chapter}: solution notebook executed in {r['seconds']} s")
    assert r["error"] is None, f"{chapter}: {r['error']}"
    assert not r["stderr_tests"], \
        f"{chapter}: test cells write to stderr (nbgrader would score 0): {r['stderr_tests']}"
    assert r["seconds"] <= LIMIT_S, f"{chapter} took {r['seconds']} s (limit {LIMIT_S} s)"


@pytest.fixture(scope="session")
def fresh_release(tmp_path_factory):
    root = tmp_path_factory.mktemp("release")
    (root / "solutions").symlink_to(source_notebook(CHAPTERS[0]).parent.parent)
    classroom.release(root)
    return root


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_released_notebooks_match_a_fresh_release(chapter, fresh_release):
    fresh = (fresh_release / "notebooks" / chapter / f"{chapter}.ipynb").read_text()
    committed = released_notebook(chapter).read_text()
    assert committed == fresh, f"notebooks/{chapter} is stale: run `make release` and commit it"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_released_notebook_hides_solutions_and_hidden_tests(chapter):
    text = released_notebook(chapter).read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"):
        assert marker not in text, f"notebooks/{chapter} still contains '### {marker}'"
    src = nbformat.read(source_notebook(chapter), as_version=4)
    rel = nbformat.read(released_notebook(chapter), as_version=4)
    rel_cells = {nbgrader_meta(c).get("grade_id"): c for c in rel.cells if nbgrader_meta(c)}
    hidden = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
    solution = re.compile(r"### BEGIN SOLUTION\n(.*?)[ \t]*### END SOLUTION", re.S)
    for cell in src.cells:
        gid = nbgrader_meta(cell).get("grade_id")
        if not gid:
            continue
        released = rel_cells[gid].source
        for block in hidden.findall(cell.source) + solution.findall(cell.source):
            for line in block.strip().splitlines():
                assert len(line.strip()) < 12 or line.strip() not in released, \
                    f"{chapter}/{gid}: released cell shows '{line.strip()}'"
        if nbgrader_meta(cell).get("solution"):
            assert "raise NotImplementedError()" in released, f"{chapter}/{gid} has no stub"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_released_notebook_runs_up_to_its_first_stub(executed, chapter):
    r = executed[("released", chapter)]
    assert r["error"] and "NotImplementedError" in r["error"], \
        f"notebooks/{chapter} should run to its first stub and stop there, got: {r['error']}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_chapter_shape(chapter):
    """Each exercise: task text, answer cell, visible check, hidden graded tests."""
    ch = load_chapter(chapter)
    nb = nbformat.read(source_notebook(chapter), as_version=4)
    ids = [nbgrader_meta(c).get("grade_id") for c in nb.cells]
    for ex in ch.exercises:
        i = ids.index(ex)
        assert nb.cells[i - 1].cell_type == "markdown", f"{ex}: no task text before the answer"
        assert ids[i + 1] == f"check_{ex}", f"{ex}: the visible check must follow the answer"
        assert ch.exercise_points()[ex] > 0, f"{ex}: no hidden graded tests"
    for gid in ch.tests:
        cell = nb.cells[ids.index(gid)]
        assert "### BEGIN HIDDEN TESTS" in cell.source, f"{gid} has no hidden part"
        last = [ln for ln in cell.source.splitlines() if ln.strip() and not ln.startswith("#")]
        assert not re.match(r"^[\w.]+$", last[-1].strip()), \
            f"{gid} ends with a bare expression, which nbgrader reads as partial credit"
    assert nb.metadata.kernelspec.name == "python3"
