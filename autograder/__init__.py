"""Shared helpers for the course notebooks, their tests and the grading tools.

Notebooks and hidden tests use::

    import autograder as ag
    device = ag.get_device()
    ag.assert_close(got, expected, name="softmax(z)")

It holds no grading code and no exercise's answer (a notebook can import all of
it): the judge lives in ``autograder.judge``, which needs solutions/ to do anything.

Attributes are imported lazily so that ``python -m autograder`` starts without
paying for ``import torch``.
"""

from importlib import import_module

__all__ = [
    "get_device", "DEVICE_ENV", "seed_everything",
    "assert_close", "assert_shape", "assert_device", "assert_dtype", "assert_type",
    "assert_unchanged", "assert_equal", "references", "type_name",
]

_HOME = {
    "get_device": "device", "DEVICE_ENV": "device",
    "seed_everything": "seeding",
    "assert_close": "checks", "assert_shape": "checks", "assert_device": "checks",
    "assert_dtype": "checks", "assert_type": "checks", "assert_unchanged": "checks",
    "assert_equal": "checks",
    "references": "testing", "type_name": "testing",
}


def __getattr__(name):
    if name in _HOME:
        return getattr(import_module(f"{__name__}.{_HOME[name]}"), name)
    raise AttributeError(f"module 'autograder' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
