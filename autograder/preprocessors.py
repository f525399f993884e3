"""nbgrader preprocessors the course adds to autograding (see nbgrader_config.py).

Sentinels: proof that each test cell really ran to its end. nbgrader gives a test cell full points when its output shows no error. Student
code runs in the same kernel first, so one line such as
``get_ipython().input_transformers_cleanup.append(lambda lines: ["pass\\n"])``
turns every later test into ``pass`` and earns full marks. Here each test cell
gets a last line printing a fresh random token before execution; afterwards a
test whose token is missing from its output is marked failed, and the token
line and its output are removed again so feedback looks as usual.

RestoreMissingTests: nbgrader's ``OverwriteCells`` with a working
``add_missing_cells``. nbgrader 0.9.6 re-inserts a deleted test cell after the
cell that precedes it in the source, but looks that cell up among graded and
answer cells only; when it is a read-only visible check (as in every chapter
here) grading crashes with a KeyError and the student gets nothing.
"""

from __future__ import annotations

import secrets

from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import NbGraderPreprocessor, OverwriteCells

_KEY = "dlcourse_test_tokens"
MESSAGE = ("this test did not run to its end: code in the notebook changed how cells run, "
           "so the test scores 0")


def _is_test(cell) -> bool:
    return cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell)


class AddTestSentinels(NbGraderPreprocessor):
    """Before execution: append ``print('<token>')`` to every test cell."""

    def preprocess(self, nb, resources):
        tokens = {}
        for cell in nb.cells:
            if _is_test(cell):
                token = secrets.token_hex(16)
                tokens[cell.metadata.nbgrader["grade_id"]] = (token, cell.source)
                cell.source = cell.source.rstrip() + f"\nprint({token!r})"
        resources[_KEY] = tokens
        return nb, resources


class CheckTestSentinels(NbGraderPreprocessor):
    """After execution: fail tests whose token is missing, then remove the tokens."""

    def preprocess(self, nb, resources):
        tokens = resources.pop(_KEY, {})
        for cell in nb.cells:
            gid = cell.metadata.get("nbgrader", {}).get("grade_id")
            if not _is_test(cell) or gid not in tokens:
                continue
            token, source = tokens[gid]
            cell.source = source
            seen = False
            outputs = []
            for out in cell.outputs:
                if out.output_type == "stream" and out.name == "stdout" and token in out.text:
                    seen = True
                    out.text = out.text.replace(token + "\n", "").replace(token, "")
                    if not out.text:
                        continue
                outputs.append(out)
            failed = any(o.output_type == "error" for o in outputs)
            if not seen and not failed:
                outputs.append(NotebookNode(output_type="error", ename="TestDidNotRun",
                                            evalue=MESSAGE, traceback=[f"TestDidNotRun: {MESSAGE}"]))
            cell.outputs = outputs
        return nb, resources


class RestoreMissingTests(OverwriteCells):
    """OverwriteCells that puts a deleted test cell back after the nearest
    preceding source cell still in the notebook (any nbgrader cell)."""

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        order = [c.name for c in source_nb.source_cells]
        sources = {c.name: c for c in source_nb.source_cells}
        solutions = {c.name for c in source_nb.solution_cells}
        for grade_cell in source_nb.grade_cells:
            where = {c.metadata["nbgrader"].get("grade_id"): i
                     for i, c in enumerate(nb.cells) if "nbgrader" in c.get("metadata", {})}
            if grade_cell.name in where:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook",
                             grade_cell.name)
            before = order[:order.index(grade_cell.name)] if grade_cell.name in order else []
            pos = next((where[g] + 1 for g in reversed(before) if g in where), 0)
            nb.cells.insert(pos, self.missing_cell_transform(
                sources[grade_cell.name], grade_cell.max_score,
                is_solution=grade_cell.name in solutions))
        return nb, resources
