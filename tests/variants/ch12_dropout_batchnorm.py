"""Test-power variants for ch12_dropout_batchnorm: plausible wrong answers and correct rewrites."""

CALLS = {}

VARIANTS = {
    "dropout": {
        "wrong": {
            "not_inverted": '''
# Zeroes entries but forgets to scale the survivors by 1 / (1 - p).
def dropout(x, p, training):
    if not training:
        return x
    return x * (torch.rand_like(x) >= p).to(x.dtype)
''',
            "scales_by_keep_probability": '''
# Multiplies the survivors by (1 - p), the test-time scaling of the original paper, at training time.
def dropout(x, p, training):
    if not training:
        return x
    return x * (torch.rand_like(x) >= p).to(x.dtype) * (1 - p)
''',
            "keeps_with_probability_p": '''
# Keeps an entry where rand < p: drops with probability 1 - p.
def dropout(x, p, training):
    if not training or p == 0:
        return x
    if p == 1:
        return torch.zeros_like(x)
    return x * (torch.rand_like(x) < p).to(x.dtype) / (1 - p)
''',
            "nan_at_p_one": '''
# Divides by 1 - p even when p = 1: 0 / 0 = nan.
def dropout(x, p, training):
    if not training:
        return x
    return x * (torch.rand_like(x) >= p).to(x.dtype) / (1 - p)
''',
            "ignores_training": '''
# Drops whatever the mode.
def dropout(x, p, training):
    if p == 1:
        return torch.zeros_like(x)
    return x * (torch.rand_like(x) >= p).to(x.dtype) / (1 - p)
''',
            "in_place": '''
# Right values, but multiplies the caller's x in place.
def dropout(x, p, training):
    if not training or p == 0:
        return x
    if p == 1:
        return x.zero_()
    return x.mul_((torch.rand_like(x) >= p).to(x.dtype)).div_(1 - p)
''',
            "one_mask_for_all_rows": '''
# Draws one mask row and broadcasts it over every row of x.
def dropout(x, p, training):
    if not training or p == 0:
        return x
    if p == 1:
        return torch.zeros_like(x)
    keep = (torch.rand(x.shape[-1], device=x.device, dtype=x.dtype) >= p).to(x.dtype)
    return x * keep / (1 - p)
''',
            "fixed_count_per_row": '''
# Drops exactly round(p * D) entries of every row (a random permutation), not each one independently.
def dropout(x, p, training):
    if not training or p == 0:
        return x
    if p == 1:
        return torch.zeros_like(x)
    flat = x.reshape(-1, x.shape[-1])
    n_drop = round(p * flat.shape[1])
    keep = torch.ones_like(flat)
    for row in range(flat.shape[0]):
        keep[row, torch.randperm(flat.shape[1], device=x.device)[:n_drop]] = 0
    return (flat * keep / (1 - p)).reshape(x.shape)
''',
            "seeded_inside": '''
# Seeds the generator inside the function: every call draws the same mask.
def dropout(x, p, training):
    if not training or p == 0:
        return x
    if p == 1:
        return torch.zeros_like(x)
    torch.manual_seed(0)
    return x * (torch.rand_like(x) >= p).to(x.dtype) / (1 - p)
''',
        },
        "correct": {
            "bernoulli": '''
# torch.bernoulli of a tensor of keep probabilities, then torch.where.
def dropout(x, p, training):
    if not training or p == 0:
        return x.clone()
    keep = torch.bernoulli(torch.full_like(x, 1 - p)).bool()
    return torch.where(keep, x / max(1 - p, 1e-12), torch.zeros_like(x))
''',
            "functional_dropout": '''
# PyTorch's own functional dropout (not forbidden by the contract).
def dropout(x, p, training):
    return F.dropout(x, p=p, training=training)
''',
            "numpy_mask": '''
# The mask drawn with numpy, moved to x's device and dtype.
import numpy as np


def dropout(x, p, training):
    if not training or p == 0:
        return x
    if p >= 1:
        return x * 0
    mask = torch.from_numpy(np.random.rand(*x.shape) > p).to(device=x.device, dtype=x.dtype)
    return x * mask * (1.0 / (1.0 - p))
''',
        },
    },
    "batchnorm1d": {
        "wrong": {
            "unbiased_normalization": '''
# Normalizes with the unbiased variance (torch.var's default).
def batchnorm1d(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    if training:
        n = x.shape[0]
        mean, var = x.mean(0), x.var(0)
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * var)
    else:
        mean, var = running_mean, running_var
    return gamma * (x - mean) / torch.sqrt(var + eps) + beta
''',
            "biased_running_var": '''
# Updates running_var with the biased batch variance.
def batchnorm1d(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    if training:
        mean, var = x.mean(0), x.var(0, unbiased=False)
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * var)
    else:
        mean, var = running_mean, running_var
    return gamma * (x - mean) / torch.sqrt(var + eps) + beta
''',
            "rebinds_running_stats": '''
# `running_mean = ...` rebinds local names: the caller's buffers never change.
def batchnorm1d(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    if training:
        n = x.shape[0]
        mean, var = x.mean(0), x.var(0, unbiased=False)
        running_mean = (1 - momentum) * running_mean + momentum * mean.detach()
        running_var = (1 - momentum) * running_var + momentum * var.detach() * n / (n - 1)
    else:
        mean, var = running_mean, running_var
    return gamma * (x - mean) / torch.sqrt(var + eps) + beta
''',
            "keras_momentum": '''
# Keras' convention: momentum weights the old running value.
def batchnorm1d(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    if training:
        n = x.shape[0]
        mean, var = x.mean(0), x.var(0, unbiased=False)
        with torch.no_grad():
            running_mean.mul_(momentum).add_((1 - momentum) * mean)
            running_var.mul_(momentum).add_((1 - momentum) * var * n / (n - 1))
    else:
        mean, var = running_mean, running_var
    return gamma * (x - mean) / torch.sqrt(var + eps) + beta
''',
            "batch_stats_in_eval": '''
# Always normalizes with the batch statistics, also in evaluation mode.
def batchnorm1d(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    n = x.shape[0]
    mean, var = x.mean(0), x.var(0, unbiased=False)
    if training:
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * var * n / (n - 1))
    return gamma * (x - mean) / torch.sqrt(var + eps) + beta
''',
            "eps_outside_sqrt": '''
# (x - mean) / (sqrt(var) + eps): eps outside the square root.
def batchnorm1d(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    if training:
        n = x.shape[0]
        mean, var = x.mean(0), x.var(0, unbiased=False)
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * var * n / (n - 1))
    else:
        mean, var = running_mean, running_var
    return gamma * (x - mean) / (torch.sqrt(var) + eps) + beta
''',
            "detached_statistics": '''
# Right outputs, but the batch statistics are computed without autograd: wrong gradients.
def batchnorm1d(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    if training:
        n = x.shape[0]
        with torch.no_grad():
            mean, var = x.mean(0), x.var(0, unbiased=False)
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * var * n / (n - 1))
    else:
        mean, var = running_mean, running_var
    return gamma * (x - mean) / torch.sqrt(var + eps) + beta
''',
            "hard_coded_eps": '''
# Uses eps = 1e-5 whatever the caller asks for.
def batchnorm1d(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    if training:
        n = x.shape[0]
        mean, var = x.mean(0), x.var(0, unbiased=False)
        with torch.no_grad():
            running_mean.mul_(1 - momentum).add_(momentum * mean)
            running_var.mul_(1 - momentum).add_(momentum * var * n / (n - 1))
    else:
        mean, var = running_mean, running_var
    return gamma * (x - mean) / torch.sqrt(var + 1e-5) + beta
''',
        },
        "correct": {
            "functional_batch_norm": '''
# PyTorch's functional batch norm, which nn.BatchNorm1d calls (not forbidden by the contract).
def batchnorm1d(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    return F.batch_norm(x, running_mean, running_var, gamma, beta, training=training,
                        momentum=momentum, eps=eps)
''',
            "explicit_sums_copy": '''
# Statistics from explicit sums, rsqrt, and the running statistics written with copy_.
def batchnorm1d(x, gamma, beta, running_mean, running_var, training, momentum=0.1, eps=1e-5):
    if training:
        n = x.shape[0]
        mu = x.sum(dim=0) / n
        centered = x - mu
        var = (centered * centered).sum(dim=0) / n
        running_mean.copy_((1 - momentum) * running_mean + momentum * mu.detach())
        running_var.copy_((1 - momentum) * running_var + momentum * var.detach() * (n / (n - 1)))
        return centered * torch.rsqrt(var + eps) * gamma + beta
    return (x - running_mean) * torch.rsqrt(running_var + eps) * gamma + beta
''',
        },
    },
    "evaluate": {
        "wrong": {
            "forgets_eval": '''
# Never switches to evaluation mode: dropout drops and batch norm uses (and updates) batch statistics.
def evaluate(model, loader):
    dev = next(model.parameters()).device
    correct = total = 0
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(dev), y.to(dev)
            correct += (model(X).argmax(dim=1) == y).sum().item()
            total += len(y)
    return correct / total
''',
            "leaves_eval_mode": '''
# Switches to evaluation mode and never switches back.
def evaluate(model, loader):
    dev = next(model.parameters()).device
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(dev), y.to(dev)
            correct += (model(X).argmax(dim=1) == y).sum().item()
            total += len(y)
    return correct / total
''',
            "always_back_to_train": '''
# Calls model.train() at the end, whatever mode the model was in.
def evaluate(model, loader):
    dev = next(model.parameters()).device
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(dev), y.to(dev)
            correct += (model(X).argmax(dim=1) == y).sum().item()
            total += len(y)
    model.train()
    return correct / total
''',
            "mean_of_batch_accuracies": '''
# Averages the per-batch accuracies: the smaller last batch weighs as much as the others.
def evaluate(model, loader):
    was = model.training
    dev = next(model.parameters()).device
    model.eval()
    accs = []
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(dev), y.to(dev)
            accs.append((model(X).argmax(dim=1) == y).float().mean().item())
    model.train(was)
    return sum(accs) / len(accs)
''',
            "counts_full_batches": '''
# Divides by len(loader) * batch_size, as if the last batch were full.
def evaluate(model, loader):
    was = model.training
    dev = next(model.parameters()).device
    model.eval()
    correct = 0
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(dev), y.to(dev)
            correct += (model(X).argmax(dim=1) == y).sum().item()
    model.train(was)
    return correct / (len(loader) * loader.batch_size)
''',
            "returns_tensor": '''
# Returns a 0-dim tensor instead of a Python float.
def evaluate(model, loader):
    was = model.training
    dev = next(model.parameters()).device
    model.eval()
    correct, total = torch.tensor(0), 0
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(dev), y.to(dev)
            correct = correct + (model(X).argmax(dim=1) == y).sum().cpu()
            total += len(y)
    model.train(was)
    return correct / total
''',
            "argmax_over_batch": '''
# argmax over dim 0 (the batch) instead of dim 1 (the classes).
def evaluate(model, loader):
    was = model.training
    dev = next(model.parameters()).device
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for X, y in loader:
            X, y = X.to(dev), y.to(dev)
            pred = model(X).argmax(dim=0)
            correct += (pred[: len(y)] == y[: len(pred)]).sum().item()
            total += len(y)
    model.train(was)
    return correct / total
''',
        },
        "correct": {
            "per_module_modes_inference_mode": '''
# Saves every submodule's mode and restores each one; torch.inference_mode; predictions concatenated.
def evaluate(model, loader):
    modes = {m: m.training for m in model.modules()}
    dev = next(model.parameters()).device
    model.eval()
    preds, labels = [], []
    with torch.inference_mode():
        for X, y in loader:
            preds.append(model(X.to(dev)).argmax(1).cpu())
            labels.append(y.cpu())
    for m, mode in modes.items():
        m.training = mode
    return (torch.cat(preds) == torch.cat(labels)).double().mean().item()
''',
            "set_grad_enabled_and_train_flag": '''
# torch.set_grad_enabled(False) as a context, softmax before argmax, and model.train(flag) at the end.
def evaluate(model, loader):
    flag = model.training
    model.train(False)
    dev = next(iter(model.parameters())).device
    hits, seen = 0, 0
    with torch.set_grad_enabled(False):
        for batch in loader:
            X, y = batch[0].to(dev), batch[1].to(dev)
            probs = torch.softmax(model(X), dim=1)
            hits += int((probs.argmax(dim=1) == y).sum())
            seen += int(y.numel())
    model.train(flag)
    return float(hits) / float(seen)
''',
        },
    },
}
