"""Test-power variants for ch08_backprop_by_hand: plausible wrong answers and correct rewrites."""

CALLS = {
    "sigmoid_prime": ["xor_backward", "train_xor_by_hand"],
    "xor_backward": ["train_xor_by_hand"],
}

VARIANTS = {
    "sigmoid_prime": {
        "wrong": {
            "z_times_one_minus_z": '''
# Treats the pre-activation z as if it were the sigmoid's output.
def sigmoid_prime(z):
    return z * (1 - z)
''',
            "mixes_s_and_z": '''
# Uses sigma(z) in one factor and z in the other.
def sigmoid_prime(z):
    s = torch.sigmoid(z)
    return s * (1 - z)
''',
            "in_place_sigmoid": '''
# Right values, but z.sigmoid_() overwrites the caller's z.
def sigmoid_prime(z):
    s = z.sigmoid_()
    return s * (1 - s)
''',
            "overflowing_exp": '''
# exp(-z) / (1 + exp(-z))**2: inf / inf = nan at z = -1000.
def sigmoid_prime(z):
    e = torch.exp(-z)
    return e / (1 + e) ** 2
''',
            "always_float32": '''
# Converts to float32, so float64 inputs come back as float32.
def sigmoid_prime(z):
    s = torch.sigmoid(z.float())
    return s * (1 - s)
''',
        },
        "correct": {
            "through_numpy": '''
# Correct: computed in numpy (in z's precision) and brought back to z's dtype and device.
import numpy as np


def sigmoid_prime(z):
    s = 1.0 / (1.0 + np.exp(-z.detach().cpu().numpy()))
    return torch.as_tensor(s * (1.0 - s)).to(device=z.device, dtype=z.dtype)
''',
            "stable_exp_of_abs": '''
# The exp form, written with exp(-|z|) so that it never overflows (sigma' is even).
def sigmoid_prime(z):
    e = torch.exp(-z.abs())
    return e / (1 + e) ** 2
''',
            "tanh_identity": '''
# sigma(z) = (1 + tanh(z / 2)) / 2, so sigma'(z) = (1 - tanh(z / 2)**2) / 4.
def sigmoid_prime(z):
    return 0.25 * (1 - torch.tanh(z / 2) ** 2)
''',
            "cosh_form": '''
# 1 / (2 + e^z + e^-z): both exponentials overflow to inf together, giving 0.
def sigmoid_prime(z):
    return 1.0 / (2.0 + torch.exp(z) + torch.exp(-z))
''',
        },
    },
    "xor_backward": {
        "wrong": {
            "sum_not_mean": '''
# Forgets the 1/N of the mean BCE.
def xor_backward(X, Y, params):
    w1, b1, w2, b2 = params["w1"], params["b1"], params["w2"], params["b2"]
    z1 = X @ w1 + b1
    a1 = torch.sigmoid(z1)
    p = torch.sigmoid(a1 @ w2 + b2)
    dz2 = p - Y
    dz1 = (dz2 @ w2.T) * sigmoid_prime(z1)
    return {"w1": X.T @ dz1, "b1": dz1.sum(0), "w2": a1.T @ dz2, "b2": dz2.sum(0)}
''',
            "prime_of_activation": '''
# Evaluates sigmoid_prime at the activation a1 instead of the pre-activation z1.
def xor_backward(X, Y, params):
    w1, b1, w2, b2 = params["w1"], params["b1"], params["w2"], params["b2"]
    n = X.shape[0]
    a1 = torch.sigmoid(X @ w1 + b1)
    p = torch.sigmoid(a1 @ w2 + b2)
    dz2 = (p - Y) / n
    dz1 = (dz2 @ w2.T) * sigmoid_prime(a1)
    return {"w1": X.T @ dz1, "b1": dz1.sum(0), "w2": a1.T @ dz2, "b2": dz2.sum(0)}
''',
            "extra_output_sigmoid_factor": '''
# Multiplies by p(1 - p) again at the output, as for a squared-error loss.
def xor_backward(X, Y, params):
    w1, b1, w2, b2 = params["w1"], params["b1"], params["w2"], params["b2"]
    n = X.shape[0]
    z1 = X @ w1 + b1
    a1 = torch.sigmoid(z1)
    p = torch.sigmoid(a1 @ w2 + b2)
    dz2 = (p - Y) * p * (1 - p) / n
    dz1 = (dz2 @ w2.T) * sigmoid_prime(z1)
    return {"w1": X.T @ dz1, "b1": dz1.sum(0), "w2": a1.T @ dz2, "b2": dz2.sum(0)}
''',
            "transposed_w1_grad": '''
# dz1.T @ X has shape (H, D), the transpose of w1's (D, H).
def xor_backward(X, Y, params):
    w1, b1, w2, b2 = params["w1"], params["b1"], params["w2"], params["b2"]
    n = X.shape[0]
    z1 = X @ w1 + b1
    a1 = torch.sigmoid(z1)
    p = torch.sigmoid(a1 @ w2 + b2)
    dz2 = (p - Y) / n
    dz1 = (dz2 @ w2.T) * sigmoid_prime(z1)
    return {"w1": dz1.T @ X, "b1": dz1.sum(0), "w2": a1.T @ dz2, "b2": dz2.sum(0)}
''',
            "bias_grad_mean": '''
# Averages the bias gradients over the rows although dz already carries the 1/N.
def xor_backward(X, Y, params):
    w1, b1, w2, b2 = params["w1"], params["b1"], params["w2"], params["b2"]
    n = X.shape[0]
    z1 = X @ w1 + b1
    a1 = torch.sigmoid(z1)
    p = torch.sigmoid(a1 @ w2 + b2)
    dz2 = (p - Y) / n
    dz1 = (dz2 @ w2.T) * sigmoid_prime(z1)
    return {"w1": X.T @ dz1, "b1": dz1.mean(0), "w2": a1.T @ dz2, "b2": dz2.mean(0)}
''',
            "uses_autograd": '''
# Calls backward(): breaks under torch.no_grad(), which the contract forbids anyway.
def xor_backward(X, Y, params):
    leaf = {k: v.detach().clone().requires_grad_(True) for k, v in params.items()}
    a1 = torch.sigmoid(X @ leaf["w1"] + leaf["b1"])
    p = torch.sigmoid(a1 @ leaf["w2"] + leaf["b2"])
    loss = -(Y * torch.log(p) + (1 - Y) * torch.log(1 - p)).mean()
    loss.backward()
    return {k: v.grad for k, v in leaf.items()}
''',
        },
        "correct": {
            "through_numpy": '''
# Correct: the whole backward pass in numpy, the gradients back as tensors of X's dtype and device.
import numpy as np


def xor_backward(X, Y, params):
    x, y = X.detach().cpu().numpy(), Y.detach().cpu().numpy()
    w1, b1, w2, b2 = (params[k].detach().cpu().numpy() for k in ("w1", "b1", "w2", "b2"))
    a1 = 1.0 / (1.0 + np.exp(-(x @ w1 + b1)))
    p = 1.0 / (1.0 + np.exp(-(a1 @ w2 + b2)))
    dz2 = (p - y) / x.shape[0]
    dz1 = (dz2 @ w2.T) * a1 * (1.0 - a1)
    out = {"w1": x.T @ dz1, "b1": dz1.sum(axis=0), "w2": a1.T @ dz2, "b2": dz2.sum(axis=0)}
    return {k: torch.from_numpy(np.ascontiguousarray(v)).to(device=X.device, dtype=X.dtype) for k, v in out.items()}
''',
            "through_dL_dp": '''
# Goes through dL/dp = (p - Y) / (N p (1 - p)) and then sigmoid_prime(z2), without the shortcut.
def xor_backward(X, Y, params):
    n = X.shape[0]
    z1 = X @ params["w1"] + params["b1"]
    a1 = torch.sigmoid(z1)
    z2 = a1 @ params["w2"] + params["b2"]
    p = torch.sigmoid(z2)
    dp = (p - Y) / (p * (1 - p)) / n
    dz2 = dp * sigmoid_prime(z2)
    da1 = torch.matmul(dz2, params["w2"].t())
    dz1 = da1 * sigmoid_prime(z1)
    return {"w2": torch.matmul(a1.t(), dz2), "b2": dz2.sum(dim=0),
            "w1": torch.matmul(X.t(), dz1), "b1": dz1.sum(dim=0)}
''',
            "per_sample_loop": '''
# Accumulates per-sample outer products in a Python loop.
def xor_backward(X, Y, params):
    w1, b1, w2, b2 = params["w1"], params["b1"], params["w2"], params["b2"]
    grads = {k: torch.zeros_like(v) for k, v in params.items()}
    n = X.shape[0]
    for i in range(n):
        x, y = X[i], Y[i]                      # (D,), (1,)
        z1 = x @ w1 + b1                       # (H,)
        a1 = torch.sigmoid(z1)
        p = torch.sigmoid(a1 @ w2 + b2)        # (1,)
        dz2 = (p - y) / n                      # (1,)
        grads["w2"] += torch.outer(a1, dz2)
        grads["b2"] += dz2
        dz1 = (w2 @ dz2) * sigmoid_prime(z1)   # (H,)
        grads["w1"] += torch.outer(x, dz1)
        grads["b1"] += dz1
    return grads
''',
            "einsum": '''
# einsum for the contractions; sigma'(z1) from the cached activation a1 * (1 - a1).
def xor_backward(X, Y, params):
    a1 = torch.sigmoid(torch.einsum("nd,dh->nh", X, params["w1"]) + params["b1"])
    p = torch.sigmoid(torch.einsum("nh,ho->no", a1, params["w2"]) + params["b2"])
    dz2 = (p - Y) / Y.shape[0]
    dz1 = torch.einsum("no,ho->nh", dz2, params["w2"]) * a1 * (1 - a1)
    return {"w1": torch.einsum("nd,nh->dh", X, dz1), "b1": dz1.sum(0),
            "w2": torch.einsum("nh,no->ho", a1, dz2), "b2": dz2.sum(0)}
''',
        },
    },
    "train_xor_by_hand": {
        "wrong": {
            "loss_after_update": '''
# Records the loss after the update instead of before it.
def train_xor_by_hand(lr=1.0, steps=10001, seed=0):
    torch.manual_seed(seed)
    params = {"w1": torch.randn(2, 2), "b1": torch.randn(2), "w2": torch.randn(2, 1), "b2": torch.randn(1)}
    X = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
    Y = torch.tensor([[0.], [1.], [1.], [0.]])
    losses = []
    for _ in range(steps):
        grads = xor_backward(X, Y, params)
        for k in params:
            params[k] -= lr * grads[k]
        p = torch.sigmoid(torch.sigmoid(X @ params["w1"] + params["b1"]) @ params["w2"] + params["b2"])
        losses.append((-(Y * torch.log(p) + (1 - Y) * torch.log(1 - p)).mean()).item())
    return params, losses
''',
            "hard_coded_lr": '''
# Ignores the lr argument.
def train_xor_by_hand(lr=1.0, steps=10001, seed=0):
    torch.manual_seed(seed)
    params = {"w1": torch.randn(2, 2), "b1": torch.randn(2), "w2": torch.randn(2, 1), "b2": torch.randn(1)}
    X = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
    Y = torch.tensor([[0.], [1.], [1.], [0.]])
    losses = []
    for _ in range(steps):
        p = torch.sigmoid(torch.sigmoid(X @ params["w1"] + params["b1"]) @ params["w2"] + params["b2"])
        losses.append((-(Y * torch.log(p) + (1 - Y) * torch.log(1 - p)).mean()).item())
        grads = xor_backward(X, Y, params)
        for k in params:
            params[k] -= 1.0 * grads[k]
    return params, losses
''',
            "one_step_too_many": '''
# range(steps + 1): one update and one loss too many.
def train_xor_by_hand(lr=1.0, steps=10001, seed=0):
    torch.manual_seed(seed)
    params = {"w1": torch.randn(2, 2), "b1": torch.randn(2), "w2": torch.randn(2, 1), "b2": torch.randn(1)}
    X = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
    Y = torch.tensor([[0.], [1.], [1.], [0.]])
    losses = []
    for _ in range(steps + 1):
        p = torch.sigmoid(torch.sigmoid(X @ params["w1"] + params["b1"]) @ params["w2"] + params["b2"])
        losses.append((-(Y * torch.log(p) + (1 - Y) * torch.log(1 - p)).mean()).item())
        grads = xor_backward(X, Y, params)
        for k in params:
            params[k] -= lr * grads[k]
    return params, losses
''',
            "wrong_init_order": '''
# Draws the weights first and the biases afterwards (w1, w2, b1, b2).
def train_xor_by_hand(lr=1.0, steps=10001, seed=0):
    torch.manual_seed(seed)
    w1 = torch.randn(2, 2)
    w2 = torch.randn(2, 1)
    b1 = torch.randn(2)
    b2 = torch.randn(1)
    params = {"w1": w1, "b1": b1, "w2": w2, "b2": b2}
    X = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
    Y = torch.tensor([[0.], [1.], [1.], [0.]])
    losses = []
    for _ in range(steps):
        p = torch.sigmoid(torch.sigmoid(X @ params["w1"] + params["b1"]) @ params["w2"] + params["b2"])
        losses.append((-(Y * torch.log(p) + (1 - Y) * torch.log(1 - p)).mean()).item())
        grads = xor_backward(X, Y, params)
        for k in params:
            params[k] -= lr * grads[k]
    return params, losses
''',
            "tensor_losses": '''
# Appends 0-dim tensors instead of Python floats.
def train_xor_by_hand(lr=1.0, steps=10001, seed=0):
    torch.manual_seed(seed)
    params = {"w1": torch.randn(2, 2), "b1": torch.randn(2), "w2": torch.randn(2, 1), "b2": torch.randn(1)}
    X = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
    Y = torch.tensor([[0.], [1.], [1.], [0.]])
    losses = []
    for _ in range(steps):
        p = torch.sigmoid(torch.sigmoid(X @ params["w1"] + params["b1"]) @ params["w2"] + params["b2"])
        losses.append(-(Y * torch.log(p) + (1 - Y) * torch.log(1 - p)).mean())
        grads = xor_backward(X, Y, params)
        for k in params:
            params[k] -= lr * grads[k]
    return params, losses
''',
            "ignores_seed": '''
# Always seeds with 0.
def train_xor_by_hand(lr=1.0, steps=10001, seed=0):
    torch.manual_seed(0)
    params = {"w1": torch.randn(2, 2), "b1": torch.randn(2), "w2": torch.randn(2, 1), "b2": torch.randn(1)}
    X = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
    Y = torch.tensor([[0.], [1.], [1.], [0.]])
    losses = []
    for _ in range(steps):
        p = torch.sigmoid(torch.sigmoid(X @ params["w1"] + params["b1"]) @ params["w2"] + params["b2"])
        losses.append((-(Y * torch.log(p) + (1 - Y) * torch.log(1 - p)).mean()).item())
        grads = xor_backward(X, Y, params)
        for k in params:
            params[k] -= lr * grads[k]
    return params, losses
''',
            "gradient_ascent": '''
# p += lr * grad climbs the loss.
def train_xor_by_hand(lr=1.0, steps=10001, seed=0):
    torch.manual_seed(seed)
    params = {"w1": torch.randn(2, 2), "b1": torch.randn(2), "w2": torch.randn(2, 1), "b2": torch.randn(1)}
    X = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
    Y = torch.tensor([[0.], [1.], [1.], [0.]])
    losses = []
    for _ in range(steps):
        p = torch.sigmoid(torch.sigmoid(X @ params["w1"] + params["b1"]) @ params["w2"] + params["b2"])
        losses.append((-(Y * torch.log(p) + (1 - Y) * torch.log(1 - p)).mean()).item())
        grads = xor_backward(X, Y, params)
        for k in params:
            params[k] += lr * grads[k]
    return params, losses
''',
        },
        "correct": {
            "loss_through_numpy": '''
# Correct: each loss computed in numpy, in float64, from the float32 predictions.
import numpy as np


def train_xor_by_hand(lr=1.0, steps=10001, seed=0):
    torch.manual_seed(seed)
    params = {"w1": torch.randn(2, 2), "b1": torch.randn(2), "w2": torch.randn(2, 1), "b2": torch.randn(1)}
    X = torch.tensor([[0., 0.], [0., 1.], [1., 0.], [1., 1.]])
    Y = torch.tensor([[0.], [1.], [1.], [0.]])
    y = Y.numpy().astype(np.float64)
    losses = []
    for _ in range(steps):
        p = torch.sigmoid(torch.sigmoid(X @ params["w1"] + params["b1"]) @ params["w2"] + params["b2"])
        p = p.numpy().astype(np.float64)
        losses.append(float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))))
        grads = xor_backward(X, Y, params)
        for k in params:
            params[k] -= lr * grads[k]
    return params, losses
''',
            "functional_update_bce_loss": '''
# New tensors at every step (no in-place update) and the loss from nn.BCELoss.
def train_xor_by_hand(lr=1.0, steps=10001, seed=0):
    torch.manual_seed(seed)
    w1 = torch.randn(2, 2)
    b1 = torch.randn(2)
    w2 = torch.randn(2, 1)
    b2 = torch.randn(1)
    params = {"w1": w1, "b1": b1, "w2": w2, "b2": b2}
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], dtype=torch.float32)
    Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]], dtype=torch.float32)
    loss_fn = nn.BCELoss()
    losses = []
    for step in range(steps):
        h = torch.sigmoid(torch.mm(X, params["w1"]) + params["b1"])
        p = torch.sigmoid(torch.mm(h, params["w2"]) + params["b2"])
        losses.append(float(loss_fn(p, Y)))
        g = xor_backward(X, Y, params)
        params = {k: params[k] - lr * g[k] for k in params}
    return params, losses
''',
            "own_helpers_while_loop": '''
# Its own forward / loss helpers (an answer cell may rely only on the setup cell and
# earlier answers) and a while loop.
def xor_forward(X, params):
    a1 = torch.sigmoid(X @ params["w1"] + params["b1"])
    return torch.sigmoid(a1 @ params["w2"] + params["b2"])


def bce_loss(p, Y):
    return -(Y * torch.log(p) + (1 - Y) * torch.log(1 - p)).mean()


def train_xor_by_hand(lr=1.0, steps=10001, seed=0):
    torch.manual_seed(seed)
    names_shapes = [("w1", (2, 2)), ("b1", (2,)), ("w2", (2, 1)), ("b2", (1,))]
    params = {}
    for name, shape in names_shapes:
        params[name] = torch.randn(*shape)
    X = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]).float()
    Y = torch.tensor([0, 1, 1, 0]).float().unsqueeze(1)
    losses = []
    i = 0
    while i < steps:
        losses.append(bce_loss(xor_forward(X, params), Y).item())
        grads = xor_backward(X, Y, params)
        for name, value in params.items():
            value.sub_(lr * grads[name])
        i += 1
    return params, losses
''',
        },
    },
    "numerical_grad": {
        "wrong": {
            "one_sided_difference": '''
# Forward difference (f(x + h) - f(x)) / h: error of order h.
def numerical_grad(f, x, h=1e-5):
    grad = torch.zeros_like(x)
    fx = f(x).item()
    xf, gf = x.view(-1), grad.view(-1)
    for i in range(xf.numel()):
        old = xf[i].item()
        xf[i] = old + h
        gf[i] = (f(x).item() - fx) / h
        xf[i] = old
    return grad
''',
            "hard_coded_h": '''
# Uses h = 1e-5 whatever the caller asks for.
def numerical_grad(f, x, h=1e-5):
    grad = torch.zeros_like(x)
    xf, gf = x.view(-1), grad.view(-1)
    for i in range(xf.numel()):
        old = xf[i].item()
        xf[i] = old + 1e-5
        fp = f(x).item()
        xf[i] = old - 1e-5
        fm = f(x).item()
        xf[i] = old
        gf[i] = (fp - fm) / (2 * 1e-5)
    return grad
''',
            "divides_by_h": '''
# Divides the central difference by h instead of 2h.
def numerical_grad(f, x, h=1e-5):
    grad = torch.zeros_like(x)
    xf, gf = x.view(-1), grad.view(-1)
    for i in range(xf.numel()):
        old = xf[i].item()
        xf[i] = old + h
        fp = f(x).item()
        xf[i] = old - h
        fm = f(x).item()
        xf[i] = old
        gf[i] = (fp - fm) / h
    return grad
''',
            "arithmetic_restore": '''
# Restores each element by adding h back: x + h - 2h + h is not always x in floating point.
def numerical_grad(f, x, h=1e-5):
    grad = torch.zeros_like(x)
    xf, gf = x.view(-1), grad.view(-1)
    for i in range(xf.numel()):
        xf[i] += h
        fp = f(x).item()
        xf[i] -= 2 * h
        fm = f(x).item()
        xf[i] += h
        gf[i] = (fp - fm) / (2 * h)
    return grad
''',
            "perturbs_a_copy": '''
# Works on a clone of x: a loss that reads x through a closure never sees the change.
def numerical_grad(f, x, h=1e-5):
    x = x.clone()
    grad = torch.zeros_like(x)
    xf, gf = x.view(-1), grad.view(-1)
    for i in range(xf.numel()):
        old = xf[i].item()
        xf[i] = old + h
        fp = f(x).item()
        xf[i] = old - h
        fm = f(x).item()
        xf[i] = old
        gf[i] = (fp - fm) / (2 * h)
    return grad
''',
            "flat_result": '''
# Returns the flattened gradient instead of one shaped like x.
def numerical_grad(f, x, h=1e-5):
    xf = x.view(-1)
    grad = torch.zeros_like(xf)
    for i in range(xf.numel()):
        old = xf[i].item()
        xf[i] = old + h
        fp = f(x).item()
        xf[i] = old - h
        fm = f(x).item()
        xf[i] = old
        grad[i] = (fp - fm) / (2 * h)
    return grad
''',
            "always_float64": '''
# Builds the result as float64 whatever x's dtype.
def numerical_grad(f, x, h=1e-5):
    grad = torch.zeros(x.shape, dtype=torch.float64, device=x.device)
    xf, gf = x.view(-1), grad.view(-1)
    for i in range(xf.numel()):
        old = xf[i].item()
        xf[i] = old + h
        fp = f(x).item()
        xf[i] = old - h
        fm = f(x).item()
        xf[i] = old
        gf[i] = (fp - fm) / (2 * h)
    return grad
''',
        },
        "correct": {
            "float32_list_then_cast": '''
# Correct: the differences collected in a list; torch.tensor makes them float32 (its default)
# before .to(x) gives x's dtype and device back.
def numerical_grad(f, x, h=1e-5):
    flat = x.view(-1)
    values = []
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + h
        fp = f(x).item()
        flat[i] = old - h
        fm = f(x).item()
        flat[i] = old
        values.append((fp - fm) / (2 * h))
    return torch.tensor(values).reshape(x.shape).to(x)
''',
            "multi_index_clone": '''
# Multi-indices from itertools.product; the saved value is a 0-dim clone, not a Python float.
import itertools


def numerical_grad(f, x, h=1e-5):
    grad = torch.empty_like(x)
    for idx in itertools.product(*(range(n) for n in x.shape)):
        saved = x[idx].clone()
        x[idx] = saved + h
        fp = f(x)
        x[idx] = saved - h
        fm = f(x)
        x[idx] = saved
        grad[idx] = (fp - fm) / (2 * h)
    return grad
''',
            "ndindex_no_grad": '''
# numpy's ndindex over the shape, under torch.no_grad(), results collected in a list.
import numpy as np


def numerical_grad(f, x, h=1e-5):
    values = []
    with torch.no_grad():
        for idx in np.ndindex(*x.shape):
            old = x[idx].item()
            x[idx] = old + h
            plus = f(x).item()
            x[idx] = old - h
            minus = f(x).item()
            x[idx] = old
            values.append((plus - minus) / (2 * h))
    return torch.tensor(values, dtype=x.dtype, device=x.device).reshape(x.shape)
''',
        },
    },
    "rel_error": {
        "wrong": {
            "no_floor": '''
# No 1e-8 floor: 0 / 0 = nan when both values are 0.
def rel_error(a, b):
    a, b = torch.as_tensor(a, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
    return ((a - b).abs() / (a.abs() + b.abs())).max().item()
''',
            "mean_not_max": '''
# Averages the element-wise ratios instead of taking the largest.
def rel_error(a, b):
    a, b = torch.as_tensor(a, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
    return ((a - b).abs() / (a.abs() + b.abs()).clamp_min(1e-8)).mean().item()
''',
            "ratio_of_maxes": '''
# max |a - b| / max(1e-8, max(|a| + |b|)): a ratio of maxima, not the maximum ratio.
def rel_error(a, b):
    a, b = torch.as_tensor(a, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
    return ((a - b).abs().max() / (a.abs() + b.abs()).max().clamp_min(1e-8)).item()
''',
            "epsilon_added": '''
# Adds 1e-8 to the denominator instead of flooring it at 1e-8.
def rel_error(a, b):
    a, b = torch.as_tensor(a, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
    return ((a - b).abs() / (a.abs() + b.abs() + 1e-8)).max().item()
''',
            "returns_tensor": '''
# Returns a 0-dim tensor instead of a Python float.
def rel_error(a, b):
    a, b = torch.as_tensor(a, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
    return ((a - b).abs() / (a.abs() + b.abs()).clamp_min(1e-8)).max()
''',
            "abs_of_sum_denominator": '''
# |a + b| in the denominator instead of |a| + |b|.
def rel_error(a, b):
    a, b = torch.as_tensor(a, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
    return ((a - b).abs() / (a + b).abs().clamp_min(1e-8)).max().item()
''',
        },
        "correct": {
            "inputs_own_dtype": '''
# Correct: in the inputs' own dtype (float32 for Python numbers), on their device.
def rel_error(a, b):
    a, b = torch.as_tensor(a), torch.as_tensor(b)
    return ((a - b).abs() / (a.abs() + b.abs()).clamp(min=1e-8)).max().item()
''',
            "computes_in_float32": '''
# Correct: computed in float32 throughout (Python numbers become float32 tensors).
def rel_error(a, b):
    a = torch.as_tensor(a).detach().float().cpu()
    b = torch.as_tensor(b).detach().float().cpu()
    return (torch.abs(a - b) / torch.clamp(torch.abs(a) + torch.abs(b), min=1e-8)).max().item()
''',
            "numpy": '''
# CS231n's numpy one-liner on CPU copies.
import numpy as np


def rel_error(a, b):
    a = torch.as_tensor(a).detach().cpu().double().numpy()
    b = torch.as_tensor(b).detach().cpu().double().numpy()
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
''',
            "torch_maximum_on_device": '''
# torch.maximum against a floor tensor, computed in float64 on the inputs' device.
def rel_error(a, b):
    a = torch.as_tensor(a).to(torch.float64)
    b = torch.as_tensor(b).to(a.device, torch.float64)
    num = (a - b).abs()
    den = torch.maximum(a.abs() + b.abs(), torch.full_like(num, 1e-8))
    return (num / den).max().item()
''',
        },
    },
}
