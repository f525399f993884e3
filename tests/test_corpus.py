"""The hostile corpus (tests/corpus/), graded in one run with a correct victim.

Every case is a student of one class: the whole class is graded once by the
class autograde (JOBS at a time, 4 by default: the corpus mostly waits on
timeouts), once more to check that a re-run gives identical grades, and every
case once through the one-file command (JOBS at a time).
Then, for every case: no points it did not earn, the victim's (and every
correct submission's) full score, a row with a status and a reason, bounded
time and output, the course, the gradebook's other rows and other students'
files unchanged, no process left, and the hidden tests' canary absent from
everything a student sees.

Needs root for the full sandbox (namespaces, a dedicated uid): skipped otherwise.
``build/corpus_table.md`` gets the table: case | attack | stock nbgrader | ours.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import secrets
import shutil
import socket
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import pytest

import corpus
import smoke_chapter as sc
from processes import processes

pytestmark = pytest.mark.corpus

REPO = Path(__file__).resolve().parent.parent
CASES = corpus.all_cases()
VICTIM = "zz-victim"
# Sandbox uids of this run: UID_BASE + 2 * slot (+1), slots claimed in a private folder. A base
# of its own keeps the run apart from other graders on the machine (and another run of this
# file): processes of one uid share its process limit, and the check for leftovers is by uid.
UID_BASE = 100_000 + 2048 * (os.getpid() % 4000)
UID_SPAN = 2048
CELL_TIMEOUT = 8                  # seconds per cell before the interrupt (120 in the course)
SUBMISSION_TIMEOUT = 150
MAX_STDOUT = 64 * 1024            # the one-file command's JSON (with --details)
MAX_STDERR = 16 * 1024
MAX_GRADED_NB = 6 * 2**20         # an autograded notebook (4 MB of outputs at most, plus the cells)
MAX_FEEDBACK = 8 * 2**20
MAX_CASE_SECONDS = 240            # a hang detector: a case may take this long on a loaded machine
MAX_TOTAL_SECONDS = 1800
JOBS = int(os.environ.get("DLCORPUS_JOBS", "4"))   # the corpus waits on timeouts more than it computes

for case in CASES:
    if case.name == "victim":
        case.name = VICTIM
if os.environ.get("DLCORPUS_CASES"):       # a subset while working on a case (the victim stays)
    CASES = [c for c in CASES if c.name in os.environ["DLCORPUS_CASES"].split(",") or c.name == VICTIM]
BY_NAME = {c.name: c for c in CASES}


# --------------------------------------------------------------------------- the run

@dataclass
class OneFile:
    rc: int
    stdout: bytes
    stderr: bytes
    seconds: float

    def json(self) -> dict | None:
        try:
            return json.loads(self.stdout)
        except ValueError:
            return None


@dataclass
class Run:
    ctx: corpus.Ctx
    rows: dict = field(default_factory=dict)          # class report rows by student
    rerun_rows: dict = field(default_factory=dict)
    one_file: dict = field(default_factory=dict)      # case -> OneFile
    seconds: dict = field(default_factory=dict)       # phase -> wall seconds
    before: dict = field(default_factory=dict)        # course tree digest
    after: dict = field(default_factory=dict)
    gradebook_before: dict = field(default_factory=dict)
    gradebook_after: dict = field(default_factory=dict)
    gradebook_scores: dict = field(default_factory=dict)
    gradebook_rerun: dict = field(default_factory=dict)
    class_output: str = ""
    leftovers: list = field(default_factory=list)
    markers: list = field(default_factory=list)       # files left outside the sandbox by cases
    connections: list = field(default_factory=list)   # what reached the test's listeners
    probe_files: list = field(default_factory=list)


def _sandbox_ready() -> str | None:
    if not sys.platform.startswith("linux"):
        return "the sandbox needs Linux"
    if os.geteuid() != 0:
        return "the hostile corpus needs root for the full sandbox (namespaces, a dedicated uid); CI runs as root"
    from autograder.sandbox import sandbox_status
    if sandbox_status() != "full":
        return "namespaces are not available here: only the limits-only sandbox would run"
    return None


def _canary_source(canary: str) -> nbformat.NotebookNode:
    nb = sc.build_source()
    for cell in nb.cells:
        cell.source = cell.source.replace("### BEGIN HIDDEN TESTS\n",
                                          f"### BEGIN HIDDEN TESTS\n# {canary}\n")
    assert sum(canary in c.source for c in nb.cells) == 2
    return nb


def _make_course(root: Path, canary: str) -> None:
    (root / "solutions" / sc.CHAPTER).mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    nbformat.write(_canary_source(canary), root / "solutions" / sc.CHAPTER / f"{sc.CHAPTER}.ipynb")


def _tree_digest(root: Path) -> dict[str, str]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames + [d for d in dirnames if os.path.islink(os.path.join(dirpath, d))]:
            p = Path(dirpath) / name
            rel = str(p.relative_to(root))
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                out[rel] = "link:" + os.readlink(p)
            elif stat.S_ISREG(st.st_mode):
                h = hashlib.sha256()
                with open(p, "rb") as f:
                    for block in iter(lambda: f.read(1 << 20), b""):
                        h.update(block)
                out[rel] = h.hexdigest()
    return out


def _legitimately_written(rel: str) -> bool:
    return rel.startswith(("autograded/", "reports/", "feedback/", "gradebook.db")) \
        or rel in (".nbgrader.log",)


def _gradebook_shape(db: Path) -> dict:
    """What grading must not change: the assignment's definition."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        out = {}
        for table, cols in (("assignment", "name"), ("notebook", "name"),
                            ("grade_cells", "name, max_score, cell_type"),
                            ("source_cell", "name, source, checksum, locked"),
                            ("base_cell", "name, type")):
            try:
                out[table] = sorted(map(tuple, con.execute(f"SELECT {cols} FROM {table}").fetchall()))
            except sqlite3.OperationalError:
                out[table] = None
        return out
    finally:
        con.close()


def _gradebook_scores(db: Path) -> dict[str, float]:
    from nbgrader.api import Gradebook
    out = {}
    with Gradebook(f"sqlite:///{db}") as gb:
        for student in gb.students:
            try:
                nb = gb.find_submission_notebook(sc.CHAPTER, sc.CHAPTER, student.id)
            except Exception:
                continue
            out[student.id] = round(sum(float(g.score or 0.0) for g in nb.grades), 6)
    return out


def _read_rows(root: Path) -> dict[str, dict]:
    with open(root / "reports" / "autograde_report.csv", newline="") as f:
        return {r["student"]: r for r in csv.DictReader(f)}


def _primary_ip() -> str:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.connect(("10.255.255.255", 1))
        return s.getsockname()[0]
    except OSError:
        return "127.0.0.1"
    finally:
        s.close()


class _Listeners:
    """A TCP listener on every interface and an abstract Unix socket: whatever
    connects during the run is recorded."""

    def __init__(self, tag: str):
        self.reached: list[str] = []
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.tcp.bind(("0.0.0.0", 0))
        self.tcp.listen(16)
        self.port = self.tcp.getsockname()[1]
        self.unix_name = f"dlcorpus-{tag}"
        self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.unix.bind("\0" + self.unix_name)
        self.unix.listen(16)
        self._stop = False
        self._threads = [threading.Thread(target=self._serve, args=(s,), daemon=True)
                         for s in (self.tcp, self.unix)]
        for t in self._threads:
            t.start()

    def _serve(self, sock):
        sock.settimeout(0.5)
        while not self._stop:
            try:
                conn, addr = sock.accept()
            except (socket.timeout, OSError):
                continue
            self.reached.append(f"{sock.family.name} from {addr!r}")
            conn.close()

    def close(self):
        self._stop = True
        for t in self._threads:
            t.join(2)
        self.tcp.close()
        self.unix.close()


def _processes_left(tag: str) -> list[str]:
    """Processes of this run's sandbox uids, or carrying this run's tag in their
    environment (graders, launchers), other than this pytest process."""
    mark = f"DLCOURSE_CORPUS_TAG={tag}".encode()
    return [str(p) for p in processes() if p.state != "Z" and
            (UID_BASE <= p.uid < UID_BASE + UID_SPAN or mark in p.environ)]


def _one_file(case: corpus.Case, root: Path) -> OneFile:
    path = root / "submitted" / case.name / sc.CHAPTER / f"{sc.CHAPTER}.ipynb"
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "autograder", "grade", str(path), "--details",
                           "--compact", "--timeout", str(SUBMISSION_TIMEOUT)],
                          capture_output=True, timeout=MAX_CASE_SECONDS + 60, cwd=tempfile.gettempdir())
    return OneFile(proc.returncode, proc.stdout, proc.stderr, round(time.perf_counter() - t0, 1))


def _autograde(root: Path, force: bool = False) -> tuple[str, float]:
    from autograder import classroom
    buf = io.StringIO()
    t0 = time.perf_counter()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(buf):
        classroom.autograde(root, jobs=JOBS, force=force)
    return buf.getvalue(), time.perf_counter() - t0


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    why = _sandbox_ready()
    if why:
        pytest.skip(why)
    import autograder.sandbox as sandbox
    t_start = time.perf_counter()
    cpu_start = _cpu()
    tag = secrets.token_hex(6)
    base = tmp_path_factory.mktemp("corpus")
    root, grader_tmp = base / "course", base / "graders"
    grader_tmp.mkdir()
    canary = f"DLCORPUS-CANARY-{secrets.token_hex(8)}"
    _make_course(root, canary)

    mp = pytest.MonkeyPatch()
    for key, value in {"DLCOURSE_ROOT": str(root), "DLCOURSE_CELL_TIMEOUT": str(CELL_TIMEOUT),
                       "DLCOURSE_SANDBOX_UID": str(UID_BASE),
                       "DLCOURSE_SUBMISSION_TIMEOUT": str(SUBMISSION_TIMEOUT), "TMPDIR": str(grader_tmp),
                       "DLCOURSE_CORPUS_TAG": tag, "JOBS": str(JOBS), "OMP_NUM_THREADS": "1",
                       "DLCOURSE_SLOT_DIR": str(base / "slots")}.items():
        mp.setenv(key, value)
    mp.setattr(sandbox, "UID_BASE", UID_BASE)
    mp.setattr(tempfile, "tempdir", str(grader_tmp))
    listeners = _Listeners(tag)
    try:
        from autograder import classroom
        with contextlib.redirect_stdout(io.StringIO()):
            classroom.release(root)
        released = nbformat.read(root / "notebooks" / sc.CHAPTER / f"{sc.CHAPTER}.ipynb", as_version=4)
        assert canary not in nbformat.writes(released)
        ctx = corpus.Ctx(root=root, canary=canary, victim=VICTIM, released=released,
                         grader_tmp=grader_tmp, cache=Path(os.environ["DLCOURSE_CACHE"]), repo=REPO,
                         tag=tag, port=listeners.port, host_ip=_primary_ip(),
                         unix_name=listeners.unix_name)
        # the victim first: other cases link to its files
        for case in sorted(CASES, key=lambda c: c.name != VICTIM):
            case.build(ctx, root / "submitted" / case.name / sc.CHAPTER)
        r = Run(ctx)
        r.before = _tree_digest(root)
        r.gradebook_before = _gradebook_shape(root / "gradebook.db")

        # 1. the class, JOBS at a time
        r.class_output, r.seconds["class autograde"] = _autograde(root)
        r.rows = _read_rows(root)
        r.gradebook_scores = _gradebook_scores(root / "gradebook.db")
        # 2. every case through the one-file command, JOBS at a time
        t0 = time.perf_counter()
        # the victim side by side with the fork bomb
        order = sorted((c for c in CASES if c.one_file != "skip"),
                       key=lambda c: {"fork-bomb": 0, VICTIM: 1}.get(c.name, 2))
        with ThreadPoolExecutor(JOBS) as pool:
            for case, res in zip(order, pool.map(lambda c: _one_file(c, root), order)):
                r.one_file[case.name] = res
        r.seconds["one-file commands"] = time.perf_counter() - t0
        # 3. the class again: the same grades
        out2, r.seconds["class autograde, again"] = _autograde(root, force=True)
        r.class_output += out2
        r.rerun_rows = _read_rows(root)
        r.gradebook_rerun = _gradebook_scores(root / "gradebook.db")
        r.after = _tree_digest(root)
        r.gradebook_after = _gradebook_shape(root / "gradebook.db")
        # 4. feedback for every graded submission
        t0 = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            classroom.feedback(root)
        r.seconds["feedback"] = time.perf_counter() - t0
    finally:
        listeners.close()
        mp.undo()
    # what outlived the grading: processes (a little time for the last kernels to go)
    deadline = time.time() + 15
    while True:
        r.leftovers = _processes_left(tag)
        if not r.leftovers or time.time() > deadline:
            break
        time.sleep(1)
    for leftover in r.leftovers:          # do not leave them to the next test
        with contextlib.suppress(Exception):
            os.kill(int(leftover.split()[1]), 9)
    for d in (grader_tmp, Path("/tmp"), root, REPO, Path.home()):
        r.markers += [str(p) for p in d.glob(f"dlcorpus-*{tag}*")]
    r.connections = list(listeners.reached)
    r.probe_files = _probe_files(tag)
    r.seconds["total"] = time.perf_counter() - t_start
    r.seconds["CPU (this process and its children)"] = _cpu() - cpu_start
    _write_table(r)
    return r


def _cpu() -> float:
    import resource
    return sum(getattr(resource.getrusage(w), f) for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for f in ("ru_utime", "ru_stime"))


def _probe_files(tag: str) -> list[str]:
    """Files the writing probes would have created outside the course."""
    import autograder
    import IPython
    roots = [Path(autograder.__path__[0]), Path(IPython.__path__[0]).parent, Path.home(),
             Path("/etc"), Path("/usr/local/share/jupyter"), Path("/tmp")]
    found = []
    for r in roots:
        if r.is_dir():
            found += [str(p) for p in r.rglob(f"*dlcorpus*{tag}*")] if r != Path("/tmp") \
                else [str(p) for p in r.glob(f"dlcorpus*{tag}*")]
    return found


# --------------------------------------------------------------------------- the table

def _ours(row: dict | None) -> str:
    if row is None:
        return "no row"
    score = row["score"] if row["score"] != "" else "-"
    reason = row["reason"].replace("|", "/").replace("\n", " ")[:110]
    return f"{row['status']}, {score}/{row['max_score']}" + (f": {reason}" if reason else "")


def _one_file_summary(res: OneFile | None) -> str:
    if res is None:
        return "-"
    if res.rc == 2:
        return "refused (exit 2): " + res.stderr.decode(errors="replace").strip()[:90].replace("|", "/")
    data = res.json()
    if res.rc != 0 or data is None:
        return f"exit {res.rc}, no JSON"
    return f"{data.get('status')}, {data.get('score')}/{data.get('max_score')}"


def _write_table(r: Run) -> None:
    lines = ["| case | attack | stock nbgrader | ours: class autograde (status, score, reason) "
             "| ours: one-file command | seconds (class / one-file) |",
             "|---|---|---|---|---|---|"]
    for case in CASES:
        row = r.rows.get(case.name)
        res = r.one_file.get(case.name)
        secs = f"{row['seconds'] if row else '-'} / {res.seconds if res else '-'}"
        lines.append(f"| {case.name} | {case.attack} | {case.stock} | {_ours(row)} | "
                     f"{_one_file_summary(res)} | {secs} |")
    lines.append("")
    lines.append(f"{len(CASES)} submissions ({sum(not c.correct for c in CASES)} hostile or broken, "
                 f"{sum(c.correct for c in CASES)} correct), JOBS={JOBS}; wall seconds: "
                 + ", ".join(f"{k} {v:.0f}" for k, v in r.seconds.items()))
    out = REPO / "build" / "corpus_table.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n")


# --------------------------------------------------------------------------- invariants

def test_the_corpus_covers_item_5():
    every = corpus.all_cases()
    assert len([c for c in every if not c.correct]) >= 30
    assert sum(c.correct for c in every) >= 4          # the victim and correct-but-odd ones
    assert set(corpus.FAMILIES) == {c.family for c in every}
    for c in every:
        assert c.attack and c.stock and c.status, c.name


def test_every_case_builds_valid_code(tmp_path):
    """Each case's code cells compile (a typo would make a case pass for the wrong reason)."""
    src = _canary_source("DLCORPUS-CANARY-x")
    released = nbformat.v4.new_notebook(cells=[c for c in src.cells])
    ctx = corpus.Ctx(root=tmp_path / "course", canary="x", victim=VICTIM, released=released,
                     grader_tmp=tmp_path / "g", cache=tmp_path / "c", repo=REPO, tag="t", port=1,
                     unix_name="u")
    (tmp_path / "course" / "solutions" / sc.CHAPTER).mkdir(parents=True)
    (tmp_path / "course" / "solutions" / sc.CHAPTER / f"{sc.CHAPTER}.ipynb").write_text("{}")
    (tmp_path / "course" / "submitted" / VICTIM / sc.CHAPTER).mkdir(parents=True)
    (tmp_path / "course" / "submitted" / VICTIM / sc.CHAPTER / f"{sc.CHAPTER}.ipynb").write_text("{}")
    for case in CASES:
        folder = tmp_path / "out" / case.name
        case.build(ctx, folder)
        path = folder / f"{sc.CHAPTER}.ipynb"
        if path.is_file() and not path.is_symlink():
            try:
                nb = nbformat.read(path, as_version=4)
            except Exception:
                continue                        # the broken-notebook cases
            for cell in nb.cells:
                if cell.cell_type == "code":
                    compile(cell.source, f"<{case.name}>", "exec")
        for p in folder.rglob("*.py"):
            compile(p.read_text(), str(p), "exec")


@pytest.mark.parametrize("name", list(BY_NAME))
def test_class_row(run, name):
    """A row with a status (and a reason unless graded); exactly what the case earns."""
    case = BY_NAME[name]
    row = run.rows.get(name)
    assert row is not None, f"no row in the class report for {name}"
    assert row["status"] in case.status, row
    if row["status"] != "graded":
        assert row["reason"].strip(), row
        assert case.reason.lower() in row["reason"].lower(), row
    if row["status"] == "failed":
        assert row["score"] == "", row
    else:
        assert float(row["score"]) == case.score, row
        assert run.gradebook_scores.get(name) == case.score
    assert float(row["max_score"]) == corpus.MAX_SCORE
    assert float(row["seconds"]) <= max(MAX_CASE_SECONDS, case.max_seconds), row


@pytest.mark.parametrize("name", list(BY_NAME))
def test_one_file(run, name):
    """The one-file command: the same verdict, bounded output and time."""
    case = BY_NAME[name]
    if case.one_file == "skip":
        pytest.skip("the one-file command grades the file it is given, wherever it lies")
    res = run.one_file[name]
    assert len(res.stdout) <= MAX_STDOUT and len(res.stderr) <= MAX_STDERR, (len(res.stdout), len(res.stderr))
    assert res.seconds <= max(MAX_CASE_SECONDS, case.max_seconds)
    if case.status == ("failed",) and case.one_file == "refused":
        assert res.rc == 2 and res.stdout == b"", res
        err = res.stderr.decode().strip()
        assert len(err.splitlines()) == 1 and case.reason.lower() in err.lower(), err
        return
    assert res.rc == 0, (res.rc, res.stderr[-2000:])
    data = res.json()
    assert data is not None and data["max_score"] == corpus.MAX_SCORE, res.stdout[:500]
    assert data["status"] in case.status, data
    if data["status"] == "failed":
        assert data["score"] == 0.0 and data["reason"], data
    else:
        assert data["score"] == case.score, json.dumps(data)[:3000]
        assert set(data["tests"]) == {"test_double", "test_halve__int", "test_halve__odd"}, data


def test_correct_submissions_keep_full_points(run):
    for case in CASES:
        if case.correct:
            assert run.rows[case.name]["status"] == "graded", run.rows[case.name]
            assert float(run.rows[case.name]["score"]) == corpus.MAX_SCORE, run.rows[case.name]
            assert (run.one_file[case.name].json() or {}).get("score") == corpus.MAX_SCORE, \
                run.one_file[case.name]
    assert run.gradebook_scores[VICTIM] == corpus.MAX_SCORE


def test_rerun_gives_identical_grades(run):
    first = {s: (r["status"], r["score"]) for s, r in run.rows.items()}
    again = {s: (r["status"], r["score"]) for s, r in run.rerun_rows.items()}
    assert again == first
    assert run.gradebook_rerun == run.gradebook_scores


def test_course_and_other_students_unchanged(run):
    before = {k: v for k, v in run.before.items() if not _legitimately_written(k)}
    after = {k: v for k, v in run.after.items() if not _legitimately_written(k)}
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, changed
    extra = [k for k in run.after if k.startswith("autograded/")
             and k.split("/")[1] not in BY_NAME]
    assert not extra, extra


def test_gradebook_holds_only_what_grading_wrote(run):
    assert run.gradebook_after == run.gradebook_before, "the assignment's definition changed"
    recorded = {s for s, r in run.rows.items() if r["status"] != "failed"}
    assert set(run.gradebook_scores) == recorded
    for student, score in run.gradebook_scores.items():
        assert score == float(run.rows[student]["score"]), student


def test_nothing_left_running_or_written_outside(run):
    assert not run.leftovers, run.leftovers
    assert not run.markers, "code of a case ran outside the sandbox: " + ", ".join(run.markers)
    assert not run.probe_files, run.probe_files
    assert not run.connections, run.connections


def _student_visible(run: Run) -> dict[str, bytes]:
    root = run.ctx.root
    out = {}
    for base in ("autograded", "feedback"):
        for p in (root / base).rglob("*"):
            if p.is_file():
                out[str(p.relative_to(root))] = p.read_bytes()
    out["reports/autograde_report.csv"] = (root / "reports" / "autograde_report.csv").read_bytes()
    for name, res in run.one_file.items():
        out[f"one-file {name} stdout"] = res.stdout
        out[f"one-file {name} stderr"] = res.stderr
    out["class autograde output"] = run.class_output.encode()
    return out


def test_hidden_tests_never_reach_a_student(run):
    canary = run.ctx.canary.encode()
    seen = _student_visible(run)
    assert any(k.startswith("feedback/") for k in seen), "no feedback was generated"
    leaked = [k for k, v in seen.items() if canary in v]
    assert not leaked, leaked


def test_no_probe_succeeded(run):
    """What a probe prints when an attack works: read, write, network, no sandbox."""
    hits = []
    for student in BY_NAME:
        p = run.ctx.root / "autograded" / student / sc.CHAPTER / f"{sc.CHAPTER}.ipynb"
        if p.is_file():
            text = json.dumps([c.get("outputs", []) for c in nbformat.read(p, as_version=4).cells])
            for key in ("LEAK:", "WROTE:", "REACHED:", "UNSANDBOXED", "RAN IN JUDGE"):
                if key in text:
                    hits.append(f"{student}: {key} {text[text.index(key):text.index(key) + 120]!r}")
    assert not hits, hits


def test_bounded_output(run):
    for student in BY_NAME:
        p = run.ctx.root / "autograded" / student / sc.CHAPTER / f"{sc.CHAPTER}.ipynb"
        if p.is_file():
            assert p.stat().st_size <= MAX_GRADED_NB, (student, p.stat().st_size)
        fb = run.ctx.root / "feedback" / student / sc.CHAPTER / f"{sc.CHAPTER}.html"
        if fb.is_file():
            assert fb.stat().st_size <= MAX_FEEDBACK, (student, fb.stat().st_size)


def test_bounded_total_time(run):
    print("\ncorpus wall seconds: " + ", ".join(f"{k} {v:.0f}" for k, v in run.seconds.items()))
    assert run.seconds["total"] <= MAX_TOTAL_SECONDS


def test_kernel_cannot_name_functions_outside_torch():
    """The forged-torch-paths case, without a sandbox: a 'torch' path that walks out of
    torch (through modules torch imports) is refused by the judge's decoder."""
    import torch  # noqa: F401
    from autograder.judge.wire import Decoder, WireError
    dec = Decoder(trusted=False)
    assert dec({"$": "torch", "path": "torch.nn.Linear"}) is torch.nn.Linear
    assert dec({"$": "torch", "path": "torch.nn.functional.relu"}) is torch.nn.functional.relu
    for path in ("torch.serialization.sys.exit", "torch.nn.init.math.factorial",
                 "torch.serialization.os.abort", "torch.nn", "torch.float32"):
        with pytest.raises(WireError):
            dec({"$": "torch", "path": path})
