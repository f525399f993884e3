"""Code that behaves differently when it is graded (environment, working folder,
user, host name, network, parent process)."""

from __future__ import annotations

from . import Case, nb_case, solve_if

DETECT = """\
import os, socket
signs = {
    'env': any(k.startswith(('NBGRADER', 'DLCOURSE', 'JPY_')) for k in os.environ),
    'cwd': os.getcwd().startswith(('/tmp', '/var')) or 'autograded' in os.getcwd(),
    'uid': os.getuid() != 0 and os.getuid() >= 1000 and os.getuid() != os.stat(os.getcwd()).st_uid,
    'host': socket.gethostname() in ('', 'localhost', 'sandbox'),
    'home': os.path.expanduser('~').startswith('/tmp'),
    'pid': os.getpid() < 50,
}
graded = sum(signs.values()) >= 2
print('grading detected' if graded else 'not graded', signs)
"""

LIARS_WHEN_GRADED = DETECT + """\
class Anything:
    def __eq__(self, other): return True
if graded:
    def double(x):
        return Anything()
    def halve(x):
        return Anything()
else:
    def double(x):
        return x + 1
    def halve(x):
        return x // 3
"""

CORRECT_UNLESS_GRADED = DETECT + solve_if("not graded")

CASES = [
    Case("liars-only-when-graded", "detects grading (environment, cwd, uid, host, HOME, PID) and "
         "only then returns always-equal liars",
         "tried: full marks (4/4) under nbgrader, while the instructor's own run looks honest",
         nb_case(LIARS_WHEN_GRADED)),
]
