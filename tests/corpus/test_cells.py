"""Edited, deleted, duplicated and added test cells."""

from __future__ import annotations

import copy
import secrets
from pathlib import Path

from nbformat.v4 import new_code_cell

from . import DOUBLE_OK, DOUBLE_WRONG, HALVE_WRONG, Case, Ctx, answers_nb, write_nb

TESTS = ("test_double", "test_halve__int", "test_halve__odd")


def _gid(cell):
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")


def _edited(ctx: Ctx, folder: Path) -> None:
    nb = answers_nb(ctx, DOUBLE_WRONG, HALVE_WRONG)
    for cell in nb.cells:
        if _gid(cell) in TESTS:
            cell.source = "pass"
            cell.metadata["nbgrader"]["locked"] = False
            cell.metadata["nbgrader"]["points"] = 100
        if _gid(cell) == "test_halve__int":
            cell.cell_type = "markdown"
            cell.pop("outputs", None)
            cell.pop("execution_count", None)
    write_nb(folder, nb)


def _deleted(ctx: Ctx, folder: Path) -> None:
    nb = answers_nb(ctx, DOUBLE_OK, HALVE_WRONG)
    nb.cells = [c for c in nb.cells if _gid(c) not in TESTS]
    write_nb(folder, nb)


def _duplicated(ctx: Ctx, folder: Path) -> None:
    nb = answers_nb(ctx, DOUBLE_OK, HALVE_WRONG)
    tests = [c for c in nb.cells if _gid(c) in TESTS]
    before, after = [], []
    for c in tests:
        for _ in range(3):
            for where in (before, after):
                d = copy.deepcopy(c)
                d.id = secrets.token_hex(4)
                d.source = "pass"
                where.append(d)
    nb.cells = before + nb.cells + after
    write_nb(folder, nb)


def _graded_cell(gid, source, points, **extra):
    meta = {"grade": True, "grade_id": gid, "locked": False, "points": points,
            "schema_version": 3, "solution": False, "task": False, **extra}
    return new_code_cell(source, metadata={"nbgrader": meta})


def _added_new_id(ctx: Ctx, folder: Path) -> None:
    nb = answers_nb(ctx, DOUBLE_WRONG, HALVE_WRONG)
    for gid in ("test_double__bonus", "test_bonus", "test_halve__extra"):
        nb.cells.append(_graded_cell(gid, "import os\nif __name__ == '__hidden_tests__' or os.getuid() == 0:\n    print('RAN IN JUDGE', os.getuid())\n", 1000))
    write_nb(folder, nb)


def _added_existing_id(ctx: Ctx, folder: Path) -> None:
    nb = answers_nb(ctx, DOUBLE_WRONG, HALVE_WRONG)
    for gid in TESTS:
        nb.cells.append(_graded_cell(gid, "pass", 1000))
    write_nb(folder, nb)


def _test_made_answer(ctx: Ctx, folder: Path) -> None:
    nb = answers_nb(ctx, DOUBLE_WRONG, HALVE_WRONG)
    for cell in nb.cells:
        if _gid(cell) in TESTS:
            cell.metadata["nbgrader"]["solution"] = True
            cell.metadata["nbgrader"]["locked"] = False
            cell.source = "pass"
    write_nb(folder, nb)


CASES = [
    Case("edited-test-cells", "test cells replaced by `pass`, unlocked, worth 100 points; one turned "
         "into markdown (answers wrong)",
         "tried: restores locked cells from the gradebook (checksums), resets points: 0",
         _edited, score=0.0),
    Case("deleted-test-cells", "every graded test cell deleted (double right, halve wrong)",
         "tried (add_missing_cells off, the default): missing tests are not run, 0 (double's point lost); "
         "on, 0.9.6 crashes (KeyError) when the cell before one is a read-only check",
         _deleted, score=1.0),
    Case("duplicated-test-cells", "each test cell copied 3 times before the answers and 3 times "
         "after, copies emptied (double right, halve wrong)",
         "tried: DeduplicateIds empties the copies' metadata, then a KeyError 'grade_id': not graded",
         _duplicated, score=1.0),
    Case("added-cells-new-ids", "three new graded cells worth 1000 points each, ids test_bonus, "
         "test_double__bonus, test_halve__extra (answers wrong)",
         "tried: 'the nbgrader metadata may be corrupted' (ValidationError), not graded",
         _added_new_id, score=0.0, status=("failed", "graded"), reason="grade_id"),
    Case("added-cells-existing-ids", "a second cell for each test id, worth 1000 points, `pass` "
         "(answers wrong)",
         "tried: DeduplicateIds empties the originals' metadata, then a KeyError: not graded",
         _added_existing_id, score=0.0),
    Case("test-cells-made-answers", "test cells marked solution (editable answers) and emptied "
         "(answers wrong)",
         "tried: RuntimeError 'Inconsistent checksums for cell test_double', not graded",
         _test_made_answer, score=0.0, status=("failed", "graded"), reason="checksum"),
]
