"""Contracts the outputs cannot show: "written without autograd", "without
torch.nn.functional". A submission whose answer uses a forbidden name is not
scored down by a machine; it is flagged for a human, with the line."""

from __future__ import annotations

import re

from .markers import is_answer_cell, meta

FORBIDDEN = {
    "xor_backward": (r"\.backward\s*\(|torch\.autograd|autograd\.grad", "without autograd"),
    "mse_grad": (r"\.backward\s*\(|torch\.autograd|autograd\.grad", "without autograd"),
    "relu": (r"torch\.relu|\.relu\(|\bF\.|functional|nn\.ReLU", "without torch.relu or torch.nn.functional"),
    "leaky_relu": (r"\bF\.|functional|leaky_relu\s*\(", "without torch.nn.functional"),
    "xavier_uniform_": (r"nn\.init|torch\.nn\.init", "without torch.nn.init"),
    "xavier_normal_": (r"nn\.init|torch\.nn\.init", "without torch.nn.init"),
    "kaiming_uniform_": (r"nn\.init|torch\.nn\.init", "without torch.nn.init"),
    "kaiming_normal_": (r"nn\.init|torch\.nn\.init", "without torch.nn.init"),
    "conv2d_naive": (r"\bF\.conv|conv2d\s*\(|nn\.Conv2d|functional", "without F.conv2d"),
}


def flags(nb) -> list[str]:
    """One sentence per answer line that may break its exercise's contract."""
    out = []
    for cell in nb.cells:
        if not is_answer_cell(cell):
            continue
        ex = meta(cell).get("grade_id")
        rule = FORBIDDEN.get(ex)
        if not rule:
            continue
        pattern, contract = rule
        for n, line in enumerate(cell.source.splitlines(), 1):
            code = line.split("#", 1)[0]
            if ex in ("relu", "leaky_relu") and re.search(rf"def\s+{ex}\b", code):
                continue
            if re.search(pattern, code):
                out.append(f"{ex} must be written {contract}; line {n} reads: {line.strip()[:120]}")
    return out
