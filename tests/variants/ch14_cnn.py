"""Test-power variants for ch14_cnn: plausible wrong answers and differently written correct ones."""

CALLS = {}

_LENET_OK_FEATURES = '''
        self.conv1 = nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(400, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)
'''

_INCEPTION_INIT = '''
    def __init__(self, in_channels):
        super().__init__()
        self.branch1x1 = nn.Conv2d(in_channels, 16, kernel_size=1)
        self.branch5x5_1 = nn.Conv2d(in_channels, 16, kernel_size=1)
        self.branch5x5_2 = nn.Conv2d(16, 24, kernel_size=5, padding=2)
        self.branch3x3dbl_1 = nn.Conv2d(in_channels, 16, kernel_size=1)
        self.branch3x3dbl_2 = nn.Conv2d(16, 24, kernel_size=3, padding=1)
        self.branch3x3dbl_3 = nn.Conv2d(24, 24, kernel_size=3, padding=1)
        self.branch_pool = nn.Conv2d(in_channels, 24, kernel_size=1)
'''

_BOTTLENECK_INIT = '''
    expansion = 4

    def __init__(self, in_planes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample
'''

VARIANTS = {
    "conv_out": {
        "wrong": {
            "no_dilation": '''
# Wrong: ignores the dilation.
def conv_out(n, k, s=1, p=0, d=1):
    return (n + 2 * p - k) // s + 1
''',
            "true_division": '''
# Wrong: / gives a float.
def conv_out(n, k, s=1, p=0, d=1):
    return (n + 2 * p - d * (k - 1) - 1) / s + 1
''',
            "ceil": '''
# Wrong: rounds up.
import math

def conv_out(n, k, s=1, p=0, d=1):
    return math.ceil((n + 2 * p - d * (k - 1) - 1) / s) + 1
''',
            "padding_once": '''
# Wrong: counts the padding on one side only.
def conv_out(n, k, s=1, p=0, d=1):
    return (n + p - d * (k - 1) - 1) // s + 1
''',
            "extent_d_times_k": '''
# Wrong: takes the dilated kernel's extent as d * k.
def conv_out(n, k, s=1, p=0, d=1):
    return (n + 2 * p - d * k) // s + 1
''',
            "no_plus_one": '''
# Wrong: forgets the + 1.
def conv_out(n, k, s=1, p=0, d=1):
    return (n + 2 * p - d * (k - 1) - 1) // s
''',
        },
        "correct": {
            "int_floor": '''
# Correct: math.floor of the true division, converted with int.
import math

def conv_out(n, k, s=1, p=0, d=1):
    return int(math.floor((n + 2 * p - d * (k - 1) - 1) / s)) + 1
''',
            "count_positions": '''
# Correct: counts the window positions with a loop.
def conv_out(n, k, s=1, p=0, d=1):
    extent = d * (k - 1) + 1
    count, start = 0, 0
    while start + extent <= n + 2 * p:
        count += 1
        start += s
    return count
''',
        },
    },
    "conv2d_naive": {
        "wrong": {
            "flipped_kernel": '''
# Wrong: a true convolution (the kernel flipped).
def conv2d_naive(x, w, b, stride=1, padding=0):
    w = w.flip(-1, -2)
    N, C, H, W = x.shape
    O, _, kh, kw = w.shape
    xp = x.new_zeros(N, C, H + 2 * padding, W + 2 * padding)
    xp[:, :, padding:padding + H, padding:padding + W] = x
    Ho, Wo = (H + 2 * padding - kh) // stride + 1, (W + 2 * padding - kw) // stride + 1
    out = x.new_zeros(N, O, Ho, Wo)
    for i in range(Ho):
        for j in range(Wo):
            patch = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = torch.einsum("nchw,ochw->no", patch, w)
    return out if b is None else out + b.view(1, -1, 1, 1)
''',
            "pad_width_only": '''
# Wrong: F.pad(x, (p, p)) pads only the last dimension (the width).
def conv2d_naive(x, w, b, stride=1, padding=0):
    xp = F.pad(x, (padding, padding))
    N, C, H, W = xp.shape
    O, _, kh, kw = w.shape
    Ho, Wo = (H - kh) // stride + 1, (W - kw) // stride + 1
    out = x.new_zeros(N, O, Ho, Wo)
    for i in range(Ho):
        for j in range(Wo):
            patch = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = (patch[:, None] * w[None]).sum(dim=(2, 3, 4))
    return out if b is None else out + b.view(1, -1, 1, 1)
''',
            "window_ignores_stride": '''
# Wrong: the output size uses the stride, but the window moves one pixel at a time.
def conv2d_naive(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    O, _, kh, kw = w.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    Ho, Wo = (H + 2 * padding - kh) // stride + 1, (W + 2 * padding - kw) // stride + 1
    out = x.new_zeros(N, O, Ho, Wo)
    for i in range(Ho):
        for j in range(Wo):
            patch = xp[:, :, i:i + kh, j:j + kw]
            out[:, :, i, j] = (patch[:, None] * w[None]).sum(dim=(2, 3, 4))
    return out if b is None else out + b.view(1, -1, 1, 1)
''',
            "square_kernel_assumed": '''
# Wrong: assumes square kernels (takes the kernel size from the last dimension only).
def conv2d_naive(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    O, k = w.shape[0], w.shape[-1]
    xp = F.pad(x, (padding, padding, padding, padding))
    Ho, Wo = (H + 2 * padding - k) // stride + 1, (W + 2 * padding - k) // stride + 1
    out = x.new_zeros(N, O, Ho, Wo)
    for i in range(Ho):
        for j in range(Wo):
            patch = xp[:, :, i * stride:i * stride + k, j * stride:j * stride + k]
            out[:, :, i, j] = (patch[:, None] * w[None]).sum(dim=(2, 3, 4))
    return out if b is None else out + b.view(1, -1, 1, 1)
''',
            "float32_output": '''
# Wrong: torch.zeros without dtype/device gives a float32 CPU output.
def conv2d_naive(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    O, _, kh, kw = w.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    Ho, Wo = (H + 2 * padding - kh) // stride + 1, (W + 2 * padding - kw) // stride + 1
    out = torch.zeros(N, O, Ho, Wo)
    for i in range(Ho):
        for j in range(Wo):
            patch = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = (patch[:, None] * w[None]).sum(dim=(2, 3, 4)).cpu()
    return out if b is None else out + b.cpu().view(1, -1, 1, 1)
''',
            "bias_per_input_channel": '''
# Wrong: adds the bias inside the loop over input channels.
def conv2d_naive(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    O, _, kh, kw = w.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    Ho, Wo = (H + 2 * padding - kh) // stride + 1, (W + 2 * padding - kw) // stride + 1
    out = x.new_zeros(N, O, Ho, Wo)
    for c in range(C):
        for i in range(Ho):
            for j in range(Wo):
                patch = xp[:, c, i * stride:i * stride + kh, j * stride:j * stride + kw]
                out[:, :, i, j] += (patch[:, None] * w[None, :, c]).sum(dim=(2, 3))
        if b is not None:
            out += b.view(1, -1, 1, 1)
    return out
''',
            "bias_ignored": '''
# Wrong: never adds the bias.
def conv2d_naive(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    O, _, kh, kw = w.shape
    xp = F.pad(x, (padding, padding, padding, padding))
    Ho, Wo = (H + 2 * padding - kh) // stride + 1, (W + 2 * padding - kw) // stride + 1
    out = x.new_zeros(N, O, Ho, Wo)
    for i in range(Ho):
        for j in range(Wo):
            patch = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]
            out[:, :, i, j] = (patch[:, None] * w[None]).sum(dim=(2, 3, 4))
    return out
''',
        },
        "correct": {
            "scalar_loops_on_lists": '''
# Correct: plain Python loops over nested lists, then one tensor with x's dtype and device.
def conv2d_naive(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    O, _, kh, kw = w.shape
    X, K = x.tolist(), w.tolist()
    B = b.tolist() if b is not None else [0.0] * O

    def px(n, c, r, q):
        r, q = r - padding, q - padding
        return X[n][c][r][q] if 0 <= r < H and 0 <= q < W else 0.0

    Ho, Wo = (H + 2 * padding - kh) // stride + 1, (W + 2 * padding - kw) // stride + 1
    out = [[[[B[o] + sum(px(n, c, i * stride + a, j * stride + e) * K[o][c][a][e]
                         for c in range(C) for a in range(kh) for e in range(kw))
              for j in range(Wo)] for i in range(Ho)] for o in range(O)] for n in range(N)]
    return torch.tensor(out, dtype=x.dtype, device=x.device).reshape(N, O, Ho, Wo)
''',
            "unfold_einsum": '''
# Correct: Tensor.unfold to extract the windows, then einsum.
def conv2d_naive(x, w, b, stride=1, padding=0):
    xp = F.pad(x, [padding] * 4)
    kh, kw = w.shape[2], w.shape[3]
    win = xp.unfold(2, kh, stride).unfold(3, kw, stride)        # (N, C, Ho, Wo, kh, kw)
    out = torch.einsum("ncijab,ocab->noij", win, w)
    if b is not None:
        out = out + b[None, :, None, None]
    return out
''',
            "im2col_matmul": '''
# Correct: im2col with F.unfold and a matrix product.
def conv2d_naive(x, w, b, stride=1, padding=0):
    N, C, H, W = x.shape
    O, _, kh, kw = w.shape
    cols = F.unfold(x, (kh, kw), padding=padding, stride=stride)    # (N, C*kh*kw, L)
    Ho = (H + 2 * padding - kh) // stride + 1
    Wo = (W + 2 * padding - kw) // stride + 1
    out = (w.reshape(O, -1) @ cols).reshape(N, O, Ho, Wo)
    return out + b.reshape(1, O, 1, 1) if b is not None else out
''',
        },
    },
    "LeNet5": {
        "wrong": {
            "average_pooling": '''
# Wrong: average pooling (same parameter count, other outputs).
class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
''' + _LENET_OK_FEATURES + '''
    def forward(self, x):
        x = F.avg_pool2d(F.relu(self.conv1(x)), 2)
        x = F.avg_pool2d(F.relu(self.conv2(x)), 2)
        x = x.flatten(1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))
''',
            "tanh_activations": '''
# Wrong: tanh as in the original LeNet instead of ReLU.
class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
''' + _LENET_OK_FEATURES + '''
    def forward(self, x):
        x = F.max_pool2d(torch.tanh(self.conv1(x)), 2)
        x = F.max_pool2d(torch.tanh(self.conv2(x)), 2)
        x = x.flatten(1)
        return self.fc3(torch.tanh(self.fc2(torch.tanh(self.fc1(x)))))
''',
            "no_padding": '''
# Wrong: the first conv without padding (then the flattened size is 256, not 400).
class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.MaxPool2d(2),
                                      nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(256, 120), nn.ReLU(),
                                        nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10))

    def forward(self, x):
        return self.classifier(self.features(x))
''',
            "softmax_output": '''
# Wrong: a softmax at the end (not raw logits).
class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
''' + _LENET_OK_FEATURES + '''
    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.flatten(1)
        return F.softmax(self.fc3(F.relu(self.fc2(F.relu(self.fc1(x))))), dim=1)
''',
            "channels_last_flatten": '''
# Wrong: flattens in (row, column, channel) order.
class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
''' + _LENET_OK_FEATURES + '''
    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))
''',
            "no_relu_between_linears": '''
# Wrong: no ReLU between the fully connected layers.
class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
''' + _LENET_OK_FEATURES + '''
    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc3(self.fc2(self.fc1(x.flatten(1))))
''',
            "relu_on_logits": '''
# Wrong: a ReLU after the last Linear.
class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
                                 nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                                 nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(),
                                 nn.Linear(84, 10), nn.ReLU())

    def forward(self, x):
        return self.net(x)
''',
        },
        "correct": {
            "functional_forward": '''
# Correct: one attribute per layer, F.relu / F.max_pool2d and x.view in forward.
class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
''' + _LENET_OK_FEATURES + '''
    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), kernel_size=2, stride=2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.view(x.size(0), -1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)
''',
            "one_sequential_padding_same": '''
# Correct: one flat Sequential, padding="same", ReLU before each pooling via torch.flatten.
class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(1, 6, (5, 5), padding="same"), nn.MaxPool2d(2, 2), nn.ReLU(),
                                  nn.Conv2d(6, 16, (5, 5)), nn.MaxPool2d(2, 2), nn.ReLU())
        self.head = nn.ModuleList([nn.Linear(400, 120), nn.Linear(120, 84), nn.Linear(84, 10)])

    def forward(self, x):
        x = torch.flatten(self.body(x), start_dim=1)
        for i, layer in enumerate(self.head):
            x = layer(x)
            if i < 2:
                x = torch.relu(x)
        return x
''',
        },
    },
    "InceptionBlock": {
        "wrong": {
            "relu_inside": '''
# Wrong: ReLU after every branch (the block has no activations).
class InceptionBlock(nn.Module):
''' + _INCEPTION_INIT + '''
    def forward(self, x):
        b1 = F.relu(self.branch1x1(x))
        b5 = F.relu(self.branch5x5_2(F.relu(self.branch5x5_1(x))))
        b3 = F.relu(self.branch3x3dbl_3(F.relu(self.branch3x3dbl_2(F.relu(self.branch3x3dbl_1(x))))))
        bp = F.relu(self.branch_pool(F.avg_pool2d(x, 3, stride=1, padding=1)))
        return torch.cat([b1, b5, b3, bp], dim=1)
''',
            "branches_swapped": '''
# Wrong: concatenates the double 3x3 branch before the 5x5 one.
class InceptionBlock(nn.Module):
''' + _INCEPTION_INIT + '''
    def forward(self, x):
        b1 = self.branch1x1(x)
        b5 = self.branch5x5_2(self.branch5x5_1(x))
        b3 = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        bp = self.branch_pool(F.avg_pool2d(x, 3, stride=1, padding=1))
        return torch.cat([b1, b3, b5, bp], dim=1)
''',
            "max_pool_branch": '''
# Wrong: max pooling in the pool branch.
class InceptionBlock(nn.Module):
''' + _INCEPTION_INIT + '''
    def forward(self, x):
        b1 = self.branch1x1(x)
        b5 = self.branch5x5_2(self.branch5x5_1(x))
        b3 = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        bp = self.branch_pool(F.max_pool2d(x, 3, stride=1, padding=1))
        return torch.cat([b1, b5, b3, bp], dim=1)
''',
            "pool_branch_without_pooling": '''
# Wrong: the pool branch forgets the pooling.
class InceptionBlock(nn.Module):
''' + _INCEPTION_INIT + '''
    def forward(self, x):
        b1 = self.branch1x1(x)
        b5 = self.branch5x5_2(self.branch5x5_1(x))
        b3 = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        return torch.cat([b1, b5, b3, self.branch_pool(x)], dim=1)
''',
            "other_attribute_names": '''
# Wrong: its own attribute names (a state_dict with the reference names cannot be loaded).
class InceptionBlock(nn.Module):
    def __init__(self, in_channels):
        super().__init__()
        self.b1 = nn.Conv2d(in_channels, 16, 1)
        self.b5 = nn.Sequential(nn.Conv2d(in_channels, 16, 1), nn.Conv2d(16, 24, 5, padding=2))
        self.b3 = nn.Sequential(nn.Conv2d(in_channels, 16, 1), nn.Conv2d(16, 24, 3, padding=1),
                                nn.Conv2d(24, 24, 3, padding=1))
        self.bp = nn.Conv2d(in_channels, 24, 1)

    def forward(self, x):
        return torch.cat([self.b1(x), self.b5(x), self.b3(x),
                          self.bp(F.avg_pool2d(x, 3, stride=1, padding=1))], dim=1)
''',
            "pool_without_padding_count": '''
# Wrong: the average ignores the zero padding (count_include_pad=False), unlike PyTorch's default.
class InceptionBlock(nn.Module):
''' + _INCEPTION_INIT + '''
    def forward(self, x):
        b1 = self.branch1x1(x)
        b5 = self.branch5x5_2(self.branch5x5_1(x))
        b3 = self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x)))
        bp = self.branch_pool(F.avg_pool2d(x, 3, stride=1, padding=1, count_include_pad=False))
        return torch.cat([b1, b5, b3, bp], dim=1)
''',
        },
        "correct": {
            "avgpool_module_list_cat": '''
# Correct: an nn.AvgPool2d module and a list of branch outputs.
class InceptionBlock(nn.Module):
''' + _INCEPTION_INIT + '''
        self.pool = nn.AvgPool2d(kernel_size=3, stride=1, padding=1)

    def forward(self, x):
        outs = [
            self.branch1x1(x),
            self.branch5x5_2(self.branch5x5_1(x)),
            self.branch3x3dbl_3(self.branch3x3dbl_2(self.branch3x3dbl_1(x))),
            self.branch_pool(self.pool(x)),
        ]
        return torch.cat(outs, 1)
''',
        },
    },
    "Bottleneck": {
        "wrong": {
            "stride_on_conv1": '''
# Wrong: the stride on the first 1x1 conv (the paper's ResNet v1), not on the 3x3 as in torchvision.
class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, in_planes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=1, stride=stride, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)
''',
            "no_final_relu": '''
# Wrong: no ReLU after the addition.
class Bottleneck(nn.Module):
''' + _BOTTLENECK_INIT + '''
    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        return self.bn3(self.conv3(out)) + identity
''',
            "relu_before_add": '''
# Wrong: ReLU after bn3 and before the addition.
class Bottleneck(nn.Module):
''' + _BOTTLENECK_INIT + '''
    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.relu(self.bn3(self.conv3(out)))
        return self.relu(out + identity)
''',
            "shortcut_overwritten": '''
# Wrong: reuses the name x for the first stage, so the shortcut is no longer the block's input.
class Bottleneck(nn.Module):
''' + _BOTTLENECK_INIT + '''
    def forward(self, x):
        x = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(x)))
        out = self.bn3(self.conv3(out))
        identity = x if self.downsample is None else self.downsample(x)
        return self.relu(out + identity)
''',
            "conv_with_bias": '''
# Wrong: convolutions with a bias (torchvision's have none: BN follows).
class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, in_planes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=1)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=stride, padding=1)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, kernel_size=1)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)
''',
            "downsample_ignored": '''
# Wrong: stores downsample but always adds x itself.
class Bottleneck(nn.Module):
''' + _BOTTLENECK_INIT + '''
    def forward(self, x):
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if out.shape == x.shape:
            out = out + x
        return self.relu(out)
''',
            "inplace_relu_on_input": '''
# Wrong: applies the in-place ReLU to x first, which changes the caller's tensor and the shortcut.
class Bottleneck(nn.Module):
''' + _BOTTLENECK_INIT + '''
    def forward(self, x):
        x = self.relu(x)
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        out += identity
        return self.relu(out)
''',
            "no_expansion_attribute": '''
# Wrong: hard-codes 4 but has no class attribute expansion.
class Bottleneck(nn.Module):
    def __init__(self, in_planes, planes, stride=1, downsample=None):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, kernel_size=1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, kernel_size=3, stride=stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.conv3 = nn.Conv2d(planes, planes * 4, kernel_size=1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * 4)
        self.relu = nn.ReLU(inplace=True)
        self.downsample = downsample

    def forward(self, x):
        identity = x if self.downsample is None else self.downsample(x)
        out = self.relu(self.bn1(self.conv1(x)))
        out = self.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        return self.relu(out + identity)
''',
        },
        "correct": {
            "functional_relu_out_of_place": '''
# Correct: ReLU not in place, torch.relu in forward, the shortcut chosen with an if.
class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, in_planes, planes, stride=1, downsample=None):
        super().__init__()
        width = planes
        self.conv1 = nn.Conv2d(in_planes, width, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.conv2 = nn.Conv2d(width, width, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(width)
        self.conv3 = nn.Conv2d(width, planes * self.expansion, 1, bias=False)
        self.bn3 = nn.BatchNorm2d(planes * self.expansion)
        self.relu = nn.ReLU()
        self.downsample = downsample

    def forward(self, x):
        out = torch.relu(self.bn1(self.conv1(x)))
        out = torch.relu(self.bn2(self.conv2(out)))
        out = self.bn3(self.conv3(out))
        if self.downsample is not None:
            shortcut = self.downsample(x)
        else:
            shortcut = x
        return self.relu(out + shortcut)
''',
        },
    },
    "make_vgg_layers": {
        "wrong": {
            "bn_after_relu": '''
# Wrong: BatchNorm2d after the ReLU.
def make_vgg_layers(cfg, batch_norm=False, in_channels=3):
    layers = []
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(in_channels, v, 3, padding=1), nn.ReLU(inplace=True)]
            if batch_norm:
                layers.append(nn.BatchNorm2d(v))
            in_channels = v
    return nn.Sequential(*layers)
''',
            "no_padding": '''
# Wrong: 3x3 convs without padding (the maps shrink by 2 each time).
def make_vgg_layers(cfg, batch_norm=False, in_channels=3):
    layers = []
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers.append(nn.Conv2d(in_channels, v, 3))
            if batch_norm:
                layers.append(nn.BatchNorm2d(v))
            layers.append(nn.ReLU(inplace=True))
            in_channels = v
    return nn.Sequential(*layers)
''',
            "conv_without_bias_when_bn": '''
# Wrong: drops the conv bias when batch norm follows (torchvision keeps it).
def make_vgg_layers(cfg, batch_norm=False, in_channels=3):
    layers = []
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers.append(nn.Conv2d(in_channels, v, 3, padding=1, bias=not batch_norm))
            if batch_norm:
                layers.append(nn.BatchNorm2d(v))
            layers.append(nn.ReLU(inplace=True))
            in_channels = v
    return nn.Sequential(*layers)
''',
            "nested_blocks": '''
# Wrong: one nested Sequential per conv block (state_dict keys like '0.0.weight').
def make_vgg_layers(cfg, batch_norm=False, in_channels=3):
    blocks = []
    for v in cfg:
        if v == "M":
            blocks.append(nn.MaxPool2d(2, 2))
        else:
            block = [nn.Conv2d(in_channels, v, 3, padding=1)]
            if batch_norm:
                block.append(nn.BatchNorm2d(v))
            block.append(nn.ReLU(inplace=True))
            blocks.append(nn.Sequential(*block))
            in_channels = v
    return nn.Sequential(*blocks)
''',
            "in_channels_hard_coded": '''
# Wrong: the first conv always reads 3 channels.
def make_vgg_layers(cfg, batch_norm=False, in_channels=3):
    layers, c = [], 3
    for v in cfg:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers.append(nn.Conv2d(c, v, 3, padding=1))
            if batch_norm:
                layers.append(nn.BatchNorm2d(v))
            layers.append(nn.ReLU(inplace=True))
            c = v
    return nn.Sequential(*layers)
''',
            "average_pooling": '''
# Wrong: average pooling for "M".
def make_vgg_layers(cfg, batch_norm=False, in_channels=3):
    layers = []
    for v in cfg:
        if v == "M":
            layers.append(nn.AvgPool2d(2, 2))
        else:
            layers.append(nn.Conv2d(in_channels, v, 3, padding=1))
            if batch_norm:
                layers.append(nn.BatchNorm2d(v))
            layers.append(nn.ReLU(inplace=True))
            in_channels = v
    return nn.Sequential(*layers)
''',
        },
        "correct": {
            "append_maxpool_default_stride": '''
# Correct: Sequential.append, MaxPool2d(2) (stride defaults to the kernel size), ReLU not in place.
def make_vgg_layers(cfg, batch_norm=False, in_channels=3):
    net = nn.Sequential()
    c = in_channels
    for item in cfg:
        if isinstance(item, str):
            net.append(nn.MaxPool2d(2))
            continue
        net.append(nn.Conv2d(c, item, kernel_size=(3, 3), stride=1, padding=(1, 1), bias=True))
        if batch_norm:
            net.append(nn.BatchNorm2d(item))
        net.append(nn.ReLU())
        c = item
    return net
''',
        },
    },
}
