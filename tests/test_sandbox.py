"""The sandboxed kernel's life: forked by a zygote or started by its launcher, it
sees only its own folder, takes an interrupt, and nothing of it outlives the
launcher that stands for it (killed alone, as jupyter_client does). Needs root
(the full sandbox); skipped otherwise. The corpus (test_corpus.py) attacks it."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from autograder import sandbox
from processes import processes

pytestmark = pytest.mark.skipif(sandbox.sandbox_status() != "full", reason="needs root and namespaces")

ARGS = ["--HistoryManager.hist_file=:memory:"]
SOLUTIONS = Path(__file__).resolve().parent.parent / "solutions"


@pytest.fixture
def uid_base(monkeypatch):
    base = 150_000 + 4 * (os.getpid() % 5000)          # apart from other graders' uids
    monkeypatch.setattr(sandbox, "UID_BASE", base)
    yield base
    _wait_gone(range(base, base + 4))


def _uids_in_use(uids) -> list[int]:
    return [p.pid for p in processes() if p.uid in uids]


def _wait_gone(uids, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while _uids_in_use(uids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _uids_in_use(uids), f"processes of the sandbox's uids left: {_uids_in_use(uids)}"


def _run(km, code: str, interrupt_after: float | None = None) -> str:
    from autograder.kernel_client import ReadyBlockingClient
    kc = ReadyBlockingClient()
    kc.load_connection_info(km.get_connection_info())
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=30)
        out = []
        msg_id = kc.execute(code)
        if interrupt_after is not None:
            time.sleep(interrupt_after)
            os.killpg(os.getpgid(km.provisioner.process.pid), signal.SIGINT)   # as the judge does
        while True:
            m = kc.get_iopub_msg(timeout=30)
            if m["parent_header"].get("msg_id") != msg_id:
                continue
            if m["msg_type"] == "stream":
                out.append(m["content"]["text"])
            elif m["msg_type"] == "error":
                out.append(m["content"]["ename"])
            elif m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                return "".join(out)
    finally:
        kc.stop_channels()


def test_pool_kernels_are_forked_sandboxed_and_fresh(uid_base, tmp_path):
    (tmp_path / "data.txt").write_text("mine")
    pool = sandbox.KernelPool(0, ARGS, preload="")
    try:
        seen = []
        for _ in range(2):
            km = pool.take(tmp_path)
            try:
                out = _run(km, "import os, random\n"
                               "print(os.getuid(), os.getpid(), sorted(os.listdir('.')), open('data.txt').read(),\n"
                               "      b'autograder.zygote' in open('/proc/1/cmdline', 'rb').read(),\n"
                               f"      os.path.exists({str(SOLUTIONS)!r}), random.random())")
                uid, pid, files, data, zygote, host, rnd = out.split(" ", 6)
                assert int(uid) in (uid_base, uid_base + 1) and pid == "2", out
                assert (files, data, zygote, host) == ("['data.txt']", "mine", "True", "False"), out
                seen.append((uid, rnd))
                assert "KeyboardInterrupt" in _run(km, "import time; time.sleep(30)", interrupt_after=0.5)
            finally:
                sandbox.stop_kernel(km)
        assert seen[0][0] != seen[1][0], "the kernel in use and the next one share a uid"
        assert seen[0][1] != seen[1][1], "two forked kernels share their random state"
    finally:
        pool.close()
    _wait_gone(range(uid_base, uid_base + 2))
    assert pool._zygote.proc.poll() is not None, "the zygote outlived its pool"


@pytest.mark.parametrize("zygote", [True, False], ids=["forked", "launched"])
def test_a_killed_launcher_takes_its_kernel_with_it(uid_base, tmp_path, zygote):
    """jupyter_client kills the launcher alone: the sandbox must not stay (it did:
    switching to the sandbox's uid had cleared PID 1's parent-death signal)."""
    pool = sandbox.KernelPool(1, ARGS, preload="", zygote=zygote)
    try:
        km = pool.take(tmp_path)
        assert _run(km, "print('up')").strip() == "up"
        uid = uid_base + 2
        assert _uids_in_use([uid]), "no process of the kernel's uid"
        km.provisioner.process.kill()
        _wait_gone([uid], timeout=5)
        km.cleanup_ipc_dir()
    finally:
        pool.close()


def test_zygote_refuses_what_is_not_a_launcher_command_line():
    with pytest.raises(ValueError):
        sandbox.check_argv(["--ipc", "/tmp/x", "--uid", "0", "--full", "--", "python"])
    with pytest.raises(ValueError):
        sandbox.check_argv(["--ipc", "/tmp/x", "--uid", str(sandbox.UID_BASE), "--zygote", "/s", "--", "python"])


def test_a_bad_request_does_not_stop_the_zygote(uid_base, tmp_path):
    import socket as so

    from autograder import zygote
    pool = sandbox.KernelPool(0, ARGS, preload="")
    try:
        path = pool._zygote.wait_ready()
        for payload in (b"", b"R\x00\x00\x00\x02{}", b"Xjunk"):
            c = so.socket(so.AF_UNIX, so.SOCK_STREAM)
            c.connect(path)
            c.sendall(payload)
            c.close()
        c = so.socket(so.AF_UNIX, so.SOCK_STREAM)
        c.connect(path)
        zygote.send(c, b"R", b'{"argv": ["--uid", "0", "--", "python"]}')
        assert c.recv(64) == b"", "a malformed command line got a kernel"
        c.close()
        for _ in range(2):          # the second one is forked after the bad requests
            km = pool.take(tmp_path)
            try:
                assert _run(km, "print('still serving')").strip() == "still serving"
                assert km.zygote == path
            finally:
                sandbox.stop_kernel(km)
        assert pool._zygote.proc.poll() is None
    finally:
        pool.close()


def test_a_pools_thread_imports_nothing(uid_base, tmp_path):
    """CPython imports a module from two threads at once unsafely (a student once got
    "No module named 'fastjsonschema.ref_resolver'"); the pool's thread starts
    kernels while the grader imports, so everything it needs is imported before."""
    import subprocess
    import sys
    code = f"""
import sys, threading
from autograder import sandbox
sandbox.UID_BASE = {uid_base}
seen = []
class Record:
    def find_spec(self, name, path, target=None):
        seen.append((threading.current_thread().name, name))
sys.meta_path.insert(0, Record())
pool = sandbox.KernelPool(0, {ARGS!r}, preload="")
for _ in range(2):
    sandbox.stop_kernel(pool.take({str(tmp_path)!r}))
pool.close()
print(sorted({{n for t, n in seen if t != "MainThread"}}))
"""
    out = subprocess.run([sys.executable, "-B", "-c", code], capture_output=True, text=True, timeout=120,
                         cwd=Path(sandbox.__file__).parent.parent)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]", f"the pool's thread imported {out.stdout.strip()}"


def test_waiting_for_a_zygote_ends_when_it_is_closed_or_dead(tmp_path):
    """A worker waits for its zygote's socket; a zygote closed (its folder removed) or
    dead before it listened must not hold the worker (it waited 120 s)."""
    from autograder.zygote import wait_socket
    t0 = time.monotonic()
    assert wait_socket(str(tmp_path / "gone" / "s"), timeout=30) is None
    assert wait_socket(str(tmp_path / "s"), timeout=30, alive=lambda: False) is None
    assert time.monotonic() - t0 < 2
    (tmp_path / "s").touch()
    assert wait_socket(str(tmp_path / "s"), timeout=30) == str(tmp_path / "s")


def test_a_pool_uses_the_zygote_it_is_given(uid_base, tmp_path):
    """A Dask worker starts its zygote before its pool (its imports overlap the
    grader's): the pool must use that one, not start a second."""
    from autograder import zygote
    z = zygote.start("")
    pool = sandbox.KernelPool(0, ARGS, preload="", zygote=z)
    try:
        assert pool._zygote is z
        km = pool.take(tmp_path)
        try:
            assert _run(km, "print('forked')").strip() == "forked"
        finally:
            sandbox.stop_kernel(km)
    finally:
        pool.close()
    assert z.proc.poll() is not None, "the given zygote outlived the pool that owns it"
