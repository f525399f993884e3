"""Plain data across the sandbox boundary: JSON with tagged values, no pickle.

Both sides of the boundary use this module: the trusted judge (which runs the
hidden tests) and the student's kernel (which runs the student's code). A value
is encoded as JSON; what JSON cannot say is a tagged object ``{"$": tag, ...}``:

=============  ================================================================
``tensor``     dtype, shape, device, bytes (base64), requires_grad, Parameter
``ndarray``    numeric numpy array: dtype, shape, bytes
``list`` ...   ``list``, ``tuple``, ``dict`` (any encodable keys), ``odict``
``float``      a non-finite float (``nan``, ``inf``)
``device``     ``torch.device`` / ``dtype`` ``torch.dtype`` / ``gen`` Generator
``torch``      a class or function of torch itself, by dotted path
``module``     an ``nn.Module`` built from torch.nn's own classes, by value
``optim``      a ``torch.optim`` optimizer over tensors in the same message
``loader``     a ``DataLoader`` over a ``TensorDataset``
``callback``   a judge-side function the kernel may call back (by number)
``handle``     an object that lives in the kernel (by number)
``back``       an object the judge sent, coming back with its new state
``ref``        the same object as an earlier one of this message
=============  ================================================================

Decoding what comes *from* the kernel (``Decoder(trusted=False)``) accepts
only data: tensors are rebuilt from bytes (a tensor subclass cannot survive),
torch paths resolve only inside the imported ``torch`` package, sizes and depth
are capped, and anything unknown is a ``WireError``.
"""

from __future__ import annotations

import base64
import collections
import math
import types
from typing import Any, Callable

MAX_MESSAGE = 192 * 2**20     # bytes of JSON in one message
MAX_DEPTH = 64
MAX_ITEMS = 100_000           # elements in one container, items of a materialised iterator
MAX_STR = 1_000_000

_DTYPES = None


class WireError(Exception):
    """A value that cannot cross the boundary; the message is one sentence."""


def _dtypes():
    global _DTYPES
    if _DTYPES is None:
        import torch
        _DTYPES = {str(d): d for d in (
            torch.float16, torch.bfloat16, torch.float32, torch.float64,
            torch.complex64, torch.complex128, torch.uint8, torch.int8, torch.int16,
            torch.int32, torch.int64, torch.bool)}
    return _DTYPES


def torch_path(obj) -> str | None:
    """``'torch.nn.modules.linear.Linear'`` for a class or function of torch, else None."""
    mod = getattr(obj, "__module__", None) or ""
    name = getattr(obj, "__qualname__", None) or getattr(obj, "__name__", None)
    if not name or "<" in name or not (mod == "torch" or mod.startswith("torch.")):
        return None
    if isinstance(obj, type) or isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)) \
            or type(obj).__name__ in ("builtin_function_or_method", "function"):
        try:
            return f"{mod}.{name}" if resolve_torch_path(f"{mod}.{name}") is obj else None
        except WireError:
            return None
    return None


def resolve_torch_path(path: str):
    """The object at a dotted path inside the already imported ``torch`` package."""
    import sys
    if not isinstance(path, str) or not path.startswith("torch") or len(path) > 200:
        raise WireError(f"{str(path)[:60]!r} is not a path inside torch")
    parts = path.split(".")
    # the longest prefix that is an imported module, then attributes
    for cut in range(len(parts), 0, -1):
        mod = sys.modules.get(".".join(parts[:cut]))
        if mod is not None and (mod.__name__ == "torch" or mod.__name__.startswith("torch.")):
            obj = mod
            for attr in parts[cut:]:
                if attr.startswith("_") and attr not in ("__call__",):
                    raise WireError(f"{path!r} names a private attribute")
                obj = getattr(obj, attr, None)
                if obj is None:
                    raise WireError(f"{path!r} does not exist in torch")
            # Only torch's own classes and functions: a path through a module that torch
            # imports (``torch.serialization.sys.exit``, ``torch.nn.init.math.factorial``)
            # would let the kernel name anything for the judge to call.
            kind_ok = isinstance(obj, (type, types.FunctionType, types.BuiltinFunctionType)) \
                or type(obj).__name__ in ("builtin_function_or_method", "function")
            owner = getattr(obj, "__module__", None) if kind_ok else None
            if not isinstance(owner, str) or not (owner == "torch" or owner.startswith("torch.")):
                raise WireError(f"{path!r} is not a class or function of torch")
            return obj
    raise WireError(f"{path!r} is not inside an imported torch module")


def tensor_bytes(t) -> bytes:
    import torch
    with torch._C.DisableTorchFunctionSubclass():
        t = torch.Tensor.detach(t)
        t = t.to("cpu").resolve_conj().resolve_neg().contiguous()
        if t.is_sparse:
            t = t.to_dense()
        return t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b""


def tensor_from(dtype: str, shape, data: bytes, device: str | None):
    import torch
    dt = _dtypes().get(dtype)
    if dt is None:
        raise WireError(f"tensors of dtype {dtype!r} cannot be sent")
    if not isinstance(shape, list) or len(shape) > 16 or not all(
            isinstance(s, int) and 0 <= s < 2**40 for s in shape):
        raise WireError("a tensor with an invalid shape was sent")
    numel = math.prod(shape)
    itemsize = torch.empty((), dtype=dt).element_size()
    if len(data) != numel * itemsize:
        raise WireError("a tensor's bytes do not match its shape and dtype")
    if numel == 0:
        t = torch.empty(shape, dtype=dt)
    else:
        t = torch.frombuffer(bytearray(data), dtype=torch.uint8).view(dt).reshape(shape)
    if device and device != "cpu":
        t = t.to(_device(device))
    return t


def _device(spec: str):
    import torch
    if not isinstance(spec, str) or len(spec) > 20:
        raise WireError("an invalid device was sent")
    try:
        return torch.device(spec)
    except Exception:
        raise WireError(f"an invalid device {spec[:20]!r} was sent") from None


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(s) -> bytes:
    if not isinstance(s, str):
        raise WireError("binary data must be base64 text")
    return base64.b64decode(s.encode("ascii"), validate=True)


# --------------------------------------------------------------------------- encode

class Encoder:
    """Turns one value into JSON-able data.

    ``handle(obj)`` is asked for objects that are not data (returns a tagged
    dict or raises WireError); ``origin(obj)`` may return the number under which
    the other side knows ``obj`` (objects it sent earlier); ``state_of`` encodes
    such an object's new state.
    """

    def __init__(self, handle: Callable[[Any, "Encoder", int], dict] | None = None,
                 origin: Callable[[Any], int | None] | None = None,
                 remember: Callable[[Any], int] | None = None, grads: bool = False):
        self._grads = grads
        self._handle = handle
        self._origin = origin
        self._remember = remember
        self._memo: dict[int, int] = {}
        self._keep: list = []           # keeps memoised objects alive while encoding

    def __call__(self, obj, depth: int = 0):
        # torch and numpy only if already imported: a kernel without them has none of their objects
        import sys
        np, torch = sys.modules.get("numpy"), sys.modules.get("torch")
        if depth > MAX_DEPTH:
            raise WireError("the value is nested too deeply to be sent")
        if obj is None or isinstance(obj, (bool, str)):
            if isinstance(obj, str) and len(obj) > MAX_STR:
                raise WireError("a string too long to be sent")
            return obj
        if isinstance(obj, int) and not isinstance(obj, bool):
            return int(obj)
        if isinstance(obj, float):
            return float(obj) if math.isfinite(obj) else {"$": "float", "v": repr(float(obj))}
        if np is not None and isinstance(obj, np.generic) and not isinstance(obj, np.object_):
            return self(obj.item(), depth)
        key = id(obj)
        if key in self._memo:
            return {"$": "ref", "n": self._memo[key]}
        if self._origin is not None:
            oid = self._origin(obj)
            if oid is not None:
                return self._memoise(obj, {"$": "back", "oid": oid, "state": self.state(obj, depth)})
        if torch is not None and isinstance(obj, torch.Tensor):
            return self._memoise(obj, self.tensor(obj, depth, grad=self._grads))
        if isinstance(obj, (list, tuple)) or type(obj) in (collections.OrderedDict, dict):
            if len(obj) > MAX_ITEMS:
                raise WireError("a container too large to be sent")
            tag = {list: "list", tuple: "tuple", dict: "dict",
                   collections.OrderedDict: "odict"}.get(type(obj))
            if tag is None:          # a subclass of list/tuple/dict: send it as the plain kind
                tag = "tuple" if isinstance(obj, tuple) else "list" if isinstance(obj, list) else "dict"
            out = {"$": tag}
            self._memoise(obj, out)
            if self._remember is not None and tag != "tuple" and depth > 0:
                out["oid"] = self._remember(obj)     # a list or dict argument changed in place comes back
            if tag in ("dict", "odict"):
                out["items"] = [[self(k, depth + 1), self(v, depth + 1)] for k, v in dict.items(obj)]
            else:
                out["v"] = [self(v, depth + 1) for v in (list.__iter__(obj) if isinstance(obj, list)
                                                        else tuple.__iter__(obj))]
            return out
        if np is not None and isinstance(obj, np.ndarray):
            if obj.dtype.kind not in "biufc":
                raise WireError(f"numpy arrays of dtype {obj.dtype} cannot be sent")
            a = np.ascontiguousarray(obj)
            return {"$": "ndarray", "dtype": a.dtype.str, "shape": list(a.shape), "b": b64(a.tobytes())}
        if torch is not None and isinstance(obj, torch.device):
            return {"$": "device", "v": str(obj)}
        if torch is not None and isinstance(obj, torch.dtype):
            return {"$": "dtype", "v": str(obj)}
        if isinstance(obj, (types.GeneratorType, type({}.items()), type({}.keys()), type({}.values()),
                            type(collections.OrderedDict().items()), map, filter, zip)):
            items = []
            for item in obj:
                items.append(item)
                if len(items) > MAX_ITEMS:
                    raise WireError("an iterator too long to be sent")
            return self(items, depth)
        path = torch_path(obj)
        if path is not None:
            return {"$": "torch", "path": path}
        if self._handle is None:
            raise WireError(f"a {type(obj).__name__} cannot be sent as data")
        return self._memoise(obj, self._handle(obj, self, depth))

    def _memoise(self, obj, out: dict) -> dict:
        n = len(self._memo)
        self._memo[id(obj)] = n
        self._keep.append(obj)
        out["n"] = n
        return out

    def tensor(self, t, depth: int = 0, grad: bool = False) -> dict:
        import torch
        with torch._C.DisableTorchFunctionSubclass():
            out = {"$": "tensor", "dtype": str(t.dtype), "shape": list(t.shape),
                   "device": str(t.device), "b": b64(tensor_bytes(t)),
                   "rg": bool(t.requires_grad)}
            if isinstance(t, torch.nn.Parameter):
                out["param"] = True
            if grad and t.is_leaf and t.grad is not None:
                out["grad"] = self.tensor(t.grad)
        if self._remember is not None:
            out["oid"] = self._remember(t)
        return out

    def state(self, obj, depth: int = 0):
        """The new state of an object the other side sent (tensors: data and grad)."""
        import sys
        torch = sys.modules.get("torch")
        if torch is None:
            if isinstance(obj, (dict, list)):
                return {"items": self(dict(obj) if isinstance(obj, dict) else list(obj), depth + 1)}
            return None
        if isinstance(obj, torch.Tensor):
            return self.tensor(obj, depth, grad=True)
        if isinstance(obj, torch.nn.Module):
            return {"training": bool(obj.training)}
        if isinstance(obj, torch.Generator):
            return {"b": b64(tensor_bytes(obj.get_state()))}
        if isinstance(obj, torch.optim.Optimizer):
            sd = obj.state_dict()
            return {"state": self(sd["state"], depth + 1)}
        if isinstance(obj, dict):
            return {"items": self(dict(obj), depth + 1)}
        if isinstance(obj, list):
            return {"items": self(list(obj), depth + 1)}
        return None


# --------------------------------------------------------------------------- decode

class Decoder:
    """Rebuilds a value. ``trusted=False`` for anything that comes from the kernel."""

    def __init__(self, trusted: bool, handle: Callable[[dict], Any] | None = None,
                 back: Callable[[int, Any], Any] | None = None,
                 callback: Callable[[int], Any] | None = None,
                 remembered: Callable[[Any, int], None] | None = None):
        self.trusted = trusted
        self._handle = handle
        self._back = back
        self._callback = callback
        self._remembered = remembered
        self._memo: dict[int, Any] = {}
        self._count = 0

    def __call__(self, data, depth: int = 0):
        if depth > MAX_DEPTH:
            raise WireError("the value is nested too deeply")
        if data is None or isinstance(data, (bool, int, float, str)):
            return data
        if isinstance(data, list):     # JSON arrays only appear inside tagged values
            raise WireError("an untagged list was sent")
        if not isinstance(data, dict) or not isinstance(data.get("$"), str):
            raise WireError("an untagged value was sent")
        tag = data["$"]
        self._count += 1
        if self._count > 10 * MAX_ITEMS:
            raise WireError("too many values in one message")
        fn = getattr(self, "_d_" + tag, None)
        if fn is None or (not self.trusted and tag in _TRUSTED_ONLY):
            raise WireError(f"values of kind {tag!r} cannot be received here")
        out = fn(data, depth)
        if "n" in data and tag not in ("ref",):
            self._memo[data["n"]] = out
        return out

    def _items(self, data, key):
        v = data.get(key)
        if not isinstance(v, list) or len(v) > MAX_ITEMS:
            raise WireError("a malformed container was sent")
        return v

    def _d_float(self, data, depth):
        if data.get("v") not in ("nan", "inf", "-inf"):
            raise WireError("a malformed float was sent")
        return float(data["v"])

    def _d_ref(self, data, depth):
        if data.get("n") not in self._memo:
            raise WireError("a reference to an unknown value was sent")
        return self._memo[data["n"]]

    def _d_list(self, data, depth):
        out = []
        if "n" in data:
            self._memo[data["n"]] = out
        out.extend(self(v, depth + 1) for v in self._items(data, "v"))
        if self._remembered is not None and "oid" in data:
            self._remembered(out, data["oid"])
        return out

    def _d_tuple(self, data, depth):
        return tuple(self(v, depth + 1) for v in self._items(data, "v"))

    def _d_dict(self, data, depth, cls=dict):
        out = cls()
        if "n" in data:
            self._memo[data["n"]] = out
        for pair in self._items(data, "items"):
            if not isinstance(pair, list) or len(pair) != 2:
                raise WireError("a malformed dict was sent")
            k = self(pair[0], depth + 1)
            try:
                hash(k)
            except TypeError:
                raise WireError("a dict with an unhashable key was sent") from None
            out[k] = self(pair[1], depth + 1)
        if self._remembered is not None and "oid" in data and self.trusted:
            self._remembered(out, data["oid"])
        return out

    def _d_odict(self, data, depth):
        return self._d_dict(data, depth, collections.OrderedDict)

    def _d_tensor(self, data, depth):
        import torch
        t = tensor_from(data.get("dtype"), data.get("shape"), unb64(data.get("b")), data.get("device"))
        if data.get("param"):
            t = torch.nn.Parameter(t, requires_grad=bool(data.get("rg")))
        elif data.get("rg") and (t.is_floating_point() or t.is_complex()):
            t.requires_grad_(True)
        if data.get("grad") is not None:
            g = self(data["grad"], depth + 1)
            if isinstance(g, torch.Tensor) and g.shape == t.shape:
                t.grad = g
        if self._remembered is not None and "oid" in data:
            self._remembered(t, data["oid"])
        return t

    def _d_ndarray(self, data, depth):
        import numpy as np
        dt = np.dtype(str(data.get("dtype")))
        if dt.kind not in "biufc":
            raise WireError("a numpy array of a non-numeric dtype was sent")
        shape = data.get("shape")
        if not isinstance(shape, list) or not all(isinstance(s, int) and s >= 0 for s in shape):
            raise WireError("a numpy array with an invalid shape was sent")
        raw = unb64(data.get("b"))
        if len(raw) != math.prod(shape) * dt.itemsize:
            raise WireError("a numpy array's bytes do not match its shape")
        return np.frombuffer(raw, dtype=dt).reshape(shape).copy()

    def _d_device(self, data, depth):
        return _device(data.get("v"))

    def _d_dtype(self, data, depth):
        dt = _dtypes().get(data.get("v"))
        if dt is None:
            raise WireError("an unknown dtype was sent")
        return dt

    def _d_torch(self, data, depth):
        return resolve_torch_path(data.get("path"))

    def _d_handle(self, data, depth):
        if self._handle is None:
            raise WireError("a handle cannot be received here")
        return self._handle(data)

    def _d_back(self, data, depth):
        if self._back is None:
            raise WireError("an object cannot come back here")
        return self._back(data.get("oid"), data.get("state"), self, depth)

    # ---- only the kernel receives these (from the trusted judge)
    def _d_gen(self, data, depth):
        import torch
        g = torch.Generator(device=_device(data.get("device", "cpu")))
        g.set_state(tensor_from("torch.uint8", data["shape"], unb64(data["b"]), None))
        if self._remembered is not None and "oid" in data:
            self._remembered(g, data["oid"])
        return g

    def _d_callback(self, data, depth):
        return self._callback(data["id"], data.get("name", "f"))

    def _d_kref(self, data, depth):
        return self._handle({"$": "kref", "id": data["id"]})

    def _d_module(self, data, depth):
        import torch
        cls = resolve_torch_path(data["cls"])
        if not (isinstance(cls, type) and issubclass(cls, torch.nn.Module)):
            raise WireError(f"{data['cls']} is not a module class")
        m = cls.__new__(cls)
        torch.nn.Module.__init__(m)
        if "n" in data:
            self._memo[data["n"]] = m
        for k, v in self(data["attrs"], depth + 1).items():
            object.__setattr__(m, k, v)
        m.training = bool(data["training"])
        m._non_persistent_buffers_set = set(data.get("nonpersistent", []))
        for k, v in self(data["params"], depth + 1).items():
            m._parameters[k] = v
        for k, v in self(data["buffers"], depth + 1).items():
            m._buffers[k] = v
        for k, v in self(data["modules"], depth + 1).items():
            m._modules[k] = v
        if self._remembered is not None and "oid" in data:
            self._remembered(m, data["oid"])
        return m

    def _d_optim(self, data, depth):
        cls = resolve_torch_path(data["cls"])
        groups = self(data["groups"], depth + 1)
        opt = cls(groups)
        state = self(data["state"], depth + 1)
        if state:
            opt.load_state_dict({"state": state, "param_groups": opt.state_dict()["param_groups"]})
        if self._remembered is not None and "oid" in data:
            self._remembered(opt, data["oid"])
        return opt

    def _d_loader(self, data, depth):
        from torch.utils.data import DataLoader, TensorDataset
        tensors = self(data["tensors"], depth + 1)
        return DataLoader(TensorDataset(*tensors), batch_size=data["batch_size"],
                          shuffle=data["shuffle"], drop_last=data["drop_last"],
                          generator=self(data.get("generator"), depth + 1))


_TRUSTED_ONLY = {"gen", "callback", "kref", "module", "optim", "loader"}
