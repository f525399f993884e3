"""Test-power variants for ch09_activations: plausible wrong answers and correct rewrites."""

CALLS = {}

_LGN_HEAD = '''
def layer_grad_norms(activation, depth=10, width=64, seed=0):
'''

VARIANTS = {
    "relu": {
        "wrong": {
            "in_place_clamp": '''
# Right values, but clamp_ overwrites the caller's x.
def relu(x):
    return x.clamp_(min=0)
''',
            "in_place_mask": '''
# Zeroes the negative entries of x itself and returns it.
def relu(x):
    x[x < 0] = 0
    return x
''',
            "step_not_ramp": '''
# Returns the derivative (the step 1[x > 0]) instead of max(0, x).
def relu(x):
    return (x > 0).to(x.dtype)
''',
            "clamps_wrong_side": '''
# clamp(max=0) keeps the negative part: min(0, x).
def relu(x):
    return x.clamp(max=0)
''',
            "python_list_rebuild": '''
# A Python loop over .tolist(): float32 on the CPU, and autograd is cut.
def relu(x):
    return torch.tensor([max(v, 0.0) for v in x.flatten().tolist()]).reshape(x.shape)
''',
            "numpy_round_trip": '''
# numpy's maximum: right values and dtype on the CPU, but the result no longer requires grad.
import numpy as np


def relu(x):
    return torch.from_numpy(np.maximum(x.detach().cpu().numpy(), 0)).to(x.device)
''',
        },
        "correct": {
            "clamp_new_tensor": '''
# clamp (not clamp_) returns a new tensor.
def relu(x):
    return x.clamp(min=0)
''',
            "abs_average": '''
# (x + |x|) / 2 is x for x > 0 and 0 otherwise.
def relu(x):
    return (x + x.abs()) / 2
''',
            "mask_multiply": '''
# Multiplies by the boolean mask (promoted to x's dtype).
def relu(x):
    return x * (x > 0)
''',
        },
    },
    "leaky_relu": {
        "wrong": {
            "hard_coded_slope": '''
# Ignores the slope argument.
def leaky_relu(x, slope=0.01):
    return torch.where(x > 0, x, 0.01 * x)
''',
            "slope_on_positive_side": '''
# Scales the positive side instead of the negative one.
def leaky_relu(x, slope=0.01):
    return torch.where(x > 0, slope * x, x)
''',
            "constant_negative_side": '''
# Puts the constant `slope` on the negative side instead of slope * x.
def leaky_relu(x, slope=0.01):
    return torch.where(x > 0, x, torch.full_like(x, slope))
''',
            "sign_error": '''
# relu(x) + slope * relu(-x): the negative side comes out positive.
def leaky_relu(x, slope=0.01):
    return x.clamp(min=0) + slope * (-x).clamp(min=0)
''',
            "in_place": '''
# Scales the negative entries of x itself.
def leaky_relu(x, slope=0.01):
    x[x < 0] *= slope
    return x
''',
            "wrong_default": '''
# A default slope of 0.1 (a common value, but not nn.LeakyReLU's 0.01).
def leaky_relu(x, slope=0.1):
    return torch.where(x > 0, x, slope * x)
''',
        },
        "correct": {
            "maximum": '''
# max(x, slope * x), valid for 0 <= slope < 1.
def leaky_relu(x, slope=0.01):
    return torch.maximum(x, slope * x)
''',
            "two_clamps": '''
# The positive part plus slope times the negative part.
def leaky_relu(x, slope=0.01):
    return x.clamp(min=0) + slope * x.clamp(max=0)
''',
            "uses_relu": '''
# Built from the student's relu: relu(x) - slope * relu(-x).
def leaky_relu(x, slope=0.01):
    return relu(x) - slope * relu(-x)
''',
        },
    },
    "tanh_prime": {
        "wrong": {
            "one_minus_x_squared": '''
# Treats the pre-activation x as if it were tanh's output.
def tanh_prime(x):
    return 1 - x ** 2
''',
            "square_of_difference": '''
# (1 - tanh x)**2 instead of 1 - (tanh x)**2.
def tanh_prime(x):
    return (1 - torch.tanh(x)) ** 2
''',
            "sigmoid_derivative": '''
# The sigmoid's derivative, copied from chapter 8.
def tanh_prime(x):
    s = torch.sigmoid(x)
    return s * (1 - s)
''',
            "overflowing_exp": '''
# 4 e^{2x} / (e^{2x} + 1)^2: inf / inf = nan at x = 1000.
def tanh_prime(x):
    e = torch.exp(2 * x)
    return 4 * e / (e + 1) ** 2
''',
            "in_place_tanh": '''
# Right values, but x.tanh_() overwrites the caller's x.
def tanh_prime(x):
    t = x.tanh_()
    return 1 - t * t
''',
            "always_float32": '''
# Converts to float32, so float64 inputs come back as float32.
def tanh_prime(x):
    return 1 - torch.tanh(x.float()) ** 2
''',
        },
        "correct": {
            "sech_squared": '''
# 1 / cosh(x)**2: cosh overflows to inf for large |x|, and 1 / inf = 0.
def tanh_prime(x):
    return 1 / torch.cosh(x) ** 2
''',
            "sigmoid_identity": '''
# tanh(x) = 2 sigma(2x) - 1, so tanh'(x) = 4 sigma(2x) (1 - sigma(2x)).
def tanh_prime(x):
    s = torch.sigmoid(2 * x)
    return 4 * s * (1 - s)
''',
            "stable_exp_of_abs": '''
# 4 e^{-2|x|} / (1 + e^{-2|x|})^2 never overflows (tanh' is even).
def tanh_prime(x):
    e = torch.exp(-2 * x.abs())
    return 4 * e / (1 + e) ** 2
''',
        },
    },
    "layer_grad_norms": {
        "wrong": {
            "input_before_net": _LGN_HEAD + '''    # Draws the input right after seeding, before the layers are built.
    torch.manual_seed(seed)
    X = torch.randn(256, width)
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), activation()]
    net = nn.Sequential(*layers, nn.Linear(width, 1))
    net(X).pow(2).mean().backward()
    return [net[2 * i].weight.grad.norm().item() for i in range(depth)]
''',
            "output_side_first": _LGN_HEAD + '''    # Walks the blocks from the output back to the input.
    torch.manual_seed(seed)
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), activation()]
    net = nn.Sequential(*layers, nn.Linear(width, 1))
    X = torch.randn(256, width)
    net(X).pow(2).mean().backward()
    return [net[2 * i].weight.grad.norm().item() for i in reversed(range(depth))]
''',
            "sum_loss": _LGN_HEAD + '''    # Sums the squared outputs instead of averaging them (a missing 1/256).
    torch.manual_seed(seed)
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), activation()]
    net = nn.Sequential(*layers, nn.Linear(width, 1))
    X = torch.randn(256, width)
    net(X).pow(2).sum().backward()
    return [net[2 * i].weight.grad.norm().item() for i in range(depth)]
''',
            "includes_output_layer": _LGN_HEAD + '''    # Returns a norm for every Linear, the final Linear(width, 1) included.
    torch.manual_seed(seed)
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), activation()]
    net = nn.Sequential(*layers, nn.Linear(width, 1))
    X = torch.randn(256, width)
    net(X).pow(2).mean().backward()
    return [m.weight.grad.norm().item() for m in net if isinstance(m, nn.Linear)]
''',
            "sigmoid_hard_coded": _LGN_HEAD + '''    # Always builds sigmoid blocks, whatever `activation` is.
    torch.manual_seed(seed)
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), nn.Sigmoid()]
    net = nn.Sequential(*layers, nn.Linear(width, 1))
    X = torch.randn(256, width)
    net(X).pow(2).mean().backward()
    return [net[2 * i].weight.grad.norm().item() for i in range(depth)]
''',
            "bias_gradients": _LGN_HEAD + '''    # Takes the norm of each block's bias gradient.
    torch.manual_seed(seed)
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), activation()]
    net = nn.Sequential(*layers, nn.Linear(width, 1))
    X = torch.randn(256, width)
    net(X).pow(2).mean().backward()
    return [net[2 * i].bias.grad.norm().item() for i in range(depth)]
''',
            "activation_after_output": _LGN_HEAD + '''    # Puts an activation after the final Linear(width, 1) as well.
    torch.manual_seed(seed)
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), activation()]
    net = nn.Sequential(*layers, nn.Linear(width, 1), activation())
    X = torch.randn(256, width)
    net(X).pow(2).mean().backward()
    return [net[2 * i].weight.grad.norm().item() for i in range(depth)]
''',
            "wrong_default_width": '''
# A default width of 32 instead of 64.
def layer_grad_norms(activation, depth=10, width=32, seed=0):
    torch.manual_seed(seed)
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), activation()]
    net = nn.Sequential(*layers, nn.Linear(width, 1))
    X = torch.randn(256, width)
    net(X).pow(2).mean().backward()
    return [net[2 * i].weight.grad.norm().item() for i in range(depth)]
''',
            "tensor_entries": _LGN_HEAD + '''    # Returns 0-dim tensors instead of Python floats.
    torch.manual_seed(seed)
    layers = []
    for _ in range(depth):
        layers += [nn.Linear(width, width), activation()]
    net = nn.Sequential(*layers, nn.Linear(width, 1))
    X = torch.randn(256, width)
    net(X).pow(2).mean().backward()
    return [net[2 * i].weight.grad.norm() for i in range(depth)]
''',
        },
        "correct": {
            "module_list_mse_autograd_grad": '''
# A ModuleList and a forward loop, F.mse_loss against zeros, torch.autograd.grad and linalg.matrix_norm.
def layer_grad_norms(activation, depth=10, width=64, seed=0):
    torch.manual_seed(seed)
    blocks = nn.ModuleList()
    for _ in range(depth):
        blocks.append(nn.Linear(width, width))
        blocks.append(activation())
    head = nn.Linear(width, 1)
    h = torch.randn(256, width)
    for module in blocks:
        h = module(h)
    out = head(h)
    loss = F.mse_loss(out, torch.zeros_like(out))
    weights = [m.weight for m in blocks if isinstance(m, nn.Linear)]
    grads = torch.autograd.grad(loss, weights)
    return [float(torch.linalg.matrix_norm(g)) for g in grads]
''',
            "ordered_dict_float64_norms": '''
# Named layers in an OrderedDict; norms computed by hand in float64.
from collections import OrderedDict


def layer_grad_norms(activation, depth=10, width=64, seed=0):
    torch.manual_seed(seed)
    named = OrderedDict()
    for i in range(depth):
        named[f"linear{i}"] = nn.Linear(width, width)
        named[f"act{i}"] = activation()
    named["head"] = nn.Linear(width, 1)
    net = nn.Sequential(named)
    inputs = torch.randn(256, width)
    loss = (net(inputs) ** 2).sum() / inputs.shape[0]
    loss.backward()
    result = []
    for i in range(depth):
        g = getattr(net, f"linear{i}").weight.grad.double()
        result.append(g.pow(2).sum().sqrt().item())
    return result
''',
        },
    },
}
