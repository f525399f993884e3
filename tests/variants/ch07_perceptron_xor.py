"""Test-power variants for ch07_perceptron_xor: plausible wrong answers and differently written correct ones."""

CALLS = {
    "perceptron": ["xor_from_gates"],
    "GATE_WEIGHTS": ["xor_from_gates"],
    "make_xor_net": ["train_xor"],
}

VARIANTS = {
    "perceptron": {
        "wrong": {
            "ge_instead_of_gt": '''
# Wrong: >= fires on the boundary (x @ w + b == 0 must give 0.).
def perceptron(x, w, b):
    w = torch.as_tensor(w, dtype=x.dtype, device=x.device)
    return (x @ w + b >= 0).to(x.dtype)
''',
            "sign_half_on_boundary": '''
# Wrong: (sign(z) + 1) / 2 gives 0.5 on the boundary.
def perceptron(x, w, b):
    w = torch.as_tensor(w, dtype=x.dtype, device=x.device)
    return (torch.sign(x @ w + b) + 1) / 2
''',
            "returns_bool": '''
# Wrong: returns the boolean comparison, not 0./1. floats.
def perceptron(x, w, b):
    w = torch.as_tensor(w, dtype=x.dtype, device=x.device)
    return x @ w + b > 0
''',
            "always_float32": '''
# Wrong: .float() turns float64 inputs into a float32 result.
def perceptron(x, w, b):
    w = torch.as_tensor(w, dtype=x.dtype, device=x.device)
    return (x @ w + b > 0).float()
''',
            "list_w_to_cpu_float32": '''
# Wrong: a list w becomes a float32 CPU tensor (dtype/device mismatch with x).
def perceptron(x, w, b):
    if isinstance(w, list):
        w = torch.tensor(w)
    return (x @ w + b > 0).to(x.dtype)
''',
            "column_output": '''
# Wrong: w as a column gives an (N, 1) result instead of (N,).
def perceptron(x, w, b):
    w = torch.as_tensor(w, dtype=x.dtype, device=x.device).reshape(2, 1)
    return (x @ w + b > 0).to(x.dtype)
''',
            "heaviside_one_at_zero": '''
# Wrong: heaviside with value 1 at zero fires on the boundary.
def perceptron(x, w, b):
    w = torch.as_tensor(w, dtype=x.dtype, device=x.device)
    z = x @ w + b
    return torch.heaviside(z, torch.ones_like(z))
''',
        },
        "correct": {
            "computes_in_float32": '''
# Correct: the weighted sum always in float32 (even for float64 x), the result in x's dtype.
def perceptron(x, w, b):
    w32 = torch.as_tensor(w, device=x.device).to(torch.float32)
    z = x.to(torch.float32) @ w32 + b
    return (z > 0).to(x.dtype)
''',
            "through_numpy": '''
# Correct: the weighted sum in numpy (float64), the 0./1. result back in x's dtype and device.
import numpy as np


def perceptron(x, w, b):
    w_np = w.detach().cpu().numpy() if isinstance(w, torch.Tensor) else np.asarray(w)
    z = x.detach().cpu().numpy().astype(np.float64) @ w_np.astype(np.float64) + b
    return torch.from_numpy((z > 0).astype(np.float64)).to(device=x.device, dtype=x.dtype)
''',
            "where_ones_zeros": '''
# Correct: torch.where with ones_like / zeros_like.
def perceptron(x, w, b):
    if not isinstance(w, torch.Tensor):
        w = torch.tensor(w, dtype=x.dtype, device=x.device)
    z = torch.matmul(x, w.to(device=x.device, dtype=x.dtype)) + b
    return torch.where(z > 0, torch.ones_like(z), torch.zeros_like(z))
''',
            "columns_and_heaviside_zero": '''
# Correct: column-wise weighted sum and heaviside with value 0 at zero.
def perceptron(x, w, b):
    w1, w2 = float(w[0]), float(w[1])
    z = x[:, 0] * w1 + x[:, 1] * w2 + b
    return torch.heaviside(z, torch.zeros_like(z))
''',
        },
    },
    "GATE_WEIGHTS": {
        "wrong": {
            "and_on_boundary": '''
# Wrong: AND's (1, 1) lies exactly on the line (0.5 + 0.5 - 1 == 0), so it never fires.
GATE_WEIGHTS = {
    "and": ([0.5, 0.5], -1.0),
    "or": ([1.0, 1.0], -0.5),
    "nand": ([-1.0, -1.0], 1.5),
}
''',
            "nand_on_boundary": '''
# Wrong: NAND's (0, 1) and (1, 0) lie on the line (-1 + 1 == 0), so they give 0.
GATE_WEIGHTS = {
    "and": ([1.0, 1.0], -1.5),
    "or": ([1.0, 1.0], -0.5),
    "nand": ([-1.0, -1.0], 1.0),
}
''',
            "and_or_swapped": '''
# Wrong: the AND and OR biases are swapped.
GATE_WEIGHTS = {
    "and": ([1.0, 1.0], -0.5),
    "or": ([1.0, 1.0], -1.5),
    "nand": ([-1.0, -1.0], 1.5),
}
''',
            "upper_case_keys": '''
# Wrong: keys spelled "AND", "OR", "NAND" instead of lower case.
GATE_WEIGHTS = {
    "AND": ([1.0, 1.0], -1.5),
    "OR": ([1.0, 1.0], -0.5),
    "NAND": ([-1.0, -1.0], 1.5),
}
''',
            "nand_is_negated_or": '''
# Wrong: negating OR's weights and bias gives NOR, not NAND.
GATE_WEIGHTS = {
    "and": ([1.0, 1.0], -1.5),
    "or": ([1.0, 1.0], -0.5),
    "nand": ([-1.0, -1.0], 0.5),
}
''',
        },
        "correct": {
            "other_thresholds": '''
# Correct: other weights and thresholds, built entry by entry.
GATE_WEIGHTS = {}
GATE_WEIGHTS["and"] = ([0.5, 0.5], -0.7)
GATE_WEIGHTS["or"] = ([2.0, 2.0], -1.0)
GATE_WEIGHTS["nand"] = ([-0.5, -0.5], 0.7)
''',
            "dict_call_other_weights": '''
# Correct: dict(...) with different but valid weights.
GATE_WEIGHTS = dict(
    nand=([-2.0, -2.0], 3.0),
    **{"and": ([3.0, 3.0], -4.0), "or": ([0.4, 0.4], -0.2)},
)
''',
        },
    },
    "xor_from_gates": {
        "wrong": {
            "and_of_or_and": '''
# Wrong: AND(OR, AND) is AND, not XOR.
def xor_from_gates(x):
    h = torch.stack([perceptron(x, *GATE_WEIGHTS["or"]), perceptron(x, *GATE_WEIGHTS["and"])], dim=1)
    return perceptron(h, *GATE_WEIGHTS["and"])
''',
            "or_of_and_nand": '''
# Wrong: OR(AND, NAND) is always 1.
def xor_from_gates(x):
    h = torch.stack([perceptron(x, *GATE_WEIGHTS["and"]), perceptron(x, *GATE_WEIGHTS["nand"])], dim=1)
    return perceptron(h, *GATE_WEIGHTS["or"])
''',
            "stack_without_dim": '''
# Wrong: torch.stack without dim=1 gives a (2, N) hidden layer.
def xor_from_gates(x):
    h = torch.stack([perceptron(x, *GATE_WEIGHTS["or"]), perceptron(x, *GATE_WEIGHTS["nand"])])
    return perceptron(h.reshape(-1, 2), *GATE_WEIGHTS["and"])
''',
            "hidden_cast_to_float32": '''
# Wrong: .float() on the hidden layer loses float64 inputs' dtype.
def xor_from_gates(x):
    h = torch.stack([perceptron(x, *GATE_WEIGHTS["or"]), perceptron(x, *GATE_WEIGHTS["nand"])], dim=1).float()
    return perceptron(h, *GATE_WEIGHTS["and"])
''',
            "squeezes_batch": '''
# Wrong: squeeze() drops the batch dimension of a single point.
def xor_from_gates(x):
    h = torch.stack([perceptron(x, *GATE_WEIGHTS["or"]), perceptron(x, *GATE_WEIGHTS["nand"])], dim=1)
    return perceptron(h, *GATE_WEIGHTS["and"]).squeeze()
''',
        },
        "correct": {
            "hidden_layer_through_numpy": '''
# Correct: the hidden layer stacked in numpy, then back to a tensor of x's dtype and device.
import numpy as np


def xor_from_gates(x):
    h_or = perceptron(x, *GATE_WEIGHTS["or"]).cpu().numpy()
    h_nand = perceptron(x, *GATE_WEIGHTS["nand"]).cpu().numpy()
    h = torch.from_numpy(np.stack([h_or, h_nand], axis=1)).to(device=x.device, dtype=x.dtype)
    return perceptron(h, *GATE_WEIGHTS["and"])
''',
            "column_stack_loop": '''
# Correct: the hidden layer with a loop over the gate names and torch.column_stack.
def xor_from_gates(x):
    hidden = [perceptron(x, *GATE_WEIGHTS[g]) for g in ("or", "nand")]
    w, b = GATE_WEIGHTS["and"]
    return perceptron(torch.column_stack(hidden), torch.tensor(w, dtype=x.dtype, device=x.device), b)
''',
        },
    },
    "make_xor_net": {
        "wrong": {
            "relu_hidden": '''
# Wrong: ReLU instead of Sigmoid in the hidden layers.
def make_xor_net(hidden):
    layers, n_in = [], 2
    for h in hidden:
        layers += [nn.Linear(n_in, h), nn.ReLU()]
        n_in = h
    return nn.Sequential(*layers, nn.Linear(n_in, 1), nn.Sigmoid())
''',
            "no_output_sigmoid": '''
# Wrong: forgets the final Sigmoid (raw logits out).
def make_xor_net(hidden):
    layers, n_in = [], 2
    for h in hidden:
        layers += [nn.Linear(n_in, h), nn.Sigmoid()]
        n_in = h
    return nn.Sequential(*layers, nn.Linear(n_in, 1))
''',
            "nested_blocks": '''
# Wrong: nests a Sequential per block instead of one flat Sequential.
def make_xor_net(hidden):
    blocks, n_in = [], 2
    for h in hidden:
        blocks.append(nn.Sequential(nn.Linear(n_in, h), nn.Sigmoid()))
        n_in = h
    blocks.append(nn.Sequential(nn.Linear(n_in, 1), nn.Sigmoid()))
    return nn.Sequential(*blocks)
''',
            "input_size_always_two": '''
# Wrong: every hidden Linear takes 2 inputs instead of the previous layer's size.
def make_xor_net(hidden):
    layers = []
    for h in hidden:
        layers += [nn.Linear(2, h), nn.Sigmoid()]
    n_in = hidden[-1] if hidden else 2
    return nn.Sequential(*layers, nn.Linear(n_in, 1), nn.Sigmoid())
''',
            "mutates_hidden": '''
# Wrong: inserts the input size into the caller's list.
def make_xor_net(hidden):
    sizes = hidden
    sizes.insert(0, 2)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out), nn.Sigmoid()]
    return nn.Sequential(*layers, nn.Linear(sizes[-1], 1), nn.Sigmoid())
''',
            "zero_init": '''
# Wrong: initialises every weight and bias to zero (not the default init).
def make_xor_net(hidden):
    layers, n_in = [], 2
    for h in list(hidden) + [1]:
        lin = nn.Linear(n_in, h)
        nn.init.zeros_(lin.weight)
        nn.init.zeros_(lin.bias)
        layers += [lin, nn.Sigmoid()]
        n_in = h
    return nn.Sequential(*layers)
''',
            "output_layer_first": '''
# Wrong: creates the output layer before the hidden ones (different random draws).
def make_xor_net(hidden):
    sizes = [2] + list(hidden)
    out = nn.Linear(sizes[-1], 1)
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers += [nn.Linear(n_in, n_out), nn.Sigmoid()]
    return nn.Sequential(*layers, out, nn.Sigmoid())
''',
        },
        "correct": {
            "zip_sizes_add_module": '''
# Correct: sizes list, zip and add_module with names.
def make_xor_net(hidden):
    sizes = [2, *hidden, 1]
    net = nn.Sequential()
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        net.add_module(f"linear{i}", nn.Linear(n_in, n_out))
        net.add_module(f"sigmoid{i}", nn.Sigmoid())
    return net
''',
            "append": '''
# Correct: Sequential.append in a while loop.
def make_xor_net(hidden):
    net = nn.Sequential()
    n_in, i = 2, 0
    while i < len(hidden):
        net.append(nn.Linear(n_in, hidden[i]))
        net.append(nn.Sigmoid())
        n_in, i = hidden[i], i + 1
    net.append(nn.Linear(n_in, 1))
    net.append(nn.Sigmoid())
    return net
''',
        },
    },
    "train_xor": {
        "wrong": {
            "loss_before_last_update": '''
# Wrong: final_loss is the loss computed before the last update.
def train_xor(hidden, lr=1.0, steps=10001, seed=777):
    torch.manual_seed(seed)
    net = make_xor_net(hidden)
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    loss_fn = nn.BCELoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        y_hat = net(X)
        loss = loss_fn(y_hat, Y)
        loss.backward()
        optimizer.step()
    accuracy = ((y_hat > 0.5).float() == Y).float().mean().item()
    return net, loss.item(), accuracy
''',
            "hard_coded_lr": '''
# Wrong: ignores the argument lr.
def train_xor(hidden, lr=1.0, steps=10001, seed=777):
    torch.manual_seed(seed)
    net = make_xor_net(hidden)
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    loss_fn = nn.BCELoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=1.0)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(net(X), Y)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        p = net(X)
        return net, loss_fn(p, Y).item(), ((p > 0.5).float() == Y).float().mean().item()
''',
            "seed_after_net": '''
# Wrong: seeds after building the net, so the initial weights are not reproducible.
def train_xor(hidden, lr=1.0, steps=10001, seed=777):
    net = make_xor_net(hidden)
    torch.manual_seed(seed)
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    loss_fn = nn.BCELoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(net(X), Y)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        p = net(X)
        return net, loss_fn(p, Y).item(), ((p > 0.5).float() == Y).float().mean().item()
''',
            "no_zero_grad": '''
# Wrong: never zeroes the gradients, so they accumulate over steps.
def train_xor(hidden, lr=1.0, steps=10001, seed=777):
    torch.manual_seed(seed)
    net = make_xor_net(hidden)
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    loss_fn = nn.BCELoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    for _ in range(steps):
        loss = loss_fn(net(X), Y)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        p = net(X)
        return net, loss_fn(p, Y).item(), ((p > 0.5).float() == Y).float().mean().item()
''',
            "one_step_short": '''
# Wrong: range(1, steps) makes steps - 1 updates.
def train_xor(hidden, lr=1.0, steps=10001, seed=777):
    torch.manual_seed(seed)
    net = make_xor_net(hidden)
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    loss_fn = nn.BCELoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    for _ in range(1, steps):
        optimizer.zero_grad()
        loss = loss_fn(net(X), Y)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        p = net(X)
        return net, loss_fn(p, Y).item(), ((p > 0.5).float() == Y).float().mean().item()
''',
            "tensor_loss": '''
# Wrong: returns final_loss and accuracy as tensors instead of Python floats.
def train_xor(hidden, lr=1.0, steps=10001, seed=777):
    torch.manual_seed(seed)
    net = make_xor_net(hidden)
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    loss_fn = nn.BCELoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(net(X), Y)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        p = net(X)
        return net, loss_fn(p, Y), ((p > 0.5).float() == Y).float().mean()
''',
            "sum_loss": '''
# Wrong: BCELoss(reduction="sum") instead of the mean.
def train_xor(hidden, lr=1.0, steps=10001, seed=777):
    torch.manual_seed(seed)
    net = make_xor_net(hidden)
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    loss_fn = nn.BCELoss(reduction="sum")
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(net(X), Y)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        p = net(X)
        return net, loss_fn(p, Y).item(), ((p > 0.5).float() == Y).float().mean().item()
''',
            "accuracy_as_count": '''
# Wrong: accuracy is the number of correct points, not the fraction.
def train_xor(hidden, lr=1.0, steps=10001, seed=777):
    torch.manual_seed(seed)
    net = make_xor_net(hidden)
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    loss_fn = nn.BCELoss()
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    for _ in range(steps):
        optimizer.zero_grad()
        loss = loss_fn(net(X), Y)
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        p = net(X)
        return net, loss_fn(p, Y).item(), ((p > 0.5).float() == Y).float().sum().item()
''',
        },
        "correct": {
            "bce_by_formula_manual_update": '''
# Correct: the BCE written out (float32, another order of operations than nn.BCELoss) and the
# SGD update by hand, p -= lr * p.grad.
def train_xor(hidden, lr=1.0, steps=10001, seed=777):
    torch.manual_seed(seed)
    net = make_xor_net(hidden)
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])

    def bce(p):
        return -(Y * torch.log(p) + (1 - Y) * torch.log(1 - p)).mean()

    for _ in range(steps):
        loss = bce(net(X))
        net.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p in net.parameters():
                p -= lr * p.grad
    with torch.no_grad():
        p = net(X)
        return net, bce(p).item(), ((p > 0.5) == (Y > 0.5)).float().mean().item()
''',
            "functional_bce_net_zero_grad": '''
# Correct: F.binary_cross_entropy, net.zero_grad(), evaluation with autograd on and .detach().
def train_xor(hidden, lr=1.0, steps=10001, seed=777):
    torch.manual_seed(seed)
    net = make_xor_net(hidden)
    X = torch.tensor([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=torch.float32)
    Y = torch.tensor([0, 1, 1, 0], dtype=torch.float32).reshape(4, 1)
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    step = 0
    while step < steps:
        loss = torch.nn.functional.binary_cross_entropy(net(X), Y)
        net.zero_grad()
        loss.backward()
        optimizer.step()
        step += 1
    p = net(X).detach()
    final_loss = torch.nn.functional.binary_cross_entropy(p, Y).item()
    correct = torch.where(p > 0.5, 1.0, 0.0).eq(Y)
    return net, final_loss, correct.sum().item() / Y.numel()
''',
            "zero_grad_after_step": '''
# Correct: zero_grad after each step instead of before (same updates); accuracy via a list.
def train_xor(hidden, lr=1.0, steps=10001, seed=777):
    torch.manual_seed(seed)
    net = make_xor_net(hidden)
    X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = torch.tensor([[0.0], [1.0], [1.0], [0.0]])
    criterion = nn.BCELoss(reduction="mean")
    opt = torch.optim.SGD(params=net.parameters(), lr=lr)
    for _ in range(steps):
        criterion(net(X), Y).backward()
        opt.step()
        opt.zero_grad()
    with torch.no_grad():
        p = net(X)
        final_loss = criterion(p, Y).item()
    hits = [float(pi > 0.5) == yi for pi, yi in zip(p.reshape(-1).tolist(), Y.reshape(-1).tolist())]
    return net, final_loss, sum(hits) / len(hits)
''',
        },
    },
}
