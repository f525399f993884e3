"""Test-power variants for ch04_logistic_regression: plausible wrong answers and differently written correct ones."""

CALLS = {
    "bce": ["train_logreg", "fit_breast_cancer"],
    "fit_scaler": ["fit_breast_cancer"],
}

VARIANTS = {
    "bce": {
        "wrong": {
            "sum_not_mean": '''
# Wrong: sums over the samples (the 1/N is missing).
def bce(p, y, eps=1e-7):
    p = p.clamp(eps, 1 - eps)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).sum()
''',
            "no_clamp": '''
# Wrong: no clamping, so log(0) = -inf at p in {0, 1}.
def bce(p, y, eps=1e-7):
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
''',
            "eps_inside_log": '''
# Wrong: adds eps inside the logarithms instead of clamping p.
def bce(p, y, eps=1e-7):
    return -(y * torch.log(p + eps) + (1 - y) * torch.log(1 - p + eps)).mean()
''',
            "hard_coded_eps": '''
# Wrong: ignores the eps argument.
def bce(p, y, eps=1e-7):
    p = p.clamp(1e-7, 1 - 1e-7)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
''',
            "in_place_clamp": '''
# Wrong: clamp_ overwrites the caller's p.
def bce(p, y, eps=1e-7):
    p.clamp_(eps, 1 - eps)
    return -(y * torch.log(p) + (1 - y) * torch.log(1 - p)).mean()
''',
            "through_numpy": '''
# Wrong: computed in numpy, so the result is cut off from autograd.
import numpy as np

def bce(p, y, eps=1e-7):
    q = np.clip(p.detach().cpu().numpy(), eps, 1 - eps)
    t = y.detach().cpu().numpy()
    value = -np.mean(t * np.log(q) + (1 - t) * np.log(1 - q))
    return torch.tensor(value, dtype=p.dtype, device=p.device)
''',
        },
        "correct": {
            "where_log1p": '''
# torch.where picks the log of the right class (0/1 targets), log1p for log(1 - p).
def bce(p, y, eps=1e-7):
    q = torch.clamp(p, min=eps, max=1 - eps)
    per_sample = torch.where(y > 0.5, torch.log(q), torch.log1p(-q))
    return -per_sample.sum() / per_sample.numel()
''',
            "float64_route": '''
# Computes in float64 and converts back to p's dtype (still differentiable).
def bce(p, y, eps=1e-7):
    q = p.double().clamp(eps, 1 - eps)
    t = y.double()
    loss = -(t * q.log() + (1 - t) * (1 - q).log()).mean()
    return loss.to(p.dtype)
''',
        },
    },
    "train_logreg": {
        "wrong": {
            "no_zero_grad": '''
# Wrong: gradients accumulate from epoch to epoch.
def train_logreg(x, y, lr=1.0, epochs=1000):
    W = torch.zeros(x.shape[1], 1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    for _ in range(epochs):
        cost = bce(torch.sigmoid(x @ W + b), y)
        cost.backward()
        with torch.no_grad():
            W -= lr * W.grad
            b -= lr * b.grad
    with torch.no_grad():
        final = bce(torch.sigmoid(x @ W + b), y).item()
    return W.detach(), b.detach(), final
''',
            "cost_before_last_update": '''
# Wrong: returns the cost computed before the last update.
def train_logreg(x, y, lr=1.0, epochs=1000):
    W = torch.zeros(x.shape[1], 1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    optimizer = torch.optim.SGD([W, b], lr=lr)
    cost = bce(torch.sigmoid(x @ W + b), y)
    for _ in range(epochs):
        cost = bce(torch.sigmoid(x @ W + b), y)
        optimizer.zero_grad()
        cost.backward()
        optimizer.step()
    return W.detach(), b.detach(), cost.item()
''',
            "ignores_lr": '''
# Wrong: the seed lab's learning rate 0.01 whatever lr says.
def train_logreg(x, y, lr=1.0, epochs=1000):
    W = torch.zeros(x.shape[1], 1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    optimizer = torch.optim.SGD([W, b], lr=0.01)
    for _ in range(epochs):
        cost = bce(torch.sigmoid(x @ W + b), y)
        optimizer.zero_grad()
        cost.backward()
        optimizer.step()
    with torch.no_grad():
        final = bce(torch.sigmoid(x @ W + b), y).item()
    return W.detach(), b.detach(), final
''',
            "ones_init": '''
# Wrong: W and b start at one instead of zero.
def train_logreg(x, y, lr=1.0, epochs=1000):
    W = torch.ones(x.shape[1], 1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.ones(1, dtype=x.dtype, device=x.device, requires_grad=True)
    optimizer = torch.optim.SGD([W, b], lr=lr)
    for _ in range(epochs):
        cost = bce(torch.sigmoid(x @ W + b), y)
        optimizer.zero_grad()
        cost.backward()
        optimizer.step()
    with torch.no_grad():
        final = bce(torch.sigmoid(x @ W + b), y).item()
    return W.detach(), b.detach(), final
''',
            "library_loss": '''
# Wrong: F.binary_cross_entropy instead of the chapter's bce.
def train_logreg(x, y, lr=1.0, epochs=1000):
    W = torch.zeros(x.shape[1], 1, dtype=x.dtype, device=x.device, requires_grad=True)
    b = torch.zeros(1, dtype=x.dtype, device=x.device, requires_grad=True)
    optimizer = torch.optim.SGD([W, b], lr=lr)
    for _ in range(epochs):
        cost = F.binary_cross_entropy(torch.sigmoid(x @ W + b), y)
        optimizer.zero_grad()
        cost.backward()
        optimizer.step()
    with torch.no_grad():
        final = F.binary_cross_entropy(torch.sigmoid(x @ W + b), y).item()
    return W.detach(), b.detach(), final
''',
            "float32_params": '''
# Wrong: W and b in the default float32, whatever x's dtype.
def train_logreg(x, y, lr=1.0, epochs=1000):
    W = torch.zeros(x.shape[1], 1, device=x.device, requires_grad=True)
    b = torch.zeros(1, device=x.device, requires_grad=True)
    optimizer = torch.optim.SGD([W, b], lr=lr)
    for _ in range(epochs):
        cost = bce(torch.sigmoid(x.float() @ W + b), y.float())
        optimizer.zero_grad()
        cost.backward()
        optimizer.step()
    with torch.no_grad():
        final = bce(torch.sigmoid(x.float() @ W + b), y.float()).item()
    return W.detach(), b.detach(), final
''',
        },
        "correct": {
            "manual_update": '''
# The update written by hand, gradients reset to None each step, final cost from a helper.
def train_logreg(x, y, lr=1.0, epochs=1000):
    W = x.new_zeros((x.shape[1], 1)).requires_grad_()
    b = x.new_zeros(1).requires_grad_()

    def cost_of():
        return bce(torch.sigmoid(torch.matmul(x, W) + b), y)

    for _ in range(epochs):
        cost = cost_of()
        W.grad, b.grad = None, None
        cost.backward()
        with torch.no_grad():
            W.sub_(lr * W.grad)
            b.sub_(lr * b.grad)
    with torch.no_grad():
        final_cost = cost_of().item()
    return W.detach().clone(), b.detach().clone(), final_cost
''',
            "linear_layer": '''
# An nn.Linear(D, 1) zero-initialised, its weight transposed into W at the end.
def train_logreg(x, y, lr=1.0, epochs=1000):
    layer = nn.Linear(x.shape[1], 1).to(device=x.device, dtype=x.dtype)
    with torch.no_grad():
        layer.weight.zero_()
        layer.bias.zero_()
    optimizer = torch.optim.SGD(layer.parameters(), lr=lr)
    for _ in range(epochs):
        optimizer.zero_grad()
        bce(torch.sigmoid(layer(x)), y).backward()
        optimizer.step()
    with torch.no_grad():
        final = bce(torch.sigmoid(layer(x)), y).item()
    return layer.weight.detach().T.contiguous(), layer.bias.detach().clone(), final
''',
        },
    },
    "fit_scaler": {
        "wrong": {
            "unbiased_std": '''
# Wrong: torch's default std divides by N - 1.
def fit_scaler(x_train):
    return x_train.mean(dim=0), x_train.std(dim=0)
''',
            "rows_not_columns": '''
# Wrong: statistics of each row (dim=1) instead of each column.
def fit_scaler(x_train):
    return x_train.mean(dim=1), x_train.std(dim=1, unbiased=False)
''',
            "variance": '''
# Wrong: returns the variance instead of the standard deviation.
def fit_scaler(x_train):
    return x_train.mean(dim=0), x_train.var(dim=0, unbiased=False)
''',
            "centres_in_place": '''
# Wrong: centres x_train in place on the way.
def fit_scaler(x_train):
    mean = x_train.mean(dim=0)
    x_train -= mean
    std = x_train.pow(2).mean(dim=0).sqrt()
    return mean, std
''',
            "always_float32": '''
# Wrong: converts to float32.
def fit_scaler(x_train):
    x = x_train.float()
    return x.mean(dim=0), x.std(dim=0, unbiased=False)
''',
            "numpy_arrays": '''
# Wrong: returns numpy arrays.
def fit_scaler(x_train):
    a = x_train.detach().cpu().numpy()
    return a.mean(axis=0), a.std(axis=0)
''',
        },
        "correct": {
            "var_mean_correction": '''
# torch.var_mean with correction=0, then the square root.
def fit_scaler(x_train):
    var, mean = torch.var_mean(x_train, dim=0, correction=0)
    return mean, var.sqrt()
''',
            "numpy_route": '''
# numpy statistics, converted back with the input's dtype and device.
def fit_scaler(x_train):
    a = x_train.detach().cpu().numpy()
    mean = torch.from_numpy(a.mean(axis=0)).to(device=x_train.device, dtype=x_train.dtype)
    std = torch.from_numpy(a.std(axis=0, ddof=0)).to(device=x_train.device, dtype=x_train.dtype)
    return mean, std
''',
        },
    },
    "fit_breast_cancer": {
        "wrong": {
            "no_scaling": '''
# Wrong: trains on the raw features (scales from 0.05 to 4000).
def fit_breast_cancer(seed):
    data = load_breast_cancer()
    x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size=0.2,
                                              stratify=data.target, random_state=seed)
    x_tr, x_te = torch.tensor(x_tr, dtype=torch.float32), torch.tensor(x_te, dtype=torch.float32)
    y_tr = torch.tensor(y_tr, dtype=torch.float32).unsqueeze(1)
    y_te = torch.tensor(y_te, dtype=torch.float32).unsqueeze(1)
    torch.manual_seed(seed)
    model = nn.Linear(30, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(300):
        optimizer.zero_grad()
        bce(torch.sigmoid(model(x_tr)), y_tr).backward()
        optimizer.step()
    with torch.no_grad():
        return ((torch.sigmoid(model(x_te)) > 0.5).float() == y_te).float().mean().item()
''',
            "training_accuracy": '''
# Wrong: reports the accuracy on the training part.
def fit_breast_cancer(seed):
    data = load_breast_cancer()
    x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size=0.2,
                                              stratify=data.target, random_state=seed)
    x_tr, x_te = torch.tensor(x_tr, dtype=torch.float32), torch.tensor(x_te, dtype=torch.float32)
    y_tr = torch.tensor(y_tr, dtype=torch.float32).unsqueeze(1)
    mean, std = fit_scaler(x_tr)
    x_tr = (x_tr - mean) / std
    torch.manual_seed(seed)
    model = nn.Linear(30, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(300):
        optimizer.zero_grad()
        bce(torch.sigmoid(model(x_tr)), y_tr).backward()
        optimizer.step()
    with torch.no_grad():
        return ((torch.sigmoid(model(x_tr)) > 0.5).float() == y_tr).float().mean().item()
''',
            "percentage": '''
# Wrong: returns a percentage.
def fit_breast_cancer(seed):
    data = load_breast_cancer()
    x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size=0.2,
                                              stratify=data.target, random_state=seed)
    x_tr, x_te = torch.tensor(x_tr, dtype=torch.float32), torch.tensor(x_te, dtype=torch.float32)
    y_tr = torch.tensor(y_tr, dtype=torch.float32).unsqueeze(1)
    y_te = torch.tensor(y_te, dtype=torch.float32).unsqueeze(1)
    mean, std = fit_scaler(x_tr)
    x_tr, x_te = (x_tr - mean) / std, (x_te - mean) / std
    torch.manual_seed(seed)
    model = nn.Linear(30, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(300):
        optimizer.zero_grad()
        bce(torch.sigmoid(model(x_tr)), y_tr).backward()
        optimizer.step()
    with torch.no_grad():
        return 100.0 * ((torch.sigmoid(model(x_te)) > 0.5).float() == y_te).float().mean().item()
''',
            "test_size_quarter": '''
# Wrong: test_size=0.25 (143 test tumours).
def fit_breast_cancer(seed):
    data = load_breast_cancer()
    x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size=0.25,
                                              stratify=data.target, random_state=seed)
    x_tr, x_te = torch.tensor(x_tr, dtype=torch.float32), torch.tensor(x_te, dtype=torch.float32)
    y_tr = torch.tensor(y_tr, dtype=torch.float32).unsqueeze(1)
    y_te = torch.tensor(y_te, dtype=torch.float32).unsqueeze(1)
    mean, std = fit_scaler(x_tr)
    x_tr, x_te = (x_tr - mean) / std, (x_te - mean) / std
    torch.manual_seed(seed)
    model = nn.Linear(30, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(300):
        optimizer.zero_grad()
        bce(torch.sigmoid(model(x_tr)), y_tr).backward()
        optimizer.step()
    with torch.no_grad():
        return ((torch.sigmoid(model(x_te)) > 0.5).float() == y_te).float().mean().item()
''',
            "broadcast_targets": '''
# Wrong: (N,) targets against (N, 1) outputs broadcast to (N, N) in the loss and the accuracy.
def fit_breast_cancer(seed):
    data = load_breast_cancer()
    x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size=0.2,
                                              stratify=data.target, random_state=seed)
    x_tr, x_te = torch.tensor(x_tr, dtype=torch.float32), torch.tensor(x_te, dtype=torch.float32)
    y_tr, y_te = torch.tensor(y_tr, dtype=torch.float32), torch.tensor(y_te, dtype=torch.float32)
    mean, std = fit_scaler(x_tr)
    x_tr, x_te = (x_tr - mean) / std, (x_te - mean) / std
    torch.manual_seed(seed)
    model = nn.Linear(30, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(300):
        optimizer.zero_grad()
        bce(torch.sigmoid(model(x_tr)), y_tr).backward()
        optimizer.step()
    with torch.no_grad():
        return ((torch.sigmoid(model(x_te)) > 0.5).float() == y_te).float().mean().item()
''',
            "returns_tensor": '''
# Wrong: returns a 0-dim tensor.
def fit_breast_cancer(seed):
    data = load_breast_cancer()
    x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size=0.2,
                                              stratify=data.target, random_state=seed)
    x_tr, x_te = torch.tensor(x_tr, dtype=torch.float32), torch.tensor(x_te, dtype=torch.float32)
    y_tr = torch.tensor(y_tr, dtype=torch.float32).unsqueeze(1)
    y_te = torch.tensor(y_te, dtype=torch.float32).unsqueeze(1)
    mean, std = fit_scaler(x_tr)
    x_tr, x_te = (x_tr - mean) / std, (x_te - mean) / std
    torch.manual_seed(seed)
    model = nn.Linear(30, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(300):
        optimizer.zero_grad()
        bce(torch.sigmoid(model(x_tr)), y_tr).backward()
        optimizer.step()
    with torch.no_grad():
        return ((torch.sigmoid(model(x_te)) > 0.5).float() == y_te).float().mean()
''',
        },
        "correct": {
            "adam_standard_scaler": '''
# scikit-learn's StandardScaler fitted on the training part, Adam and BCEWithLogitsLoss.
from sklearn.preprocessing import StandardScaler

def fit_breast_cancer(seed):
    data = load_breast_cancer()
    x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size=0.2,
                                              stratify=data.target, random_state=seed)
    scaler = StandardScaler().fit(x_tr)
    x_tr = torch.tensor(scaler.transform(x_tr), dtype=torch.float32)
    x_te = torch.tensor(scaler.transform(x_te), dtype=torch.float32)
    y_tr = torch.tensor(y_tr, dtype=torch.float32).reshape(-1, 1)
    y_te = torch.tensor(y_te, dtype=torch.float32).reshape(-1, 1)
    torch.manual_seed(seed)
    model = nn.Linear(30, 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = nn.BCEWithLogitsLoss()
    for _ in range(200):
        optimizer.zero_grad()
        loss_fn(model(x_tr), y_tr).backward()
        optimizer.step()
    with torch.no_grad():
        correct = ((model(x_te) > 0).float() == y_te).sum().item()
    return correct / len(y_te)
''',
            "float64_numpy_scaling": '''
# numpy scaling and a float64 model, SGD with lr=1.0 for 100 epochs.
def fit_breast_cancer(seed):
    data = load_breast_cancer()
    x_tr, x_te, y_tr, y_te = train_test_split(data.data, data.target, test_size=0.2,
                                              stratify=data.target, random_state=seed)
    mu, sd = x_tr.mean(axis=0), x_tr.std(axis=0)
    x_tr = torch.from_numpy((x_tr - mu) / sd)
    x_te = torch.from_numpy((x_te - mu) / sd)
    y_tr = torch.from_numpy(y_tr.astype(np.float64))[:, None]
    y_te = torch.from_numpy(y_te.astype(np.float64))[:, None]
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(30, 1), nn.Sigmoid()).double()
    optimizer = torch.optim.SGD(model.parameters(), lr=1.0)
    for _ in range(100):
        optimizer.zero_grad()
        bce(model(x_tr), y_tr).backward()
        optimizer.step()
    with torch.no_grad():
        hits = (model(x_te) > 0.5).double().eq(y_te).double()
    return float(hits.mean().item())
''',
        },
    },
}
