"""Test-power variants for ch02_linear_regression: plausible wrong answers and correct rewrites."""

CALLS = {
    "mse_grad": ["train_gd"],
}

VARIANTS = {
    "mse_grad": {
        "wrong": {
            "missing_factor_2": '''
# Drops the 2 of d(r**2)/dr = 2r.
def mse_grad(params, x, y):
    r = params[0] * x + params[1] - y
    return torch.stack([(r * x).mean(), r.mean()])
''',
            "sum_not_mean": '''
# Sums over the samples: the 1/N of the mean is missing.
def mse_grad(params, x, y):
    r = params[0] * x + params[1] - y
    return torch.stack([(2 * r * x).sum(), (2 * r).sum()])
''',
            "sign_flipped": '''
# Residual y - y_hat: the gradient points uphill.
def mse_grad(params, x, y):
    r = y - (params[0] * x + params[1])
    return torch.stack([(2 * r * x).mean(), (2 * r).mean()])
''',
            "bias_grad_times_x": '''
# Multiplies dL/db by x as well.
def mse_grad(params, x, y):
    r = params[0] * x + params[1] - y
    dw = (2 * r * x).mean()
    return torch.stack([dw, dw])
''',
            "python_floats": '''
# Builds the result from Python floats: a float32 CPU tensor whatever params' dtype.
def mse_grad(params, x, y):
    r = params[0] * x + params[1] - y
    return torch.tensor([(2 * r * x).mean().item(), (2 * r).mean().item()])
''',
            "uses_autograd": '''
# Uses autograd, which the contract forbids: under torch.no_grad() nothing is recorded.
def mse_grad(params, x, y):
    p = params.detach().clone().requires_grad_(True)
    loss = ((p[0] * x + p[1] - y) ** 2).mean()
    loss.backward()
    return p.grad
''',
        },
        "correct": {
            "matrix_form": '''
# Design matrix A = [x, 1]: grad = 2/N * A^T (A params - y).
def mse_grad(params, x, y):
    A = torch.stack([x, torch.ones_like(x)], dim=1)
    return 2.0 / x.shape[0] * (A.T @ (A @ params - y))
''',
            "python_loop": '''
# A loop over Python floats, then a tensor with params' dtype and device.
def mse_grad(params, x, y):
    w, b = params.tolist()
    dw = db = 0.0
    for xi, yi in zip(x.tolist(), y.tolist()):
        r = w * xi + b - yi
        dw += 2 * r * xi
        db += 2 * r
    return torch.tensor([dw / len(x), db / len(x)], dtype=params.dtype, device=params.device)
''',
        },
    },
    "train_gd": {
        "wrong": {
            "sequential_updates": '''
# Updates w, then computes b's gradient with the new w.
def train_gd(x, y, lr, n_epochs, params0):
    def loss_of(p):
        return ((p[0] * x + p[1] - y) ** 2).mean()
    params = params0.clone()
    if not torch.isfinite(loss_of(params)):
        return params
    for _ in range(n_epochs):
        new = params.clone()
        new[0] = params[0] - lr * mse_grad(params, x, y)[0]
        new[1] = params[1] - lr * mse_grad(new, x, y)[1]
        if not torch.isfinite(loss_of(new)):
            break
        params = new
    return params
''',
            "modifies_params0": '''
# params = params0 is no copy: the in-place update changes the caller's tensor.
def train_gd(x, y, lr, n_epochs, params0):
    def loss_of(p):
        return ((p[0] * x + p[1] - y) ** 2).mean()
    params = params0
    if not torch.isfinite(loss_of(params)):
        return params
    for _ in range(n_epochs):
        step = lr * mse_grad(params, x, y)
        if not torch.isfinite(loss_of(params - step)):
            break
        params -= step
    return params
''',
            "no_divergence_check": '''
# Never checks the loss: a diverging run returns inf or nan.
def train_gd(x, y, lr, n_epochs, params0):
    params = params0.clone()
    for _ in range(n_epochs):
        params = params - lr * mse_grad(params, x, y)
    return params
''',
            "checks_before_update": '''
# Checks the loss of the current params before each update, so the last update is never checked.
def train_gd(x, y, lr, n_epochs, params0):
    params = params0.clone()
    for _ in range(n_epochs):
        if not torch.isfinite(((params[0] * x + params[1] - y) ** 2).mean()):
            break
        params = params - lr * mse_grad(params, x, y)
    return params
''',
            "checks_params_not_loss": '''
# Checks that the parameters are finite instead of their loss.
def train_gd(x, y, lr, n_epochs, params0):
    params = params0.clone()
    for _ in range(n_epochs):
        new = params - lr * mse_grad(params, x, y)
        if not torch.isfinite(new).all():
            break
        params = new
    return params
''',
            "resets_on_divergence": '''
# On divergence, returns params0 instead of the last finite parameters.
def train_gd(x, y, lr, n_epochs, params0):
    params = params0.clone()
    for _ in range(n_epochs):
        params = params - lr * mse_grad(params, x, y)
        if not torch.isfinite(((params[0] * x + params[1] - y) ** 2).mean()):
            return params0.clone()
    return params
''',
            "one_epoch_too_few": '''
# range(n_epochs - 1): one update too few.
def train_gd(x, y, lr, n_epochs, params0):
    def loss_of(p):
        return ((p[0] * x + p[1] - y) ** 2).mean()
    params = params0.clone()
    if not torch.isfinite(loss_of(params)):
        return params
    for _ in range(n_epochs - 1):
        new = params - lr * mse_grad(params, x, y)
        if not torch.isfinite(loss_of(new)):
            break
        params = new
    return params
''',
        },
        "correct": {
            "python_floats_inside": '''
# w and b as Python floats, math.isfinite on the loss, a tensor like params0 at the end.
def train_gd(x, y, lr, n_epochs, params0):
    def loss_of(w, b):
        return ((w * x + b - y) ** 2).mean().item()
    w, b = params0[0].item(), params0[1].item()
    if not math.isfinite(loss_of(w, b)):
        return params0.clone()
    for _ in range(n_epochs):
        g = mse_grad(torch.tensor([w, b], dtype=params0.dtype, device=params0.device), x, y)
        new_w, new_b = w - lr * g[0].item(), b - lr * g[1].item()
        if not math.isfinite(loss_of(new_w, new_b)):
            break
        w, b = new_w, new_b
    return torch.tensor([w, b], dtype=params0.dtype, device=params0.device)
''',
            "while_loop_keep_previous": '''
# A while loop that remembers the previous parameters and steps back on divergence.
def train_gd(x, y, lr, n_epochs, params0):
    params = params0.clone()
    if not torch.isfinite(F.mse_loss(params[0] * x + params[1], y)):
        return params
    epoch = 0
    while epoch < n_epochs:
        previous = params
        params = params - lr * mse_grad(params, x, y)
        if not torch.isfinite(F.mse_loss(params[0] * x + params[1], y)):
            return previous
        epoch += 1
    return params
''',
        },
    },
    "fit_lstsq": {
        "wrong": {
            "order_b_w": '''
# lstsq with the columns [1, x] gives [b, w].
def fit_lstsq(x, y):
    xd, yd = x.detach().cpu().double(), y.detach().cpu().double()
    A = torch.stack([torch.ones_like(xd), xd], dim=1)
    sol = torch.linalg.lstsq(A, yd.unsqueeze(1)).solution.squeeze(1)
    return sol.to(x.device, x.dtype)
''',
            "no_intercept": '''
# Fits y = w * x through the origin and returns b = 0.
def fit_lstsq(x, y):
    xd, yd = x.detach().cpu().double(), y.detach().cpu().double()
    w = (xd @ yd) / (xd @ xd)
    return torch.stack([w, torch.zeros_like(w)]).to(x.device, x.dtype)
''',
            "normal_equations_in_float32": '''
# Solves the normal equations in x's dtype: float32 loses too many digits.
def fit_lstsq(x, y):
    A = torch.stack([x, torch.ones_like(x)], dim=1)
    return torch.linalg.solve(A.T @ A, A.T @ y)
''',
            "returns_float64": '''
# Solves in float64 but forgets to convert back to x's dtype.
def fit_lstsq(x, y):
    xd, yd = x.detach().cpu().double(), y.detach().cpu().double()
    w = ((xd - xd.mean()) * (yd - yd.mean())).sum() / ((xd - xd.mean()) ** 2).sum()
    return torch.stack([w, yd.mean() - w * xd.mean()]).to(x.device)
''',
            "cov_unbiased_var_biased": '''
# torch.cov divides by N - 1, var(correction=0) by N.
def fit_lstsq(x, y):
    xd, yd = x.detach().cpu().double(), y.detach().cpu().double()
    w = torch.cov(torch.stack([xd, yd]))[0, 1] / xd.var(correction=0)
    return torch.stack([w, yd.mean() - w * xd.mean()]).to(x.device, x.dtype)
''',
            "x_on_y": '''
# Regresses x on y (the roles swapped).
def fit_lstsq(x, y):
    xd, yd = x.detach().cpu().double(), y.detach().cpu().double()
    w = ((xd - xd.mean()) * (yd - yd.mean())).sum() / ((yd - yd.mean()) ** 2).sum()
    return torch.stack([w, xd.mean() - w * yd.mean()]).to(x.device, x.dtype)
''',
        },
        "correct": {
            "lstsq_float64": '''
# torch.linalg.lstsq on [x, 1] in float64 on the CPU.
def fit_lstsq(x, y):
    xd, yd = x.detach().cpu().double(), y.detach().cpu().double()
    A = torch.stack([xd, torch.ones_like(xd)], dim=1)
    return torch.linalg.lstsq(A, yd.unsqueeze(1)).solution.squeeze(1).to(x.device, x.dtype)
''',
            "numpy_polyfit": '''
# np.polyfit(x, y, 1) returns [w, b] in float64.
def fit_lstsq(x, y):
    wb = np.polyfit(x.detach().cpu().double().numpy(), y.detach().cpu().double().numpy(), 1)
    return torch.tensor(wb, dtype=x.dtype, device=x.device)
''',
            "normal_equations_float64": '''
# The normal equations, solved in float64.
def fit_lstsq(x, y):
    xd, yd = x.detach().cpu().double(), y.detach().cpu().double()
    A = torch.stack([xd, torch.ones_like(xd)], dim=1)
    return torch.linalg.solve(A.T @ A, A.T @ yd).to(x.device, x.dtype)
''',
        },
    },
}
