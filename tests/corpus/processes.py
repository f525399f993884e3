"""Killing the grader, and processes that try to outlive the grading.

``double`` is solved before the attack (its test runs before the attack's cell),
so these cases earn exactly 1 point: losing it would be a false fail, keeping
more would be points not earned. The attacks run only inside the sandbox (GUARD)."""

from __future__ import annotations

from . import DOUBLE_OK, GUARD, Case, Ctx, nb_case

HALVE_WRONG = "def halve(x):\n    return x // 3\n"

KILL_GRADER = GUARD + """\
import os, signal
if _sandboxed():
    me = os.getpid()
    for target in (os.getppid(), 1):
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.kill(target, sig)
            except OSError as exc:
                print('kill', target, sig, exc)
    for pid in os.listdir('/proc'):
        if pid.isdigit() and int(pid) not in (me, 1):
            try:
                os.kill(int(pid), signal.SIGKILL)
                print('killed', pid)
            except OSError:
                pass
""" + HALVE_WRONG

KILL_ALL = GUARD + """\
import os, signal
if _sandboxed():
    try:
        os.kill(-1, signal.SIGKILL)          # kill -9 -1
    except OSError as exc:
        print('kill -1:', exc)
    os.killpg(0, signal.SIGKILL)             # and its own process group (the kernel too)
""" + HALVE_WRONG


def _detached(ctx: Ctx) -> str:
    writer = (f"import os, signal, time\n"
              f"for s in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT): signal.signal(s, signal.SIG_IGN)\n"
              f"t0 = time.time()\n"
              f"while time.time() - t0 < 300:\n"
              f"    for d in ({str(ctx.root)!r}, {str(ctx.grader_tmp)!r}, '/tmp'):\n"
              f"        try: open(os.path.join(d, 'dlcorpus-alive-{ctx.tag}'), 'a').write('.')\n"
              f"        except OSError: pass\n"
              f"    time.sleep(0.5)\n")
    return GUARD + f"""\
import os, subprocess, sys, signal
WRITER = {writer!r}
if _sandboxed():
    # setsid + nohup, signals ignored
    subprocess.Popen(['nohup', 'setsid', sys.executable, '-c', WRITER], stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    # a double fork: the grandchild is orphaned at once
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
            os.execv(sys.executable, [sys.executable, '-c', WRITER])
        os._exit(0)
    os.wait()
    # a plain background shell loop
    subprocess.Popen(['sh', '-c', 'trap "" TERM HUP INT; while :; do sleep 1; done'],
                     start_new_session=True)
""" + HALVE_WRONG


FORK_BOMB = GUARD + """\
import os, time
if _sandboxed():
    children = 0
    for _ in range(2000):
        try:
            pid = os.fork()
        except OSError as exc:                  # the process limit
            print('fork stopped after', children, 'children:', exc.strerror)
            break
        if pid == 0:
            time.sleep(600)
            os._exit(0)
        children += 1
""" + HALVE_WRONG

CASES = [
    Case("kill-grader", "SIGTERM/SIGKILL to its parent, to PID 1 and to every process it can see",
         "the kernel runs as the grader's user: it kills nbgrader (no result, class run aborted)",
         nb_case(DOUBLE_OK, KILL_GRADER), score=1.0),
    Case("kill-minus-one", "kill -9 -1, then kills its own process group (the kernel)",
         "as the grader's user: kills every process of that user (the grader, the class run, "
         "the instructor's session)", nb_case(DOUBLE_OK, KILL_ALL), score=1.0),
    Case("detached-children", "setsid+nohup child, double-forked grandchild and a shell loop, all "
         "ignoring SIGTERM/SIGHUP/SIGINT, writing to the course for 5 minutes",
         "they outlive the grading and keep writing (nbgrader kills the kernel only)",
         nb_case(DOUBLE_OK, _detached), score=1.0),
    Case("fork-bomb", "forks until the process limit, every child sleeping 10 minutes",
         "no process limit: the machine runs out of PIDs; the children outlive the grading",
         nb_case(DOUBLE_OK, FORK_BOMB), score=1.0),
]
