"""RestoreMissingTests: nbgrader's ``OverwriteCells`` with a working ``add_missing_cells``.

nbgrader 0.9.6 re-inserts a deleted test cell after the cell that precedes it in
the source, but looks that cell up among graded and answer cells only; when it
is a read-only visible check (as in every chapter here) grading crashes with a
KeyError and the student gets nothing. Here the test goes back after the
nearest preceding source cell still in the notebook.
"""

from __future__ import annotations

from nbgrader.preprocessors import OverwriteCells


class RestoreMissingTests(OverwriteCells):
    def add_missing_task_cells(self, nb, resources):
        # A copied test cell has its nbgrader metadata emptied by DeduplicateIds (no
        # grade_id), and nbgrader 0.9.6 then crashes here: such a cell is plain code.
        for cell in nb.cells:
            meta = cell.get("metadata", {})
            if "nbgrader" in meta and not (meta["nbgrader"] or {}).get("grade_id"):
                del meta["nbgrader"]
        return super().add_missing_task_cells(nb, resources)

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
            self.log.warning("Missing grade cell %s encountered, adding to notebook", grade_cell.name)
            before = order[:order.index(grade_cell.name)] if grade_cell.name in order else []
            pos = next((where[g] + 1 for g in reversed(before) if g in where), 0)
            nb.cells.insert(pos, self.missing_cell_transform(
                sources[grade_cell.name], grade_cell.max_score,
                is_solution=grade_cell.name in solutions))
        return nb, resources
