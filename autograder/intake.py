"""What a submission must be before any of it runs: checked as plain bytes."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from .course import GradingError

MAX_NOTEBOOK_BYTES = 20 * 2**20


def check_notebook_file(path: Path):
    """The submitted notebook, parsed and validated, or a one-line GradingError.

    Refused: a symbolic link (it could point at anything the grader can read),
    anything but a regular file, more than 20 MiB, bytes that are not UTF-8,
    text that is not JSON, and JSON that is not a version-4 notebook.
    """
    import nbformat
    path = Path(path)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        raise GradingError(f"no such file: {path}") from None
    if stat.S_ISLNK(st.st_mode):
        raise GradingError(f"{path.name} is a symbolic link, not a notebook: refused")
    if not stat.S_ISREG(st.st_mode):
        raise GradingError(f"{path.name} is not a regular file")
    if st.st_size > MAX_NOTEBOOK_BYTES:
        raise GradingError(f"{path.name} is {st.st_size / 2**20:.0f} MiB, over the "
                           f"{MAX_NOTEBOOK_BYTES // 2**20} MiB a notebook may have")
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    with os.fdopen(fd, "rb") as f:
        raw = f.read(MAX_NOTEBOOK_BYTES + 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise GradingError(f"{path.name} is not a valid Jupyter notebook: not UTF-8 text "
                           f"(byte {exc.start})") from None
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise GradingError(f"{path.name} is not a valid Jupyter notebook: not JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise GradingError(f"{path.name} is not a valid Jupyter notebook: it has no list of cells")
    if data.get("nbformat") != 4:
        raise GradingError(f"{path.name} is not a valid Jupyter notebook: nbformat "
                           f"{data.get('nbformat')!r} (version 4 is required)")
    try:
        nb = nbformat.reads(text, as_version=4)
        nbformat.validate(nb)
    except Exception as exc:
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise GradingError(f"{path.name} is not a valid Jupyter notebook: {reason[:120]}") from None
    for cell in nb.cells:
        m = cell.get("metadata", {}).get("nbgrader")
        if m is not None and not isinstance(m, dict):
            raise GradingError(f"{path.name} has broken nbgrader metadata in a cell")
    return nb
