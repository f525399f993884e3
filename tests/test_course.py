"""The course's chapters carry the exercises COURSE.md names, with their points."""

import nbformat
import pytest

from autograder.course import chapters, load_chapter, source_notebook

# Fixed by the spec (shared/COURSE.md): tests and outside tools address exercises by name.
SPEC = {
    "ch07_perceptron_xor": ["perceptron", "GATE_WEIGHTS", "xor_from_gates", "make_xor_net",
                            "train_xor"],
    "ch08_backprop_by_hand": ["sigmoid_prime", "xor_backward", "train_xor_by_hand",
                              "numerical_grad", "rel_error"],
}


def test_every_spec_chapter_is_present():
    assert set(SPEC) <= set(chapters())


@pytest.mark.parametrize("chapter", sorted(SPEC))
def test_exercises_and_points(chapter):
    ch = load_chapter(chapter)
    assert ch.exercises == SPEC[chapter]
    assert ch.max_score == 10
    assert all(p > 0 for p in ch.exercise_points().values())


@pytest.mark.parametrize("chapter", chapters())
def test_source_notebook_is_valid_nbgrader_source(chapter):
    nb = nbformat.read(source_notebook(chapter), as_version=4)
    nbformat.validate(nb)
    ids = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells if "nbgrader" in c.metadata]
    assert len(ids) == len(set(ids)), "grade_ids must be unique"
    for c in nb.cells:
        meta = c.metadata.get("nbgrader")
        if meta and (meta.get("grade") or meta.get("locked")) and not meta.get("solution"):
            assert meta["locked"], f"{meta['grade_id']}: test cells must be read-only"
