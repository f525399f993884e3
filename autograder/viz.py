"""Plot helpers shared by the notebooks (d2l style: one small library, no copies)."""

from __future__ import annotations

from typing import Callable, Sequence

import matplotlib.pyplot as plt
import torch


def plot_points(X, y, ax=None, title: str | None = None):
    """Scatter 2-D points coloured by a 0/1 label."""
    ax = ax or plt.gca()
    X = torch.as_tensor(X).detach().cpu()
    y = torch.as_tensor(y).detach().cpu().reshape(-1)
    for label, marker, color in ((0, "o", "tab:blue"), (1, "s", "tab:red")):
        pts = X[y == label]
        ax.scatter(pts[:, 0], pts[:, 1], marker=marker, c=color, s=80,
                   edgecolors="k", label=f"y = {label}", zorder=3)
    if title:
        ax.set_title(title)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    return ax


def plot_decision_boundary(predict: Callable[[torch.Tensor], torch.Tensor], X, y, ax=None,
                           title: str | None = None, lims=(-0.5, 1.5), steps: int = 200):
    """Shade where ``predict`` (a function of an (M, 2) float tensor returning M scores
    in [0, 1] or 0/1 labels) is above 0.5, draw the 0.5 contour, then the points."""
    ax = ax or plt.gca()
    grid = torch.linspace(lims[0], lims[1], steps)
    xx, yy = torch.meshgrid(grid, grid, indexing="xy")
    pts = torch.stack([xx.reshape(-1), yy.reshape(-1)], dim=1)
    with torch.no_grad():
        zz = torch.as_tensor(predict(pts)).detach().float().cpu().reshape(xx.shape)
    ax.contourf(xx, yy, zz, levels=[-0.01, 0.5, 1.01], colors=["#cfe2f3", "#f4cccc"], alpha=0.8)
    ax.contour(xx, yy, zz, levels=[0.5], colors="k", linewidths=1.5)
    plot_points(X, y, ax=ax, title=title)
    ax.set_xlim(*lims)
    ax.set_ylim(*lims)
    ax.set_aspect("equal")
    return ax


def plot_losses(curves: dict[str, Sequence[float]], ax=None, logy: bool = True,
                title: str | None = None):
    """Line plot of one or more loss curves, e.g. ``{"hidden=[2]": losses}``."""
    ax = ax or plt.gca()
    for label, losses in curves.items():
        ax.plot(range(len(losses)), list(losses), label=label)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    if title:
        ax.set_title(title)
    ax.legend()
    return ax
