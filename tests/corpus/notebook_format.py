"""Notebooks that are not notebooks: refused at intake with a one-line reason."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat

from . import DOUBLE_OK, HALVE_OK, NB_NAME, Case, Ctx, answers_nb, write_nb


def _raw(data: bytes):
    def build(ctx: Ctx, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / NB_NAME).write_bytes(data)
    return build


def _json_of(ctx: Ctx, mutate) -> bytes:
    nb = json.loads(nbformat.writes(answers_nb(ctx, DOUBLE_OK, HALVE_OK)))
    mutate(nb)
    return json.dumps(nb).encode()


def _mutated(mutate):
    def build(ctx: Ctx, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / NB_NAME).write_bytes(_json_of(ctx, mutate))
    return build


def _wrong_nbformat(nb):
    nb["nbformat"] = 3


def _broken_metadata(nb):
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "test_double":
            cell["metadata"]["nbgrader"] = "grade: true, points: 1000"


def _non_utf8(ctx: Ctx, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = nbformat.writes(answers_nb(ctx, DOUBLE_OK + "# caf\u00e9\n", HALVE_OK))
    (folder / NB_NAME).write_bytes(text.encode("latin-1", errors="replace"))


def _symlink_to_solutions(ctx: Ctx, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    os.symlink(ctx.root / "solutions" / "ch00_smoke" / NB_NAME, folder / NB_NAME)


def _symlink_to_victim(ctx: Ctx, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    os.symlink(ctx.root / "submitted" / ctx.victim / "ch00_smoke" / NB_NAME, folder / NB_NAME)


def _folder_symlink(ctx: Ctx, folder: Path) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    os.symlink(ctx.root / "submitted" / ctx.victim / "ch00_smoke", folder)


def _directory(ctx: Ctx, folder: Path) -> None:
    (folder / NB_NAME).mkdir(parents=True)
    write_nb(folder / NB_NAME, answers_nb(ctx, DOUBLE_OK, HALVE_OK))


CASES = [
    Case("invalid-json", "the notebook file is truncated JSON",
         "tried: NotJSONError traceback, not graded (0, no reason in the gradebook)",
         _raw(b'{"cells": [{"cell_type": "code", "source": "def double('),
         status=("failed",), reason="not JSON", one_file="refused"),
    Case("wrong-nbformat", "a correct notebook declaring nbformat 3",
         "tried: ValidationError (missing key: worksheets), not graded",
         _mutated(_wrong_nbformat), status=("failed",), reason="nbformat 3", one_file="refused"),
    Case("non-utf8", "a correct notebook saved as Latin-1 (an \\xe9 byte)",
         "tried: UnicodeDecodeError traceback, not graded",
         _non_utf8, status=("failed",), reason="not UTF-8", one_file="refused"),
    Case("broken-metadata", "a correct notebook whose test cell's nbgrader metadata is a string",
         "tried: AttributeError ('str' object has no attribute 'get'), not graded",
         _mutated(_broken_metadata), status=("failed",), reason="broken nbgrader metadata",
         one_file="refused"),
    Case("symlink-to-solutions", "the notebook is a symlink to the course's solution notebook",
         "follows the link: grades the instructor's solution notebook (tried: a dangling link only errors)",
         _symlink_to_solutions, status=("failed",), reason="symbolic link", one_file="refused"),
    Case("symlink-to-classmate", "the notebook is a symlink to the victim's submitted notebook",
         "tried: follows the link, grades the classmate's work: full marks (4/4)",
         _symlink_to_victim, status=("failed",), reason="symbolic link", one_file="refused"),
    Case("chapter-folder-symlink", "submitted/<student>/ch00_smoke is a symlink to the victim's "
         "folder", "tried: follows it, the classmate's work is graded as this student's: full marks (4/4)", _folder_symlink, status=("failed",), reason="link", one_file="skip"),
    Case("notebook-is-a-directory", "a folder named ch00_smoke.ipynb with a notebook inside",
         "tried: IsADirectoryError traceback, not graded",
         _directory, status=("failed",), reason="not a regular file", one_file="refused"),
]
