"""What has been graded: one row per (student, chapter), beside the gradebook.

A table ``dlcourse_autograde`` in the gradebook's own database (SQLite or
PostgreSQL, the URL from ``gradebook.db_url``) holds, for each submission, the
key it was graded under (the hash of the submission folder's content and of the
chapter's source version) and its report row (status, score, reason, seconds,
where it was graded). The class command writes it in the same step as the
gradebook record, right after it, so:

* an interrupted batch resumes where it stopped: a submission whose row has its
  current key is not graded again; one whose record was cut short has no row
  with that key and is graded again, and nbgrader's records are updated in place
  (one submission per student and chapter), never duplicated;
* re-running grades only new or changed submissions (``--force`` regrades all).
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from pathlib import Path

TABLE = "dlcourse_autograde"
COLUMNS = ("student", "chapter", "key", "status", "score", "max_score", "seconds", "reason",
           "worker", "graded_at", "times")


HASH_MAX_BYTES = 256 * 2**20      # past this, a file counts by its size and time, not its bytes


def _hash_tree(h, folder: Path) -> None:
    """Names and bytes of the regular files under ``folder``; links and special files
    count by name (never followed or opened, as the grader's copy does not)."""
    budget = HASH_MAX_BYTES
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        rel = Path(dirpath).relative_to(folder)
        for name in dirnames:
            if os.path.islink(os.path.join(dirpath, name)):
                h.update(f"\0{rel / name}\0link".encode())
        for name in sorted(filenames):
            p = Path(dirpath) / name
            try:
                st = p.lstat()
                if p.is_symlink() or not p.is_file():
                    h.update(f"\0{rel / name}\0special".encode())
                    continue
                h.update(f"\0{rel / name}\0{st.st_size}\0".encode())
                if st.st_size > budget:
                    h.update(f"{st.st_mtime_ns}".encode())
                    continue
                budget -= st.st_size
                with open(p, "rb", opener=lambda f, fl: os.open(f, fl | os.O_NOFOLLOW | os.O_NONBLOCK)) as f:
                    for block in iter(lambda: f.read(1 << 20), b""):
                        h.update(block)
            except OSError as exc:
                h.update(f"\0{rel / name}\0unreadable {exc.errno}".encode())


def submission_hash(folder: Path) -> str:
    h = hashlib.sha256()
    _hash_tree(h, Path(folder))
    return h.hexdigest()[:24]


def chapter_version(chapter: str, root: Path) -> str:
    """The chapter's source folder and the grading configuration, hashed."""
    import nbgrader
    h = hashlib.sha256(nbgrader.__version__.encode())
    _hash_tree(h, root / "solutions" / chapter)
    h.update((root / "nbgrader_config.py").read_bytes())
    return h.hexdigest()[:16]


@dataclass
class Entry:
    student: str
    chapter: str
    key: str
    status: str
    score: float | None
    max_score: float
    seconds: float
    reason: str
    worker: str
    graded_at: float
    times: int

    def report_row(self) -> dict:
        return {"student": self.student, "chapter": self.chapter, "status": self.status,
                "score": "" if self.score is None else self.score, "max_score": self.max_score,
                "seconds": self.seconds, "reason": self.reason}


_ENGINES: dict = {}


def _engine(url: str):
    from sqlalchemy import create_engine
    if url not in _ENGINES:
        _ENGINES[url] = create_engine(url, future=True)
    return _ENGINES[url]


def _table():
    from sqlalchemy import Column, Float, Integer, MetaData, String, Table, Text
    md = MetaData()
    return Table(TABLE, md,
                 Column("student", String(128), primary_key=True),
                 Column("chapter", String(128), primary_key=True),
                 Column("key", String(64), nullable=False),
                 Column("status", String(16), nullable=False),
                 Column("score", Float),
                 Column("max_score", Float, nullable=False),
                 Column("seconds", Float, nullable=False),
                 Column("reason", Text, nullable=False),
                 Column("worker", String(256), nullable=False),
                 Column("graded_at", Float, nullable=False),
                 Column("times", Integer, nullable=False))


class Ledger:
    """The table, in the database at ``url``."""

    def __init__(self, url: str):
        from nbgrader.api import Gradebook
        self.url = url
        # nbgrader's tables first: it stamps its schema version only in an empty database
        with Gradebook(url):
            pass
        self.table = _table()
        self.table.metadata.create_all(_engine(url))

    def entries(self) -> dict[tuple[str, str], Entry]:
        from sqlalchemy import select
        with _engine(self.url).connect() as con:
            return {(r.student, r.chapter): Entry(**r._asdict())
                    for r in con.execute(select(self.table))}

    def put(self, result: dict, key: str, worker: str = "") -> None:
        """One submission's row (``key`` empty: grade it again next time)."""
        engine = _engine(self.url)
        row = {"student": result["student"], "chapter": result["chapter"], "key": key,
               "status": result["status"],
               "score": None if result["status"] == "failed" else float(result["score"]),
               "max_score": float(result["max_score"]), "seconds": float(result["seconds"]),
               "reason": str(result.get("reason", ""))[:2000], "worker": worker[:256],
               "graded_at": time.time(), "times": 1}
        if engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        elif engine.dialect.name == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            insert = None
        with engine.begin() as con:
            if insert is not None:
                stmt = insert(self.table).values(**row)
                update = {c: stmt.excluded[c] for c in row if c not in ("student", "chapter", "times")}
                update["times"] = self.table.c.times + 1
                con.execute(stmt.on_conflict_do_update(index_elements=["student", "chapter"],
                                                       set_=update))
            else:       # another database: delete and insert in one transaction
                from sqlalchemy import delete, insert as core_insert, select
                t = self.table
                where = (t.c.student == row["student"]) & (t.c.chapter == row["chapter"])
                old = con.execute(select(t.c.times).where(where)).scalar()
                row["times"] = (old or 0) + 1
                con.execute(delete(t).where(where))
                con.execute(core_insert(t).values(**row))
