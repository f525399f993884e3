"""Test-power variants for ch10_weight_init: plausible wrong answers and correct rewrites."""

CALLS = {}


def _init(name, body, comment):
    return f'''
# {comment}
def {name}(w):
{body}'''


_ASD = '''
def activation_std_by_depth(init_fn, activation, depth=10, width=256, seed=0):
'''

VARIANTS = {
    "xavier_uniform_": {
        "wrong": {
            "std_as_bound": _init("xavier_uniform_", '''    fan_out, fan_in = w.shape
    bound = math.sqrt(2.0 / (fan_in + fan_out))
    with torch.no_grad():
        w.uniform_(-bound, bound)
    return w
''', "Uses the Xavier std sqrt(2 / (fan_in + fan_out)) as the bound."),
            "one_sided_range": _init("xavier_uniform_", '''    fan_out, fan_in = w.shape
    bound = math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        w.uniform_(0.0, bound)
    return w
''', "Draws from [0, bound) instead of [-bound, bound)."),
            "no_grad_missing": _init("xavier_uniform_", '''    fan_out, fan_in = w.shape
    bound = math.sqrt(6.0 / (fan_in + fan_out))
    w.uniform_(-bound, bound)
    return w
''', "Fills w in place without torch.no_grad(): fails for an nn.Parameter."),
            "new_tensor": _init("xavier_uniform_", '''    fan_out, fan_in = w.shape
    bound = math.sqrt(6.0 / (fan_in + fan_out))
    return torch.empty(fan_out, fan_in).uniform_(-bound, bound)
''', "Returns a new tensor and leaves w as it was."),
            "data_replaced": _init("xavier_uniform_", '''    fan_out, fan_in = w.shape
    bound = math.sqrt(6.0 / (fan_in + fan_out))
    w.data = torch.empty(fan_out, fan_in).uniform_(-bound, bound)
    return w
''', "Replaces w.data with a new float32 CPU tensor: a float64 w becomes float32."),
            "fan_in_only": _init("xavier_uniform_", '''    fan_in = w.shape[1]
    bound = math.sqrt(6.0 / fan_in)
    with torch.no_grad():
        w.uniform_(-bound, bound)
    return w
''', "Uses fan_in only (He's bound) instead of fan_in + fan_out."),
        },
        "correct": {
            "numpy_uniform_copy": '''
# Draws with numpy and copies into w (copy_ converts dtype and device).
import numpy as np


def xavier_uniform_(w):
    fan_in, fan_out = w.size(1), w.size(0)
    a = np.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        w.copy_(torch.from_numpy(np.random.uniform(-a, a, size=tuple(w.shape))))
    return w
''',
            "rand_like_rescaled": '''
# (2 U(0, 1) - 1) * bound with torch.rand_like, written back with w[...] = ...
def xavier_uniform_(w):
    bound = (6.0 / (w.shape[0] + w.shape[1])) ** 0.5
    with torch.no_grad():
        w[...] = (2 * torch.rand_like(w) - 1) * bound
    return w
''',
        },
    },
    "xavier_normal_": {
        "wrong": {
            "variance_as_std": _init("xavier_normal_", '''    fan_out, fan_in = w.shape
    with torch.no_grad():
        w.normal_(0.0, 2.0 / (fan_in + fan_out))
    return w
''', "Passes the variance 2 / (fan_in + fan_out) as the std."),
            "uniform_pasted": _init("xavier_normal_", '''    fan_out, fan_in = w.shape
    bound = math.sqrt(6.0 / (fan_in + fan_out))
    with torch.no_grad():
        w.uniform_(-bound, bound)
    return w
''', "Copies xavier_uniform_: the right std, but a uniform distribution."),
            "fan_in_only": _init("xavier_normal_", '''    fan_in = w.shape[1]
    with torch.no_grad():
        w.normal_(0.0, math.sqrt(2.0 / fan_in))
    return w
''', "Uses fan_in only (He's std)."),
            "unit_normal": _init("xavier_normal_", '''    with torch.no_grad():
        w.normal_()
    return w
''', "normal_() without a std: N(0, 1)."),
            "no_grad_missing": _init("xavier_normal_", '''    fan_out, fan_in = w.shape
    w.normal_(0.0, math.sqrt(2.0 / (fan_in + fan_out)))
    return w
''', "Fills w in place without torch.no_grad(): fails for an nn.Parameter."),
            "forgets_return": _init("xavier_normal_", '''    fan_out, fan_in = w.shape
    with torch.no_grad():
        w.normal_(0.0, math.sqrt(2.0 / (fan_in + fan_out)))
''', "Fills w correctly but returns None."),
        },
        "correct": {
            "randn_times_std": '''
# torch.randn on the CPU, scaled, then copied into w.
def xavier_normal_(w):
    out_features, in_features = w.shape
    std = math.sqrt(2.0 / (in_features + out_features))
    with torch.no_grad():
        w.copy_(torch.randn(out_features, in_features) * std)
    return w
''',
            "numpy_normal_float64": '''
# numpy's normal generator in float64, copied into w.
import numpy as np


def xavier_normal_(w):
    std = np.sqrt(2.0 / sum(w.shape))
    with torch.no_grad():
        w.copy_(torch.as_tensor(np.random.normal(0.0, std, size=tuple(w.shape))))
    return w
''',
        },
    },
    "kaiming_uniform_": {
        "wrong": {
            "fan_out_used": _init("kaiming_uniform_", '''    fan_out = w.shape[0]
    bound = math.sqrt(6.0 / fan_out)
    with torch.no_grad():
        w.uniform_(-bound, bound)
    return w
''', "Takes w.shape[0] (fan_out in PyTorch's (out, in) layout) as fan_in."),
            "no_relu_gain": _init("kaiming_uniform_", '''    fan_in = w.shape[1]
    bound = math.sqrt(3.0 / fan_in)
    with torch.no_grad():
        w.uniform_(-bound, bound)
    return w
''', "Forgets the ReLU gain sqrt(2): bound sqrt(3 / fan_in) (LeCun)."),
            "pytorch_default_bound": _init("kaiming_uniform_", '''    fan_in = w.shape[1]
    bound = 1.0 / math.sqrt(fan_in)
    with torch.no_grad():
        w.uniform_(-bound, bound)
    return w
''', "nn.Linear's default bound 1 / sqrt(fan_in)."),
            "std_as_bound": _init("kaiming_uniform_", '''    fan_in = w.shape[1]
    bound = math.sqrt(2.0 / fan_in)
    with torch.no_grad():
        w.uniform_(-bound, bound)
    return w
''', "Uses the He std sqrt(2 / fan_in) as the bound."),
            "normal_not_uniform": _init("kaiming_uniform_", '''    fan_in = w.shape[1]
    with torch.no_grad():
        w.normal_(0.0, math.sqrt(2.0 / fan_in))
    return w
''', "Draws from the normal distribution with the same std."),
            "new_tensor": _init("kaiming_uniform_", '''    bound = math.sqrt(6.0 / w.shape[1])
    return torch.empty_like(w).uniform_(-bound, bound)
''', "Returns a new tensor (right device and dtype) and leaves w as it was."),
        },
        "correct": {
            "numpy_route": '''
# numpy draws, copied into w.
import numpy as np


def kaiming_uniform_(w):
    bound = np.sqrt(6.0 / w.shape[1])
    with torch.no_grad():
        w.copy_(torch.from_numpy(np.random.uniform(-bound, bound, size=tuple(w.shape))))
    return w
''',
            "float64_draw_then_copy": '''
# Draws in float64 on the CPU with torch.rand, then copies into w.
def kaiming_uniform_(w):
    fan_in = w.size(1)
    bound = math.sqrt(2.0) * math.sqrt(3.0 / fan_in)
    with torch.no_grad():
        u = torch.rand(*w.shape, dtype=torch.float64)
        w.copy_(bound * (2.0 * u - 1.0))
    return w
''',
        },
    },
    "kaiming_normal_": {
        "wrong": {
            "fan_out_used": _init("kaiming_normal_", '''    with torch.no_grad():
        w.normal_(0.0, math.sqrt(2.0 / w.shape[0]))
    return w
''', "Takes w.shape[0] (fan_out) as fan_in."),
            "no_relu_gain": _init("kaiming_normal_", '''    with torch.no_grad():
        w.normal_(0.0, math.sqrt(1.0 / w.shape[1]))
    return w
''', "Forgets the ReLU gain: std sqrt(1 / fan_in) (LeCun)."),
            "variance_as_std": _init("kaiming_normal_", '''    with torch.no_grad():
        w.normal_(0.0, 2.0 / w.shape[1])
    return w
''', "Passes the variance 2 / fan_in as the std."),
            "uniform_pasted": _init("kaiming_normal_", '''    bound = math.sqrt(6.0 / w.shape[1])
    with torch.no_grad():
        w.uniform_(-bound, bound)
    return w
''', "Copies kaiming_uniform_: the right std, but a uniform distribution."),
            "data_replaced": _init("kaiming_normal_", '''    w.data = torch.randn(w.shape) * math.sqrt(2.0 / w.shape[1])
    return w
''', "Replaces w.data with a new float32 CPU tensor: a float64 w becomes float32."),
            "no_grad_missing": _init("kaiming_normal_", '''    w.normal_(0.0, math.sqrt(2.0 / w.shape[1]))
    return w
''', "Fills w in place without torch.no_grad(): fails for an nn.Parameter."),
        },
        "correct": {
            "randn_like": '''
# torch.randn_like keeps dtype and device; written back with copy_.
def kaiming_normal_(w):
    with torch.no_grad():
        w.copy_(torch.randn_like(w) * (2.0 / w.shape[1]) ** 0.5)
    return w
''',
            "numpy_normal": '''
# numpy's normal generator, copied into w.
import numpy as np


def kaiming_normal_(w):
    with torch.no_grad():
        w.copy_(torch.from_numpy(np.random.normal(0.0, np.sqrt(2.0 / w.shape[1]), size=tuple(w.shape))))
    return w
''',
        },
    },
    "activation_std_by_depth": {
        "wrong": {
            "input_first": _ASD + '''    # Draws the input right after seeding, before the layers are built.
    torch.manual_seed(seed)
    X = torch.randn(1000, width)
    blocks = [nn.Sequential(nn.Linear(width, width), activation()) for _ in range(depth)]
    with torch.no_grad():
        for block in blocks:
            init_fn(block[0].weight)
            block[0].bias.zero_()
        stds = []
        for block in blocks:
            X = block(X)
            stds.append(X.std().item())
    return stds
''',
            "init_while_building": _ASD + '''    # Initializes each layer right after creating it.
    torch.manual_seed(seed)
    blocks = []
    for _ in range(depth):
        linear = nn.Linear(width, width)
        with torch.no_grad():
            init_fn(linear.weight)
            linear.bias.zero_()
        blocks.append(nn.Sequential(linear, activation()))
    X = torch.randn(1000, width)
    stds = []
    with torch.no_grad():
        for block in blocks:
            X = block(X)
            stds.append(X.std().item())
    return stds
''',
            "bias_kept": _ASD + '''    # Leaves nn.Linear's default biases.
    torch.manual_seed(seed)
    blocks = [nn.Sequential(nn.Linear(width, width), activation()) for _ in range(depth)]
    with torch.no_grad():
        for block in blocks:
            init_fn(block[0].weight)
        X = torch.randn(1000, width)
        stds = []
        for block in blocks:
            X = block(X)
            stds.append(X.std().item())
    return stds
''',
            "pre_activation_std": _ASD + '''    # Records the std of each Linear's output, before the activation.
    torch.manual_seed(seed)
    blocks = [nn.Sequential(nn.Linear(width, width), activation()) for _ in range(depth)]
    with torch.no_grad():
        for block in blocks:
            init_fn(block[0].weight)
            block[0].bias.zero_()
        X = torch.randn(1000, width)
        stds = []
        for block in blocks:
            Z = block[0](X)
            stds.append(Z.std().item())
            X = block[1](Z)
    return stds
''',
            "biased_std": _ASD + '''    # The biased std (unbiased=False).
    torch.manual_seed(seed)
    blocks = [nn.Sequential(nn.Linear(width, width), activation()) for _ in range(depth)]
    with torch.no_grad():
        for block in blocks:
            init_fn(block[0].weight)
            block[0].bias.zero_()
        X = torch.randn(1000, width)
        stds = []
        for block in blocks:
            X = block(X)
            stds.append(X.std(unbiased=False).item())
    return stds
''',
            "includes_input_std": _ASD + '''    # Also returns the input's std first: depth + 1 values.
    torch.manual_seed(seed)
    blocks = [nn.Sequential(nn.Linear(width, width), activation()) for _ in range(depth)]
    with torch.no_grad():
        for block in blocks:
            init_fn(block[0].weight)
            block[0].bias.zero_()
        X = torch.randn(1000, width)
        stds = [X.std().item()]
        for block in blocks:
            X = block(X)
            stds.append(X.std().item())
    return stds
''',
            "per_feature_std": _ASD + '''    # Takes the std of each column (over the 1000 rows) and averages them.
    torch.manual_seed(seed)
    blocks = [nn.Sequential(nn.Linear(width, width), activation()) for _ in range(depth)]
    with torch.no_grad():
        for block in blocks:
            init_fn(block[0].weight)
            block[0].bias.zero_()
        X = torch.randn(1000, width)
        stds = []
        for block in blocks:
            X = block(X)
            stds.append(X.std(dim=0).mean().item())
    return stds
''',
            "init_every_parameter": _ASD + '''    # Calls init_fn on every parameter (biases too), then zeroes the biases.
    torch.manual_seed(seed)
    blocks = [nn.Sequential(nn.Linear(width, width), activation()) for _ in range(depth)]
    with torch.no_grad():
        for block in blocks:
            for p in block.parameters():
                if p.dim() > 1:
                    init_fn(p)
                else:
                    init_fn(p.view(1, -1))
            block[0].bias.zero_()
        X = torch.randn(1000, width)
        stds = []
        for block in blocks:
            X = block(X)
            stds.append(X.std().item())
    return stds
''',
        },
        "correct": {
            "functional_numpy_std": '''
# Plain lists of layers, F.linear by hand, numpy's std with ddof=1.
import numpy as np


def activation_std_by_depth(init_fn, activation, depth=10, width=256, seed=0):
    torch.manual_seed(seed)
    linears = [nn.Linear(width, width) for _ in range(depth)]
    acts = [activation() for _ in range(depth)]
    for lin in linears:
        with torch.no_grad():
            init_fn(lin.weight)
            lin.bias.fill_(0.0)
    h = torch.randn(1000, width)
    out = []
    for lin, act in zip(linears, acts):
        h = act(F.linear(h, lin.weight, lin.bias)).detach()
        out.append(float(np.std(h.numpy(), ddof=1)))
    return out
''',
            "sequential_with_hooks": '''
# One nn.Sequential and forward hooks on the activations.
def activation_std_by_depth(init_fn, activation, depth=10, width=256, seed=0):
    torch.manual_seed(seed)
    modules = []
    for _ in range(depth):
        modules.append(nn.Linear(width, width))
        modules.append(activation())
    net = nn.Sequential(*modules)
    with torch.no_grad():
        for m in net:
            if isinstance(m, nn.Linear):
                init_fn(m.weight)
                nn.init.zeros_(m.bias)
    stds = []
    for m in net:
        if not isinstance(m, nn.Linear):
            m.register_forward_hook(lambda mod, inp, out: stds.append(out.std().item()))
    x = torch.randn(1000, width)
    with torch.no_grad():
        net(x)
    return stds
''',
        },
    },
}
