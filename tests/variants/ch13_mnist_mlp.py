"""Test-power variants for ch13_mnist_mlp: plausible wrong answers and differently written correct ones."""

CALLS = {}

_TRAIN_HEAD = '''
def train_classifier(model, train_loader, epochs, lr, device):
'''

VARIANTS = {
    "build_softmax_model": {
        "wrong": {
            "softmax_layer_at_the_end": '''
# Wrong: a softmax layer at the end (nn.CrossEntropyLoss wants raw logits).
def build_softmax_model():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 10), nn.Softmax(dim=1))
''',
            "log_softmax_at_the_end": '''
# Wrong: LogSoftmax at the end (not raw logits).
def build_softmax_model():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 10), nn.LogSoftmax(dim=1))
''',
            "no_flatten": '''
# Wrong: no Flatten (the images would have to be flattened in the training loop).
def build_softmax_model():
    return nn.Sequential(nn.Linear(784, 10))
''',
            "no_bias": '''
# Wrong: the linear layer has no bias.
def build_softmax_model():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 10, bias=False))
''',
            "seed_lab_normal_init": '''
# Wrong: the seed lab's normal_ initialization (std 1) instead of PyTorch's default.
def build_softmax_model():
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    nn.init.normal_(net[1].weight)
    nn.init.normal_(net[1].bias)
    return net
''',
            "zero_init": '''
# Wrong: weights and bias set to zero.
def build_softmax_model():
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
    nn.init.zeros_(net[1].weight)
    nn.init.zeros_(net[1].bias)
    return net
''',
            "seeded_inside": '''
# Wrong: seeds inside, so every call returns the same weights.
def build_softmax_model():
    torch.manual_seed(0)
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
''',
        },
        "correct": {
            "ordered_dict_names": '''
# Correct: named modules through an OrderedDict, Flatten with explicit dims.
from collections import OrderedDict

def build_softmax_model():
    return nn.Sequential(OrderedDict([
        ("flatten", nn.Flatten(start_dim=1, end_dim=-1)),
        ("linear", nn.Linear(28 * 28, 10, bias=True)),
    ]))
''',
            "append": '''
# Correct: an empty Sequential filled with append.
def build_softmax_model():
    net = nn.Sequential()
    net.append(nn.Flatten())
    net.append(nn.Linear(in_features=784, out_features=10))
    return net
''',
        },
    },
    "build_mlp_model": {
        "wrong": {
            "hard_coded_p": '''
# Wrong: the dropout probability is hard-coded to 0.3.
def build_mlp_model(p_drop=0.3):
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.3),
                        nn.Linear(256, 256), nn.ReLU(), nn.Dropout(0.3), nn.Linear(256, 10))
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return net
''',
            "default_init": '''
# Wrong: keeps PyTorch's default initialization (no Xavier, biases not zeroed).
def build_mlp_model(p_drop=0.3):
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(p_drop),
                         nn.Linear(256, 256), nn.ReLU(), nn.Dropout(p_drop), nn.Linear(256, 10))
''',
            "xavier_normal": '''
# Wrong: Xavier-normal instead of Xavier-uniform.
def build_mlp_model(p_drop=0.3):
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(p_drop),
                        nn.Linear(256, 256), nn.ReLU(), nn.Dropout(p_drop), nn.Linear(256, 10))
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.xavier_normal_(m.weight)
            nn.init.zeros_(m.bias)
    return net
''',
            "biases_not_zeroed": '''
# Wrong: Xavier weights, but the biases keep their default initialization.
def build_mlp_model(p_drop=0.3):
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(p_drop),
                        nn.Linear(256, 256), nn.ReLU(), nn.Dropout(p_drop), nn.Linear(256, 10))
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
    return net
''',
            "seed_lab_normal_init": '''
# Wrong: the seed lab's normal_ initialization (std 1).
def build_mlp_model(p_drop=0.3):
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(p_drop),
                        nn.Linear(256, 256), nn.ReLU(), nn.Dropout(p_drop), nn.Linear(256, 10))
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight)
            nn.init.zeros_(m.bias)
    return net
''',
            "he_uniform": '''
# Wrong: He (Kaiming) uniform initialization instead of Xavier.
def build_mlp_model(p_drop=0.3):
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(p_drop),
                        nn.Linear(256, 256), nn.ReLU(), nn.Dropout(p_drop), nn.Linear(256, 10))
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.kaiming_uniform_(m.weight, nonlinearity="relu")
            nn.init.zeros_(m.bias)
    return net
''',
            "xavier_only_first_layer": '''
# Wrong: Xavier applied to the first layer only.
def build_mlp_model(p_drop=0.3):
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(p_drop),
                        nn.Linear(256, 256), nn.ReLU(), nn.Dropout(p_drop), nn.Linear(256, 10))
    nn.init.xavier_uniform_(net[1].weight)
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.zeros_(m.bias)
    return net
''',
            "sigmoid_activations": '''
# Wrong: Sigmoid instead of ReLU.
def build_mlp_model(p_drop=0.3):
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.Sigmoid(), nn.Dropout(p_drop),
                        nn.Linear(256, 256), nn.Sigmoid(), nn.Dropout(p_drop), nn.Linear(256, 10))
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return net
''',
            "one_dropout_only": '''
# Wrong: dropout after the first hidden layer only.
def build_mlp_model(p_drop=0.3):
    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(p_drop),
                        nn.Linear(256, 256), nn.ReLU(), nn.Linear(256, 10))
    for m in net:
        if isinstance(m, nn.Linear):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return net
''',
        },
        "correct": {
            "ordered_dict_apply": '''
# Correct: named layers from a loop and model.apply for the initialization.
from collections import OrderedDict

def build_mlp_model(p_drop=0.3):
    layers, sizes = [("flatten", nn.Flatten())], [784, 256, 256]
    for i in range(2):
        layers += [(f"fc{i + 1}", nn.Linear(sizes[i], sizes[i + 1])), (f"relu{i + 1}", nn.ReLU()),
                   (f"drop{i + 1}", nn.Dropout(p=p_drop))]
    layers.append(("out", nn.Linear(256, 10)))
    net = nn.Sequential(OrderedDict(layers))

    def init(m):
        if type(m) is nn.Linear:
            torch.nn.init.xavier_uniform_(m.weight, gain=1.0)
            torch.nn.init.constant_(m.bias, 0.0)

    net.apply(init)
    return net
''',
            "manual_uniform_bound": '''
# Correct: the Xavier bound computed by hand and uniform_ under no_grad.
def build_mlp_model(p_drop=0.3):
    net = nn.Sequential(nn.Flatten(),
                        nn.Linear(784, 256), nn.ReLU(), nn.Dropout(p_drop),
                        nn.Linear(256, 256), nn.ReLU(), nn.Dropout(p_drop),
                        nn.Linear(256, 10))
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.Linear):
                a = math.sqrt(6.0 / (m.in_features + m.out_features))
                m.weight.uniform_(-a, a)
                m.bias.zero_()
    return net
''',
        },
    },
    "train_classifier": {
        "wrong": {
            "no_train_mode": _TRAIN_HEAD + '''
    # Wrong: never calls model.train() (a model in eval mode trains without dropout / with running BN stats).
    model.to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    out = []
    for _ in range(epochs):
        losses = []
        for X, y in train_loader:
            X, y = X.to(device), y.to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(X), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        out.append(sum(losses) / len(losses))
    return out
''',
            "hard_coded_lr": _TRAIN_HEAD + '''
    # Wrong: Adam's default learning rate instead of the argument lr.
    model.to(device)
    model.train()
    optimizer = torch.optim.Adam(model.parameters())
    loss_fn = nn.CrossEntropyLoss()
    out = []
    for _ in range(epochs):
        losses = []
        for X, y in train_loader:
            X, y = X.to(device), y.to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(X), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        out.append(sum(losses) / len(losses))
    return out
''',
            "no_zero_grad": _TRAIN_HEAD + '''
    # Wrong: gradients are never zeroed, so they accumulate.
    model.to(device)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    out = []
    for _ in range(epochs):
        losses = []
        for X, y in train_loader:
            X, y = X.to(device), y.to(device)
            loss = loss_fn(model(X), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        out.append(sum(losses) / len(losses))
    return out
''',
            "weighted_by_batch_size": _TRAIN_HEAD + '''
    # Wrong: the epoch loss is the per-image mean (weighted by batch size), not the mean of batch losses.
    model.to(device)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    out = []
    for _ in range(epochs):
        total, count = 0.0, 0
        for X, y in train_loader:
            X, y = X.to(device), y.to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(X), y)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(y)
            count += len(y)
        out.append(total / count)
    return out
''',
            "last_batch_loss": _TRAIN_HEAD + '''
    # Wrong: reports the last batch's loss of each epoch.
    model.to(device)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    out = []
    for _ in range(epochs):
        for X, y in train_loader:
            X, y = X.to(device), y.to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(X), y)
            loss.backward()
            optimizer.step()
        out.append(loss.item())
    return out
''',
            "optimizer_per_epoch": _TRAIN_HEAD + '''
    # Wrong: a new Adam every epoch (its moment estimates are thrown away).
    model.to(device)
    model.train()
    loss_fn = nn.CrossEntropyLoss()
    out = []
    for _ in range(epochs):
        optimizer = torch.optim.Adam(model.parameters(), lr=lr)
        losses = []
        for X, y in train_loader:
            X, y = X.to(device), y.to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(X), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        out.append(sum(losses) / len(losses))
    return out
''',
            "sgd_instead_of_adam": _TRAIN_HEAD + '''
    # Wrong: plain SGD instead of Adam.
    model.to(device)
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    out = []
    for _ in range(epochs):
        losses = []
        for X, y in train_loader:
            X, y = X.to(device), y.to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(X), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        out.append(sum(losses) / len(losses))
    return out
''',
            "tensor_losses": _TRAIN_HEAD + '''
    # Wrong: returns 0-dim tensors instead of Python floats.
    model.to(device)
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    out = []
    for _ in range(epochs):
        losses = []
        for X, y in train_loader:
            X, y = X.to(device), y.to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(X), y)
            loss.backward()
            optimizer.step()
            losses.append(loss.detach())
        out.append(torch.stack(losses).mean())
    return out
''',
        },
        "correct": {
            "functional_running_sum": _TRAIN_HEAD + '''
    # Correct: F.cross_entropy, zero_grad after the step, train(True), running sum and count.
    model = model.to(device)
    model.train(True)
    opt = torch.optim.Adam(params=model.parameters(), lr=lr)
    history = []
    epoch = 0
    while epoch < epochs:
        running, n_batches = 0.0, 0
        for images, labels in train_loader:
            logits = model(images.to(device))
            loss = F.cross_entropy(logits, labels.to(device))
            loss.backward()
            opt.step()
            opt.zero_grad(set_to_none=True)
            running += float(loss.detach())
            n_batches += 1
        history.append(running / n_batches)
        epoch += 1
    return history
''',
            "stacked_mean_sum_reduction": _TRAIN_HEAD + '''
    # Correct: sum-reduced loss divided by the batch size, per-epoch mean through torch.stack.
    model.to(device).train()
    optimizer = torch.optim.Adam(model.parameters(), lr)
    criterion = nn.CrossEntropyLoss(reduction="sum")
    result = []
    for _ in range(epochs):
        batch_losses = []
        for X, y in train_loader:
            X, y = X.to(device), y.to(device)
            model.zero_grad()
            loss = criterion(model(X), y) / y.shape[0]
            loss.backward()
            optimizer.step()
            batch_losses.append(loss.detach())
        result.append(torch.stack(batch_losses).mean().item())
    return result
''',
        },
    },
}
