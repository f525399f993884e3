"""Browser tests: the course's JupyterLab views driven by headless Chromium.

Servers run ``python -m autograder.lab student|instructor`` (what ``make lab`` and
``make formgrader`` run) on a temporary copy of the course with one chapter, a
temporary exchange and temporary Jupyter data/settings folders, so nothing in the
repository or ``~/.jupyter`` changes. Each server gets a free port and a known
token and its whole process group is killed at the end. Chromium is the system's
(``/usr/bin/chromium``, installed by ``make setup``; DLCOURSE_CHROMIUM overrides);
no browser is ever downloaded. Screenshots of every step go to build/screenshots/,
and the time of each step is printed at the end of the run.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from labui import CHAPTER, SHOTS, TIMES, shot, step  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("DLCOURSE_CHROMIUM", "/usr/bin/chromium")
TOKEN = "dlcourse-browser-test"


def _skip_reason() -> str | None:
    if not os.access(CHROMIUM, os.X_OK):
        return (f"no Chromium at {CHROMIUM}: `make setup` installs it as root "
                "(apt-get install chromium fonts-noto-cjk)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (`make setup` installs it)"
    return None


def pytest_collection_modifyitems(config, items):
    reason = _skip_reason()
    if reason:
        for item in items:
            if item.get_closest_marker("browser"):
                item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter):
    if not TIMES:
        return
    tr = terminalreporter
    tr.section("browser steps (seconds)")
    width = max(len(n) for n, _ in TIMES)
    for name, sec in TIMES:
        tr.write_line(f"  {name:<{width}}  {sec:6.1f}")
    tr.write_line(f"  {'total':<{width}}  {sum(s for _, s in TIMES):6.1f}")
    SHOTS.mkdir(parents=True, exist_ok=True)
    (SHOTS / "times.json").write_text(json.dumps(TIMES, indent=1))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """One JupyterLab started by the course's launcher, in its own process group."""

    def __init__(self, view: str, course: Path, home: Path, exchange: Path,
                 folder: Path | None = None):
        self.view, self.port, self.folder = view, _free_port(), folder
        self.url = f"http://127.0.0.1:{self.port}"
        home.mkdir(parents=True, exist_ok=True)
        env = {k: v for k, v in os.environ.items()
               if k != "MPLBACKEND" and not k.startswith(("JUPYTER", "PYTEST"))}
        env.update(JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
                   JUPYTER_RUNTIME_DIR=str(home / "runtime"),
                   JUPYTERLAB_SETTINGS_DIR=str(home / "settings"),
                   JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"),
                   DLCOURSE_EXCHANGE=str(exchange), PYTHONUNBUFFERED="1")
        news = home / "settings" / "@jupyterlab" / "apputils-extension"
        news.mkdir(parents=True, exist_ok=True)
        (news / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        cmd = [sys.executable, "-m", "autograder.lab", view, "--course", str(course),
               *(["--dir", str(folder)] if folder else []),
               "--no-browser", f"--port={self.port}", "--ServerApp.ip=127.0.0.1",
               f"--IdentityProvider.token={TOKEN}"]
        self.log = open(home / "server.log", "w")
        self.proc = subprocess.Popen(cmd, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                     cwd=str(course), start_new_session=True)

    def wait(self, timeout: float = 180) -> "Server":
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.view} server exited: see {self.log.name}")
            try:
                with urllib.request.urlopen(self.api("status"), timeout=2) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"{self.view} server did not start in {timeout} s ({self.log.name})")

    def api(self, path: str) -> str:
        return f"{self.url}/api/{path}?token={TOKEN}"

    def lab(self, rest: str = "", query: str = "") -> str:
        q = "&".join(x for x in ("reset", query, f"token={TOKEN}") if x)
        return f"{self.url}/lab{rest}?{q}"

    def stop(self) -> None:
        """SIGTERM to the process group (the server shuts its kernels down), then
        SIGKILL to whatever is left after 15 s."""
        self.terminate()
        self.reap()

    def terminate(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass

    def reap(self) -> None:
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.log.close()


@pytest.fixture(scope="session")
def scratch():
    """A temporary folder of our own: pytest's basetemp is pruned by any other
    pytest session of the same user, even while this one still uses it."""
    path = Path(tempfile.mkdtemp(prefix="dlcourse-browser-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def course(scratch) -> Path:
    """A copy of the course with one chapter (the repository is never touched)."""
    root = scratch / "course"
    for part in ("solutions", "notebooks"):
        shutil.copytree(REPO / part / CHAPTER, root / part / CHAPTER)
    shutil.copytree(REPO / "jupyter_config", root / "jupyter_config")
    shutil.copy(REPO / "nbgrader_config.py", root)
    return root


@pytest.fixture(scope="session")
def servers(course, scratch):
    """The student's lab on notebooks/ (``make lab``), a second student's lab in an
    empty home (fetches from the exchange) and the instructor's formgrader
    (``make formgrader``), sharing one exchange. The three start at once."""
    if _skip_reason():
        pytest.skip(_skip_reason())
    tmp = scratch / "lab"
    shutil.rmtree(SHOTS, ignore_errors=True)
    exchange = tmp / "exchange"
    with step("start 3 JupyterLab servers"):
        started = {
            "student": Server("student", course, tmp / "student", exchange),
            "instructor": Server("instructor", course, tmp / "instructor", exchange),
            "fetcher": Server("student", course, tmp / "fetcher", exchange,
                              folder=tmp / "fetcher" / "home"),
        }
        try:
            for s in started.values():
                s.wait()
        except Exception:
            for s in started.values():
                s.stop()
            raise
    yield started
    with step("stop the servers"):
        for s in started.values():
            s.terminate()
        for s in started.values():
            s.reap()


@pytest.fixture(scope="session")
def browser():
    if _skip_reason():
        pytest.skip(_skip_reason())
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                               args=["--no-sandbox", "--disable-gpu",
                                     "--disable-dev-shm-usage"])
        yield b
        b.close()


PAGES: list = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """On a failure, a screenshot of every open page (build/screenshots/FAILED_*)."""
    outcome = yield
    rep = outcome.get_result()
    if rep.failed and rep.when == "call":
        for i, page in enumerate(PAGES):
            try:
                shot(page, f"FAILED_{item.name}_{i}")
            except Exception:  # noqa: BLE001 - a closed page has nothing to show
                pass


@pytest.fixture(scope="session")
def new_page(browser):
    contexts = []

    def make(width: int = 1366, height: int = 860):
        ctx = browser.new_context(viewport={"width": width, "height": height})
        ctx.set_default_timeout(30_000)
        contexts.append(ctx)
        PAGES.append(ctx.new_page())
        return PAGES[-1]
    yield make
    for ctx in contexts:
        ctx.close()
