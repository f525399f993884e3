"""``JudgedExecute``: nbgrader's Execute step with the verdicts taken out of the kernel.

Answer, demo and visible-check cells run in the student's sandboxed kernel, as
in nbgrader. Hidden test cells (graded, not answers) do not: they run here, in
the grader, against proxies of the exercises (``hidden.HiddenTests``); their
outcome is written into the cell's outputs as nbgrader expects, so nbgrader's
own ``SaveAutoGrades`` scores them and formgrader, feedback and export work as
before. Outputs are capped in bytes; a kernel that stops answering is killed,
and every later cell fails with the reason instead of waiting.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time

from nbformat.notebooknode import NotebookNode
from nbgrader.preprocessors import Execute
from traitlets import Float, Integer, Unicode

from ..markers import is_test_cell, meta
from .hidden import HiddenTests, error_output
from .session import Session
from .transport import JupyterTransport


class JudgedExecute(Execute):
    #: a kernel the grader started early (``sandbox.start_kernel``): used once, then cleared
    warm_km = None

    max_cell_output_bytes = Integer(512_000, help="bytes of output kept per cell").tag(config=True)
    max_output_bytes = Integer(4_000_000, help="bytes of output kept per notebook").tag(config=True)
    sandbox_slot = Integer(0, help="grading slot: picks the sandbox's uid").tag(config=True)
    chapter = Unicode("", help="chapter being graded (default: the assignment id)").tag(config=True)
    deadline = Float(0.0, help="time.time() past which the submission is stopped (0: none)").tag(config=True)

    def __init__(self, *args, **kwargs):
        from ..sandbox import kernel_manager_class
        kwargs.setdefault("kernel_manager_class", kernel_manager_class())
        # the kernel is never used again and everything of its sandbox is killed: a
        # graceful shutdown only waits (0.2 s a notebook)
        kwargs.setdefault("shutdown_kernel", "immediate")
        super().__init__(*args, **kwargs)

    def preprocess(self, nb, resources=None, km=None):
        chapter = self.chapter or (resources or {}).get("nbgrader", {}).get("assignment")
        self._tests = HiddenTests(chapter)
        self._session = None
        self._dead: str | None = None
        self._bytes_total = 0
        self._bytes_cell: dict[int, int] = {}
        warm, JudgedExecute.warm_km = JudgedExecute.warm_km, None
        try:
            return super().preprocess(nb, resources, km=warm or km)
        finally:
            if self._session is not None:
                self._session.transport.close()
            if hasattr(self.km, "cleanup_ipc_dir"):
                self.km.cleanup_ipc_dir()

    def create_kernel_manager(self):
        km = super().create_kernel_manager()
        km.slot = self.sandbox_slot
        return km

    # ---- cells
    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        left = self.deadline - time.time() if self.deadline else float("inf")
        if left <= 0 and not self._dead:
            self._kill("the submission ran past its time limit")
        if self._dead:
            cell.outputs = [error_output("KernelGone", self._dead)]
            return cell, resources
        limit = min(self.timeout or 120, left)
        if is_test_cell(cell):
            source = self._tests.source_of(meta(cell).get("grade_id"))
            if source is None:       # a graded cell that is not one of the chapter's tests
                cell.outputs = [error_output("NotATest", "this cell is not a test of the chapter")]
                cell.execution_count = None
                return cell, resources
            if self._session is None:
                self._session = Session(JupyterTransport(self.km.get_connection_info(),
                                                         interrupt=self._interrupt))
            outputs, gone = self._tests.run(source, self._session, limit)
            cell.outputs = outputs
            cell.execution_count = None
            if gone:
                self._kill(gone)
            return cell, resources
        timer = threading.Timer(limit + 15, self._kill,
                                args=("a cell ran past its time limit and ignored the interrupt",))
        timer.start()
        try:
            return super().preprocess_cell(cell, resources, index)
        except Exception as exc:   # DeadKernelError, a broken reply, ...
            self._kill(f"the notebook's kernel stopped ({type(exc).__name__})")
            cell.outputs.append(error_output("KernelGone", self._dead))
            return cell, resources
        finally:
            timer.cancel()

    def _interrupt(self) -> None:
        try:
            os.killpg(os.getpgid(self.km.provisioner.process.pid), signal.SIGINT)
        except Exception:
            pass

    def _kill(self, reason: str) -> None:
        if not self._dead:
            self._dead = f"the kernel was stopped: {reason}; this cell did not run"
        try:
            pgid = os.getpgid(self.km.provisioner.process.pid)
            os.killpg(pgid, signal.SIGKILL)
        except Exception:
            pass

    # ---- outputs, capped in bytes
    def output(self, outs, msg, display_id, cell_index):
        size = len(json.dumps(msg.get("content", {})))
        used = self._bytes_cell.get(cell_index, 0)
        if used + size > self.max_cell_output_bytes or self._bytes_total + size > self.max_output_bytes:
            if used <= self.max_cell_output_bytes:
                outs.append(NotebookNode(output_type="stream", name="stdout",
                                         text="\n[output truncated: too much output]\n"))
                self._bytes_cell[cell_index] = self.max_cell_output_bytes + 1
            return None
        self._bytes_cell[cell_index] = used + size
        self._bytes_total += size
        return super().output(outs, msg, display_id, cell_index)
