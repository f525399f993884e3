"""The student's Validate (autograder/lab/validate.py) on executed notebooks made
here: which verdict each exercise gets and what nbgrader's dialog is sent.
No kernel and no browser: these run everywhere."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_notebook, new_output

from autograder.lab.validate import _changed, judge, report


def _cell(grade_id, *, solution=False, error=None, locked=False):
    cell = new_code_cell(f"# {grade_id}")
    cell.metadata["nbgrader"] = {"grade_id": grade_id, "solution": solution, "grade": False,
                                 "locked": locked, "schema_version": 3}
    if error:
        ename, evalue = error
        cell.outputs = [new_output("error", ename=ename, evalue=evalue, traceback=[])]
    return cell


def _notebook():
    return new_notebook(cells=[
        _cell("done", solution=True), _cell("check_done", locked=True),
        _cell("stub", solution=True, error=("NotImplementedError", "")),
        _cell("check_stub", locked=True, error=("NotImplementedError", "")),
        _cell("wrong", solution=True),
        _cell("check_wrong", locked=True,
              error=("AssertionError", "make_net(2): expected 4 hidden units, got 2.\nsee above")),
        _cell("typo", solution=True, error=("NameError", "name 'torh' is not defined")),
        _cell("check_typo", locked=True, error=("NameError", "name 'typo' is not defined")),
        _cell("calls_stub", solution=True),
        _cell("check_calls_stub", locked=True, error=("NotImplementedError", "")),
    ])


def test_verdict_per_exercise():
    nb = _notebook()
    status = judge(nb, ran=set(range(len(nb.cells))))
    assert {n: v for n, (v, _) in status.items()} == {
        "done": "passed",
        "stub": "not done yet",
        "wrong": "fails: make_net(2): expected 4 hidden units, got 2.",
        "typo": "fails: NameError: name 'torh' is not defined",
        "calls_stub": "not done yet",
    }
    assert status["wrong"][1] == "make_net(2): expected 4 hidden units, got 2.\nsee above"


def test_success_only_when_every_check_passes():
    nb = _notebook()
    out = report(judge(nb, ran=set(range(len(nb.cells)))))
    table, *details = out["failed"]
    assert table["source"].splitlines() == [
        "done        passed",
        "stub        not done yet",
        "wrong       fails: make_net(2): expected 4 hidden units, got 2.",
        "typo        fails: NameError: name 'torh' is not defined",
        "calls_stub  not done yet",
    ]
    assert table["raw_error"].startswith("1 of 5 visible checks pass.")
    # a message of several lines is shown whole, once
    assert [d["source"] for d in details] == [
        "wrong: fails: make_net(2): expected 4 hidden units, got 2."]
    assert details[0]["raw_error"].endswith("see above")
    solved = new_notebook(cells=nb.cells[:2])
    assert "failed" not in report(judge(solved, ran={0, 1}))   # nbgrader's "Success!"


def test_cells_that_never_ran_fail():
    nb = _notebook()
    status = judge(nb, ran={0, 1}, died="the kernel died")
    assert status["done"][0] == "passed"
    assert status["stub"][0] == "fails: did not run (the kernel died)"


def test_edited_check_cell_is_reported_as_changed(tmp_path):
    from nbgrader.utils import compute_checksum
    nb = _notebook()
    check = nb.cells[1]
    check.metadata["nbgrader"]["checksum"] = compute_checksum(check)
    assert _changed(nb) == {}
    check.source = "pass  # the student skipped the check"
    assert _changed(nb) == {"changed": [{"source": check.source}]}
    nbformat.validate(nb)
