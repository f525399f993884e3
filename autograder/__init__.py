"""Shared helpers for the course notebooks, their tests and the grading tools.

Notebooks and hidden tests use::

    import autograder as ag
    device = ag.get_device()
    ag.assert_close(got, expected, name="softmax(z)")

Attributes are imported lazily so that ``python -m autograder`` starts without
paying for ``import torch``.
"""

from importlib import import_module

__all__ = [
    "get_device", "DEVICE_ENV", "seed_everything",
    "assert_close", "assert_shape", "assert_device", "assert_dtype", "assert_type",
    "assert_unchanged", "assert_equal", "rel_error",
    "numeric_grad", "assert_grad_matches",
]

_HOME = {
    "get_device": "device", "DEVICE_ENV": "device",
    "seed_everything": "seeding",
    "assert_close": "checks", "assert_shape": "checks", "assert_device": "checks",
    "assert_dtype": "checks", "assert_type": "checks", "assert_unchanged": "checks",
    "assert_equal": "checks", "rel_error": "checks",
    "numeric_grad": "gradcheck", "assert_grad_matches": "gradcheck",
}


def __getattr__(name):
    if name in _HOME:
        return getattr(import_module(f"{__name__}.{_HOME[name]}"), name)
    raise AttributeError(f"module 'autograder' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
