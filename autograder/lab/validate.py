"""The student's Validate: run the notebook, report every exercise's visible check.

nbgrader's own Validate only looks at graded cells; in this course those are the
hidden-test placeholders, so it says "Success" on an untouched notebook. Here the
notebook is executed top to bottom in a fresh kernel (errors do not stop it) and
each exercise (answer cell ``grade_id`` = ``<exercise>``, ``solution: true``) is
judged by its visible check (``grade_id`` = ``check_<exercise>``):

* *not done yet*  - the answer (or an exercise it calls) raises NotImplementedError;
* *fails: ...*    - the answer or its check raised: the first line of the message;
* *passed*        - the check ran to its end (the answer cell ran without error).

The result uses nbgrader's validation format, so nbgrader's lab button shows it:
its success message only when every visible check passes, otherwise a "failed"
entry listing every exercise with its verdict (see ``report``). It decides no
grade. Run as ``python -m autograder.lab.validate NOTEBOOK`` (prints JSON): the
server extension runs it in a subprocess so the server stays responsive.
"""

from __future__ import annotations

import html
import json
import os
import sys
import textwrap
from pathlib import Path

NOT_DONE = "not done yet"
CELL_TIMEOUT = int(os.environ.get("DLCOURSE_CELL_TIMEOUT", "120"))


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {}) or {}


def exercises(nb) -> list[tuple[str, int, int | None]]:
    """(exercise, answer cell index, check cell index or None), in notebook order."""
    ids = {_nbgrader(c).get("grade_id"): i for i, c in enumerate(nb.cells)}
    out = []
    for i, cell in enumerate(nb.cells):
        meta = _nbgrader(cell)
        if cell.cell_type == "code" and meta.get("solution") and meta.get("grade_id"):
            out.append((meta["grade_id"], i, ids.get(f"check_{meta['grade_id']}")))
    return out


def _error(cell) -> dict | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out
    return None


def _first_line(err: dict) -> str:
    ename, evalue = err.get("ename", "Error"), str(err.get("evalue", "")).strip()
    line = evalue.splitlines()[0] if evalue else ""
    if ename == "KeyboardInterrupt":
        return f"stopped after {CELL_TIMEOUT} s (an endless loop?)"
    if ename == "AssertionError" and line:
        return line
    return f"{ename}: {line}" if line else ename


def judge(nb, ran: set[int], died: str | None = None) -> dict[str, tuple[str, str]]:
    """Exercise -> (verdict, detail) for an executed notebook: verdict is "passed",
    "not done yet" or "fails: <first line>"; ``ran`` holds the executed cells."""
    status = {}
    for name, answer, check in exercises(nb):
        verdict, detail = "passed", ""
        for i in [answer] + ([check] if check is not None else []):
            if i not in ran:
                verdict = f"fails: did not run ({died or 'the notebook stopped before it'})"
                break
            err = _error(nb.cells[i])
            if err is None:
                continue
            if err.get("ename") == "NotImplementedError":
                verdict = NOT_DONE
                detail = "the answer (or an exercise it calls) still raises NotImplementedError()"
            else:
                verdict = f"fails: {_first_line(err)}"
                detail = "\n".join(str(err.get("evalue", "")).strip().splitlines()[:8])
            break
        if check is None and verdict == "passed":
            verdict = "passed (no visible check)"
        status[name] = (verdict, detail)
    return status


def execute(nb, cwd: Path) -> tuple[set[int], str | None]:
    """Run every code cell in a fresh kernel, going on after errors."""
    from nbclient import NotebookClient
    from nbclient.exceptions import DeadKernelError

    env = dict(os.environ, MPLBACKEND="Agg", NBGRADER_VALIDATING="1",
               NBGRADER_EXECUTION="validate")
    kernel = nb.metadata.get("kernelspec", {}).get("name", "python3")
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, interrupt_on_timeout=True,
                            allow_errors=True, kernel_name=kernel,
                            resources={"metadata": {"path": str(cwd)}})
    ran: set[int] = set()
    died = None
    with client.setup_kernel(env=env, cwd=str(cwd)):
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            try:
                client.execute_cell(cell, i)
            except DeadKernelError:
                died = "the kernel died"
                break
            ran.add(i)
    return ran, died


def _changed(nb) -> dict:
    """nbgrader's own check: read-only cells must be unchanged (a student who edits
    a visible check is told so, as stock nbgrader does)."""
    from nbgrader.validator import Validator
    v = Validator()
    type_changed = v._get_type_changed_cells(nb)
    if type_changed:
        return {"type_changed": [{"source": c.source.strip(), "old_type": c.cell_type,
                                  "new_type": _nbgrader(c)["cell_type"]} for c in type_changed]}
    changed = v._get_changed_cells(nb)
    if changed:
        return {"changed": [{"source": c.source.strip()} for c in changed]}
    return {}


def report(status: dict[str, tuple[str, str]]) -> dict:
    """nbgrader's validation format. Every check passed: no "failed" key (nbgrader's
    dialog says "Success!"). Otherwise the first "failed" entry lists every
    exercise with its verdict, and each failing exercise whose message has more
    lines gets an entry of its own. "exercises" (ignored by the dialog) has the
    verdicts for other tools."""
    out = {"exercises": {n: v for n, (v, _) in status.items()}}
    done = [n for n, (v, _) in status.items() if v.startswith("passed")]
    if len(done) == len(status):
        return out
    width = max(len(n) for n in status)
    table = "\n".join(f"{n:<{width}}  {v}" for n, (v, _) in status.items())
    summary = f"{len(done)} of {len(status)} visible checks pass.\n" + textwrap.fill(
        "Replace each `raise NotImplementedError()` with your code and run the check "
        "below it. Hidden tests run when your notebook is graded.", width=64)
    entries = [{"source": table, "raw_error": summary}]
    entries += [{"source": f"{n}: {v}", "raw_error": d} for n, (v, d) in status.items()
                if v.startswith("fails") and "\n" in d]
    for e in entries:
        e["error"] = html.escape(e["raw_error"])
    out["failed"] = entries
    return out


def check_notebook(path: str | Path) -> dict:
    import nbformat
    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    changed = _changed(nb)
    if changed:
        return changed
    ran, died = execute(nb, path.parent)
    return report(judge(nb, ran, died))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m autograder.lab.validate NOTEBOOK", file=sys.stderr)
        return 2
    print("@@RESULT@@" + json.dumps(check_notebook(argv[0])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
