"""Every chapter: the solution notebook runs cleanly, notebooks/ is exactly what
`make release` makes, and the student version hides solutions and hidden tests
and runs up to its first exercise."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from autograder import classroom
from autograder.course import chapters, load_chapter, nbgrader_meta, released_notebook, source_notebook

CHAPTERS = chapters()
TIMES = Path(__file__).resolve().parent.parent / "build" / "notebook_times.json"


def _execute(nb, cwd: Path, timeout=120):
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd)}})
    client.execute()
    return nb


def _record_time(chapter: str, seconds: float) -> None:
    TIMES.parent.mkdir(exist_ok=True)
    times = json.loads(TIMES.read_text()) if TIMES.is_file() else {}
    times[chapter] = round(seconds, 2)
    TIMES.write_text(json.dumps(times, indent=2, sort_keys=True))


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_solution_notebook_executes_cleanly(chapter):
    path = source_notebook(chapter)
    nb = nbformat.read(path, as_version=4)
    t0 = time.perf_counter()
    _execute(nb, path.parent)  # raises CellExecutionError on any error
    seconds = time.perf_counter() - t0
    _record_time(chapter, seconds)
    print(f"{chapter}: solution notebook executed in {seconds:.1f} s")
    stderr = [nbgrader_meta(c).get("grade_id") for c in nb.cells if c.cell_type == "code"
              and nbgrader_meta(c).get("grade")
              and any(o.get("name") == "stderr" for o in c.outputs)]
    assert not stderr, f"{chapter}: test cells write to stderr (nbgrader would score 0): {stderr}"


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_released_notebooks_match_a_fresh_release(chapter, tmp_path):
    (tmp_path / "solutions").symlink_to(source_notebook(chapter).parent.parent)
    classroom.release(tmp_path, chapter)
    fresh = (tmp_path / "notebooks" / chapter / f"{chapter}.ipynb").read_text()
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
def test_released_notebook_runs_up_to_its_first_stub(chapter):
    path = released_notebook(chapter)
    nb = nbformat.read(path, as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if nbgrader_meta(c).get("solution"))
    nb.cells = nb.cells[:first + 1]
    _execute(nb, path.parent)


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
