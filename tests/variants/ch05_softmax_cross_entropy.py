"""Test-power variants for ch05_softmax_cross_entropy: plausible wrong answers and correct rewrites."""

CALLS = {
    "cross_entropy": ["train_softmax_classifier"],
}

VARIANTS = {
    "softmax": {
        "wrong": {
            "naive_exp": '''
# No max subtracted: exp(1000) overflows to inf and inf / inf = nan.
def softmax(z, dim=-1):
    e = torch.exp(z)
    return e / e.sum(dim=dim, keepdim=True)
''',
            "global_max": '''
# Subtracts the single maximum of the whole tensor: a row far below it underflows to 0 / 0.
def softmax(z, dim=-1):
    e = torch.exp(z - z.max())
    return e / e.sum(dim=dim, keepdim=True)
''',
            "no_keepdim": '''
# The max without keepdim: (N,) broadcasts against (N, C) along the wrong axis (or fails).
def softmax(z, dim=-1):
    e = torch.exp(z - z.max(dim=dim).values)
    return e / e.sum(dim=dim, keepdim=True)
''',
            "hard_coded_dim": '''
# Ignores the dim argument and always normalizes the last dimension.
def softmax(z, dim=-1):
    e = torch.exp(z - z.max(dim=-1, keepdim=True).values)
    return e / e.sum(dim=-1, keepdim=True)
''',
            "max_along_last_dim_only": '''
# Normalizes along dim but subtracts the maxima of the last dimension: not a constant per slice.
def softmax(z, dim=-1):
    e = torch.exp(z - z.max(dim=-1, keepdim=True).values)
    return e / e.sum(dim=dim, keepdim=True)
''',
            "in_place_shift": '''
# Right values, but z -= ... overwrites the caller's logits.
def softmax(z, dim=-1):
    z -= z.max(dim=dim, keepdim=True).values
    e = torch.exp(z)
    return e / e.sum(dim=dim, keepdim=True)
''',
            "always_float32": '''
# .float() turns float64 logits into a float32 result.
def softmax(z, dim=-1):
    z = z.float()
    e = torch.exp(z - z.max(dim=dim, keepdim=True).values)
    return e / e.sum(dim=dim, keepdim=True)
''',
        },
        "correct": {
            "logsumexp": '''
# exp(z - logsumexp(z)) along dim.
def softmax(z, dim=-1):
    return torch.exp(z - torch.logsumexp(z, dim=dim, keepdim=True))
''',
            "numpy_route": '''
# Through numpy on the CPU, then back to z's device (numpy keeps float32 / float64).
import numpy as np


def softmax(z, dim=-1):
    a = z.detach().cpu().numpy()
    a = a - a.max(axis=dim, keepdims=True)
    e = np.exp(a)
    return torch.from_numpy(e / e.sum(axis=dim, keepdims=True)).to(z.device)
''',
            "movedim_loop": '''
# Moves dim to the end, normalizes each 1-D slice in a loop, and moves it back.
def softmax(z, dim=-1):
    moved = torch.movedim(z, dim, -1)
    flat = moved.reshape(-1, moved.shape[-1])
    rows = []
    for row in flat:
        e = torch.exp(row - torch.max(row))
        rows.append(e / torch.sum(e))
    return torch.movedim(torch.stack(rows).reshape(moved.shape), -1, dim)
''',
        },
    },
    "cross_entropy": {
        "wrong": {
            "sum_not_mean": '''
# Sums over the samples: N times too large (the missing 1/N).
def cross_entropy(logits, y):
    m = logits.max(dim=1, keepdim=True).values
    lse = m.squeeze(1) + torch.log(torch.exp(logits - m).sum(dim=1))
    return (lse - logits[torch.arange(len(y), device=logits.device), y]).sum()
''',
            "log_of_softmax": '''
# log(softmax(z)): a probability that underflows to 0 gives log 0 = -inf.
def cross_entropy(logits, y):
    p = softmax(logits, dim=1)
    return -torch.log(p[torch.arange(len(y), device=logits.device), y]).mean()
''',
            "clamped_log": '''
# Clamps the probabilities as for BCE: finite, but a loss of 2000 becomes 27.6.
def cross_entropy(logits, y):
    p = softmax(logits, dim=1).clamp(1e-12, 1.0)
    return -torch.log(p[torch.arange(len(y), device=logits.device), y]).mean()
''',
            "logsumexp_without_max": '''
# log(sum(exp(z))) without the max: exp(1000) = inf.
def cross_entropy(logits, y):
    lse = torch.log(torch.exp(logits).sum(dim=1))
    return (lse - logits[torch.arange(len(y), device=logits.device), y]).mean()
''',
            "mean_over_all_entries": '''
# Averages the one-hot product over all N * C entries: C times too small.
def cross_entropy(logits, y):
    m = logits.max(dim=1, keepdim=True).values
    log_p = logits - m - torch.log(torch.exp(logits - m).sum(dim=1, keepdim=True))
    one_hot = torch.nn.functional.one_hot(y, logits.shape[1]).to(logits.dtype)
    return -(one_hot * log_p).mean()
''',
            "column_indexing": '''
# logits[:, y] picks whole columns (an (N, N) block) instead of one entry per row.
def cross_entropy(logits, y):
    m = logits.max(dim=1, keepdim=True).values
    lse = m.squeeze(1) + torch.log(torch.exp(logits - m).sum(dim=1))
    return (lse - logits[:, y]).mean()
''',
            "returns_item": '''
# Returns a Python float: no graph to call backward() on.
def cross_entropy(logits, y):
    m = logits.max(dim=1, keepdim=True).values
    lse = m.squeeze(1) + torch.log(torch.exp(logits - m).sum(dim=1))
    return (lse - logits[torch.arange(len(y), device=logits.device), y]).mean().item()
''',
            "detached_tensor": '''
# Rebuilds the result with torch.tensor: right value, but the autograd graph is gone.
def cross_entropy(logits, y):
    m = logits.max(dim=1, keepdim=True).values
    lse = m.squeeze(1) + torch.log(torch.exp(logits - m).sum(dim=1))
    loss = (lse - logits[torch.arange(len(y), device=logits.device), y]).mean()
    return torch.tensor(loss.item(), dtype=logits.dtype, device=logits.device)
''',
        },
        "correct": {
            "gather_logsumexp": '''
# torch.logsumexp and gather.
def cross_entropy(logits, y):
    z_true = logits.gather(1, y.unsqueeze(1)).squeeze(1)
    return torch.mean(torch.logsumexp(logits, dim=1) - z_true)
''',
            "one_hot_log_softmax": '''
# The one-hot formula: -sum_k t_k log p_k per sample, with a stable log-softmax, then the mean.
def cross_entropy(logits, y):
    n, c = logits.shape
    m = logits.max(dim=1, keepdim=True).values
    log_p = (logits - m) - torch.log(torch.exp(logits - m).sum(dim=1, keepdim=True))
    t = torch.zeros_like(logits)
    t[torch.arange(n, device=logits.device), y] = 1.0
    return -(t * log_p).sum(dim=1).sum() / n
''',
            "per_sample_loop": '''
# One sample at a time, in a Python loop.
def cross_entropy(logits, y):
    total = logits.new_zeros(())
    for row, label in zip(logits, y):
        m = row.max()
        total = total + (m + torch.log(torch.exp(row - m).sum()) - row[label])
    return total / logits.shape[0]
''',
        },
    },
    "train_softmax_classifier": {
        "wrong": {
            "no_zero_grad": '''
# Never zeroes the gradients: they accumulate over the epochs.
def train_softmax_classifier(x, y, num_classes, lr=0.1, epochs=1000):
    W = torch.zeros(x.shape[1], num_classes, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(num_classes, dtype=x.dtype, device=x.device, requires_grad=True)
    for _ in range(epochs):
        cross_entropy(x @ W + b, y).backward()
        with torch.no_grad():
            W -= lr * W.grad
            b -= lr * b.grad
    with torch.no_grad():
        cost = cross_entropy(x @ W + b, y).item()
    return W.detach(), b.detach(), cost
''',
            "cost_before_last_update": '''
# Returns the loss computed before the last update.
def train_softmax_classifier(x, y, num_classes, lr=0.1, epochs=1000):
    W = torch.zeros(x.shape[1], num_classes, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(num_classes, dtype=x.dtype, device=x.device, requires_grad=True)
    cost = cross_entropy(x @ W + b, y).item()
    for _ in range(epochs):
        loss = cross_entropy(x @ W + b, y)
        cost = loss.item()
        loss.backward()
        with torch.no_grad():
            W -= lr * W.grad
            b -= lr * b.grad
            W.grad.zero_()
            b.grad.zero_()
    return W.detach(), b.detach(), cost
''',
            "hard_coded_lr": '''
# Ignores the lr argument.
def train_softmax_classifier(x, y, num_classes, lr=0.1, epochs=1000):
    W = torch.zeros(x.shape[1], num_classes, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(num_classes, dtype=x.dtype, device=x.device, requires_grad=True)
    opt = torch.optim.SGD([W, b], lr=0.1)
    for _ in range(epochs):
        opt.zero_grad()
        cross_entropy(x @ W + b, y).backward()
        opt.step()
    with torch.no_grad():
        cost = cross_entropy(x @ W + b, y).item()
    return W.detach(), b.detach(), cost
''',
            "random_init": '''
# Starts from small random weights instead of zeros.
def train_softmax_classifier(x, y, num_classes, lr=0.1, epochs=1000):
    W = (0.01 * torch.randn(x.shape[1], num_classes, dtype=x.dtype, device=x.device)).requires_grad_(True)
    b = torch.zeros(num_classes, dtype=x.dtype, device=x.device, requires_grad=True)
    opt = torch.optim.SGD([W, b], lr=lr)
    for _ in range(epochs):
        opt.zero_grad()
        cross_entropy(x @ W + b, y).backward()
        opt.step()
    with torch.no_grad():
        cost = cross_entropy(x @ W + b, y).item()
    return W.detach(), b.detach(), cost
''',
            "classes_from_labels": '''
# Counts the classes as y.max() + 1 instead of using num_classes.
def train_softmax_classifier(x, y, num_classes, lr=0.1, epochs=1000):
    c = int(y.max().item()) + 1
    W = torch.zeros(x.shape[1], c, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(c, dtype=x.dtype, device=x.device, requires_grad=True)
    opt = torch.optim.SGD([W, b], lr=lr)
    for _ in range(epochs):
        opt.zero_grad()
        cross_entropy(x @ W + b, y).backward()
        opt.step()
    with torch.no_grad():
        cost = cross_entropy(x @ W + b, y).item()
    return W.detach(), b.detach(), cost
''',
            "weights_transposed": '''
# Stores W as (C, D), the layout of nn.Linear, instead of (D, C).
def train_softmax_classifier(x, y, num_classes, lr=0.1, epochs=1000):
    W = torch.zeros(num_classes, x.shape[1], dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(num_classes, dtype=x.dtype, device=x.device, requires_grad=True)
    opt = torch.optim.SGD([W, b], lr=lr)
    for _ in range(epochs):
        opt.zero_grad()
        cross_entropy(x @ W.T + b, y).backward()
        opt.step()
    with torch.no_grad():
        cost = cross_entropy(x @ W.T + b, y).item()
    return W.detach(), b.detach(), cost
''',
            "returns_attached": '''
# Returns W and b still requiring grad (not detached).
def train_softmax_classifier(x, y, num_classes, lr=0.1, epochs=1000):
    W = torch.zeros(x.shape[1], num_classes, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(num_classes, dtype=x.dtype, device=x.device, requires_grad=True)
    opt = torch.optim.SGD([W, b], lr=lr)
    for _ in range(epochs):
        opt.zero_grad()
        cross_entropy(x @ W + b, y).backward()
        opt.step()
    with torch.no_grad():
        cost = cross_entropy(x @ W + b, y).item()
    return W, b, cost
''',
            "one_epoch_too_many": '''
# range(epochs + 1): one update too many.
def train_softmax_classifier(x, y, num_classes, lr=0.1, epochs=1000):
    W = torch.zeros(x.shape[1], num_classes, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(num_classes, dtype=x.dtype, device=x.device, requires_grad=True)
    opt = torch.optim.SGD([W, b], lr=lr)
    for _ in range(epochs + 1):
        opt.zero_grad()
        cross_entropy(x @ W + b, y).backward()
        opt.step()
    with torch.no_grad():
        cost = cross_entropy(x @ W + b, y).item()
    return W.detach(), b.detach(), cost
''',
            "default_epochs_100": '''
# A different default: epochs=100.
def train_softmax_classifier(x, y, num_classes, lr=0.1, epochs=100):
    W = torch.zeros(x.shape[1], num_classes, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(num_classes, dtype=x.dtype, device=x.device, requires_grad=True)
    opt = torch.optim.SGD([W, b], lr=lr)
    for _ in range(epochs):
        opt.zero_grad()
        cross_entropy(x @ W + b, y).backward()
        opt.step()
    with torch.no_grad():
        cost = cross_entropy(x @ W + b, y).item()
    return W.detach(), b.detach(), cost
''',
            "default_lr_0_01": '''
# A different default: lr=0.01.
def train_softmax_classifier(x, y, num_classes, lr=0.01, epochs=1000):
    W = torch.zeros(x.shape[1], num_classes, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(num_classes, dtype=x.dtype, device=x.device, requires_grad=True)
    opt = torch.optim.SGD([W, b], lr=lr)
    for _ in range(epochs):
        opt.zero_grad()
        cross_entropy(x @ W + b, y).backward()
        opt.step()
    with torch.no_grad():
        cost = cross_entropy(x @ W + b, y).item()
    return W.detach(), b.detach(), cost
''',
        },
        "correct": {
            "optim_sgd": '''
# torch.optim.SGD over the two parameters; the final cost under no_grad.
def train_softmax_classifier(x, y, num_classes, lr=0.1, epochs=1000):
    W = torch.zeros((x.shape[1], num_classes), dtype=x.dtype, device=x.device).requires_grad_()
    b = torch.zeros((num_classes,), dtype=x.dtype, device=x.device).requires_grad_()
    optimizer = torch.optim.SGD([W, b], lr=lr)
    for epoch in range(epochs):
        optimizer.zero_grad()
        loss = cross_entropy(torch.addmm(b, x, W), y)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        final = cross_entropy(torch.addmm(b, x, W), y)
    return W.detach().clone(), b.detach().clone(), final.item()
''',
            "autograd_grad_functional": '''
# torch.autograd.grad and new tensors at every step (no in-place update).
def train_softmax_classifier(x, y, num_classes, lr=0.1, epochs=1000):
    W = x.new_zeros(x.shape[1], num_classes)
    b = x.new_zeros(num_classes)
    for _ in range(epochs):
        W.requires_grad_(True)
        b.requires_grad_(True)
        gW, gb = torch.autograd.grad(cross_entropy(x @ W + b, y), [W, b])
        W = (W - lr * gW).detach()
        b = (b - lr * gb).detach()
    cost = float(cross_entropy(x @ W + b, y))
    return W, b, cost
''',
        },
    },
}
