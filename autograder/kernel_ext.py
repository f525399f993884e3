"""IPython extension loaded into every grading kernel (see nbgrader_config.py).

* Library warnings (a PyTorch deprecation notice, say) are printed on stdout,
  where the student still sees them; they are not a wrong answer.
* The grader starts the kernel before nbgrader needs it, so that ``import
  torch`` overlaps the grader's own start-up: ``DLCOURSE_PRELOAD`` names modules
  to import at start (into ``sys.modules`` only, not the user's namespace).
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
        try:
            importlib.import_module(name)
        except ImportError:
            pass
