"""A faster path for grading many variants of one chapter (the test-power checks).

The real pipeline (``grading.grade_notebook``) starts a kernel, imports torch
and runs the whole notebook for every variant. Variants of one chapter share
everything up to the answer cell they change, so here one process imports
torch once and runs the chapter cell by cell in an IPython shell; at each
answer cell it forks one child per variant that first differs there, and the
child runs the rest with its own answers. A test cell scores 0 when it raises
or writes to stderr, as in nbgrader (library warnings go to stdout, as in the
grading kernels). ``tests/test_fastgrade.py`` proves it gives the same
scores as the real pipeline on solution, stub and wrong variants.

CPU only (CUDA does not survive a fork), one thread per process; POSIX only.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
from pathlib import Path

import nbformat

from .course import load_chapter, nbgrader_meta, source_notebook

_HIDDEN = re.compile(r"^[ \t]*### (BEGIN|END) HIDDEN TESTS[ \t]*\n?", re.M)
_SOLUTION = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.M)


class _CellTimeout(Exception):
    pass


def _code_cells(chapter: str, root: Path | None):
    """(grade_id or None, is_answer, is_test, points, source) per code cell, as
    nbgrader executes them: test cells with their hidden part."""
    nb = nbformat.read(source_notebook(chapter, root), as_version=4)
    out = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        meta = nbgrader_meta(cell)
        src = _SOLUTION.sub("", _HIDDEN.sub("", cell.source))
        is_test = bool(meta.get("grade")) and not meta.get("solution")
        out.append((meta.get("grade_id"), bool(meta.get("solution")), is_test,
                    float(meta.get("points", 0)), src))
    return out


def _shell():
    os.environ["DLCOURSE_DEVICE"] = "cpu"
    os.environ.setdefault("MPLBACKEND", "Agg")
    import torch
    import torch._dynamo  # noqa: F401 (loaded by the first optimizer; once here, not per child)
    torch.set_num_threads(1)
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    from . import kernel_ext
    kernel_ext.load_ipython_extension(shell)
    return shell


def _run_cell(shell, src: str, timeout: float) -> str | None:
    """Run one cell; None when it raised nothing and wrote nothing to stderr,
    else the failure as nbgrader's feedback would show it (``Error: message``)."""
    out, err = io.StringIO(), io.StringIO()

    def _alarm(*_):
        raise _CellTimeout(f"cell ran longer than {timeout:.0f} s")

    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            result = shell.run_cell(src, store_history=False, silent=False)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
    with contextlib.suppress(Exception):
        import matplotlib.pyplot as plt
        plt.close("all")
    exc = result.error_before_exec or result.error_in_exec
    if exc is not None:
        return f"{type(exc).__name__}: {exc}".strip()[:300]
    if err.getvalue():
        return "wrote to stderr: " + err.getvalue()[:200].strip()
    return None


def grade_variants(chapter: str, jobs: dict[str, dict[str, str]], root: Path | None = None,
                   workers: int = 2, cell_timeout: float = 120) -> dict[str, dict]:
    """Grade each job (``{answer grade_id: source}``, other answers = solution).

    Returns job name -> ``{"scores": {test grade_id: [score, max]}, "failures":
    {test grade_id: message}}``, as the real pipeline's gradebook and feedback give.
    """
    cells = _code_cells(chapter, root)
    load_chapter(chapter, root)
    answer_ids = [gid for gid, is_answer, *_ in cells if is_answer]
    # the answer cell at which each job first departs from the solution
    start = {}
    solution = {gid: src for gid, is_answer, _, _, src in cells if is_answer}
    for name, answers in jobs.items():
        first = next((g for g in answer_ids if g in answers and answers[g] != solution[g]), None)
        start[name] = first
    shell = _shell()
    running: dict[int, tuple[str, int]] = {}  # pid -> (job, read fd)
    results: dict[str, dict] = {}
    prefix: dict[str, list] = {}
    prefix_failures: dict[str, str] = {}

    def reap(block: bool) -> None:
        while running and (block or len(running) >= workers):
            pid, _status = os.wait()
            if pid in running:
                name, fd = running.pop(pid)
                with os.fdopen(fd) as f:
                    data = f.read()
                results[name] = json.loads(data) if data else {"error": "worker died"}
            block = False

    def fork_job(name: str, index: int) -> None:
        reap(block=False)
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:  # child: finish the notebook with this job's answers
            os.close(r)
            code = 0
            try:
                scores, failures = dict(prefix), dict(prefix_failures)
                for gid, is_answer, is_test, pts, src in cells[index:]:
                    if is_answer and gid in jobs[name]:
                        src = jobs[name][gid]
                    failure = _run_cell(shell, src, cell_timeout)
                    if is_test:
                        scores[gid] = [0.0 if failure else pts, pts]
                        if failure:
                            failures[gid] = failure
                payload = json.dumps({"scores": scores, "failures": failures})
            except BaseException as exc:  # noqa: BLE001
                payload, code = json.dumps({"error": repr(exc)}), 1
            with os.fdopen(w, "w") as f:
                f.write(payload)
            os._exit(code)
        os.close(w)
        running[pid] = (name, r)

    for i, (gid, is_answer, is_test, pts, src) in enumerate(cells):
        if is_answer:
            for name in [n for n, s in start.items() if s == gid]:
                fork_job(name, i)
        failure = _run_cell(shell, src, cell_timeout)
        if is_test:
            prefix[gid] = [0.0 if failure else pts, pts]
            if failure:
                prefix_failures[gid] = failure
    for name in [n for n, s in start.items() if s is None]:
        results[name] = {"scores": dict(prefix), "failures": dict(prefix_failures)}
    reap(block=True)
    while running:
        reap(block=True)
    return results
