"""Test-power variants for ch11_optimizers: plausible wrong answers and correct rewrites."""

CALLS = {}

VARIANTS = {
    "sgd_momentum": {
        "wrong": {
            "dampened_velocity": '''
# Averages instead of summing: v = momentum * v + (1 - momentum) * dw (dampening = momentum).
def sgd_momentum(w, dw, state, lr, momentum):
    v = state.get("v", torch.zeros_like(w))
    v = momentum * v + (1 - momentum) * dw
    state["v"] = v
    return w - lr * v
''',
            "no_state_kept": '''
# Never stores the velocity, so every step is plain SGD.
def sgd_momentum(w, dw, state, lr, momentum):
    v = state.get("v", torch.zeros_like(w))
    v = momentum * v + dw
    return w - lr * v
''',
            "old_velocity_first": '''
# Moves with the previous velocity, then updates it: one step late.
def sgd_momentum(w, dw, state, lr, momentum):
    v = state.get("v", torch.zeros_like(w))
    new_w = w - lr * v
    state["v"] = momentum * v + dw
    return new_w
''',
            "nesterov": '''
# Nesterov's look-ahead update (torch.optim.SGD(nesterov=True)), not the plain one.
def sgd_momentum(w, dw, state, lr, momentum):
    v = state.get("v")
    v = dw.clone() if v is None else momentum * v + dw
    state["v"] = v
    return w - lr * (dw + momentum * v)
''',
            "in_place_update": '''
# Right numbers, but updates the caller's w in place and returns it.
def sgd_momentum(w, dw, state, lr, momentum):
    v = state.get("v")
    v = dw.clone() if v is None else momentum * v + dw
    state["v"] = v
    w -= lr * v
    return w
''',
            "hard_coded_momentum": '''
# Uses momentum 0.9 whatever the caller asks for.
def sgd_momentum(w, dw, state, lr, momentum):
    v = state.get("v")
    v = dw.clone() if v is None else 0.9 * v + dw
    state["v"] = v
    return w - lr * v
''',
            "global_velocity": '''
# Keeps the velocity in a global: two parameters updated in turns share (and clash on) it.
_velocity = {}


def sgd_momentum(w, dw, state, lr, momentum):
    if "v" not in _velocity or _velocity["v"].shape != w.shape:
        _velocity["v"] = dw.clone()
    else:
        _velocity["v"] = momentum * _velocity["v"] + dw
    return w - lr * _velocity["v"]
''',
        },
        "correct": {
            "cs231n_form": '''
# CS231n's form: v = mu * v - lr * dw, w + v (the same steps while lr is fixed).
def sgd_momentum(w, dw, state, lr, momentum):
    v = state.setdefault("v", torch.zeros_like(w))
    v = momentum * v - lr * dw
    state["v"] = v
    return w + v
''',
            "numpy_route": '''
# Through numpy in float64, then back to w's dtype and device.
import numpy as np


def sgd_momentum(w, dw, state, lr, momentum):
    g = dw.detach().cpu().double().numpy()
    state["buf"] = g.copy() if "buf" not in state else momentum * state["buf"] + g
    step = torch.from_numpy(lr * state["buf"]).to(device=w.device, dtype=w.dtype)
    return w - step
''',
            "in_place_on_a_copy": '''
# PyTorch's own in-place style (mul_, add_) on a buffer it owns, applied to a clone of w.
def sgd_momentum(w, dw, state, lr, momentum):
    buf = state.get("momentum_buffer")
    if buf is None:
        buf = torch.clone(dw).detach()
        state["momentum_buffer"] = buf
    else:
        buf.mul_(momentum).add_(dw)
    return w.clone().add_(buf, alpha=-lr)
''',
        },
    },
    "rmsprop": {
        "wrong": {
            "eps_inside_sqrt": '''
# sqrt(s + eps) instead of sqrt(s) + eps.
def rmsprop(w, dw, state, lr, alpha, eps):
    s = alpha * state.get("s", torch.zeros_like(w)) + (1 - alpha) * dw ** 2
    state["s"] = s
    return w - lr * dw / torch.sqrt(s + eps)
''',
            "no_one_minus_alpha": '''
# Forgets the (1 - alpha) weight of the new squared gradient.
def rmsprop(w, dw, state, lr, alpha, eps):
    s = alpha * state.get("s", torch.zeros_like(w)) + dw ** 2
    state["s"] = s
    return w - lr * dw / (s.sqrt() + eps)
''',
            "no_state_kept": '''
# Never stores s, so every step starts from s = 0.
def rmsprop(w, dw, state, lr, alpha, eps):
    s = alpha * state.get("s", torch.zeros_like(w)) + (1 - alpha) * dw ** 2
    return w - lr * dw / (s.sqrt() + eps)
''',
            "bias_corrected": '''
# Adds Adam's bias correction, which torch.optim.RMSprop does not have.
def rmsprop(w, dw, state, lr, alpha, eps):
    t = state.get("t", 0) + 1
    s = alpha * state.get("s", torch.zeros_like(w)) + (1 - alpha) * dw ** 2
    state.update(t=t, s=s)
    return w - lr * dw / ((s / (1 - alpha ** t)).sqrt() + eps)
''',
            "no_eps": '''
# Leaves eps out: 0 / 0 = nan where a gradient entry is 0.
def rmsprop(w, dw, state, lr, alpha, eps):
    s = alpha * state.get("s", torch.zeros_like(w)) + (1 - alpha) * dw ** 2
    state["s"] = s
    return w - lr * dw / s.sqrt()
''',
            "hard_coded_alpha": '''
# Uses PyTorch's default alpha = 0.99 whatever the caller asks for.
def rmsprop(w, dw, state, lr, alpha, eps):
    s = 0.99 * state.get("s", torch.zeros_like(w)) + 0.01 * dw ** 2
    state["s"] = s
    return w - lr * dw / (s.sqrt() + eps)
''',
            "always_float32": '''
# Computes in float32, so float64 weights come back as float32.
def rmsprop(w, dw, state, lr, alpha, eps):
    g = dw.float()
    s = alpha * state.get("s", torch.zeros_like(g)) + (1 - alpha) * g ** 2
    state["s"] = s
    return w.float() - lr * g / (s.sqrt() + eps)
''',
        },
        "correct": {
            "float64_inside": '''
# Keeps s in float64 whatever w's dtype, and casts the new weights back.
def rmsprop(w, dw, state, lr, alpha, eps):
    g = dw.double()
    if "sq" not in state:
        state["sq"] = torch.zeros_like(g)
    state["sq"] = state["sq"] * alpha + g * g * (1 - alpha)
    return (w.double() - lr * g / (torch.sqrt(state["sq"]) + eps)).to(w.dtype)
''',
            "torch_style_in_place": '''
# PyTorch's own in-place style on a buffer it owns: mul_, addcmul_, then addcdiv on a copy of w.
def rmsprop(w, dw, state, lr, alpha, eps):
    if "square_avg" not in state:
        state["square_avg"] = torch.zeros_like(w)
    square_avg = state["square_avg"]
    square_avg.mul_(alpha).addcmul_(dw, dw, value=1 - alpha)
    avg = square_avg.sqrt().add_(eps)
    return torch.addcdiv(w, dw, avg, value=-lr)
''',
        },
    },
    "adam": {
        "wrong": {
            "no_bias_correction": '''
# Uses m and v without dividing by 1 - beta**t.
def adam(w, dw, state, lr, betas, eps):
    b1, b2 = betas
    m = b1 * state.get("m", torch.zeros_like(w)) + (1 - b1) * dw
    v = b2 * state.get("v", torch.zeros_like(w)) + (1 - b2) * dw ** 2
    state.update(m=m, v=v)
    return w - lr * m / (v.sqrt() + eps)
''',
            "step_count_off_by_one": '''
# Counts t from 2: increments before the first use, having started at 1.
def adam(w, dw, state, lr, betas, eps):
    b1, b2 = betas
    t = state.get("t", 1) + 1
    m = b1 * state.get("m", torch.zeros_like(w)) + (1 - b1) * dw
    v = b2 * state.get("v", torch.zeros_like(w)) + (1 - b2) * dw ** 2
    state.update(t=t, m=m, v=v)
    return w - lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps)
''',
            "eps_inside_sqrt": '''
# sqrt(v_hat + eps) instead of sqrt(v_hat) + eps.
def adam(w, dw, state, lr, betas, eps):
    b1, b2 = betas
    t = state.get("t", 0) + 1
    m = b1 * state.get("m", torch.zeros_like(w)) + (1 - b1) * dw
    v = b2 * state.get("v", torch.zeros_like(w)) + (1 - b2) * dw ** 2
    state.update(t=t, m=m, v=v)
    return w - lr * (m / (1 - b1 ** t)) / torch.sqrt(v / (1 - b2 ** t) + eps)
''',
            "paper_efficient_eps": '''
# The paper's "efficient" form (TensorFlow's): eps added to sqrt(v) before the bias correction.
def adam(w, dw, state, lr, betas, eps):
    b1, b2 = betas
    t = state.get("t", 0) + 1
    m = b1 * state.get("m", torch.zeros_like(w)) + (1 - b1) * dw
    v = b2 * state.get("v", torch.zeros_like(w)) + (1 - b2) * dw ** 2
    state.update(t=t, m=m, v=v)
    lr_t = lr * (1 - b2 ** t) ** 0.5 / (1 - b1 ** t)
    return w - lr_t * m / (v.sqrt() + eps)
''',
            "betas_swapped": '''
# Uses beta2 for the first moment and beta1 for the second.
def adam(w, dw, state, lr, betas, eps):
    b2, b1 = betas
    t = state.get("t", 0) + 1
    m = b1 * state.get("m", torch.zeros_like(w)) + (1 - b1) * dw
    v = b2 * state.get("v", torch.zeros_like(w)) + (1 - b2) * dw ** 2
    state.update(t=t, m=m, v=v)
    return w - lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps)
''',
            "hard_coded_betas": '''
# Uses the default betas (0.9, 0.999) whatever the caller asks for.
def adam(w, dw, state, lr, betas, eps):
    b1, b2 = 0.9, 0.999
    t = state.get("t", 0) + 1
    m = b1 * state.get("m", torch.zeros_like(w)) + (1 - b1) * dw
    v = b2 * state.get("v", torch.zeros_like(w)) + (1 - b2) * dw ** 2
    state.update(t=t, m=m, v=v)
    return w - lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps)
''',
            "global_step_count": '''
# One step counter for every parameter: two parameters updated in turns count 1, 2, 3, 4, ...
_steps = [0]


def adam(w, dw, state, lr, betas, eps):
    b1, b2 = betas
    _steps[0] += 1
    t = _steps[0]
    m = b1 * state.get("m", torch.zeros_like(w)) + (1 - b1) * dw
    v = b2 * state.get("v", torch.zeros_like(w)) + (1 - b2) * dw ** 2
    state.update(m=m, v=v)
    return w - lr * (m / (1 - b1 ** t)) / ((v / (1 - b2 ** t)).sqrt() + eps)
''',
        },
        "correct": {
            "pytorch_denominator": '''
# PyTorch's arrangement: denom = sqrt(v) / sqrt(1 - beta2**t) + eps, step size lr / (1 - beta1**t).
import math


def adam(w, dw, state, lr, betas, eps):
    beta1, beta2 = betas
    if "exp_avg" not in state:
        state["step"] = 0
        state["exp_avg"] = torch.zeros_like(w)
        state["exp_avg_sq"] = torch.zeros_like(w)
    state["step"] += 1
    state["exp_avg"] = torch.lerp(state["exp_avg"], dw, 1 - beta1)
    state["exp_avg_sq"] = state["exp_avg_sq"] * beta2 + (1 - beta2) * dw * dw
    bias1 = 1 - beta1 ** state["step"]
    bias2 = 1 - beta2 ** state["step"]
    denom = state["exp_avg_sq"].sqrt() / math.sqrt(bias2) + eps
    return torch.addcdiv(w, state["exp_avg"], denom, value=-lr / bias1)
''',
            "beta_powers": '''
# Keeps the running powers beta1**t and beta2**t instead of a step counter, via numpy in float64.
import numpy as np


def adam(w, dw, state, lr, betas, eps):
    g = dw.detach().cpu().double().numpy()
    if not state:
        state.update(m=np.zeros_like(g), v=np.zeros_like(g), p1=1.0, p2=1.0)
    state["p1"] *= betas[0]
    state["p2"] *= betas[1]
    state["m"] = betas[0] * state["m"] + (1 - betas[0]) * g
    state["v"] = betas[1] * state["v"] + (1 - betas[1]) * g ** 2
    step = lr * (state["m"] / (1 - state["p1"])) / (np.sqrt(state["v"] / (1 - state["p2"])) + eps)
    return w - torch.from_numpy(step).to(device=w.device, dtype=w.dtype)
''',
        },
    },
}
