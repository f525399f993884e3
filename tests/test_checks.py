"""autograder.checks / gradcheck / device / seeding: the helpers tests rely on."""

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


def test_rel_error_matches_cs231n_definition():
    assert ag.rel_error(0.0, 0.0) == 0.0
    assert ag.rel_error(torch.tensor([1.0, 2.0]), torch.tensor([1.0, 2.0])) == 0.0
    assert ag.rel_error(1.0, 3.0) == pytest.approx(0.5)
    assert ag.rel_error(1e-9, 0.0) == pytest.approx(0.1)  # the 1e-8 floor


def test_numeric_grad_matches_autograd_in_float64():
    x = torch.linspace(-2, 2, 12, dtype=torch.float64).reshape(3, 4)
    f = lambda t: (t.sin() * t).sum()  # noqa: E731
    x_req = x.clone().requires_grad_(True)
    f(x_req).backward()
    num = ag.numeric_grad(f, x)
    ag.assert_grad_matches(num, x_req.grad, name="d/dx", tol=1e-8)
    assert torch.equal(x, torch.linspace(-2, 2, 12, dtype=torch.float64).reshape(3, 4))
    assert "relative error" in _message(ag.assert_grad_matches, num * 1.01, x_req.grad, name="g")


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
