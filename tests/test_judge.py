"""The judge's wire and proxies, through a pipe to a forked "kernel" (no Jupyter,
fast): every kind of argument and result the exercises of COURSE.md use crosses
the boundary as data, in-place changes come back, and what comes from the kernel
is only ever data."""

from __future__ import annotations

import collections
import os

import numpy as np
import pytest
import torch
import torch.nn as nn

from autograder.judge.kernel_side import serve_pipe
from autograder.judge.session import RemoteObject, Session
from autograder.judge.transport import PipeTransport
from autograder.judge.wire import Decoder, Encoder, WireError

KERNEL = '''
import torch, torch.nn as nn, numpy as np
from collections import OrderedDict

def echo(*args, **kwargs):
    return args, kwargs

def add_one_(t):
    t.add_(1)
    return None

def same(x):
    return x

def numerical_grad(f, x, h=1e-5):
    g = torch.zeros_like(x); fx = x.view(-1); fg = g.view(-1)
    for i in range(fx.numel()):
        old = fx[i].item(); fx[i] = old + h; a = f(x).item()
        fx[i] = old - h; b = f(x).item(); fx[i] = old; fg[i] = (a - b) / (2 * h)
    return g

def derivative_at(f, x):
    t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    f(t).backward()
    return t.grad.item()

GATE_WEIGHTS = {"and": ([1.0, 1.0], -1.5)}

def perceptron(x, w, b):
    return ((x @ torch.as_tensor(w, dtype=x.dtype) + b) > 0).float()

def gate(x):
    w, b = GATE_WEIGHTS["and"]
    return perceptron(x, w, b)

def make_named_mlp(n_hidden):
    return nn.Sequential(OrderedDict(hidden_linear=nn.Linear(1, n_hidden),
                                     hidden_activation=nn.Tanh(), output_linear=nn.Linear(n_hidden, 1)))

class Net(nn.Module):
    def __init__(self, width=3):
        super().__init__()
        self.fc = nn.Linear(2, width)
    def forward(self, x):
        return self.fc(x).relu()

class Dataset:
    def __init__(self, x):
        self.x = torch.as_tensor(x, dtype=torch.float32)
    def __len__(self):
        return len(self.x)
    def __getitem__(self, i):
        return self.x[i], self.x[i].sum().reshape(1)

def train(model, optimizer, x, y, steps=3):
    for _ in range(steps):
        optimizer.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        optimizer.step()
    return loss.item()

def split(n, generator):
    return torch.randperm(n, generator=generator)

def count_batches(loader):
    return [tuple(b[0].shape) for b in loader]

def evaluate(model):
    model.eval()
    return model.training

def activation_name(cls):
    return cls().__class__.__name__

def init_with(init_fn, w):
    with torch.no_grad():
        init_fn(w)
    return w

def grad_enabled():
    return torch.is_grad_enabled()

def boom():
    raise ValueError("a student's own error")

def draws():
    return torch.rand(3)
'''


@pytest.fixture(scope="module")
def kernel():
    r1, w1 = os.pipe()
    r2, w2 = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(w1)
            os.close(r2)
            ns = {}
            exec(KERNEL, ns)
            serve_pipe(r1, w2, ns)
        finally:
            os._exit(0)
    os.close(r1)
    os.close(w2)
    refs = {"perceptron": lambda x, w, b: ((x @ torch.as_tensor(w, dtype=x.dtype) + b) > 0).float(),
            "GATE_WEIGHTS": {"and": ([1.0, 1.0], -1.5)}}
    session = Session(PipeTransport(r2, w1), references=lambda names: {n: refs[n] for n in names})
    names = [n for n in ("echo add_one_ same numerical_grad derivative_at GATE_WEIGHTS perceptron gate "
                         "make_named_mlp Net Dataset train split count_batches evaluate activation_name "
                         "init_with grad_enabled boom draws").split()]
    yield session, session.resolve(names)
    session.transport.close()
    os.kill(pid, 9)
    os.waitpid(pid, 0)


def test_plain_data_round_trips(kernel):
    _, k = kernel
    values = (1, 2.5, float("nan"), float("-inf"), True, None, "héllo", [1, [2]], (3, 4),
              {"a": 1, 2: "b", (1, 2): 3}, collections.OrderedDict(b=1, a=2),
              torch.float64, torch.device("cpu"))
    args, kwargs = k["echo"](*values, key=np.arange(6, dtype=np.float32).reshape(2, 3))
    assert args[:2] == (1, 2.5) and np.isnan(args[2]) and args[3] == float("-inf")
    assert args[4:] == values[4:] and type(args[-3]) is collections.OrderedDict
    assert type(args[0]) is int and type(args[1]) is float
    np.testing.assert_array_equal(kwargs["key"], np.arange(6, dtype=np.float32).reshape(2, 3))


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.bfloat16, torch.int64, torch.bool])
def test_tensors_keep_dtype_shape_values(kernel, dtype):
    _, k = kernel
    t = torch.arange(12).reshape(3, 4).to(dtype)
    (back,), _ = k["echo"](t.T)              # non-contiguous view
    assert back.dtype == dtype and back.shape == (4, 3) and torch.equal(back, t.T)
    (empty, scalar), _ = k["echo"](torch.zeros(0, 2, dtype=dtype), torch.tensor(3).to(dtype))
    assert empty.shape == (0, 2) and scalar.shape == ()


def test_in_place_changes_and_identity_come_back(kernel):
    _, k = kernel
    t = torch.zeros(2, 3)
    k["add_one_"](t)
    assert torch.equal(t, torch.ones(2, 3))
    p = nn.Parameter(torch.zeros(2))
    assert k["same"](p) is p
    w = nn.Parameter(torch.zeros(3, 4))
    out = k["init_with"](nn.init.ones_, w)
    assert out is w and torch.equal(w.detach(), torch.ones(3, 4))


def test_callbacks_see_in_place_changes_and_carry_autograd(kernel):
    _, k = kernel
    w = torch.tensor([[0.3, -1.1], [0.7, 1.9]], dtype=torch.float64)
    before, seen = w.clone(), []

    def loss(_unused):
        seen.append(int((w != before).sum()))
        return (w ** 2).sum()

    g = k["numerical_grad"](loss, w, h=1e-4)
    assert torch.allclose(g, 2 * before) and set(seen) == {1} and torch.equal(w, before)
    assert k["derivative_at"](lambda x: (x - 1) * (x - 2) * (x - 3), 3.5) == pytest.approx(5.75)


def test_references_replace_what_an_exercise_calls_and_count_it(kernel):
    session, k = kernel
    assert k["GATE_WEIGHTS"] == {"and": ([1.0, 1.0], -1.5)}
    x = torch.tensor([[0.0, 0.0], [1.0, 1.0]])
    with session.references(("perceptron", "GATE_WEIGHTS")) as used:
        assert torch.equal(k["gate"](x), torch.tensor([0.0, 1.0]))
    assert used["perceptron"] == 1 and used["GATE_WEIGHTS"] >= 1


def test_models_come_back_as_handles(kernel):
    _, k = kernel
    net = k["make_named_mlp"](4)
    assert type(net) is RemoteObject and isinstance(net, nn.Sequential) and isinstance(net, nn.Module)
    assert [n for n, _ in net.named_children()] == ["hidden_linear", "hidden_activation", "output_linear"]
    assert isinstance(net.hidden_linear, nn.Linear) and net.hidden_linear.out_features == 4
    assert list(net.state_dict()) == ["hidden_linear.weight", "hidden_linear.bias",
                                      "output_linear.weight", "output_linear.bias"]
    ref = nn.Sequential(nn.Linear(1, 4), nn.Tanh(), nn.Linear(4, 1)).double()
    net.load_state_dict({k2: v for k2, v in zip(net.state_dict(), ref.state_dict().values())})
    net.double()
    x = torch.linspace(-1, 1, 5, dtype=torch.float64).reshape(5, 1)
    assert torch.allclose(net(x), ref(x))
    assert net.training and (net.eval() is not None) and not net.training
    assert sum(p.numel() for p in net.parameters()) == 13


def test_student_classes_and_datasets(kernel):
    _, k = kernel
    model = k["Net"](width=5)
    assert isinstance(model, nn.Module) and not isinstance(model, nn.Linear)
    assert model(torch.ones(3, 2)).shape == (3, 5)
    ds = k["Dataset"](np.ones((4, 2)))
    assert len(ds) == 4
    x, y = ds[1]
    assert x.dtype == torch.float32 and torch.equal(y, torch.tensor([2.0]))
    assert len(list(ds)) in (4, 5)       # iteration by __getitem__ until IndexError


def test_modules_optimizers_generators_and_loaders_go_by_value(kernel):
    _, k = kernel
    model = nn.Sequential(nn.Linear(2, 1))
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    w0 = model[0].weight.detach().clone()
    loss = k["train"](model, opt, torch.ones(5, 2), torch.zeros(5, 1))
    assert isinstance(loss, float) and not torch.equal(w0, model[0].weight.detach())
    assert len(opt.state) == 2 and model[0].weight.grad is not None
    g = torch.Generator().manual_seed(0)
    first = k["split"](6, g)
    assert not torch.equal(first, k["split"](6, g))          # the generator advanced
    assert torch.equal(first, torch.randperm(6, generator=torch.Generator().manual_seed(0)))
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.zeros(10, 3)), batch_size=4)
    assert k["count_batches"](loader) == [(4, 3), (4, 3), (2, 3)]
    m = nn.Sequential(nn.Linear(2, 2), nn.Dropout(0.5))
    assert k["evaluate"](m) is False and not m.training and not m[1].training
    assert k["activation_name"](nn.Sigmoid) == "Sigmoid"


def test_the_tests_grad_mode_and_rng_hold_in_the_kernel(kernel):
    _, k = kernel
    assert k["grad_enabled"]() is True
    with torch.no_grad():
        assert k["grad_enabled"]() is False


def test_student_errors_arrive_as_exceptions(kernel):
    _, k = kernel
    with pytest.raises(ValueError, match="a student's own error"):
        k["boom"]()
    with pytest.raises(WireError):
        k["echo"](object())


def test_data_from_the_kernel_is_only_data():
    dec = Decoder(trusted=False)
    for bad in ({"$": "module", "cls": "torch.nn.Linear"}, {"$": "callback", "id": 1},
                {"$": "torch", "path": "os.system"}, {"$": "torch", "path": "torch._C._something"},
                {"$": "tensor", "dtype": "torch.float32", "shape": [2], "b": "AAAA"},
                {"$": "ndarray", "dtype": "O", "shape": [1], "b": ""}, [1, 2], {"no": "tag"}):
        with pytest.raises(WireError):
            dec(bad)
    deep = 1
    for _ in range(100):
        deep = {"$": "list", "v": [deep]}
    with pytest.raises(WireError):
        dec(deep)
    # a tensor subclass cannot cross: the judge rebuilds a plain tensor from bytes
    class Liar(torch.Tensor):
        def __eq__(self, other):
            return True
    t = torch.zeros(2).as_subclass(Liar)
    back = Decoder(trusted=False)(Encoder()(t))
    assert type(back) is torch.Tensor


def test_what_a_call_back_does_in_place_reaches_the_kernel(kernel):
    _, k = kernel

    def fill_with_twos(w):
        with torch.no_grad():
            w.fill_(2.0)

    w = nn.Parameter(torch.zeros(2, 3))
    assert torch.equal(k["init_with"](fill_with_twos, w).detach(), torch.full((2, 3), 2.0))


def test_lists_and_dicts_changed_in_place_come_back(kernel):
    """ch11's optimizers own a `state` dict passed again on every step."""
    session, k = kernel
    ns = {}
    exec("def step(w, state):\n"
         "    state['n'] = state.get('n', 0) + 1\n"
         "    state.setdefault('v', torch.zeros_like(w)).add_(w)\n"
         "    return w - state['v']\n"
         "def grow(xs):\n"
         "    xs.append(len(xs))\n", {"torch": torch}, ns)
    session.transport.request({"op": "exec", "code": "import torch\n" + "def step(w, state):\n"
                               "    state['n'] = state.get('n', 0) + 1\n"
                               "    state.setdefault('v', torch.zeros_like(w)).add_(w)\n"
                               "    return w - state['v']\n"
                               "def grow(xs):\n    xs.append(len(xs))\n"}, None, None)
    step, grow = session.resolve(["step", "grow"]).values()
    state, w = {}, torch.ones(2)
    for _ in range(3):
        out = step(w, state)
    assert state["n"] == 3 and torch.equal(state["v"], torch.full((2,), 3.0))
    assert torch.equal(out, torch.full((2,), -2.0))
    xs = [0]
    grow(xs)
    grow(xs)
    assert xs == [0, 1, 2]
