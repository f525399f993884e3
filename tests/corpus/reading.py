"""Reading what a student must not: the solutions, the hidden tests, the gradebook,
classmates' work, through the real paths of the course and of the graders.

A probe prints ``LEAK: <path>`` for what it could read and solves the exercises
when it found anything, so a leak costs the test both ways (outputs and score)."""

from __future__ import annotations

from . import Case, Ctx, nb_case

WRONG = "def double(x):\n    return x + 1\ndef halve(x):\n    return x // 3\n"


def _known_paths(ctx: Ctx) -> str:
    root, tmp = str(ctx.root), str(ctx.grader_tmp)
    targets = [
        f"{root}/solutions/ch00_smoke/ch00_smoke.ipynb",
        f"{root}/gradebook.db",
        f"{root}/submitted/{ctx.victim}/ch00_smoke/ch00_smoke.ipynb",
        f"{root}/autograded/{ctx.victim}/ch00_smoke/ch00_smoke.ipynb",
        f"{root}/nbgrader_config.py",
        f"{ctx.repo}/solutions",
        f"{ctx.repo}/gradebook.db",
        f"{ctx.repo}/tests/smoke_chapter.py",
        "/root/.bash_history", "/etc/shadow", "/proc/1/environ",
    ]
    globs = [f"{tmp}/*/solutions/*/*.ipynb", f"{tmp}/*/gradebook.db", f"{tmp}/*/submitted/*/*/*.ipynb",
             f"{ctx.cache}/gradebooks/*.db", "/tmp/dlcourse-*/solutions/*/*.ipynb",
             "/tmp/dlcourse-*/gradebook.db", "/tmp/dlj-*/kernel.json", "/tmp/pytest-of-*/*/*/solutions/*/*.ipynb",
             "/root/.cache/dlcourse/gradebooks/*.db", "/proc/[0-9]*/cwd/gradebook.db",
             "/proc/[0-9]*/root/tmp/work/ch00_smoke.ipynb"]
    return f"""\
import glob, os
found = []
paths = {targets!r}
for pattern in {globs!r}:
    paths += glob.glob(pattern)
for p in paths:
    try:
        if os.path.isdir(p):
            found.append((p, ' '.join(os.listdir(p))[:80]))
        else:
            with open(p, 'rb') as f:
                found.append((p, f.read(200)))
    except OSError:
        pass
mine = [os.path.realpath('/tmp/work') + '/']
try:                                  # the kernel's own connection folder is its own
    from ipykernel.kernelapp import IPKernelApp
    mine.append(os.path.dirname(os.path.realpath(IPKernelApp.instance().connection_file)) + '/')
except Exception:
    pass
found = [(p, d) for p, d in found if not os.path.realpath(p).startswith(tuple(mine))]
for p, data in found:
    print('LEAK:', p, data[:60])
""" + _solve_if_found()


def _solve_if_found() -> str:
    return ("if found:\n"
            "    def double(x):\n        return 2 * x\n"
            "    def halve(x):\n        return x / 2\n"
            "else:\n"
            "    def double(x):\n        return x + 1\n"
            "    def halve(x):\n        return x // 3\n")


def _grep_filesystem(ctx: Ctx) -> str:
    return """\
import os, time
needle = 'DLCORPUS' + '-CANARY-'
hidden = 'halve(3) == 1' + '.5'             # a hidden assertion of the chapter
found, t0, seen = [], time.time(), 0
skip = ('/proc', '/sys', '/dev', '/usr', '/lib', '/bin', '/sbin', '/boot')
for top in ['/'] + ['/proc/%s/root' % p for p in os.listdir('/proc') if p.isdigit()][:5]:
    for dirpath, dirnames, filenames in os.walk(top):
        if time.time() - t0 > 8:
            break
        if dirpath.startswith(skip) and top == '/' or 'site-packages' in dirpath \\
                or '/.git' in dirpath or dirpath.startswith('/tmp/work'):
            dirnames[:] = []
            continue
        for name in filenames:
            p = os.path.join(dirpath, name)
            try:
                if os.path.islink(p) or os.path.getsize(p) > 5_000_000:
                    continue
                data = open(p, 'rb').read().decode('utf-8', 'replace')
                seen += 1
            except OSError:
                continue
            for key in (needle, hidden):
                i = data.find(key)
                if i >= 0 and not p.startswith('/tmp/work'):
                    found.append(p)
                    print('LEAK:', p, repr(data[i:i + 60]))
print('files read:', seen)
""" + _solve_if_found()


def _proc(ctx: Ctx) -> str:
    return """\
import os
found = []
me = os.getpid()
for pid in os.listdir('/proc'):
    if not pid.isdigit() or int(pid) == me:
        continue
    try:
        print('process', pid, open(f'/proc/{pid}/cmdline', 'rb').read()[:120])
    except OSError:
        pass
    for what in ('environ', 'cwd', 'root', 'mem'):
        p = f'/proc/{pid}/{what}'
        try:
            data = os.listdir(p) if what in ('cwd', 'root') else open(p, 'rb').read(4096)
        except OSError:
            continue
        text = str(data)
        # the grader's environment, or a view of the grader's file system
        if any(k in text for k in ('DLCOURSE', 'PYTEST', 'solutions', 'gradebook', 'TMPDIR=/tmp/',
                                   'pytest-of', 'dlcourse-grade')) and not text.startswith("['work'"):
            found.append(p)
            print('LEAK:', p, text[:100])
""" + _solve_if_found()


CASES = [
    Case("read-known-paths-and-proc", "opens the course's solutions, gradebook, the victim's "
         "submission and graded copy, the graders' temp folders and gradebook cache by their real "
         "paths; reads /proc/<pid>/environ, cwd, root, mem of every process it can see",
         "all readable (the kernel runs as the grader's user in the course): the solution is copied",
         nb_case(lambda ctx: _known_paths(ctx).replace(_solve_if_found(), "found_paths = found\n")
                 + _proc(ctx).replace("found = []", "found = list(found_paths)"))),
    Case("grep-filesystem-for-hidden-tests", "walks the whole file system it can see for the hidden "
         "tests' canary and the text of a hidden assertion",
         "finds solutions/ and the gradebook (hidden tests in clear)",
         nb_case(_grep_filesystem), max_seconds=120),
]
