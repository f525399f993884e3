"""Test-power variants for ch03_nn_module: plausible wrong answers and differently written correct ones."""

CALLS = {}

VARIANTS = {
    "make_named_mlp": {
        "wrong": {
            "unnamed_sequential": '''
# Wrong: positional layers are named '0', '1', '2'.
def make_named_mlp(n_hidden):
    return nn.Sequential(nn.Linear(1, n_hidden), nn.Tanh(), nn.Linear(n_hidden, 1))
''',
            "relu_activation": '''
# Wrong: ReLU instead of Tanh.
def make_named_mlp(n_hidden):
    return nn.Sequential(OrderedDict([
        ("hidden_linear", nn.Linear(1, n_hidden)),
        ("hidden_activation", nn.ReLU()),
        ("output_linear", nn.Linear(n_hidden, 1)),
    ]))
''',
            "hard_coded_8_hidden": '''
# Wrong: the book's 8 hidden units, whatever n_hidden says.
def make_named_mlp(n_hidden):
    return nn.Sequential(OrderedDict([
        ("hidden_linear", nn.Linear(1, 8)),
        ("hidden_activation", nn.Tanh()),
        ("output_linear", nn.Linear(8, 1)),
    ]))
''',
            "plain_dict": '''
# Wrong: nn.Sequential takes an OrderedDict, not a plain dict (TypeError).
def make_named_mlp(n_hidden):
    return nn.Sequential({
        "hidden_linear": nn.Linear(1, n_hidden),
        "hidden_activation": nn.Tanh(),
        "output_linear": nn.Linear(n_hidden, 1),
    })
''',
            "other_names": '''
# Wrong: layer names other than the ones asked for.
def make_named_mlp(n_hidden):
    return nn.Sequential(OrderedDict([
        ("hidden", nn.Linear(1, n_hidden)),
        ("activation", nn.Tanh()),
        ("output", nn.Linear(n_hidden, 1)),
    ]))
''',
            "xavier_init": '''
# Wrong: replaces PyTorch's default initialisation with Xavier weights and zero biases.
def make_named_mlp(n_hidden):
    net = nn.Sequential(OrderedDict([
        ("hidden_linear", nn.Linear(1, n_hidden)),
        ("hidden_activation", nn.Tanh()),
        ("output_linear", nn.Linear(n_hidden, 1)),
    ]))
    for layer in (net.hidden_linear, net.output_linear):
        nn.init.xavier_uniform_(layer.weight)
        nn.init.zeros_(layer.bias)
    return net
''',
        },
        "correct": {
            "add_module": '''
# add_module names each layer as it is appended.
def make_named_mlp(n_hidden):
    net = nn.Sequential()
    net.add_module("hidden_linear", nn.Linear(1, n_hidden))
    net.add_module("hidden_activation", nn.Tanh())
    net.add_module("output_linear", nn.Linear(n_hidden, 1))
    return net
''',
            "ordered_dict_kwargs": '''
# OrderedDict from keyword arguments keeps their order.
import collections

def make_named_mlp(n_hidden):
    layers = collections.OrderedDict(hidden_linear=nn.Linear(1, n_hidden), hidden_activation=nn.Tanh(),
                                     output_linear=nn.Linear(n_hidden, 1))
    return nn.Sequential(layers)
''',
        },
    },
    "split_indices": {
        "wrong": {
            "global_rng": '''
# Wrong: ignores the generator and draws from the global random state.
def split_indices(n, val_frac, generator):
    perm = torch.randperm(n)
    k = int(val_frac * n)
    return perm[k:], perm[:k]
''',
            "val_from_the_end": '''
# Wrong: training indices first in the permutation, validation at the end.
def split_indices(n, val_frac, generator):
    perm = torch.randperm(n, generator=generator)
    n_train = n - int(val_frac * n)
    return perm[:n_train], perm[n_train:]
''',
            "rounds": '''
# Wrong: round() instead of int() for the validation size.
def split_indices(n, val_frac, generator):
    perm = torch.randperm(n, generator=generator)
    k = round(val_frac * n)
    return perm[k:], perm[:k]
''',
            "sorted": '''
# Wrong: sorts the indices, losing the permutation order.
def split_indices(n, val_frac, generator):
    perm = torch.randperm(n, generator=generator)
    k = int(val_frac * n)
    return perm[k:].sort().values, perm[:k].sort().values
''',
            "train_size_first": '''
# Wrong: truncates the training size, so the validation set gets the rounding.
def split_indices(n, val_frac, generator):
    perm = torch.randperm(n, generator=generator)
    k = n - int((1 - val_frac) * n)
    return perm[k:], perm[:k]
''',
            "reseeds": '''
# Wrong: re-seeds the generator, so every call gives the same permutation.
def split_indices(n, val_frac, generator):
    generator.manual_seed(0)
    perm = torch.randperm(n, generator=generator)
    k = int(val_frac * n)
    return perm[k:], perm[:k]
''',
        },
        "correct": {
            "split_sizes": '''
# torch.split with explicit sizes, validation part first.
import math

def split_indices(n, val_frac, generator):
    k = math.floor(val_frac * n)
    val_idx, train_idx = torch.randperm(n, generator=generator).split([k, n - k])
    return train_idx, val_idx
''',
            "index_select_loop": '''
# Builds the two parts with a Python loop over the permutation.
def split_indices(n, val_frac, generator):
    perm = torch.randperm(n, generator=generator).tolist()
    k = int(val_frac * n)
    val = [i for j, i in enumerate(perm) if j < k]
    train = [i for j, i in enumerate(perm) if j >= k]
    return torch.tensor(train, dtype=torch.long), torch.tensor(val, dtype=torch.long)
''',
        },
    },
    "training_loop": {
        "wrong": {
            "val_after_step": '''
# Wrong: the validation loss is measured after the step.
def training_loop(n_epochs, optimizer, model, loss_fn, x_train, x_val, y_train, y_val):
    tl, vl = [], []
    for _ in range(n_epochs):
        model.train()
        loss = loss_fn(model(x_train), y_train)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        model.eval()
        with torch.no_grad():
            val = loss_fn(model(x_val), y_val)
        model.train()
        tl.append(loss.item())
        vl.append(val.item())
    return tl, vl
''',
            "val_in_train_mode": '''
# Wrong: no model.eval() for the validation pass.
def training_loop(n_epochs, optimizer, model, loss_fn, x_train, x_val, y_train, y_val):
    tl, vl = [], []
    for _ in range(n_epochs):
        model.train()
        loss = loss_fn(model(x_train), y_train)
        with torch.no_grad():
            val = loss_fn(model(x_val), y_val)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        tl.append(loss.item())
        vl.append(val.item())
    return tl, vl
''',
            "no_zero_grad": '''
# Wrong: gradients accumulate from epoch to epoch.
def training_loop(n_epochs, optimizer, model, loss_fn, x_train, x_val, y_train, y_val):
    tl, vl = [], []
    for _ in range(n_epochs):
        model.train()
        loss = loss_fn(model(x_train), y_train)
        model.eval()
        with torch.no_grad():
            val = loss_fn(model(x_val), y_val)
        model.train()
        loss.backward()
        optimizer.step()
        tl.append(loss.item())
        vl.append(val.item())
    return tl, vl
''',
            "no_train_at_start": '''
# Wrong: model.train() only after validation, so a model passed in eval mode trains its first epoch in eval mode.
def training_loop(n_epochs, optimizer, model, loss_fn, x_train, x_val, y_train, y_val):
    tl, vl = [], []
    for _ in range(n_epochs):
        loss = loss_fn(model(x_train), y_train)
        model.eval()
        with torch.no_grad():
            val = loss_fn(model(x_val), y_val)
        model.train()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        tl.append(loss.item())
        vl.append(val.item())
    return tl, vl
''',
            "hard_coded_mse": '''
# Wrong: ignores loss_fn and always uses the mean squared error.
def training_loop(n_epochs, optimizer, model, loss_fn, x_train, x_val, y_train, y_val):
    mse = nn.MSELoss()
    tl, vl = [], []
    for _ in range(n_epochs):
        model.train()
        loss = mse(model(x_train), y_train)
        model.eval()
        with torch.no_grad():
            val = mse(model(x_val), y_val)
        model.train()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        tl.append(loss.item())
        vl.append(val.item())
    return tl, vl
''',
            "tensor_losses": '''
# Wrong: stores detached tensors instead of Python floats.
def training_loop(n_epochs, optimizer, model, loss_fn, x_train, x_val, y_train, y_val):
    tl, vl = [], []
    for _ in range(n_epochs):
        model.train()
        loss = loss_fn(model(x_train), y_train)
        model.eval()
        with torch.no_grad():
            val = loss_fn(model(x_val), y_val)
        model.train()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        tl.append(loss.detach())
        vl.append(val)
    return tl, vl
''',
        },
        "correct": {
            "backward_first_inference_mode": '''
# Backward before the validation pass, inference_mode instead of no_grad, float() on graph-free values.
def training_loop(n_epochs, optimizer, model, loss_fn, x_train, x_val, y_train, y_val):
    train_losses, val_losses = [], []
    for _ in range(n_epochs):
        model.train()
        optimizer.zero_grad()
        loss_train = loss_fn(model(x_train), y_train)
        loss_train.backward()
        train_losses.append(float(loss_train.detach()))
        model.eval()
        with torch.inference_mode():
            val_losses.append(float(loss_fn(model(x_val), y_val)))
        model.train()
        optimizer.step()
    return train_losses, val_losses
''',
            "restores_mode_helper": '''
# A helper for the evaluation, zero_grad(set_to_none=False), and a while loop.
def _evaluate(model, loss_fn, x, y):
    model.eval()
    try:
        with torch.no_grad():
            return loss_fn(model(x), y).item()
    finally:
        model.train()


def training_loop(n_epochs, optimizer, model, loss_fn, x_train, x_val, y_train, y_val):
    history = {"train": [], "val": []}
    epoch = 0
    while epoch < n_epochs:
        model.train(True)
        loss = loss_fn(model(x_train), y_train)
        history["val"].append(_evaluate(model, loss_fn, x_val, y_val))
        optimizer.zero_grad(set_to_none=False)
        loss.backward()
        optimizer.step()
        history["train"].append(loss.item())
        epoch += 1
    return history["train"], history["val"]
''',
        },
    },
}
