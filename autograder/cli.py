"""Command line: ``python -m autograder COMMAND`` (also installed as ``dlcourse``).

  grade PATH.ipynb [--chapter CH]   grade one notebook, print JSON (exit 0 when grading ran)
  release [--chapter CH]            solutions/ -> notebooks/
  autograde [--chapter CH] [--jobs N] [--scheduler ADDR] [--force]
                                    grade new or changed submitted/<student>/<chapter>/ into
                                    the gradebook: N at a time here, or on a Dask cluster
  feedback [--chapter CH]           HTML feedback into feedback/
  grades                            CSV exports (nbgrader, per exercise, Canvas, Moodle) and
                                    a plot of per-exercise class results
  demo --root DIR                   grade the bundled sample class in DIR and report
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .course import GradingError


def _grade(args) -> int:
    import os

    from .pipeline import grade_notebook
    from .workers import claim_slot
    slot, fd = claim_slot()         # its own sandbox uids, apart from workers and other commands
    try:
        result = grade_notebook(Path(args.path), chapter=args.chapter, timeout=args.timeout, slot=slot)
    finally:
        os.close(fd)
    out = result.details() if args.details else result.summary()
    print(json.dumps(out, indent=None if args.compact else 2))
    return 0


def _classroom(args) -> int:
    from . import classroom
    root = Path(args.root).resolve() if getattr(args, "root", None) else None
    fn = getattr(classroom, args.command)
    kwargs = {"root": root} if root else {}
    if getattr(args, "chapter", None):
        kwargs["chapter"] = args.chapter
    if getattr(args, "jobs", None):
        kwargs["jobs"] = args.jobs
    if getattr(args, "scheduler", None):
        kwargs["scheduler"] = args.scheduler
    if getattr(args, "force", False):
        kwargs["force"] = True
    return fn(**kwargs) or 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("grade", help="grade one notebook and print JSON")
    g.add_argument("path")
    g.add_argument("--chapter", help="chapter id when the file name is not chNN_slug.ipynb")
    g.add_argument("--timeout", type=float, default=900, help="seconds before grading is stopped")
    g.add_argument("--details", action="store_true",
                   help="add status, tests (score per test cell), failures (test -> message), "
                        "flags for a human, reason and seconds")
    g.add_argument("--compact", action="store_true", help="one-line JSON")
    g.set_defaults(func=_grade)
    for name, helptext in (("release", "solutions/ -> notebooks/"),
                           ("autograde", "grade every submission"),
                           ("feedback", "generate HTML feedback"),
                           ("grades", "export grades and plot class results"),
                           ("demo", "grade the bundled sample class")):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--root", help="course directory (default: the repository root)")
        if name in ("release", "autograde", "feedback"):
            p.add_argument("--chapter")
        if name in ("autograde", "demo"):
            p.add_argument("--jobs", type=int, help="submissions graded at once (default: JOBS or the number of cores)")
        if name == "autograde":
            p.add_argument("--scheduler", metavar="ADDR",
                           help="grade on the Dask cluster at ADDR, e.g. tcp://host:8786 "
                                "(default: DLCOURSE_DASK_SCHEDULER; none: local processes)")
            p.add_argument("--force", action="store_true",
                           help="regrade every submission, changed or not")
        p.set_defaults(func=_classroom)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except GradingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
