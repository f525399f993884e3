"""The hostile corpus: broken or hostile submissions of the smoke chapter (ch00_smoke).

One module per family of cases. Each ``Case`` has a name, a one-line
description of the attack, what stock nbgrader does with it, what the case may
earn (``score``: most hostile cases leave ``double``/``halve`` wrong, so they
earn 0; a few solve ``double`` before attacking and earn its 1 point) and a
``build(ctx, folder)`` that writes the submission folder: a notebook made from
the released smoke notebook (what a student has) with answer cells changed, or
raw bytes, or extra files and links beside it.

Hostile code that would do harm outside a sandbox checks where it runs first
(``GUARD``): it only kills, forks or floods when it is an unprivileged user in
its own PID namespace, and otherwise prints ``UNSANDBOXED`` (which fails the
test). A probe that finds it could read or write what it must not prints
``LEAK:`` or ``WROTE:`` with the path, and then solves the exercises, so a
success shows up both in the outputs and in the score.

``tests/test_corpus.py`` grades every case, with a correct "victim" student, in
one class autograde and through the one-file command, and checks the invariants.
"""

from __future__ import annotations

import copy
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell

CHAPTER = "ch00_smoke"
NB_NAME = f"{CHAPTER}.ipynb"
MAX_SCORE = 4.0

DOUBLE_OK = "def double(x):\n    return 2 * x\n"
HALVE_OK = "def halve(x):\n    return x / 2\n"
DOUBLE_WRONG = "def double(x):\n    return x + 1\n"       # double(1) == 2 only
HALVE_WRONG = "def halve(x):\n    return x // 3\n"

# Prepended to hostile code that must only run inside the full sandbox.
GUARD = """\
import os as _os, resource as _res
def _sandboxed():
    try:
        init = open('/proc/1/cmdline', 'rb').read()
    except OSError:
        return False
    nproc = _res.getrlimit(_res.RLIMIT_NPROC)[0]
    return (_os.getuid() >= 1000 and (b'autograder.sandbox' in init or b'autograder.zygote' in init)
            and 0 < nproc < 10000)
if not _sandboxed():
    print('UNSANDBOXED: refusing to run the attack outside the sandbox')
"""


@dataclass
class Ctx:
    """What builders may know about the grading run (the real paths a hostile
    student would try)."""
    root: Path                 # the course directory
    canary: str                # placed inside the hidden tests; must never reach a student
    victim: str                # the correct student graded in the same run
    released: nbformat.NotebookNode
    grader_tmp: Path           # TMPDIR of the graders (their temp course directories)
    cache: Path                # DLCOURSE_CACHE (gradebook templates)
    repo: Path                 # the course repository (autograder package, .venv)
    tag: str                   # unique per run: names of probe files
    port: int = 0              # a TCP listener of the test, on every interface
    host_ip: str = "127.0.0.1"
    unix_name: str = ""        # an abstract Unix socket of the test


@dataclass
class Case:
    name: str
    attack: str
    stock: str
    build: Callable[[Ctx, Path], None]
    score: float = 0.0                       # what it earns
    status: tuple = ("graded",)              # statuses accepted in the class report
    reason: str = ""                         # expected in the reason when it is not graded
    one_file: str = "graded"                 # "graded", "refused" (exit 2) or "skip"
    correct: bool = False                    # a correct (if odd) submission: no false fail
    family: str = ""
    max_seconds: float = 90.0


# --------------------------------------------------------------------------- builders

def answers_nb(ctx: Ctx, double: str | None = None, halve: str | None = None,
               after: dict | None = None) -> nbformat.NotebookNode:
    """The released notebook with answer cells replaced (None keeps the stub) and
    extra cells inserted after the cell with the given grade_id ("" = at the end)."""
    nb = copy.deepcopy(ctx.released)
    for cell in nb.cells:
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if gid == "double" and double is not None:
            cell.source = double
        elif gid == "halve" and halve is not None:
            cell.source = halve
    for anchor, cells in (after or {}).items():
        idx = len(nb.cells) if anchor == "" else 1 + next(
            i for i, c in enumerate(nb.cells)
            if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == anchor)
        for k, c in enumerate(cells):
            nb.cells.insert(idx + k, new_code_cell(c) if isinstance(c, str) else c)
    return nb


def write_nb(folder: Path, nb) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, folder / NB_NAME)


def nb_case(double=None, halve=None, after=None, files: dict | None = None):
    """A builder: a notebook with these answers (code may use ``{ctx...}`` fields
    through a callable), plus files beside it."""
    def build(ctx: Ctx, folder: Path) -> None:
        d = double(ctx) if callable(double) else double
        h = halve(ctx) if callable(halve) else halve
        if h is None and d is not None:      # the double cell defines both: no stub after it
            h = "# halve is defined in the cell above\n"
        a = after(ctx) if callable(after) else after
        write_nb(folder, answers_nb(ctx, d, h, a))
        for rel, content in (files(ctx) if callable(files) else files or {}).items():
            p = folder / rel
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_bytes(content.encode() if isinstance(content, str) else content)
    return build


def solve_if(cond_code: str) -> str:
    """Code that defines correct answers when ``cond_code`` (an expression) holds
    at run time and wrong ones otherwise."""
    return (f"if {cond_code}:\n"
            "    def double(x):\n        return 2 * x\n"
            "    def halve(x):\n        return x / 2\n"
            "else:\n"
            "    def double(x):\n        return x + 1\n"
            "    def halve(x):\n        return x // 3\n")


def markdown(text: str):
    return new_markdown_cell(text)


FAMILIES = ["notebook_format", "test_cells", "patching", "ipython_hooks", "kernel_protocol",
            "files_beside", "reading", "writing", "processes", "resources", "network",
            "graded_differently", "correct"]


# Families whose stock-nbgrader behaviour is stated, not tried: without a sandbox they would
# kill, flood or write on the machine running the tests.
UNTRIED = {"files_beside", "reading", "writing", "processes", "resources", "network"}


def all_cases() -> list[Case]:
    out = []
    for fam in FAMILIES:
        mod = importlib.import_module(f"corpus.{fam}")
        for case in mod.CASES:
            case.family = fam
            if fam in UNTRIED and not case.stock.startswith("not tried"):
                case.stock = "not tried (it would run unsandboxed): " + case.stock
            out.append(case)
    names = [c.name for c in out]
    assert len(names) == len(set(names)), "duplicate case names"
    return out
