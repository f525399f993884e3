"""Test-power variants for ch01_tensors_autograd: plausible wrong answers and correct rewrites."""

CALLS = {}

VARIANTS = {
    "standardize": {
        "wrong": {
            "sample_std": '''
# Uses torch.std's default, the sample std (N - 1), not the population std.
def standardize(x):
    std = x.std(dim=0)
    std = torch.where(std > 0, std, torch.ones_like(std))
    return (x - x.mean(dim=0)) / std
''',
            "rows_instead_of_columns": '''
# Standardizes each row (dim=1) instead of each column.
def standardize(x):
    mean = x.mean(dim=1, keepdim=True)
    std = x.std(dim=1, correction=0, keepdim=True)
    std = torch.where(std > 0, std, torch.ones_like(std))
    return (x - mean) / std
''',
            "global_statistics": '''
# One mean and one std for the whole tensor.
def standardize(x):
    std = x.std(correction=0)
    return (x - x.mean()) / (std if std > 0 else 1.0)
''',
            "nan_for_constant_column": '''
# Right formula, but a constant column gives 0 / 0 = nan.
def standardize(x):
    return (x - x.mean(dim=0)) / x.std(dim=0, correction=0)
''',
            "in_place": '''
# Right values, but x -= ... and x /= ... overwrite the caller's tensor.
def standardize(x):
    std = x.std(dim=0, correction=0)
    std = torch.where(std > 0, std, torch.ones_like(std))
    x -= x.mean(dim=0)
    x /= std
    return x
''',
            "always_float32": '''
# Converts to float32, so float64 inputs come back as float32.
def standardize(x):
    x = x.float()
    std = x.std(dim=0, correction=0)
    std = torch.where(std > 0, std, torch.ones_like(std))
    return (x - x.mean(dim=0)) / std
''',
            "divides_by_variance": '''
# Divides by the variance instead of the standard deviation.
def standardize(x):
    var = x.var(dim=0, correction=0)
    var = torch.where(var > 0, var, torch.ones_like(var))
    return (x - x.mean(dim=0)) / var
''',
        },
        "correct": {
            "tiny_epsilon": '''
# (x - mean) / (std + 1e-8): a constant column gives 0 / 1e-8 = 0; elsewhere off by ~1e-8 relative.
def standardize(x):
    mean = x.mean(dim=0, keepdim=True)
    std = ((x - mean) ** 2).mean(dim=0, keepdim=True).sqrt()
    return (x - mean) / (std + 1e-8)
''',
            "numpy_route": '''
# Through NumPy (np.std is the population std), back to x's device; NumPy keeps float32/float64.
def standardize(x):
    a = x.detach().cpu().numpy()
    mean = a.mean(axis=0)
    std = a.std(axis=0)
    std[std == 0] = 1.0
    return torch.from_numpy((a - mean) / std).to(x.device)
''',
            "column_loop_nan_to_num": '''
# Column by column, then nan_to_num turns the 0 / 0 of constant columns into 0.
def standardize(x):
    cols = []
    for j in range(x.shape[1]):
        c = x[:, j]
        cols.append((c - c.mean()) / c.var(unbiased=False).sqrt())
    return torch.nan_to_num(torch.stack(cols, dim=1), nan=0.0)
''',
        },
    },
    "one_hot": {
        "wrong": {
            "infers_num_classes": '''
# Ignores num_classes: F.one_hot(y) uses y.max() + 1 columns.
def one_hot(y, num_classes):
    return F.one_hot(y).float()
''',
            "int64_result": '''
# F.one_hot returns int64; the contract asks for float32.
def one_hot(y, num_classes):
    return F.one_hot(y, num_classes)
''',
            "scatter_along_dim0": '''
# scatter_ along dim=0 writes into column 0 at row y[i].
def one_hot(y, num_classes):
    out = torch.zeros(y.shape[0], num_classes, device=y.device)
    return out.scatter_(0, y.unsqueeze(1), 1.0)
''',
            "transposed": '''
# Builds (num_classes, N): one column per label.
def one_hot(y, num_classes):
    out = torch.zeros(num_classes, y.shape[0], device=y.device)
    return out.scatter_(0, y.unsqueeze(0), 1.0)
''',
            "float64_identity_rows": '''
# Rows of a float64 identity matrix: right pattern, wrong dtype.
def one_hot(y, num_classes):
    return torch.eye(num_classes, dtype=torch.float64, device=y.device)[y]
''',
        },
        "correct": {
            "identity_rows": '''
# Row y[i] of the identity matrix.
def one_hot(y, num_classes):
    return torch.eye(num_classes, device=y.device)[y]
''',
            "broadcast_comparison": '''
# (N, 1) == (C,) broadcasts to (N, C) booleans.
def one_hot(y, num_classes):
    return (y.unsqueeze(1) == torch.arange(num_classes, device=y.device)).float()
''',
            "python_loop": '''
# One row at a time.
def one_hot(y, num_classes):
    out = torch.zeros(len(y), num_classes, dtype=torch.float32, device=y.device)
    for i, label in enumerate(y.tolist()):
        out[i, label] = 1.0
    return out
''',
        },
    },
    "derivative_at": {
        "wrong": {
            "float32_tensor": '''
# torch.tensor(x) is float32: f is evaluated in float32.
def derivative_at(f, x):
    t = torch.tensor(x, requires_grad=True)
    f(t).backward()
    return t.grad.item()
''',
            "central_difference": '''
# A central difference in float64 instead of autograd.
def derivative_at(f, x, h=1e-5):
    t = torch.tensor(x, dtype=torch.float64)
    return ((f(t + h) - f(t - h)) / (2 * h)).item()
''',
            "returns_tensor": '''
# Returns x.grad, a 0-dim tensor, instead of a Python float.
def derivative_at(f, x):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    f(t).backward()
    return t.grad
''',
            "shared_tensor_accumulates": '''
# Reuses one tensor across calls and never zeroes its gradient.
_point = torch.zeros((), dtype=torch.float64, requires_grad=True)


def derivative_at(f, x):
    with torch.no_grad():
        _point.fill_(x)
    f(_point).backward()
    return _point.grad.item()
''',
        },
        "correct": {
            "autograd_grad": '''
# torch.autograd.grad returns the gradient instead of filling .grad.
def derivative_at(f, x):
    t = torch.as_tensor(x, dtype=torch.float64).requires_grad_(True)
    (g,) = torch.autograd.grad(f(t), t)
    return g.item()
''',
            "shared_tensor_zeroed": '''
# Reuses one tensor, but zeroes its gradient before every backward().
_point = torch.zeros((), dtype=torch.float64, requires_grad=True)


def derivative_at(f, x):
    with torch.no_grad():
        _point.fill_(x)
    _point.grad = None
    f(_point).backward()
    return float(_point.grad)
''',
        },
    },
    "train_w_autograd": {
        "wrong": {
            "no_zero_grad": '''
# Never zeroes w.grad: every backward() adds to the old gradients.
def train_w_autograd(xs, ys, w0=1.0, lr=0.01, epochs=10):
    w = torch.tensor(float(w0), requires_grad=True)
    for _ in range(epochs):
        for x, y in zip(xs, ys):
            ((x * w - y) ** 2).backward()
            with torch.no_grad():
                w -= lr * w.grad
    return w.item()
''',
            "full_batch_mean": '''
# One update per epoch on the mean loss over all samples.
def train_w_autograd(xs, ys, w0=1.0, lr=0.01, epochs=10):
    w = torch.tensor(float(w0), requires_grad=True)
    x_t, y_t = torch.tensor(xs, dtype=torch.float32), torch.tensor(ys, dtype=torch.float32)
    for _ in range(epochs):
        ((x_t * w - y_t) ** 2).mean().backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad.zero_()
    return w.item()
''',
            "step_once_per_epoch": '''
# backward() for every sample, but one update per epoch with the summed gradient.
def train_w_autograd(xs, ys, w0=1.0, lr=0.01, epochs=10):
    w = torch.tensor(float(w0), requires_grad=True)
    for _ in range(epochs):
        for x, y in zip(xs, ys):
            ((x * w - y) ** 2).backward()
        with torch.no_grad():
            w -= lr * w.grad
        w.grad.zero_()
    return w.item()
''',
            "hard_coded_lr": '''
# Ignores the lr argument.
def train_w_autograd(xs, ys, w0=1.0, lr=0.01, epochs=10):
    w = torch.tensor(float(w0), requires_grad=True)
    for _ in range(epochs):
        for x, y in zip(xs, ys):
            ((x * w - y) ** 2).backward()
            with torch.no_grad():
                w -= 0.01 * w.grad
            w.grad.zero_()
    return w.item()
''',
            "ignores_w0": '''
# Always starts from w = 1.0.
def train_w_autograd(xs, ys, w0=1.0, lr=0.01, epochs=10):
    w = torch.tensor(1.0, requires_grad=True)
    for _ in range(epochs):
        for x, y in zip(xs, ys):
            ((x * w - y) ** 2).backward()
            with torch.no_grad():
                w -= lr * w.grad
            w.grad.zero_()
    return w.item()
''',
            "one_epoch_too_many": '''
# range(epochs + 1): one pass too many.
def train_w_autograd(xs, ys, w0=1.0, lr=0.01, epochs=10):
    w = torch.tensor(float(w0), requires_grad=True)
    for _ in range(epochs + 1):
        for x, y in zip(xs, ys):
            ((x * w - y) ** 2).backward()
            with torch.no_grad():
                w -= lr * w.grad
            w.grad.zero_()
    return w.item()
''',
            "returns_tensor": '''
# Returns the tensor w instead of a Python float.
def train_w_autograd(xs, ys, w0=1.0, lr=0.01, epochs=10):
    w = torch.tensor(float(w0), requires_grad=True)
    for _ in range(epochs):
        for x, y in zip(xs, ys):
            ((x * w - y) ** 2).backward()
            with torch.no_grad():
                w -= lr * w.grad
            w.grad.zero_()
    return w.detach()
''',
        },
        "correct": {
            "torch_optim_sgd": '''
# torch.optim.SGD does w -= lr * w.grad; zero_grad() clears the gradient.
def train_w_autograd(xs, ys, w0=1.0, lr=0.01, epochs=10):
    w = torch.tensor(float(w0), requires_grad=True)
    opt = torch.optim.SGD([w], lr=lr)
    for _ in range(epochs):
        for x, y in zip(xs, ys):
            opt.zero_grad()
            loss = (x * w - y) ** 2
            loss.backward()
            opt.step()
    return w.item()
''',
            "autograd_grad_tensors": '''
# Data as tensors, the gradient from torch.autograd.grad (nothing accumulates).
def train_w_autograd(xs, ys, w0=1.0, lr=0.01, epochs=10):
    w = torch.tensor([float(w0)], requires_grad=True)
    x_t = torch.tensor(xs, dtype=torch.float32)
    y_t = torch.tensor(ys, dtype=torch.float32)
    for _ in range(epochs):
        for i in range(len(x_t)):
            (g,) = torch.autograd.grad(((x_t[i] * w - y_t[i]) ** 2).sum(), w)
            with torch.no_grad():
                w.sub_(lr * g)
    return w.item()
''',
        },
    },
}
