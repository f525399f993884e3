"""autograder.checks / device / seeding: the helpers tests rely on; and what a notebook can import."""

import pytest
import torch

import autograder as ag


def _message(fn, *args, **kwargs) -> str:
    with pytest.raises(AssertionError) as info:
        fn(*args, **kwargs)
    return str(info.value)


def test_assert_close_passes_and_reports_one_sentence(device):
    x = torch.linspace(-1, 1, 6, dtype=torch.float64, device=device)
    ag.assert_close(x.clone(), x, name="f(x)")
    msg = _message(ag.assert_close, x + 1e-3, x, name="f(x)", hint="an off-by-one")
    assert msg.startswith("f(x) is wrong at 6 of 6 entries") and "expected" in msg and "got" in msg
    assert msg.endswith("likely cause: an off-by-one.") and "\n" not in msg


def test_assert_close_checks_shape_dtype_device_and_python_numbers(device):
    x = torch.zeros(2, 3, device=device)
    assert "shape (2, 3)" in _message(ag.assert_close, torch.zeros(3, 2, device=device), x, name="y")
    assert "dtype torch.float32" in _message(ag.assert_close, x.double(), x, name="y")
    if device.type != "cpu":
        assert "device" in _message(ag.assert_close, x.cpu(), x, name="y")
    assert "Python number" in _message(ag.assert_close, torch.tensor(1.0), 1.0, name="loss")
    assert "expected 1, got 2" in _message(ag.assert_close, 2.0, 1.0, name="loss")
    assert "NaN" not in _message(ag.assert_close, float("nan"), 1.0, name="loss")


def test_assert_unchanged_and_equal():
    x = torch.arange(4.0)
    before = x.clone()
    ag.assert_unchanged(before, x, name="x")
    x += 1
    assert "modified" in _message(ag.assert_unchanged, before, x, name="x")
    assert "expected 3, got 4" in _message(ag.assert_equal, 4, 3, name="n")


def test_nothing_a_notebook_can_import_holds_an_answer():
    """Every module of the package a notebook can import (the judge's included) is
    free of every exercise name of the spec: no `rel_error = ag.rel_error`."""
    import importlib
    import pkgutil

    import autograder
    from test_course import SPEC
    names = {e for exercises in SPEC.values() for e in exercises}
    for mod in pkgutil.walk_packages(autograder.__path__, "autograder."):
        if mod.name.endswith("__main__") or mod.name == "autograder.lab.__main__":
            continue
        module = importlib.import_module(mod.name)
        found = names & set(vars(module))
        assert not found, f"{mod.name} defines {sorted(found)}"


def test_device_override(monkeypatch):
    monkeypatch.setenv(ag.DEVICE_ENV, "cpu")
    assert ag.get_device() == torch.device("cpu")
    assert torch.backends.cuda.matmul.allow_tf32 is False
    assert torch.backends.cudnn.allow_tf32 is False
    if not torch.cuda.is_available():
        monkeypatch.setenv(ag.DEVICE_ENV, "cuda")
        with pytest.raises(RuntimeError, match="not available"):
            ag.get_device()


def test_seed_everything_repeats_draws():
    ag.seed_everything(3)
    a = torch.randn(4)
    ag.seed_everything(3)
    assert torch.equal(a, torch.randn(4))
