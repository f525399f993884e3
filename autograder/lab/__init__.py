"""JupyterLab for the course: the student's Validate and the launcher.

``autograder.lab`` is a Jupyter server extension (enabled by the configs in
``jupyter_config/``) that answers nbgrader's Validate button with the visible
checks of every exercise (``autograder/lab/validate.py``), in a subprocess so the
server stays responsive. ``python -m autograder.lab student|instructor`` starts
JupyterLab with the student's or the instructor's configuration (``make lab``,
``make formgrader``).
"""


def _jupyter_server_extension_points():
    return [{"module": "autograder.lab"}]


def _load_jupyter_server_extension(serverapp):
    from .handlers import load
    load(serverapp)
