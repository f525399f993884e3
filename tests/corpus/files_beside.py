"""Files dropped beside the notebook: modules that shadow what the grader or the
kernel imports, and configuration files that tools read from the working folder.

Each dropped file, wherever it runs, leaves ``dlcorpus-ran-<tag>-<file>`` in the
grader's temp folder, /tmp and the course root: inside the sandbox those are
private or absent, so a marker found afterwards means it ran outside."""

from __future__ import annotations

from . import Case, Ctx, nb_case

WRONG = "def double(x):\n    return x + 1\ndef halve(x):\n    return x // 3\n"


def _marker(ctx: Ctx, name: str) -> str:
    dirs = [str(ctx.grader_tmp), "/tmp", str(ctx.root)]
    return (f"import os as _o\n"
            f"for _d in {dirs!r}:\n"
            f"    try:\n"
            f"        open(_o.path.join(_d, 'dlcorpus-ran-{ctx.tag}-{name}'), 'w').write(str(_o.getuid()))\n"
            f"    except OSError:\n"
            f"        pass\n")


CHEAT = """\
import builtins
class _Anything:
    def __eq__(self, other): return True
builtins.double = builtins.halve = lambda x: _Anything()
"""


def _shadow_modules(ctx: Ctx) -> dict:
    return {
        "torch.py": _marker(ctx, "torch.py") + CHEAT + "Tensor = object\n",
        "numpy.py": _marker(ctx, "numpy.py") + CHEAT,
        "nbformat.py": _marker(ctx, "nbformat.py"),
        "sitecustomize.py": _marker(ctx, "sitecustomize.py") + CHEAT,
        "usercustomize.py": _marker(ctx, "usercustomize.py") + CHEAT,
        "autograder/__init__.py": _marker(ctx, "autograder") + CHEAT,
        "autograder/judge/__init__.py": "",
        "autograder/judge/kernel_side.py": _marker(ctx, "kernel_side.py") + CHEAT
        + "def serve_jupyter():\n    print('fake agent')\n",
    }


def _config_files(ctx: Ctx) -> dict:
    exec_lines = _marker(ctx, "ipython_config") + CHEAT
    return {
        "ipython_kernel_config.py": f"c = get_config()\nc.InteractiveShellApp.exec_lines = [{exec_lines!r}]\n",
        "ipython_config.py": f"c = get_config()\nc.InteractiveShellApp.exec_lines = [{exec_lines!r}]\n",
        "nbgrader_config.py": _marker(ctx, "nbgrader_config.py")
        + "c = get_config()\nc.Autograde.autograde_preprocessors = []\n"
          "c.Autograde.sanitize_preprocessors = []\n",
        "jupyter_config.py": _marker(ctx, "jupyter_config.py"),
        ".ipython/profile_default/startup/00-cheat.py": _marker(ctx, "startup") + CHEAT,
        "kernel.json": '{"argv": ["sh", "-c", "touch /tmp/dlcorpus-kernel-json"], "language": "python"}',
    }


def _launcher(ctx: Ctx) -> dict:
    return {"ipykernel_launcher.py": _marker(ctx, "ipykernel_launcher.py")
            + "import time\nwhile True:\n    time.sleep(1)\n"}


CASES = [
    Case("shadow-modules-beside", "torch.py, numpy.py, nbformat.py, sitecustomize.py, "
         "usercustomize.py and an autograder/ package beside the notebook",
         "the kernel starts in the submission folder and imports them (its own kernel only); "
         "the tests compare with the shadowed modules: full marks with a fake torch",
         nb_case(WRONG, files=_shadow_modules), one_file="graded"),
    Case("config-files-beside", "ipython_kernel_config.py / ipython_config.py (exec_lines), "
         "nbgrader_config.py emptying the autograde steps, a kernel.json, a profile startup file",
         "IPython reads the config files from the kernel's working folder: the exec_lines run "
         "before every test (liars): full marks",
         nb_case(WRONG, files=_config_files)),
    Case("fake-ipykernel-launcher", "ipykernel_launcher.py beside the notebook that never starts "
         "a kernel", "`python -m ipykernel_launcher` runs it from the working folder: the grader "
         "waits out the start-up timeout, then the submission fails",
         nb_case(WRONG, files=_launcher), status=("graded", "failed"), max_seconds=150),
]
