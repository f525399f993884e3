"""Execute one notebook in a fresh kernel and print what the tests need, as JSON.

``python tests/execute_notebook.py PATH [--upto-first-stub]`` (up to the first visible check, which must raise NotImplementedError): seconds, the
first error (cell index and "Name: message"), and the graded test cells that
wrote to stderr. Run as a subprocess so notebooks execute in parallel."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError


def main(argv: list[str]) -> int:
    path = Path(argv[0])
    nb = nbformat.read(path, as_version=4)
    if "--upto-first-stub" in argv:
        first = next(i for i, c in enumerate(nb.cells)
                     if c.get("metadata", {}).get("nbgrader", {}).get("solution"))
        nb.cells = nb.cells[:first + 2]     # the first answer, still a stub, and its visible check
    out = {"error": None}
    t0 = time.perf_counter()
    try:
        NotebookClient(nb, timeout=120, kernel_name="python3",
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    except CellExecutionError as exc:
        out["error"] = str(exc).strip().splitlines()[-1][:500]
    except Exception as exc:  # a dead kernel, a timeout
        out["error"] = f"{type(exc).__name__}: {exc}"[:500]
    out["seconds"] = round(time.perf_counter() - t0, 2)
    out["stderr_tests"] = [c.metadata["nbgrader"]["grade_id"] for c in nb.cells
                           if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")
                           and any(o.get("name") == "stderr" for o in c.get("outputs", []))]
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
