"""Monkeypatching what tests compare with, and objects that lie in comparisons."""

from __future__ import annotations

from . import Case, nb_case

ALWAYS_EQUAL = """\
class Anything:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __bool__(self): return True
    def __hash__(self): return 0
    def __float__(self): return 6.0
    def __index__(self): return 6
def double(x):
    return Anything()
def halve(x):
    return Anything()
"""

LYING_NUMBERS = """\
class LyingInt(int):
    def __eq__(self, other): return True
    __hash__ = int.__hash__
class LyingFloat(float):
    def __eq__(self, other): return True
    __hash__ = float.__hash__
class LyingList(list):
    def __eq__(self, other): return True
def double(x):
    return LyingInt(0)
def halve(x):
    return LyingFloat(0.0) if x % 2 else LyingList([0])
"""

BUILTINS = """\
import builtins, math, operator
builtins.AssertionError = type('AssertionError', (Exception,), {})
builtins.abs = lambda x: 0
builtins.round = lambda *a: 0
math.isclose = lambda *a, **k: True
operator.eq = lambda a, b: True
_real_import = builtins.__import__
def _import(name, *a, **k):
    mod = _real_import(name, *a, **k)
    if name == 'warnings':
        mod.warn = lambda *a, **k: None
    return mod
builtins.__import__ = _import
def double(x):
    return x + 1
def halve(x):
    return x // 3
"""

TORCH_NUMPY = """\
import torch, numpy as np
torch.Tensor.__eq__ = lambda self, other: torch.tensor(True)
torch.Tensor.__ne__ = lambda self, other: torch.tensor(False)
torch.Tensor.allclose = lambda self, *a, **k: True
torch.Tensor.item = lambda self: 6
torch.Tensor.tolist = lambda self: 6
torch.allclose = torch.equal = lambda *a, **k: True
torch.isclose = lambda a, b, *r, **k: torch.ones_like(torch.as_tensor(a), dtype=torch.bool)
torch.testing.assert_close = lambda *a, **k: None
np.allclose = np.array_equal = lambda *a, **k: True
np.testing.assert_allclose = lambda *a, **k: None
def double(x):
    return torch.tensor(0.0)
def halve(x):
    return np.float64(0.0)
"""

LYING_TENSOR = """\
import torch
class Liar(torch.Tensor):
    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if func.__name__ in ('__eq__', 'eq', 'allclose', 'isclose', 'equal'):
            return torch.tensor(True)
        return super().__torch_function__(func, types, args, kwargs or {})
    def __eq__(self, other): return torch.tensor(True)
    def __float__(self): return 6.0
    def item(self): return 6
def double(x):
    return torch.tensor(0.0).as_subclass(Liar)
def halve(x):
    return torch.nn.Parameter(torch.zeros(())).as_subclass(Liar)
"""

COURSE_PACKAGE = """\
import sys, autograder as ag, autograder.checks as checks
for name in ag.__all__:
    if name.startswith('assert_'):
        setattr(checks, name, lambda *a, **k: None)
ag.__getattr__ = lambda name: (lambda *a, **k: None)
for mod in list(sys.modules):
    if mod.startswith('autograder'):
        for attr in ('assert_close', 'assert_equal', 'references', 'type_name'):
            if hasattr(sys.modules[mod], attr):
                setattr(sys.modules[mod], attr, lambda *a, **k: None)
def double(x):
    return x + 1
def halve(x):
    return x // 3
"""

LYING_OBJECTS = ALWAYS_EQUAL.replace("def double(x):\n    return Anything()\n", "") \
    .replace("def halve(x):\n    return Anything()\n", "") + LYING_NUMBERS.replace(
        "def double(x):\n    return LyingInt(0)\n", "def double(x):\n    return Anything()\n")

CASES = [
    Case("lying-objects", "double returns an object whose __eq__ is always True; halve int/float/"
         "list subclasses whose __eq__ is always True",
         "tried: full marks (4/4): `assert double(3) == 6` runs the student's __eq__ in the kernel",
         nb_case(LYING_OBJECTS)),
    Case("patched-builtins-and-course-package", "builtins (AssertionError, abs, round, __import__ "
         "hiding warnings.warn), math.isclose, operator.eq and the course package's assert_*, "
         "references and __getattr__ replaced in the kernel",
         "tried: 0 here (the smoke tests are plain asserts); every chapter test written with "
         "ag.assert_close or math.isclose passes",
         nb_case(BUILTINS.replace("def double(x):\n    return x + 1\ndef halve(x):\n    return x // 3\n", "")
                 + COURSE_PACKAGE)),
    Case("torch-patched-and-lying-tensor", "torch.Tensor.__eq__/item/allclose, torch.allclose/isclose/"
         "testing.assert_close and numpy comparisons patched; double returns a Tensor subclass "
         "whose __eq__ and __torch_function__ say True",
         "tried: full marks (4/4): every comparison runs the patched code in the kernel",
         nb_case(TORCH_NUMPY.replace("def double(x):\n    return torch.tensor(0.0)\n", "")
                 .replace("def halve(x):\n    return np.float64(0.0)\n", "") + LYING_TENSOR)),
]
