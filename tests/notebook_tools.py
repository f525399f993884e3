"""Grade notebooks through ``python -m autograder grade`` (the real nbgrader pipeline), in
parallel worker processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


def grade_paths(paths: list[Path], workers: int = 2, chapter: str | None = None) -> list[dict]:
    """Grade notebooks with the one-file CLI, ``workers`` at a time."""
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")

    def one(path: Path) -> dict:
        cmd = [sys.executable, "-m", "autograder", "grade", str(path), "--details", "--compact"]
        if chapter:
            cmd += ["--chapter", chapter]
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=900)
        if proc.returncode != 0:
            return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else
                    f"exit {proc.returncode}", "returncode": proc.returncode}
        return json.loads(proc.stdout)

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(one, paths))
