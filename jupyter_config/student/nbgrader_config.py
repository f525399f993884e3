"""nbgrader settings of the student's JupyterLab (Assignment List: fetch, submit,
feedback). Read because `python -m autograder.lab student` puts this folder on
JUPYTER_CONFIG_PATH. The exchange is the folder the instructor releases to:
DLCOURSE_EXCHANGE (set by the launcher; on a JupyterHub, the shared exchange)."""

import os

c = get_config()  # noqa: F821

c.Exchange.root = os.environ.get("DLCOURSE_EXCHANGE") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "..", "build", "exchange")
c.CourseDirectory.course_id = os.environ.get("DLCOURSE_COURSE_ID", "dl-pytorch-course")
