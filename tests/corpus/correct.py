"""Correct submissions, some of them odd: they must keep full points (no false fails)."""

from __future__ import annotations

from . import DOUBLE_OK, HALVE_OK, Case, markdown, nb_case

EXTRA_CELLS = {
    "double": [markdown("## My notes\nI tried `x + x` first. 한국어, émoji ✓"),
               "print('trying double:', [2 * i for i in range(5)])\nfor i in range(3):\n    print(i)",
               "scratch = {'a': 1}\nscratch"],
    "halve": ["import math\nprint(math.pi / 2)", markdown("Done!")],
    "": ["print('the end')", markdown("extra markdown at the end")],
}

PLOTS_WARNINGS = """\
import sys, warnings
import matplotlib
import matplotlib.pyplot as plt
plt.plot([1, 2, 3], [2, 4, 6])
plt.title('double')
plt.show()
warnings.warn('a UserWarning from the student')
warnings.warn('deprecated', DeprecationWarning)
print('to stderr', file=sys.stderr)
from IPython.display import display, HTML
display(HTML('<b>halve</b>'))
""" + HALVE_OK

ODD_BUT_RIGHT = """\
import numpy as np
class _Doubler:
    def __call__(self, x):
        return np.int64(x) * 2
double = _Doubler()
"""

GLOBAL_STATE = """\
import random, sys, os
import numpy as np
import torch
random.seed(1234)
np.random.seed(1234)
torch.manual_seed(1234)
torch.set_default_dtype(torch.float64)
torch.backends.cuda.matmul.allow_tf32 = True
torch.backends.cudnn.allow_tf32 = True
torch.set_num_threads(1)
torch.use_deterministic_algorithms(True)
np.seterr(all='raise')
os.environ['DLCOURSE_ROOT'] = '/nowhere'
os.chdir('/')
sys.setrecursionlimit(500)
import decimal
decimal.getcontext().prec = 3
""" + DOUBLE_OK

CASES = [
    Case("victim", "the instructor's solution, submitted as is",
         "tried: full marks (4/4; 3/4 without the course's kernel extension: a library warning "
         "on stderr fails a test)",
         nb_case(DOUBLE_OK, HALVE_OK), score=4.0, correct=True),
    Case("correct-extra-cells", "right answers with extra markdown/code cells, prints and an "
         "expression result between them", "tried: full marks (4/4)", nb_case(DOUBLE_OK, HALVE_OK, EXTRA_CELLS),
         score=4.0, correct=True),
    Case("correct-plots-warnings", "right answers with a matplotlib plot, warnings, stderr "
         "output and HTML display", "tried: full marks (4/4)", nb_case(DOUBLE_OK, PLOTS_WARNINGS), score=4.0, correct=True),
    Case("correct-odd-types-global-state", "double a callable object returning numpy int64, halve "
         "a lambda, after re-seeding every RNG, float64 default dtype, TF32 on, deterministic "
         "algorithms, numpy errors raised, cwd, environment and recursion limit changed",
         "tried: full marks (4/4)",
         nb_case(GLOBAL_STATE.replace(DOUBLE_OK, "") + ODD_BUT_RIGHT, "halve = lambda x: x / 2\n"),
         score=4.0, correct=True),
]
