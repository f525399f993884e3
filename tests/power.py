"""The test-power runner: many variants of a chapter through the judge, fast.

Grading one notebook for real starts a sandboxed Jupyter kernel (importing
torch) and runs every cell. The variants here are the course's own code, so
this runner keeps what decides a grade and drops the rest: per variant it
forks a child of this process (torch already imported) that runs the setup
cell and the answer cells, then serves the judge's requests over a pipe
(``kernel_side.serve_pipe``, the same agent as in the kernel); the hidden test
cells run here through the same ``HiddenTests`` as in real grading. A cell
scores its points when it raises nothing. ``test_power_runner.py`` proves it
gives the real pipeline's scores, test cell by test cell.

CPU only, one thread per process; POSIX only.
"""

from __future__ import annotations

import io
import os
import time
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

from autograder.course import load_chapter, source_notebook
from autograder.markers import is_answer_cell, is_test_cell, meta, strip_markers


def chapter_cells(chapter: str, root: Path | None = None):
    """(setup source, {answer gid: source}, [(test gid, points, source)])."""
    nb = nbformat.read(source_notebook(chapter, root), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    setup = code[0].source if code and not meta(code[0]).get("grade_id", "").startswith("test_") else ""
    answers = {meta(c)["grade_id"]: strip_markers(c.source) for c in code if is_answer_cell(c)}
    tests = [(meta(c)["grade_id"], float(meta(c).get("points", 0)), c.source)
             for c in code if is_test_cell(c)]
    return setup, answers, tests


def _kernel_child(setup: str, order: list[str], answers: dict[str, str], rfd: int, wfd: int,
                  trace: bool) -> None:
    from autograder.judge.kernel_side import serve_pipe
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    sys.stdout = sys.stderr = io.StringIO()
    ns = {"__name__": "__main__"}
    for name, src in [("setup", setup)] + [(g, answers[g]) for g in order]:
        try:
            exec(compile(src, f"<answer:{name}>", "exec"), ns)
        except BaseException:       # a broken cell, as in a kernel: the rest still runs
            pass
    if trace:                       # which answer cells' code each request ran
        seen = ns["__trace__"] = []

        def profile(frame, event, arg):
            if event == "call":
                f = frame.f_code.co_filename
                if f.startswith("<answer:") and f[8:-1] not in seen:
                    seen.append(f[8:-1])
        sys.setprofile(profile)
    serve_pipe(rfd, wfd, ns)


def grade_one(chapter: str, answers: dict[str, str], timeout: float = 120.0,
              only: set[str] | None = None, trace: bool = False) -> dict:
    """Scores of one variant: {"tests": {gid: points}, "failures": {gid: "Name: msg"}}
    for the test cells in ``only`` (all by default); with ``trace``, also
    {"trace": {gid: [answer cells whose code the test ran]}}."""
    from autograder.judge.hidden import HiddenTests
    from autograder.judge.session import Session
    from autograder.judge.transport import PipeTransport
    setup, solution, tests = _CACHE.get(chapter) or _cache(chapter)
    full = {**solution, **answers}
    r1, w1 = os.pipe()
    r2, w2 = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(w1)
            os.close(r2)
            _kernel_child(setup, list(solution), full, r1, w2, trace)
        finally:
            os._exit(0)
    os.close(r1)
    os.close(w2)
    transport = PipeTransport(r2, w1)
    session = Session(transport)
    hidden = _HIDDEN.setdefault(chapter, HiddenTests(chapter))
    hidden.ns = None
    out = {"tests": {}, "failures": {}, "trace": {}}
    gone = None
    for gid, points, src in tests:
        if only is not None and gid not in only:
            continue
        if gone:
            out["tests"][gid] = 0.0
            out["failures"][gid] = f"KernelGone: {gone}"
            continue
        outputs, gone = hidden.run(src, session, timeout)
        err = next((o for o in outputs if o.output_type == "error"), None)
        out["tests"][gid] = 0.0 if err else points
        if err:
            out["failures"][gid] = f"{err.ename}: {err.evalue}"
        if trace and not gone:
            out["trace"][gid] = list(session.resolve(["__trace__"]).get("__trace__", []))
            transport.request({"op": "exec", "code": "__trace__.clear()"}, None, None)
    transport.close()
    try:
        os.kill(pid, 9)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    return out


_CACHE: dict = {}
_HIDDEN: dict = {}


def _cache(chapter: str):
    _CACHE[chapter] = chapter_cells(chapter)
    return _CACHE[chapter]


def _init_worker() -> None:
    os.environ["DLCOURSE_DEVICE"] = "cpu"
    os.environ.setdefault("MPLBACKEND", "Agg")
    import torch
    torch.set_num_threads(1)
    import matplotlib.pyplot  # noqa: F401  (the setup cells import it)
    import torch._dynamo  # noqa: F401  (loaded by the first optimizer; once here, not per child)

    import autograder as ag
    ag.get_device()


def _job(args):
    chapter, name, answers, only, trace = args
    t0 = time.perf_counter()
    try:
        r = grade_one(chapter, answers, only=only, trace=trace)
    except Exception as exc:  # a runner failure is reported, not raised across processes
        r = {"error": f"{type(exc).__name__}: {exc}"}
    r["seconds"] = time.perf_counter() - t0
    return name, r


def affected_tests(chapter: str, exercise: str, trace: dict[str, list[str]]) -> set[str] | None:
    """The test cells a variant of ``exercise`` can change: those whose run of the
    solution executed its code, and its own. None (all) for data exercises."""
    _, solution, tests = _CACHE.get(chapter) or _cache(chapter)
    code = solution.get(exercise, "")
    if not any(line.startswith(("def ", "class ")) for line in code.splitlines()):
        return None
    own = {g for g, _, _ in tests if g == f"test_{exercise}" or g.startswith(f"test_{exercise}__")}
    return own | {g for g, ran in trace.items() if exercise in ran}


def grade_many(jobs: list[tuple[str, str, dict[str, str], str | None]], workers: int = 2) -> dict[str, dict]:
    """(chapter, name, answers, changed exercise or None) -> name: scores.

    The solution of each chapter runs first, traced; then each variant runs only
    the test cells its changed exercise can affect (``affected_tests``), the
    others keeping the solution's scores. ``workers`` processes at a time."""
    import multiprocessing
    ctx = multiprocessing.get_context("fork")
    out = {}
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker) as pool:
        chapters = sorted({j[0] for j in jobs})
        base = dict(pool.map(_job, [(ch, ch, {}, None, True) for ch in chapters]))
        todo = []
        for ch, name, answers, exercise in jobs:
            if "error" in base[ch]:
                out[name] = base[ch]
                continue
            _cache(ch)
            only = None if exercise is None else affected_tests(ch, exercise, base[ch]["trace"])
            todo.append((ch, name, answers, only, False))
        for name, r in pool.map(_job, todo, chunksize=1):
            ch = next(j[0] for j in jobs if j[1] == name)
            if "error" not in r:
                tests = {**base[ch]["tests"], **r["tests"]}
                failures = {g: m for g, m in base[ch]["failures"].items() if g not in r["tests"]}
                r = {"tests": tests, "failures": {**failures, **r["failures"]}, "only": sorted(r["tests"]),
                     "seconds": r["seconds"]}
            out[name] = r
    out["__traces__"] = {ch: base[ch].get("trace", {}) for ch in chapters}
    out["__base_seconds__"] = {ch: base[ch]["seconds"] for ch in chapters}
    return out
