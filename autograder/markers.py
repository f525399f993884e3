"""What nbgrader's markers and cell metadata mean, defined once for the whole package."""

from __future__ import annotations

import re

SOLUTION = re.compile(r"^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n?", re.M)
HIDDEN = re.compile(r"^[ \t]*### (BEGIN|END) HIDDEN TESTS[ \t]*\n?", re.M)
HIDDEN_REGION = re.compile(r"^[ \t]*### BEGIN HIDDEN TESTS[ \t]*\n.*?^[ \t]*### END HIDDEN TESTS[ \t]*\n?",
                           re.M | re.S)
HIDDEN_PLACEHOLDER = "# (hidden tests: they ran when your notebook was graded)\n"


def meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def is_test_cell(cell) -> bool:
    """A graded code cell that is not an answer: nbgrader's autograder test."""
    m = meta(cell)
    return cell.get("cell_type") == "code" and bool(m.get("grade")) and not m.get("solution")


def is_answer_cell(cell) -> bool:
    m = meta(cell)
    return cell.get("cell_type") == "code" and bool(m.get("solution")) and not m.get("grade")


def strip_markers(source: str) -> str:
    """The code as it runs: solution and hidden-test markers removed."""
    return SOLUTION.sub("", HIDDEN.sub("", source))


def hide_tests(source: str) -> str:
    """The source a student may see: each hidden region replaced by a placeholder."""
    return HIDDEN_REGION.sub(HIDDEN_PLACEHOLDER, source)
