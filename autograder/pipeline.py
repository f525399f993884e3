"""A submission's path from the command to its score, top to bottom.

1. ``intake``: the notebook is checked as bytes (no symlink, UTF-8, JSON,
   nbformat 4) before anything runs; the folder is copied without following
   links, with caps.
2. A throw-away course directory gets the chapter's cached gradebook and the
   copy, so nothing of the course changes.
3. nbgrader's own Autograde runs there. Its Execute step is the judge
   (``judge.execute.JudgedExecute``): the student's cells run in a sandboxed
   kernel, the hidden tests in this process; nbgrader scores the cells and
   the last step hides the hidden tests from the graded copy.
4. The scores are read back from that gradebook into a ``Result``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .course import GradingError, chapter_from_filename, course_root, load_chapter, source_notebook
from .markers import is_test_cell, meta

SUBMISSION_TIMEOUT = float(os.environ.get("DLCOURSE_SUBMISSION_TIMEOUT", "900"))
STUDENT = "student"


@dataclass
class Result:
    chapter: str
    student: str = STUDENT
    status: str = "graded"              # graded | flagged | failed
    score: float = 0.0
    max_score: float = 0.0
    exercises: dict = field(default_factory=dict)
    tests: dict = field(default_factory=dict)        # test grade_id -> points scored
    failures: dict = field(default_factory=dict)     # test grade_id -> one-line reason
    flags: list = field(default_factory=list)        # for a human: contracts the outputs cannot show
    reason: str = ""
    seconds: float = 0.0

    def summary(self) -> dict:
        return {"chapter": self.chapter, "score": self.score, "max_score": self.max_score,
                "exercises": self.exercises}

    def details(self) -> dict:
        return asdict(self)


def failed(chapter: str, student: str, reason: str, root: Path | None = None) -> Result:
    try:
        ch = load_chapter(chapter, root)
        exercises = {e: {"score": 0.0, "max_score": p} for e, p in ch.exercise_points().items()}
        max_score = ch.max_score
    except GradingError:
        exercises, max_score = {}, 0.0
    return Result(chapter, student, "failed", 0.0, max_score, exercises, reason=reason)


def failure_messages(nb) -> dict[str, str]:
    """test grade_id -> the one-line error each failed test raised."""
    out = {}
    for cell in nb.cells:
        if not is_test_cell(cell):
            continue
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                out[meta(cell)["grade_id"]] = f"{o.get('ename')}: {o.get('evalue')}".strip()[:400]
    return out


def _kernel_arguments(root: Path) -> list[str]:
    from traitlets.config.loader import PyFileConfigLoader
    cfg = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    return list(cfg.Execute.extra_arguments) if "extra_arguments" in cfg.Execute else []


def _sources(root: Path, chapters: str | list[str] | set[str] | None) -> list[Path]:
    """The source notebooks of a chapter, of some chapters, or (None) of all."""
    if chapters is None:
        return sorted(Path(root, "solutions").glob("*/*.ipynb"))
    return [source_notebook(ch, root) for ch in ([chapters] if isinstance(chapters, str) else sorted(chapters))]


def uses_torch(root: Path, chapters: str | list[str] | set[str] | None = None) -> bool:
    """Whether a chapter (or some, or without one any chapter of the course) uses
    torch: the judge imports it before it is needed, and only then."""
    return any(b"torch" in p.read_bytes() for p in _sources(root, chapters))


# Libraries a kernel may import before the student's code asks for them (importing
# them has no effect a notebook could see): seconds of CPU per kernel, paid once by
# a worker's zygote. torch.optim needs torch._dynamo.
PRELOADABLE = ("torch", "torchvision", "matplotlib", "sklearn", "pandas", "scipy", "numpy")
_IMPORT = re.compile(r"^[ \t]*(?:from|import)[ \t]+([A-Za-z_][\w.]*)", re.M)


def kernel_preload(root: Path, chapters: str | list[str] | set[str] | None = None) -> str:
    """What the kernels of a chapter (or some, or without one any chapter) preload:
    the libraries its solution notebooks import, as a comma-separated list."""
    mods = set()
    for p in _sources(root, chapters):
        for cell in json.loads(p.read_bytes()).get("cells", []):
            if cell.get("cell_type") == "code":
                src = cell.get("source", "")
                mods.update(m for m in _IMPORT.findall("".join(src) if isinstance(src, list) else src)
                            if m.split(".")[0] in PRELOADABLE)
    if any(m.split(".")[0] == "torch" for m in mods):
        mods.add("torch._dynamo")
    return ",".join(sorted(mods, key=lambda m: (m.split(".")[0] != "torch", m)))


def import_grader(torch: bool = True) -> None:
    """Import what grading uses (nbgrader, the judge and, for torch chapters, torch)
    in this thread; a worker does it before grading, while its kernels start in
    other processes. Never in two threads at once (see ``distributed._Setup``)."""
    import nbgrader.converters  # noqa: F401

    from . import gradebook, nbgrader_apps  # noqa: F401
    from .judge import execute, hidden  # noqa: F401
    hidden.prelude(eager=torch)


def grade_folder(folder: Path, chapter: str, student: str = STUDENT, root: Path | None = None,
                 timeout: float = SUBMISSION_TIMEOUT, slot: int = 0,
                 keep_graded: Path | None = None, pool=None) -> Result:
    """Grade ``folder/<chapter>.ipynb`` (with the folder's other files beside it).

    ``slot``: the caller's sandbox slot (``workers.claim_slot``); its kernels run
    under uids 2·slot and 2·slot + 1 above the sandbox's base uid."""
    from . import intake
    from .sandbox import copy_tree_safely, start_kernel, stop_kernel
    t0 = time.perf_counter()
    root = root or course_root()
    kernel = None
    try:
        load_chapter(chapter, root)
        submitted = intake.check_notebook_file(Path(folder) / f"{chapter}.ipynb")
        with tempfile.TemporaryDirectory(prefix="dlcourse-grade-") as tmp:
            tmp = Path(tmp)
            sub = tmp / "submitted" / student / chapter
            copy_tree_safely(Path(folder), sub)
            # The sandboxed kernel starts now and imports torch while this process
            # imports nbgrader and the judge.
            torch = uses_torch(root, chapter)
            kernel = (pool.take(sub) if pool is not None else
                      start_kernel(sub, 2 * slot, _kernel_arguments(root), cpu_seconds=int(timeout),
                                   preload=kernel_preload(root, chapter)))
            import_grader(torch)
            from . import gradebook, nbgrader_apps
            from .contracts import flags as contract_flags
            from .judge.execute import JudgedExecute
            JudgedExecute.warm_km = kernel
            shutil.copytree(source_notebook(chapter, root).parent, tmp / "solutions" / chapter)
            shutil.copy(gradebook.template(chapter, root), tmp / "gradebook.db")
            # a kernel restarted after a crash runs under the slot's first uid
            nbgrader_apps.autograde(chapter, student, tmp, root, slot=2 * slot,
                                    deadline=time.time() + timeout)
            scores = gradebook.scores(f"sqlite:///{tmp / 'gradebook.db'}", chapter, student)
            graded_path = tmp / "autograded" / student / chapter / f"{chapter}.ipynb"
            import nbformat
            graded = nbformat.read(graded_path, as_version=4)
            if keep_graded is not None:
                keep_graded.mkdir(parents=True, exist_ok=True)
                shutil.copy(graded_path, keep_graded / graded_path.name)
    except GradingError as exc:
        res = failed(chapter, student, str(exc), root)
        res.seconds = round(time.perf_counter() - t0, 2)
        return res
    finally:
        if kernel is not None:
            from .judge.execute import JudgedExecute
            JudgedExecute.warm_km = None
            stop_kernel(kernel)
    s = gradebook.summarize(chapter, scores, root)
    res = Result(chapter, student, "graded", s["score"], s["max_score"], s["exercises"],
                 tests={g: v for g, (v, _) in sorted(scores.items())},
                 failures=failure_messages(graded), flags=contract_flags(submitted))
    stopped = next((m for m in res.failures.values() if m.startswith(("KernelGone", "TimeoutError"))), "")
    if stopped:
        res.reason = stopped.split(": ", 1)[1]
    if res.flags:
        res.status = "flagged"
        res.reason = res.flags[0]
    res.seconds = round(time.perf_counter() - t0, 2)
    return res


def grade_notebook(path: Path, chapter: str | None = None, root: Path | None = None,
                   timeout: float = SUBMISSION_TIMEOUT, slot: int = 0) -> Result:
    """Grade one notebook file (the one-file command): only the notebook is copied."""
    from . import intake
    path = Path(path)
    chapter = chapter or chapter_from_filename(path)
    load_chapter(chapter, root)                 # unknown chapter: GradingError, exit 2
    intake.check_notebook_file(path)            # unreadable notebook: GradingError, exit 2
    with tempfile.TemporaryDirectory(prefix="dlcourse-one-") as tmp:
        folder = Path(tmp)
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as f:
            (folder / f"{chapter}.ipynb").write_bytes(f.read())
        return grade_folder(folder, chapter, STUDENT, root, timeout, slot)
