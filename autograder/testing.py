"""What hidden tests may use beyond the assertions: ``references`` and ``type_name``.

In the judge (grading), ``references`` runs the block against the instructor's
solutions of the named exercises, called back from the student's kernel. In a
plain kernel (an instructor running the source notebook), it only counts how
often the block's code used those names.
"""

from __future__ import annotations

import contextlib
import sys

_ACTIVE = None          # the judge Session whose hidden tests run in this process


@contextlib.contextmanager
def judging(session):
    global _ACTIVE
    old, _ACTIVE = _ACTIVE, session
    try:
        yield
    finally:
        _ACTIVE = old


class references:
    """``with ag.references("perceptron", "GATE_WEIGHTS") as used: ...``; ``used[name]``
    counts the calls (or reads) of each name inside the block."""

    def __init__(self, *names: str):
        self.names = names
        self._globals = sys._getframe(1).f_globals
        self._cm = None
        self._saved = {}

    def __enter__(self):
        if _ACTIVE is not None:
            self._cm = _ACTIVE.references(self.names)
            return self._cm.__enter__()
        from collections import Counter
        used = Counter({n: 0 for n in self.names})
        for name in self.names:
            value = self._globals.get(name)
            self._saved[name] = value
            if callable(value) and not isinstance(value, type):
                self._globals[name] = _counting(name, value, used)
            elif isinstance(value, dict):
                self._globals[name] = _CountingDict(value, used, name)
        return used

    def __exit__(self, *exc):
        if self._cm is not None:
            return self._cm.__exit__(*exc)
        for name, value in self._saved.items():
            self._globals[name] = value
        return False


def _counting(name, fn, used):
    def counted(*args, **kwargs):
        used[name] += 1
        return fn(*args, **kwargs)
    counted.__name__ = name
    return counted


class _CountingDict(dict):
    def __init__(self, data, used, name):
        super().__init__(data)
        self._used, self._name = used, name

    def __getitem__(self, key):
        self._used[self._name] += 1
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._used[self._name] += 1
        return super().get(key, default)


def type_name(obj) -> str:
    """The name of an object's type, also for a handle on an object in the student's kernel."""
    from .judge.session import type_name as _tn
    return _tn(obj)
