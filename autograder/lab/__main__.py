"""Start JupyterLab as a student or as the instructor of the course.

    python -m autograder.lab student     [--dir DIR] [jupyter lab options...]
    python -m autograder.lab instructor  [jupyter lab options...]

student: JupyterLab on the released ``notebooks/`` (or DIR, the folder fetched
chapters go to), without nbgrader's instructor tools, with the course's Validate.
instructor: JupyterLab on the course directory with formgrader (source
``solutions/``, release ``notebooks/``) and the Create Assignment toolbar.

Both put ``jupyter_config/<view>`` first on JUPYTER_CONFIG_PATH for this launch
only, and use the exchange at DLCOURSE_EXCHANGE (default: ``build/exchange`` in
the course, created here), so what one submits the other collects.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from ..course import course_root


def lab_command(view: str, course: Path, folder: Path | None, extra: list[str]):
    """(argv, env, cwd) that start JupyterLab for ``view``."""
    course = course.resolve()
    root = (folder or (course / "notebooks" if view == "student" else course)).resolve()
    env = dict(os.environ)
    paths = [str(course / "jupyter_config" / view)]
    if env.get("JUPYTER_CONFIG_PATH"):
        paths.append(env["JUPYTER_CONFIG_PATH"])
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(paths)
    env["DLCOURSE_ROOT"] = str(course)
    env["DLCOURSE_EXCHANGE"] = str(Path(env.get("DLCOURSE_EXCHANGE")
                                        or course / "build" / "exchange").resolve())
    argv = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}"]
    if view == "instructor":
        argv.append("--ServerApp.default_url=/lab?formgrader=true")
    if hasattr(os, "getuid") and os.getuid() == 0:
        argv.append("--allow-root")
    return argv + list(extra), env, root


def _in_gradebook(course: Path, chapter: str) -> bool:
    from nbgrader.api import Gradebook, MissingEntry

    from ..gradebook import db_url
    url = db_url(course)
    if url == f"sqlite:///{course / 'gradebook.db'}" and not (course / "gradebook.db").is_file():
        return False
    with Gradebook(url) as gb:
        try:
            gb.find_assignment(chapter)
            return True
        except MissingEntry:
            return False


def _sync_gradebook(course: Path) -> None:
    """formgrader needs each chapter in the gradebook (points, autograde): release
    the ones it does not know yet, as `make release` does."""
    os.environ["DLCOURSE_ROOT"] = str(course)
    from ..classroom import release
    from ..course import chapters
    for ch in chapters(course):
        if not _in_gradebook(course, ch):
            try:
                release(course, ch)
            except Exception as exc:  # noqa: BLE001 - formgrader still starts
                print(f"warning: could not release {ch}: {exc}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m autograder.lab", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("view", choices=["student", "instructor"])
    p.add_argument("--course", type=Path, default=course_root(),
                   help="the course directory (default: this repository)")
    p.add_argument("--dir", type=Path, default=None,
                   help="student only: the folder JupyterLab opens (default: notebooks/)")
    args, extra = p.parse_known_args(argv)
    cmd, env, root = lab_command(args.view, args.course, args.dir, extra)
    root.mkdir(parents=True, exist_ok=True)
    exchange = Path(env["DLCOURSE_EXCHANGE"])
    try:
        exchange.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(f"warning: exchange {exchange} cannot be created ({exc}); "
              "fetching and submitting will not work", file=sys.stderr)
    if args.view == "instructor":
        _sync_gradebook(args.course.resolve())
    print(f"{args.view} view of {args.course.resolve()} in {root}; exchange: {exchange}",
          flush=True)
    # Fetched chapters land in the working directory (nbgrader's Exchange.assignment_dir).
    os.chdir(root if args.view == "student" else args.course.resolve())
    os.execve(cmd[0], cmd, env)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
