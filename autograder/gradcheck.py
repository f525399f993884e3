"""Float64 numerical gradients (central differences), CS231n style."""

from __future__ import annotations

from typing import Callable

import torch

from .checks import _fail, rel_error


def numeric_grad(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor,
                 h: float = 1e-6) -> torch.Tensor:
    """d f(x) / dx by central differences; ``f`` returns a scalar tensor.

    Works on a float64 copy of ``x``, so the caller's tensor is never touched.
    """
    x = x.detach().to(torch.float64).clone()
    grad = torch.zeros_like(x)
    flat, gflat = x.view(-1), grad.view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + h
        plus = f(x).item()
        flat[i] = old - h
        minus = f(x).item()
        flat[i] = old
        gflat[i] = (plus - minus) / (2 * h)
    return grad


def assert_grad_matches(analytic: torch.Tensor, reference: torch.Tensor, name: str,
                        tol: float = 1e-6, hint: str | None = None) -> None:
    """Relative error (CS231n) of a gradient against a reference gradient."""
    if tuple(analytic.shape) != tuple(reference.shape):
        _fail(f"{name} should have shape {tuple(reference.shape)}, got {tuple(analytic.shape)}", hint)
    err = rel_error(analytic, reference)
    if not err <= tol:
        _fail(f"{name} does not match the reference gradient (relative error {err:.2e} > {tol:.0e})", hint)
