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
# Library warnings go to stdout in grading kernels: nbgrader scores any stderr
# output of a test cell as a failure, and a deprecation notice is not a wrong answer.
c.Execute.extra_arguments = [
    "--HistoryManager.hist_file=:memory:",
    "--InteractiveShellApp.extensions=autograder.kernel_ext",
]

# Each test cell must prove it ran to its end (see autograder/preprocessors.py):
# otherwise one line of student code can skip every test and score full marks.
# (Dotted names, imported by nbconvert when grading starts: loading this file stays cheap.)
c.Autograde.autograde_preprocessors = [
    "autograder.preprocessors.AddTestSentinels",
    "nbgrader.preprocessors.Execute",
    "autograder.preprocessors.CheckTestSentinels",
    "nbgrader.preprocessors.IgnorePattern",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# A student who deletes a test cell gets it back (and is graded by it); nbgrader's
# own OverwriteCells crashes doing so in our layout (see autograder/preprocessors.py).
c.OverwriteCells.add_missing_cells = True
c.Autograde.sanitize_preprocessors = [
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.DeduplicateIds",
    "nbgrader.preprocessors.OverwriteKernelspec",
    "autograder.preprocessors.RestoreMissingTests",
    "nbgrader.preprocessors.CheckCellMetadata",
]

# Runaway prints must not bloat the gradebook or the feedback.
c.LimitOutput.max_lines = 200
c.LimitOutput.max_traceback = 60

c.Validator.ignore_checksums = False
