"""Detect and undo changes a graded notebook makes to files it must not touch.

Grading runs student code with the grader's permissions, so code such as
``open("../../solutions/ch07.../ch07....ipynb", "w")`` could overwrite course
files. ``FileGuard`` keeps the bytes of every protected file in memory (the
course is a few MB), and after grading restores what changed and deletes what
appeared, reporting the paths so the submission can be flagged.
"""

from __future__ import annotations

import os
from pathlib import Path

SKIP_DIRS = {".git", ".venv", "build", "__pycache__", ".ipynb_checkpoints", ".pytest_cache",
             "node_modules"}
MAX_FILE = 20 * 1024 * 1024


class FileGuard:
    def __init__(self, root: Path, allow: list[Path] = ()):
        self.root = Path(root).resolve()
        self.allow = [Path(a).resolve() for a in allow]
        self.saved: dict[Path, tuple[int, int, bytes | None]] = {}

    def _allowed(self, path: Path) -> bool:
        return any(path == a or a in path.parents for a in self.allow)

    def _walk(self):
        for dirpath, dirnames, filenames in os.walk(self.root):
            dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not d.endswith(".egg-info")]
            for name in filenames:
                path = Path(dirpath) / name
                if not self._allowed(path) and path.is_file() and not path.is_symlink():
                    yield path

    def __enter__(self) -> "FileGuard":
        for path in self._walk():
            st = path.stat()
            data = path.read_bytes() if st.st_size <= MAX_FILE else None
            self.saved[path] = (st.st_size, st.st_mtime_ns, data)
        return self

    def __exit__(self, *exc) -> None:
        self.changed = self.restore()

    def restore(self) -> list[str]:
        """Undo every change since ``__enter__``; return the relative paths touched."""
        touched = []
        seen = set()
        for path in self._walk():
            seen.add(path)
            old = self.saved.get(path)
            if old is None:
                path.unlink()
                touched.append(path)
                continue
            st = path.stat()
            if (st.st_size, st.st_mtime_ns) != old[:2] and old[2] is not None:
                if path.read_bytes() != old[2]:
                    path.write_bytes(old[2])
                    touched.append(path)
                os.utime(path, ns=(old[1], old[1]))
        for path, (_, mtime, data) in self.saved.items():
            if path not in seen and data is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
                os.utime(path, ns=(mtime, mtime))
                touched.append(path)
        return sorted(str(p.relative_to(self.root)) for p in touched)
