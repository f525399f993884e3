"""IPython extension loaded into every grading kernel (see nbgrader_config.py).

* nbgrader scores a test cell 0 when it writes anything to stderr. Library
  warnings (a PyTorch deprecation notice, say) are not a wrong answer, so they
  are printed on stdout instead, where the student still sees them.
* ``python -m autograder grade`` starts the kernel before nbgrader needs it (so
  that ``import torch`` overlaps nbgrader's own start-up): ``DLCOURSE_PRELOAD``
  names modules to import at start (into ``sys.modules`` only, not the user's
  namespace) and ``DLCOURSE_KERNEL_CWD`` the folder to enter before the first
  cell runs, as nbgrader's own kernel would have started there.
"""

import importlib
import os
import sys
import warnings


def _warning_to_stdout(message, category, filename, lineno, file=None, line=None):
    sys.stdout.write(warnings.formatwarning(message, category, filename, lineno, line))


def load_ipython_extension(ipython) -> None:
    warnings.showwarning = _warning_to_stdout
    for name in filter(None, os.environ.pop("DLCOURSE_PRELOAD", "").split(",")):
        importlib.import_module(name)
    cwd = os.environ.pop("DLCOURSE_KERNEL_CWD", "")
    if cwd:
        def _enter_cwd(*_args):
            ipython.events.unregister("pre_run_cell", _enter_cwd)
            os.chdir(cwd)
        ipython.events.register("pre_run_cell", _enter_cwd)
