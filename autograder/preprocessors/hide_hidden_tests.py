"""HideHiddenTests: the last autograde step. The graded notebook is what
formgrader shows and what feedback is made from, so every hidden-test region is
replaced by a placeholder (nbgrader's feedback would show it), after
``SaveAutoGrades`` has scored the cells."""

from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor

from ..markers import hide_tests, is_test_cell


class HideHiddenTests(NbGraderPreprocessor):
    def preprocess(self, nb, resources):
        for cell in nb.cells:
            if is_test_cell(cell):
                cell.source = hide_tests(cell.source)
        return nb, resources
