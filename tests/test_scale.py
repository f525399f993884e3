"""Class grading at scale, on a class of smoke-chapter submissions (no torch in the
notebooks, a few seconds each): resumable and incremental batches, a coordinator
killed mid-batch, a Dask cluster (a real scheduler and two workers on loopback)
losing a worker mid-batch, a PostgreSQL gradebook (a real server started here),
and the LMS exports. Every path must give the grades of a plain JOBS=1 run."""

from __future__ import annotations

import csv
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

import smoke_chapter as sc
from processes import processes
from autograder import autograde as ag
from autograder import classroom
from autograder.gradebook import db_url, scores
from autograder.ledger import Ledger

BIN = Path(sys.executable).parent
TAG = "DLCOURSE_SCALE_TEST"
CH = sc.CHAPTER


# ------------------------------------------------------------------ nothing left behind

def _sandbox_processes() -> list[str]:
    """Processes of the sandbox's uids, this module's launchers (their environment
    carries its tag) and orphaned zygotes (a zygote ends with its grader). Another
    grader on the machine is none of these."""
    from autograder.sandbox import UID_BASE
    from autograder.workers import MAX_SLOTS
    tag = f"{TAG}={os.getpid()}".encode()
    return [str(p) for p in processes()
            if UID_BASE <= p.uid < UID_BASE + 2 * MAX_SLOTS
            or ("autograder.sandbox" in p.cmd and tag in p.environ)
            or ("autograder.zygote" in p.cmd and p.ppid == 1 and p.uid == 0)]


@pytest.fixture(scope="module", autouse=True)
def nothing_left_behind():
    """Torn down last: once every batch, pool and cluster of this module is gone, no
    sandboxed process, launcher or zygote outlives its grader (a leftover holds its
    uid: the next kernel on it waits)."""
    mp = pytest.MonkeyPatch()
    mp.setenv(TAG, str(os.getpid()))      # inherited by this module's graders and launchers
    try:
        yield
        deadline = time.time() + 15
        while _sandbox_processes() and time.time() < deadline:
            time.sleep(0.25)
        assert not _sandbox_processes(), "left running: " + "; ".join(_sandbox_processes())
    finally:
        mp.undo()


# ------------------------------------------------------------------ the class

def _class(root: Path) -> None:
    """Six submissions: right, wrong, partial, broken, and a kernel that dies."""
    src = nbformat.read(root / "solutions" / CH / f"{CH}.ipynb", as_version=4)
    rel = nbformat.read(root / "notebooks" / CH / f"{CH}.ipynb", as_version=4)

    def put(student, nb=None, raw=None, cells=None):
        d = root / "submitted" / student / CH
        d.mkdir(parents=True, exist_ok=True)
        if raw is not None:
            (d / f"{CH}.ipynb").write_text(raw)
            return
        nb = nbformat.from_dict(json.loads(nbformat.writes(nb)))
        for i, text in (cells or {}).items():
            nb.cells[i].source = text
        nbformat.write(nb, d / f"{CH}.ipynb")

    put("ada", src)
    put("cy", rel, cells={2: "def double(x):\n    return x + x"})     # 1 of 4
    put("dee", src, cells={5: "def halve(x):\n    return x // 2"})     # 2 of 4
    put("eve", src, cells={2: "def double(x):\n    return 3 * x"})     # 3 of 4
    put("fay", raw='{"cells": [')                                     # failed
    put("gus", src, cells={2: "import os\nos._exit(1)"})              # its kernel dies: 0


STUDENTS = ["ada", "cy", "dee", "eve", "fay", "gus"]


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A released smoke course with the class submitted (copied by each test)."""
    root = sc.make_course(tmp_path_factory.mktemp("scale") / "course")
    mp = pytest.MonkeyPatch()
    mp.setenv("DLCOURSE_ROOT", str(root))
    mp.setenv("DLCOURSE_CELL_TIMEOUT", "10")
    mp.setenv("DLCOURSE_SLOT_DIR", str(tmp_path_factory.mktemp("slots")))
    classroom.release(root)
    _class(root)
    yield root
    mp.undo()


def _copy(template: Path, dest: Path) -> Path:
    shutil.copytree(template, dest, symlinks=True)
    os.environ["DLCOURSE_ROOT"] = str(dest)
    return dest


def _grades(root: Path, url: str | None = None) -> dict:
    """student -> (status, score, reason, per-test scores in the gradebook)."""
    rows = {r["student"]: r for r in csv.DictReader(open(root / "reports" / "autograde_report.csv"))}
    assert len(rows) == sum(1 for _ in open(root / "reports" / "autograde_report.csv")) - 1, \
        "a submission has two rows"
    url = url or db_url(root)
    out = {}
    for s, r in rows.items():
        tests = scores(url, CH, s) if r["status"] != "failed" else None
        out[s] = (r["status"], r["score"], r["reason"], tests)
    return out


class Recorder:
    """Counts ``autograde.record`` calls per submission; ``after`` runs after each."""

    def __init__(self, monkeypatch, after=None):
        self.calls: dict[str, int] = {}
        self.after = after
        real = ag.record

        def record(root, result, *a, **k):
            real(root, result, *a, **k)
            self.calls[result["student"]] = self.calls.get(result["student"], 0) + 1
            if self.after:
                self.after(self)
        monkeypatch.setattr(ag, "record", record)

    @property
    def total(self) -> int:
        return sum(self.calls.values())


@pytest.fixture(scope="module")
def reference(template, tmp_path_factory):
    """The class graded one submission at a time: the grades every path must give."""
    root = _copy(template, tmp_path_factory.mktemp("ref") / "course")
    assert classroom.autograde(root, jobs=1) == 0
    grades = _grades(root)
    assert {s: g[:2] for s, g in grades.items()} == {
        "ada": ("graded", "4.0"), "cy": ("graded", "1.0"), "dee": ("graded", "2.0"),
        "eve": ("graded", "3.0"), "fay": ("failed", ""), "gus": ("graded", "0.0")}
    return root, grades


# ------------------------------------------------------------------ cheap parts

def test_slots_are_distinct_and_freed_with_their_process(tmp_path, monkeypatch):
    from autograder.workers import claim_slot
    monkeypatch.setenv("DLCOURSE_SLOT_DIR", str(tmp_path))
    a, fa = claim_slot()
    b, fb = claim_slot()
    assert a != b
    code = ("from autograder.workers import claim_slot; import os, sys; "
            "print(claim_slot()[0], flush=True); sys.stdin.read()")
    holder = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=dict(os.environ))
    c = int(holder.stdout.readline())
    assert c not in (a, b)
    holder.kill()                       # the lock goes with the process, however it ends
    holder.wait()
    os.close(fa)
    d, fd = claim_slot()
    assert d in (a, c) and d != b
    os.close(fb)
    os.close(fd)


def test_submission_travels_as_data(tmp_path):
    from autograder.workers import read_folder, write_folder
    src = tmp_path / "src"
    (src / "data").mkdir(parents=True)
    (src / f"{CH}.ipynb").write_text("{}")
    (src / "data" / "x.bin").write_bytes(b"\0\1")
    (src / "leak").symlink_to("/etc/passwd")
    files = read_folder(src)
    assert files == {f"{CH}.ipynb": b"{}", "data/x.bin": b"\0\1", "leak": None}
    dst = tmp_path / "dst"
    write_folder(files, dst)
    assert (dst / "data" / "x.bin").read_bytes() == b"\0\1"
    assert (dst / "leak").is_symlink() and os.readlink(dst / "leak") == "/dev/null"
    with pytest.raises(ValueError):
        write_folder({"../escape": b""}, dst)


def test_command_line_options(tmp_path, monkeypatch, capsys):
    from autograder import cli
    seen = {}
    monkeypatch.setattr(classroom, "autograde", lambda **kw: seen.update(kw) or 0)
    assert cli.main(["autograde", "--root", str(tmp_path), "--jobs", "3",
                     "--scheduler", "tcp://10.0.0.1:8786", "--force"]) == 0
    assert seen == {"root": tmp_path.resolve(), "jobs": 3, "scheduler": "tcp://10.0.0.1:8786",
                    "force": True}
    make = subprocess.run(["make", "-n", "autograde", "JOBS=2", "SCHEDULER=tcp://h:1", "FORCE=1"],
                          cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True)
    line = [ln for ln in make.stdout.replace("\\\n", " ").splitlines() if "autograder autograde" in ln]
    assert line and "--jobs 2" in line[-1] and "--scheduler tcp://h:1" in line[-1] \
        and "--force" in line[-1], make.stdout


# ------------------------------------------------------------------ incremental, exports

@pytest.mark.slow
def test_rerun_grades_only_new_or_changed_submissions_and_exports(reference, tmp_path, monkeypatch):
    ref_root, ref = reference
    root = _copy(ref_root, tmp_path / "course")
    rec = Recorder(monkeypatch)
    assert classroom.autograde(root, jobs=2) == 0
    assert rec.total == 0, "unchanged submissions were graded again"
    assert _grades(root) == ref

    # a resubmission, a new student, a fixed one and a broken one: only those are graded
    src = nbformat.read(root / "solutions" / CH / f"{CH}.ipynb", as_version=4)
    (root / "submitted" / "ivy" / CH).mkdir(parents=True)
    for s in ("eve", "ivy", "fay"):
        nbformat.write(src, root / "submitted" / s / CH / f"{CH}.ipynb")
    (root / "submitted" / "ada" / CH / f"{CH}.ipynb").write_text("[")
    assert classroom.autograde(root, jobs=2) == 0
    assert rec.calls == {"eve": 1, "ivy": 1, "fay": 1, "ada": 1}
    now = _grades(root)
    assert now["eve"][:2] == now["ivy"][:2] == now["fay"][:2] == ("graded", "4.0")
    assert now["ada"][:2] == ("failed", "")
    assert {s: now[s] for s in ("cy", "dee", "gus")} == {s: ref[s] for s in ("cy", "dee", "gus")}
    # the broken resubmission leaves no scores of the older version behind
    from nbgrader.api import Gradebook, MissingEntry
    with Gradebook(db_url(root)) as gb, pytest.raises(MissingEntry):
        gb.find_submission(CH, "ada")
    assert not list((root / "autograded" / "ada").rglob("*.ipynb"))

    # exports: nbgrader's CSV, per exercise, Canvas, Moodle, the plot
    assert classroom.grades(root) == 0
    rep = root / "reports"
    canvas = list(csv.reader(open(rep / "canvas_grades.csv")))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", CH]
    assert canvas[1][0].strip() == "Points Possible" and canvas[1][5] == "4"
    got = {r[2]: r[5] for r in canvas[2:]}
    assert got == {"ada": "0", "cy": "1", "dee": "2", "eve": "4", "fay": "4", "gus": "0", "ivy": "4"}
    moodle = list(csv.DictReader(open(rep / "moodle_grades.csv")))
    assert list(moodle[0]) == ["First name", "Last name", "ID number", "Email address", CH]
    assert {r["ID number"]: r[CH] for r in moodle} == got
    nbg = {r["student_id"]: r for r in csv.DictReader(open(rep / "nbgrader_grades.csv"))}
    assert float(nbg["dee"]["score"]) == 2.0 and float(nbg["dee"]["max_score"]) == 4.0
    by_ex = list(csv.DictReader(open(rep / "grades_by_exercise.csv")))
    assert {r["exercise"]: float(r["score"]) for r in by_ex if r["student"] == "dee"} == \
        {"double": 1.0, "halve": 1.0}
    assert (rep / "class_results.png").stat().st_size > 1000


@pytest.mark.slow
def test_a_grader_fault_fails_one_submission_which_the_next_run_grades(reference, tmp_path, monkeypatch):
    """An exception of the grader itself (not a reason in the submission) is recorded
    with its reason and not taken as final: the next run grades that submission."""
    ref_root, ref = reference
    root = _copy(ref_root, tmp_path / "course")
    (root / "submitted" / "dee" / CH / f"{CH}.ipynb").write_bytes(
        (root / "submitted" / "ada" / CH / f"{CH}.ipynb").read_bytes())
    from autograder import pipeline
    real = pipeline.grade_folder

    def faulty(folder, chapter, student, *a, **k):
        if student == "dee":
            raise ModuleNotFoundError("No module named 'fastjsonschema.ref_resolver'")
        return real(folder, chapter, student, *a, **k)
    monkeypatch.setattr(pipeline, "grade_folder", faulty)       # the forked workers inherit it
    rec = Recorder(monkeypatch)
    assert classroom.autograde(root, jobs=1) == 0
    # the batch ended before the worker's first kernel was up: the worker is gone all
    # the same (it waited 120 s for a zygote already closed, holding this process's files)
    import multiprocessing
    assert not multiprocessing.active_children(), multiprocessing.active_children()
    assert rec.calls == {"dee": 1}
    status, _, reason, _ = _grades(root)["dee"]
    assert status == "failed" and "the grader failed (ModuleNotFoundError" in reason, reason
    monkeypatch.setattr(pipeline, "grade_folder", real)
    assert classroom.autograde(root, jobs=1) == 0
    assert rec.calls == {"dee": 2}
    assert _grades(root)["dee"][:2] == ("graded", "4.0")


# ------------------------------------------------------------------ interrupted coordinator

def _descendants(pid: int) -> set[int]:
    kids: dict[int, list[int]] = {}
    for p in processes():
        kids.setdefault(p.ppid, []).append(p.pid)
    out, todo = set(), [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            if k not in out:
                out.add(k)
                todo.append(k)
    return out


def _alive(pids) -> set[int]:
    return {p.pid for p in processes() if p.pid in pids and p.state != "Z"}


def _coordinator(root: Path, *args) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "autograder", "autograde", "--root", str(root),
                             *args], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True, env=dict(os.environ))


def _wait_rows(root: Path, proc, n: int, timeout: float = 240) -> int:
    url = db_url(root)
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert proc.poll() is None, proc.stdout.read()
        if (root / "gradebook.db").is_file():
            try:
                got = len(Ledger(url).entries())
            except Exception:  # noqa: BLE001 - the coordinator is creating the table
                got = 0
            if got >= n:
                return got
        time.sleep(0.3)
    raise AssertionError(f"fewer than {n} rows after {timeout} s")


@pytest.mark.slow
def test_interrupted_and_killed_coordinator_resume_without_loss_or_duplicates(
        template, reference, tmp_path, monkeypatch):
    ref = reference[1]
    root = _copy(template, tmp_path / "course")
    # Ctrl-C: the batch stops, what was recorded stays, the report says so
    proc = _coordinator(root, "--jobs", "1")
    _wait_rows(root, proc, 1)
    os.killpg(proc.pid, signal.SIGINT)          # as a terminal does: the whole group
    out, _ = proc.communicate(timeout=60)
    assert proc.returncode == 130, out
    assert "interrupted" in out
    first = Ledger(db_url(root)).entries()
    assert 1 <= len(first) < len(STUDENTS)

    # a killed coordinator: its workers and their kernels go with it
    proc = _coordinator(root, "--jobs", "2")
    _wait_rows(root, proc, len(first) + 2)
    family = _descendants(proc.pid)
    assert family, "no worker processes"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 30
    while _alive(family) and time.time() < deadline:
        time.sleep(0.5)
    assert not _alive(family), f"left running: {_alive(family)}"
    recorded = Ledger(db_url(root)).entries()
    assert len(first) < len(recorded) < len(STUDENTS), "the batch was not cut short"

    # the rerun grades exactly what was not recorded, once each
    rec = Recorder(monkeypatch)
    assert classroom.autograde(root, jobs=2) == 0
    assert set(rec.calls) == set(STUDENTS) - {s for s, _ in recorded}
    assert all(v == 1 for v in rec.calls.values())
    assert _grades(root) == ref
    entries = Ledger(db_url(root)).entries()
    assert len(entries) == len(STUDENTS) and all(e.times == 1 for e in entries.values())
    from nbgrader.api import Gradebook
    with Gradebook(db_url(root)) as gb:
        subs = [(s.student.id) for a in gb.assignments for s in a.submissions]
    assert sorted(subs) == sorted(s for s in STUDENTS if ref[s][0] != "failed")


# ------------------------------------------------------------------ Dask

@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A real ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1."""
    pytest.importorskip("distributed")
    base = tmp_path_factory.mktemp("dask")
    sched_file = base / "scheduler.json"
    log = open(base / "dask.log", "w")
    env = dict(os.environ)
    procs = {"scheduler": subprocess.Popen(
        [BIN / "dask", "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
         "--scheduler-file", str(sched_file)], stdout=log, stderr=log, start_new_session=True, env=env)}
    try:
        deadline = time.time() + 60
        while not sched_file.is_file() and time.time() < deadline:
            time.sleep(0.2)
        for name in ("w0", "w1"):
            procs[name] = subprocess.Popen(
                [BIN / "dask", "worker", "--scheduler-file", str(sched_file), "--host", "127.0.0.1",
                 "--nthreads", "1", "--nworkers", "1", "--name", name, "--no-dashboard",
                 "--local-directory", str(base / name)],
                stdout=log, stderr=log, start_new_session=True, env=env)
        address = json.loads(sched_file.read_text())["address"]
        from distributed import Client
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address, procs, base / "dask.log"
    finally:
        for p in reversed(list(procs.values())):
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()
        log.close()


def test_a_dask_workers_set_up_and_first_submission_import_in_turn(template, tmp_path):
    """A fresh worker's set-up imports the grader while its first submission arrives:
    CPython imports a module from two threads at once unsafely (a student once got
    "No module named 'fastjsonschema.ref_resolver'"), so the submission waits."""
    code = f"""
import json, sys, threading
seen = []
class Record:
    def find_spec(self, name, path, target=None):
        seen.append(threading.current_thread().name)
sys.meta_path.insert(0, Record())
from pathlib import Path
from autograder import distributed, workers
root = Path({str(template)!r})
course = workers.course_bundle(root, [{CH!r}])
files = workers.read_folder(root / "submitted" / "eve" / {CH!r})
out = {{}}
plugin = distributed.SandboxPlugin(workers.kernel_arguments(root), "")
plugin.setup()
task = threading.Thread(name="task", target=lambda: out.update(distributed.grade_remote(
    course, workers.bundle_digest(course), "eve", {CH!r}, files)))
task.start()
task.join()
runs = [t for i, t in enumerate(seen) if i == 0 or seen[i - 1] != t]
distributed._SETUP.close()
print(json.dumps({{"runs": runs, "score": out["result"]["score"]}}))
"""
    proc = subprocess.run([sys.executable, "-B", "-c", code], capture_output=True, text=True, timeout=180,
                          cwd=Path(ag.__file__).parent.parent)
    assert proc.returncode == 0, proc.stderr[-2000:]
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    assert r["score"] == 3.0, r
    assert r["runs"][:2] == ["MainThread", "dlcourse-setup"] and set(r["runs"][2:]) <= {"task"}, \
        f"threads imported in turn: {r['runs']}"


@pytest.mark.slow
def test_dask_cluster_loses_a_worker_mid_batch_and_nothing_is_lost_or_doubled(
        template, reference, cluster, tmp_path, monkeypatch):
    """Each submission is recorded once, the killed worker's ones by the other
    worker, and the grades are those of JOBS=1."""
    from distributed import Client
    ref = reference[1]
    address, procs, log = cluster
    root = _copy(template, tmp_path / "course")
    client = Client(address, timeout=60)
    info = client.scheduler_info()["workers"]
    names = {a: w["name"] for a, w in info.items()}
    pids = client.run(os.getpid)
    killed, slots = {}, {}

    def kill_a_busy_worker(rec):
        if rec.total != 2 or killed:
            return
        from autograder.distributed import worker_slot
        slots.update(client.run(worker_slot))    # the plugin gave each worker its slot
        busy = {a: list(ks) for a, ks in client.processing().items() if ks}
        addr = next(iter(busy))                    # the worker grading something right now
        killed.update(addr=addr, name=names[addr], pid=pids[addr], keys=busy[addr])
        os.killpg(procs[names[addr]].pid, signal.SIGKILL)     # its nanny and the worker

    rec = Recorder(monkeypatch, after=kill_a_busy_worker)
    try:
        assert classroom.autograde(root, scheduler=address) == 0
    finally:
        client.close()
    assert killed and killed["keys"], "no worker was busy when one was killed"
    assert rec.calls == {s: 1 for s in STUDENTS}, rec.calls       # nothing lost, nothing twice
    assert _grades(root) == ref
    entries = Ledger(db_url(root)).entries()
    assert all(e.times == 1 for e in entries.values())
    # what the killed worker held was graded by the one left
    orphans = {k.split(f"-{CH}")[0].rsplit("-", 1)[1] for k in killed["keys"]}
    for s in orphans:
        assert f"/pid{killed['pid']}" not in entries[(s, CH)].worker, entries[(s, CH)].worker
    # the two workers on this machine had distinct sandbox slots (distinct uids)
    assert len(slots) == 2 and len(set(slots.values())) == 2, slots


# ------------------------------------------------------------------ PostgreSQL

def _pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


@pytest.fixture(scope="module")
def postgres():
    """A PostgreSQL server of its own: initdb and pg_ctl in a temporary folder,
    on a Unix socket there (as the ``postgres`` user when run as root)."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        pytest.skip("PostgreSQL's initdb and pg_ctl are not installed (`make setup` installs "
                    "the postgresql package as root)")
    pytest.importorskip("psycopg2")
    base = Path(tempfile.mkdtemp(prefix="dlcourse-pg-", dir="/tmp"))
    run_as: list[str] = []
    if os.geteuid() == 0:
        try:
            pg = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run the server as")
        os.chown(base, pg.pw_uid, pg.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = base / "data"
    subprocess.run([*run_as, initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                    "--no-sync"], check=True, capture_output=True, timeout=120)
    opts = f"-k {base} -p {port} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
    subprocess.run([*run_as, pg_ctl, "-D", str(data), "-o", opts, "-l", str(base / "log"), "-w",
                    "-t", "60", "start"], check=True, capture_output=True, timeout=120)
    try:
        yield f"postgresql+psycopg2://postgres@/postgres?host={base}&port={port}"
    finally:
        subprocess.run([*run_as, pg_ctl, "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.slow
def test_postgresql_gradebook(template, reference, postgres, tmp_path, monkeypatch):
    ref = reference[1]
    root = _copy(template, tmp_path / "course")
    keep = ["ada", "dee", "fay"]
    for s in STUDENTS:
        if s not in keep:
            shutil.rmtree(root / "submitted" / s)
    sqlite_before = (root / "gradebook.db").read_bytes()
    monkeypatch.setenv("DLCOURSE_DB_URL", postgres)
    assert db_url(root) == postgres
    assert classroom.autograde(root, jobs=2) == 0       # releases the chapter into PostgreSQL
    assert _grades(root, postgres) == {s: ref[s] for s in keep}
    entries = Ledger(postgres).entries()
    assert sorted(s for s, _ in entries) == keep
    assert (root / "gradebook.db").read_bytes() == sqlite_before, "SQLite was written"
    rec = Recorder(monkeypatch)
    assert classroom.autograde(root, jobs=2) == 0
    assert rec.total == 0
    assert classroom.autograde(root, jobs=2, force=True) == 0     # --force: all again
    assert rec.calls == {s: 1 for s in keep}
    assert _grades(root, postgres) == {s: ref[s] for s in keep}
    assert all(e.times == 2 for e in Ledger(postgres).entries().values())
    assert classroom.grades(root) == 0
    nbg = {r["student_id"]: float(r["score"]) for r in
           csv.DictReader(open(root / "reports" / "nbgrader_grades.csv"))}
    assert nbg == {"ada": 4.0, "dee": 2.0}
    classroom.feedback(root)
    assert (root / "feedback" / "dee" / CH / f"{CH}.html").is_file()
