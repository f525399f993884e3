"""Assertions whose failure message is one sentence: what, expected vs got, likely cause.

Every helper takes ``name`` (what is being checked, e.g. ``"softmax(z)"``) and an
optional ``hint`` (the likely cause, appended after a semicolon).
"""

from __future__ import annotations

from typing import Any

import torch

__all__ = [
    "assert_close", "assert_equal", "assert_shape", "assert_device",
    "assert_dtype", "assert_type", "assert_unchanged",
]


def _fail(sentence: str, hint: str | None) -> None:
    raise AssertionError(sentence + (f"; likely cause: {hint}" if hint else "") + ".")


def _short(t: torch.Tensor) -> str:
    t = t.detach().cpu()
    if t.numel() <= 6:
        return str(t.tolist())
    return f"tensor of shape {tuple(t.shape)}"


def assert_type(obj: Any, types, name: str, hint: str | None = None) -> None:
    if not isinstance(obj, types):
        from .testing import type_name
        names = " or ".join(t.__name__ for t in (types if isinstance(types, tuple) else (types,)))
        _fail(f"{name} should be a {names}, got {type_name(obj)}", hint)


def assert_shape(t, shape, name: str, hint: str | None = None) -> None:
    assert_type(t, torch.Tensor, name, hint)
    if tuple(t.shape) != tuple(shape):
        _fail(f"{name} should have shape {tuple(shape)}, got {tuple(t.shape)}", hint)


def assert_device(t, device, name: str, hint: str | None = None) -> None:
    assert_type(t, torch.Tensor, name, hint)
    device = torch.device(device)
    if t.device.type != device.type:
        _fail(f"{name} should stay on the input's device {device.type}, got {t.device.type}",
              hint or "a tensor was created without device=... (use torch.zeros_like or x.new_*)")


def assert_dtype(t, dtype, name: str, hint: str | None = None) -> None:
    assert_type(t, torch.Tensor, name, hint)
    if t.dtype != dtype:
        _fail(f"{name} should have dtype {dtype}, got {t.dtype}", hint)


def assert_close(got, expected, name: str, rtol: float = 1e-6, atol: float = 1e-12,
                 hint: str | None = None, check_dtype: bool = True) -> None:
    """Compare a tensor (or number) with the expected one, element by element.

    Tensors are checked for type, shape, device and dtype first, then values
    with |got - expected| <= atol + rtol * |expected|; NaNs never match.
    """
    if isinstance(expected, torch.Tensor):
        assert_shape(got, expected.shape, name, hint)
        assert_device(got, expected.device, name, hint)
        if check_dtype:
            assert_dtype(got, expected.dtype, name, hint)
        g = got.detach().to("cpu", torch.float64)
        e = expected.detach().to("cpu", torch.float64)
    else:
        if isinstance(got, torch.Tensor) and got.numel() == 1:
            _fail(f"{name} should be a Python number, got a tensor", hint or "call .item() on it")
        assert_type(got, (int, float), name, hint)
        g = torch.tensor(float(got), dtype=torch.float64)
        e = torch.tensor(float(expected), dtype=torch.float64)
    bad = ~((g - e).abs() <= atol + rtol * e.abs())
    if bool(bad.any()):
        if e.dim() == 0:
            _fail(f"{name}: expected {e.item():.8g}, got {g.item():.8g}", hint)
        idx = tuple(int(i) for i in bad.nonzero()[0])
        _fail(f"{name} is wrong at {int(bad.sum())} of {bad.numel()} entries, e.g. at index "
              f"{idx}: expected {e[idx].item():.8g}, got {g[idx].item():.8g}", hint)


def assert_equal(got, expected, name: str, hint: str | None = None) -> None:
    """Exact equality for tensors (values, shape, device, dtype) or plain values."""
    if isinstance(expected, torch.Tensor):
        assert_close(got, expected, name, rtol=0.0, atol=0.0, hint=hint)
    elif got != expected:
        _fail(f"{name}: expected {expected!r}, got {got!r}", hint)


def assert_unchanged(before: torch.Tensor, after: torch.Tensor, name: str,
                     hint: str | None = None) -> None:
    """``before`` is a clone taken before the call; ``after`` the tensor passed in."""
    if not torch.equal(before.detach().cpu(), after.detach().cpu()):
        _fail(f"{name} was modified by the call, but must be left unchanged",
              hint or "an in-place operation (+=, -=, .add_(), x[...] = ...) on the input; work on a copy")
