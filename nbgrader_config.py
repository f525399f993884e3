"""nbgrader configuration for the course (one file, read by every nbgrader command
and by `python -m autograder`, which runs nbgrader in-process)."""

import os

c = get_config()  # noqa: F821 (provided by traitlets when nbgrader loads this file)

c.CourseDirectory.course_id = "dl-pytorch-course"
# Instructors edit solutions/; `make release` writes the student notebooks/.
c.CourseDirectory.source_directory = "solutions"
c.CourseDirectory.release_directory = "notebooks"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "data"]
# The gradebook: SQLite (gradebook.db) unless a database is given for several graders,
# e.g. DLCOURSE_DB_URL=postgresql://grader@dbhost/dlcourse (or set db_url here).
if os.environ.get("DLCOURSE_DB_URL"):
    c.CourseDirectory.db_url = os.environ["DLCOURSE_DB_URL"]

# Students write code only between these markers; the release replaces them.
c.ClearSolutions.code_stub = {
    "python": "# YOUR CODE HERE\nraise NotImplementedError()",
}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# `import torch` alone costs seconds; a cell that trains a tiny net may take a
# few more on a 2-core CPU. Past 120 s a cell is interrupted and scores 0
# (DLCOURSE_CELL_TIMEOUT overrides, e.g. for tests of endless submissions).
c.Execute.timeout = int(os.environ.get("DLCOURSE_CELL_TIMEOUT", "120"))
c.Execute.startup_timeout = 120
c.Execute.interrupt_on_timeout = True
# Library warnings go to stdout in grading kernels, where the student still sees them.
c.Execute.extra_arguments = [
    "--HistoryManager.hist_file=:memory:",
    "--InteractiveShellApp.extensions=autograder.kernel_ext",
]

# The judge: nbgrader's Execute step runs the student's cells in a sandboxed
# kernel and every hidden test cell in the grader, against proxies of the
# exercises (autograder/judge/). nbgrader's own steps then score the cells; the
# last one hides the hidden tests from the graded copy and its feedback.
c.Autograde.autograde_preprocessors = [
    "autograder.judge.execute.JudgedExecute",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
    "autograder.preprocessors.hide_hidden_tests.HideHiddenTests",
]

# A student who deletes a test cell gets it back (and is graded by it); nbgrader's
# own OverwriteCells crashes doing so in our layout (autograder/preprocessors/).
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "autograder.preprocessors.restore_missing_tests.RestoreMissingTests",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Runaway prints must not bloat the gradebook or the feedback.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 60

c.Validator.ignore_checksums = False

# --- Exchange (release, fetch, submit, collect, feedback) -------------------------
# Added for the JupyterLab views (`make lab`, `make formgrader`; autograder/lab/).
# One machine: build/exchange in the course (the launcher creates it). A class on a
# JupyterHub: set DLCOURSE_EXCHANGE to the shared exchange for everyone.
c.Exchange.root = os.environ.get("DLCOURSE_EXCHANGE") or os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "build", "exchange")
# --- end of the exchange block ----------------------------------------------------
