"""Device choice for tests and demos: CUDA, then MPS, then CPU.

Set ``DLCOURSE_DEVICE`` (``cpu``, ``cuda``, ``cuda:1``, ``mps``) to override.
Importing this module turns TF32 off so float32 tolerances hold on GPUs.
"""

import os

import torch

DEVICE_ENV = "DLCOURSE_DEVICE"

torch.backends.cuda.matmul.allow_tf32 = False
torch.backends.cudnn.allow_tf32 = False
torch.set_float32_matmul_precision("highest")


def get_device() -> torch.device:
    """The device tests build their inputs on."""
    wanted = os.environ.get(DEVICE_ENV, "").strip()
    if wanted:
        device = torch.device(wanted)
        if device.type == "cuda" and not torch.cuda.is_available():
            raise RuntimeError(f"{DEVICE_ENV}={wanted} but CUDA is not available here")
        if device.type == "mps" and not torch.backends.mps.is_available():
            raise RuntimeError(f"{DEVICE_ENV}={wanted} but MPS is not available here")
        return device
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")
