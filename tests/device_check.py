"""Run every chapter's solution notebook, hidden tests included, on the default
device (CUDA when present) without Jupyter, and report each test cell.

For a machine with a GPU but without nbgrader/nbclient (only torch, numpy,
matplotlib): ``python tests/device_check.py [--variants]``. With ``--variants``,
every wrong and correct implementation in tests/variants/ is run too, and the
script reports whether its own exercise's tests failed (wrong) or all passed
(correct): the same test-power rules as tests/test_power.py, on this device.
Exit status 1 when any expectation fails.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import os
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "tests")]
os.environ.setdefault("MPLBACKEND", "Agg")
MARKERS = re.compile(r"^[ \t]*### (BEGIN|END) (SOLUTION|HIDDEN TESTS)[ \t]*\n?", re.M)


def cells(chapter: str):
    nb = json.loads((REPO / "solutions" / chapter / f"{chapter}.ipynb").read_text())
    for c in nb["cells"]:
        if c["cell_type"] == "code":
            src = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            yield c["metadata"].get("nbgrader", {}), MARKERS.sub("", src)


def run(chapter: str, replace: dict[str, str] | None = None) -> dict[str, str]:
    """grade_id -> 'ok' or the error, for every test cell of the chapter."""
    import matplotlib.pyplot as plt
    ns: dict = {"__name__": "__main__"}
    out = {}
    for meta, src in cells(chapter):
        gid = meta.get("grade_id")
        if replace and gid in replace:
            src = replace[gid]
        src = "\n".join(ln for ln in src.splitlines() if not ln.lstrip().startswith(("%", "!")))
        err = io.StringIO()
        try:
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
                exec(compile(src, f"<{chapter}:{gid}>", "exec"), ns)
            status = "ok" if not err.getvalue() else "stderr: " + err.getvalue().strip()[:200]
        except Exception as exc:  # noqa: BLE001
            status = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        plt.close("all")
        if meta.get("grade"):
            out[gid] = status
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variants", action="store_true")
    args = ap.parse_args()
    import torch
    import autograder as ag
    print(f"torch {torch.__version__}, device {ag.get_device()}")
    chapters = sorted(p.name for p in (REPO / "solutions").iterdir() if p.name.startswith("ch"))
    bad = 0
    for ch in chapters:
        t0 = time.perf_counter()
        res = run(ch)
        fails = {g: s for g, s in res.items() if s != "ok"}
        bad += bool(fails)
        print(f"{ch}: solution {len(res) - len(fails)}/{len(res)} test cells pass "
              f"({time.perf_counter() - t0:.1f} s) {fails or ''}")
        if not args.variants or not importlib.util.find_spec(f"variants.{ch}"):
            continue
        mod = importlib.import_module(f"variants.{ch}")
        for ex, kinds in mod.VARIANTS.items():
            for kind, impls in kinds.items():
                for name, code in impls.items():
                    res = run(ch, {ex: code})
                    own = [s for g, s in res.items() if g.startswith(f"test_{ex}") and s != "ok"]
                    others = [g for g, s in res.items() if s != "ok" and not g.startswith(f"test_{ex}")]
                    good = bool(own) if kind == "wrong" else not (own or others)
                    bad += not good
                    print(f"  {'ok ' if good else 'BAD'} {ex:<18} {kind:<8} {name:<30} "
                          f"{(own or ['all pass'])[0][:90]}")
    print("device check:", "passed" if not bad else f"{bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
