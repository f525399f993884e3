"""Grade one submitted notebook through nbgrader's real autograde pipeline.

``grade_notebook(path)`` builds a throw-away course directory (so nothing of
the course changes), puts the submission in ``submitted/student/<chapter>/``,
and runs nbgrader's ``Autograde`` converter in-process: the same sanitizing
preprocessors (restore test and locked cells from the gradebook, re-add deleted
tests), the same ``Execute`` in a fresh kernel, the same ``SaveAutoGrades``.
Scores are read back from that gradebook.

Two things make it cost little more than executing the notebook:
* the chapter's gradebook (what ``generate_assignment`` records) is built once
  per version of the source notebook and cached, instead of per call;
* the fresh kernel is started first, importing torch, while this process
  imports nbgrader; nbgrader's ``Execute`` then runs the notebook in it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import warnings
from pathlib import Path

from .course import (GradingError, course_root, exercise_of, load_chapter, nbgrader_meta,
                     source_notebook)

STUDENT = "student"
CACHE_ENV = "DLCOURSE_CACHE"


def _ensure_env_on_path() -> None:
    """nbgrader shells out to ``alembic``; kernels must be this interpreter."""
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def load_config(course_dir: Path, root: Path | None = None):
    """The course's nbgrader_config.py, pointed at ``course_dir``."""
    from traitlets.config.loader import PyFileConfigLoader
    root = root or course_root()
    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    cfg.CourseDirectory.root = str(course_dir)
    return cfg


def read_submission(path: Path):
    """The notebook at ``path``, or a one-line ``GradingError``."""
    import nbformat
    path = Path(path)
    if not path.is_file():
        raise GradingError(f"no such file: {path}")
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:  # JSON errors, schema errors, binary junk
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GradingError(f"{path.name} is not a valid Jupyter notebook: {reason[:120]}") from None
    return nb


def _looks_like_notebook(path: Path) -> None:
    """A cheap first check (before a kernel is started): readable JSON with cells."""
    path = Path(path)
    if not path.is_file():
        raise GradingError(f"no such file: {path}")
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, UnicodeDecodeError) as exc:
        raise GradingError(f"{path.name} is not a valid Jupyter notebook: not JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise GradingError(f"{path.name} is not a valid Jupyter notebook: it has no list of cells")


def _cache_dir() -> Path:
    base = os.environ.get(CACHE_ENV) or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "dlcourse")
    return Path(base) / "gradebooks"


def gradebook_template(chapter: str, root: Path | None = None) -> Path:
    """A gradebook holding ``chapter`` as ``generate_assignment`` records it.

    Cached by the hash of the source notebook and the nbgrader config, so an
    edited chapter gets a new one.
    """
    import nbgrader
    root = root or course_root()
    src = source_notebook(chapter, root)
    key = hashlib.sha256(src.read_bytes() + (root / "nbgrader_config.py").read_bytes()
                         + nbgrader.__version__.encode()).hexdigest()[:16]
    target = _cache_dir() / f"{chapter}-{key}.db"
    if target.is_file():
        return target
    with tempfile.TemporaryDirectory(prefix="dlcourse-gb-") as tmp:
        tmp = Path(tmp)
        shutil.copytree(src.parent, tmp / "solutions" / chapter)
        generate_assignment(chapter, tmp, root)
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_suffix(f".{os.getpid()}.part")
        shutil.copy(tmp / "gradebook.db", part)
        os.replace(part, target)
    return target


def _run_app(app) -> None:
    """Run an nbgrader converter, turning its failure into a one-line GradingError."""
    from nbgrader.converters.base import NbGraderException
    _ensure_env_on_path()
    buf = io.StringIO()
    handler = logging.StreamHandler(buf)
    handler.setLevel(logging.ERROR)
    app.log.addHandler(handler)
    app.log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SQLAlchemy notices from inside nbgrader
            app.start()
    except NbGraderException:
        lines = [ln for ln in buf.getvalue().splitlines() if ln.strip()]
        detail = next((ln for ln in reversed(lines) if "Error" in ln and "Traceback" not in ln),
                      lines[0] if lines else "see nbgrader's log")
        raise GradingError(f"nbgrader could not process the notebook: {detail.strip()}") from None
    finally:
        app.log.removeHandler(handler)


def generate_assignment(chapter: str, course_dir: Path, root: Path | None = None) -> None:
    """nbgrader generate_assignment for one chapter, in-process."""
    from nbgrader.converters import GenerateAssignment
    from nbgrader.coursedir import CourseDirectory
    cfg = load_config(course_dir, root)
    coursedir = CourseDirectory(config=cfg)
    coursedir.assignment_id = chapter
    app = GenerateAssignment(coursedir=coursedir, config=cfg)
    app.force = True
    _run_app(app)


class _WarmKernel:
    """A kernel started before nbgrader needs one, importing torch meanwhile."""

    # torch._dynamo loads on the first optimizer a notebook makes (about a second).
    def __init__(self, cwd: Path, extra_arguments: list[str],
                 preload: str = "torch,torch._dynamo"):
        from jupyter_client.manager import AsyncKernelManager
        self.km = AsyncKernelManager(kernel_name="python3")
        env = dict(os.environ, NBGRADER_EXECUTION="autograde",
                   DLCOURSE_PRELOAD=preload, DLCOURSE_KERNEL_CWD=str(cwd))
        asyncio.run(self.km.start_kernel(extra_arguments=list(extra_arguments),
                                         cwd=str(cwd.parents[2]), env=env,
                                         stderr=subprocess.DEVNULL))

    def shutdown(self) -> None:
        with contextlib.suppress(Exception):
            asyncio.run(self.km.shutdown_kernel(now=True))

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.km.provisioner.process.kill()


def _warm_execute_class():
    from nbgrader.preprocessors import Execute

    class WarmExecute(Execute):
        """nbgrader's Execute, running in the kernel that grade_notebook started."""
        warm_kernel: _WarmKernel | None = None

        def preprocess(self, nb, resources=None, km=None):
            warm, WarmExecute.warm_kernel = WarmExecute.warm_kernel, None
            return super().preprocess(nb, resources, km=warm.km if warm else km)

    return WarmExecute


def submission_scores(gb, chapter: str, student: str) -> dict[str, tuple[float, float]]:
    """grade_id -> (score, max_score) of one student's chapter in an open Gradebook
    (raises nbgrader's MissingEntry when there is no such submission)."""
    nb = gb.find_submission_notebook(chapter, chapter, student)
    return {g.name: (float(g.score or 0.0), float(g.max_score)) for g in nb.grades}


def scores_from_gradebook(db_url: str, chapter: str, student: str) -> dict[str, tuple[float, float]]:
    """``submission_scores`` from the gradebook at ``db_url``."""
    from nbgrader.api import Gradebook
    with Gradebook(db_url) as gb:
        return submission_scores(gb, chapter, student)


def summarize(chapter: str, test_scores: dict[str, tuple[float, float]],
              root: Path | None = None) -> dict:
    """Per-exercise totals keyed by the exercise names of the chapter."""
    ch = load_chapter(chapter, root)
    exercises = {e: {"score": 0.0, "max_score": pts} for e, pts in ch.exercise_points().items()}
    for gid, (score, _) in test_scores.items():
        if gid in ch.tests:
            exercises[exercise_of(gid)]["score"] += score
    return {"chapter": chapter,
            "score": round(sum(e["score"] for e in exercises.values()), 6),
            "max_score": ch.max_score,
            "exercises": exercises}


def failure_messages(nb) -> dict[str, str]:
    """grade_id -> the last line of the error each failed test cell raised."""
    out = {}
    for cell in nb.cells:
        meta = nbgrader_meta(cell)
        if not (meta.get("grade") and cell.cell_type == "code"):
            continue
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                out[meta["grade_id"]] = f"{o.get('ename')}: {o.get('evalue')}".strip()[:300]
            elif o.get("output_type") == "stream" and o.get("name") == "stderr":
                out.setdefault(meta["grade_id"], "wrote to stderr: " + o.get("text", "")[:200].strip())
    return out


def start_kernel(course_dir: Path, chapter: str, student: str,
                 root: Path | None = None) -> "_WarmKernel":
    """Start the grading kernel for one submission now (see ``run_autograde``)."""
    _ensure_env_on_path()
    cfg = load_config(Path(course_dir), root)
    return _WarmKernel(Path(course_dir) / "autograded" / student / chapter,
                       cfg.Execute.extra_arguments)


def run_autograde(course_dir: Path, chapter: str, student: str, root: Path | None = None,
                  timeout: float = 900, warm: "bool | _WarmKernel" = True) -> None:
    """nbgrader autograde of one student's chapter in ``course_dir``, in-process.

    With ``warm``, the kernel is started before nbgrader is imported (see the
    module docstring), or ``warm`` is a kernel from ``start_kernel``. Past
    ``timeout`` seconds the kernel is killed, which fails this submission with a
    GradingError.
    """
    t0 = time.perf_counter()
    cfg = load_config(Path(course_dir), root)
    kernel = (warm if isinstance(warm, _WarmKernel) else
              start_kernel(course_dir, chapter, student, root) if warm else None)
    timer = None
    try:
        from nbgrader.converters import Autograde
        from nbgrader.coursedir import CourseDirectory
        if kernel:
            WarmExecute = _warm_execute_class()
            WarmExecute.warm_kernel = kernel
            steps = (cfg.Autograde.autograde_preprocessors
                     if "autograde_preprocessors" in cfg.Autograde
                     else Autograde.autograde_preprocessors.default())
            cfg.Autograde.autograde_preprocessors = [
                WarmExecute if str(getattr(p, "__name__", p)).split(".")[-1] == "Execute" else p
                for p in steps]
            timer = threading.Timer(max(1.0, timeout - (time.perf_counter() - t0)), kernel.kill)
            timer.start()
        coursedir = CourseDirectory(config=cfg)
        coursedir.assignment_id = chapter
        coursedir.student_id = student
        app = Autograde(coursedir=coursedir, config=cfg)
        app.force = True
        app.create_student = True
        _run_app(app)
    except GradingError:
        if time.perf_counter() - t0 >= timeout:
            raise GradingError(f"grading took longer than {timeout:.0f} s and was stopped") from None
        raise
    finally:
        if timer:
            timer.cancel()
        if kernel:
            kernel.shutdown()


def grade_notebook(path: Path, chapter: str | None = None, root: Path | None = None,
                   timeout: float = 900, warm: bool = True) -> dict:
    """Grade one notebook; return the score summary (see ``summarize``) plus
    ``tests`` (score per test cell), ``failures`` (message per failed test),
    ``seconds`` and ``tampered`` (course files it changed, restored)."""
    from .course import chapter_from_filename
    from .guard import FileGuard
    t0 = time.perf_counter()
    root = root or course_root()
    path = Path(path)
    chapter = chapter or chapter_from_filename(path)
    if not source_notebook(chapter, root).is_file():
        load_chapter(chapter, root)  # raises: unknown chapter
    _looks_like_notebook(path)

    with tempfile.TemporaryDirectory(prefix="dlcourse-grade-") as tmp:
        tmp = Path(tmp)
        # The kernel imports torch while this process imports nbformat and nbgrader.
        kernel = start_kernel(tmp, chapter, STUDENT, root) if warm else False
        try:
            load_chapter(chapter, root)
            read_submission(path)
        except GradingError:
            kernel and kernel.shutdown()
            raise
        with FileGuard(root) as guard:
            shutil.copytree(source_notebook(chapter, root).parent, tmp / "solutions" / chapter)
            shutil.copy(gradebook_template(chapter, root), tmp / "gradebook.db")
            sub = tmp / "submitted" / STUDENT / chapter
            sub.mkdir(parents=True)
            shutil.copy(path, sub / f"{chapter}.ipynb")
            run_autograde(tmp, chapter, STUDENT, root, timeout=timeout, warm=kernel)
        scores = scores_from_gradebook(f"sqlite:///{tmp / 'gradebook.db'}", chapter, STUDENT)
        graded = read_submission(tmp / "autograded" / STUDENT / chapter / f"{chapter}.ipynb")

    result = summarize(chapter, scores, root)
    result["tests"] = {gid: score for gid, (score, _) in sorted(scores.items())}
    result["failures"] = failure_messages(graded)
    result["tampered"] = guard.changed
    result["seconds"] = round(time.perf_counter() - t0, 2)
    return result
