"""What each chapter costs the test suite: filled by the session fixtures that measure
it (notebook execution, test power) and printed by conftest at the end of the run.
A module of its own: ``conftest`` names more than one module in this suite."""

COST: dict[str, dict[str, object]] = {}
