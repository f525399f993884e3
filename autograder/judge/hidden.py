"""Hidden test cells, run in the judge against the student's kernel.

``HiddenTests(chapter)`` keeps one namespace per submission: the prelude
(``math``, ``np``, ``torch``, ``nn``, ``F``, ``ag``, ``device``), whatever
earlier test cells defined, and, refreshed before each test cell, every exercise
name as the kernel defines it now (``Session.resolve``). A test cell passes when
it raises nothing; its result is returned as nbformat outputs for nbgrader's
own ``SaveAutoGrades`` to score. Tracebacks are reduced to their last line: the
test's source never reaches the student.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import io
import time
import warnings
from pathlib import Path

from nbformat.notebooknode import NotebookNode

from ..course import course_root, load_chapter, nbgrader_meta, source_notebook
from ..markers import strip_markers
from .session import KernelGone, Session
from .transport import JudgeTimeout

MAX_TEST_OUTPUT = 20_000


def _device():
    import autograder as ag
    return ag.get_device()


_PRELUDE = {"math": lambda: importlib.import_module("math"),
            "np": lambda: importlib.import_module("numpy"),
            "torch": lambda: importlib.import_module("torch"),
            "nn": lambda: importlib.import_module("torch.nn"),
            "F": lambda: importlib.import_module("torch.nn.functional"),
            "ag": lambda: importlib.import_module("autograder"),
            "device": _device}


class Namespace(dict):
    """Test cells' globals. The prelude's names are imported on first use, so a
    chapter that never touches torch never pays for importing it."""

    def __missing__(self, name):
        make = _PRELUDE.get(name)
        if make is None:
            raise KeyError(name)
        value = self[name] = make()
        return value


def prelude(eager: bool = False) -> dict:
    ns = Namespace(__name__="__hidden_tests__", __builtins__=builtins)
    if eager:
        for name in _PRELUDE:
            ns[name]
    return ns


class References:
    """The instructor's answer cells of a chapter, executed in the judge on first use."""

    def __init__(self, chapter: str, root: Path | None = None):
        self.path = source_notebook(chapter, root or course_root())
        self._ns: dict | None = None

    def __call__(self, names: list[str]) -> dict:
        if self._ns is None:
            import nbformat
            ns = prelude()
            nb = nbformat.read(self.path, as_version=4)
            for cell in nb.cells:
                meta = nbgrader_meta(cell)
                if cell.cell_type == "code" and meta.get("solution") and not meta.get("grade"):
                    exec(compile(strip_markers(cell.source), f"<reference {meta['grade_id']}>", "exec"), ns)
            self._ns = ns
        missing = [n for n in names if n not in self._ns]
        if missing:
            raise NameError(f"no reference solution for {missing}")
        return {n: self._ns[n] for n in names}


def error_output(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(output_type="error", ename=ename, evalue=evalue,
                        traceback=[f"{ename}: {evalue}"])


class _Capped(io.StringIO):
    def write(self, s):
        if self.tell() < MAX_TEST_OUTPUT:
            return super().write(s[:MAX_TEST_OUTPUT - self.tell()])
        return len(s)


class HiddenTests:
    def __init__(self, chapter: str, root: Path | None = None):
        self.exercises = load_chapter(chapter, root).exercises
        self.references = References(chapter, root)
        self.ns: dict | None = None
        self._path = source_notebook(chapter, root or course_root())
        self._sources: dict[str, str] | None = None

    def source_of(self, grade_id) -> str | None:
        """The instructor's source of a test cell of this chapter (None for any other
        id): only this ever runs in the judge, whatever the graded notebook holds."""
        if self._sources is None:
            import nbformat
            nb = nbformat.read(self._path, as_version=4)
            self._sources = {nbgrader_meta(c)["grade_id"]: c.source for c in nb.cells
                             if c.cell_type == "code" and nbgrader_meta(c).get("grade")
                             and not nbgrader_meta(c).get("solution")}
        return self._sources.get(grade_id) if isinstance(grade_id, str) else None

    def run(self, source: str, session: Session, timeout: float) -> tuple[list, str | None]:
        """Run one test cell. Returns (nbformat outputs, None) or (outputs,
        reason) when the kernel is gone and later cells need not try."""
        from .. import testing
        self.ns = prelude()          # each test cell on its own: nothing leaks from one to the next
        session.deadline = time.monotonic() + timeout
        session._references = self.references
        out = _Capped()
        gone = None
        outputs = []
        try:
            values = session.resolve(self.exercises)
            for name in self.exercises:
                if name in values:
                    self.ns[name] = values[name]
                else:
                    self.ns.pop(name, None)
            code = compile(strip_markers(source), "<hidden test>", "exec")
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out), \
                    warnings.catch_warnings(), testing.judging(session):
                warnings.simplefilter("ignore")
                exec(code, self.ns)
        except JudgeTimeout as exc:
            msg = f"the notebook's code did not finish within {timeout:.0f} s"
            if not exc.alive:
                gone = msg
            outputs.append(error_output("TimeoutError", msg))
        except KernelGone as exc:
            gone = str(exc)
            outputs.append(error_output("KernelGone", gone))
        except Exception as exc:
            msg = str(exc).strip()
            if isinstance(exc, KeyError) and len(exc.args) == 1:
                msg = str(exc.args[0])
            outputs.append(error_output(type(exc).__name__, msg[:2000]))
        finally:
            session.deadline = None
        printed = session.transport.take_captured() + out.getvalue()
        if printed:
            outputs.insert(0, NotebookNode(output_type="stream", name="stdout", text=printed))
        return outputs, gone
