"""The judge's side of the boundary: exercise proxies and handles.

A ``Session`` talks to one student's kernel through a transport (a Jupyter
kernel in grading, a pipe in the test-power runner). In the namespace where
hidden tests run, every exercise name is what ``resolve`` brings back: data
(``GATE_WEIGHTS``) or a ``RemoteObject`` (a function, a class) whose calls run
in the kernel. Arguments go as data (``wire``), functions of the test go as
callbacks, and objects the test sent come back with the changes the student's
code made to them.
"""

from __future__ import annotations

import builtins
import contextlib
import sys
from collections import Counter
from typing import Any, Callable

from .wire import Decoder, Encoder, WireError, b64, resolve_torch_path, tensor_bytes, torch_path


class KernelGone(Exception):
    """The student's kernel stopped answering (crashed, killed, or timed out)."""


_BUILTIN_ERRORS = {name: getattr(builtins, name) for name in (
    "ArithmeticError", "AssertionError", "AttributeError", "IndexError", "KeyError",
    "LookupError", "NameError", "NotImplementedError", "OverflowError", "RecursionError",
    "RuntimeError", "TypeError", "ValueError", "ZeroDivisionError", "MemoryError")}


def _student_error(err: dict) -> Exception:
    kind = str(err.get("type", "Error"))
    msg = str(err.get("message", ""))[:2000]
    if err.get("wire"):
        return WireError(msg)
    cls = _BUILTIN_ERRORS.get(kind)
    if cls is KeyError:
        return KeyError(msg)
    return cls(msg) if cls else RuntimeError(f"{kind}: {msg}" if msg else kind)


class RemoteObject:
    """An object that lives in the student's kernel (a model, a class, a function).

    Calls, attribute reads, ``len``, indexing and iteration are forwarded;
    ``isinstance(h, nn.Linear)`` holds when the kernel object is (a subclass of)
    that torch class. Values read through it are copies.
    """

    __slots__ = ("_s", "_id", "_meta")

    def __init__(self, session: "Session", meta: dict):
        object.__setattr__(self, "_s", session)
        object.__setattr__(self, "_id", meta["id"])
        object.__setattr__(self, "_meta", meta)

    @property
    def __class__(self):
        path = self._meta.get("torch_cls")
        if path:
            try:
                return resolve_torch_path(path)
            except WireError:
                pass
        return RemoteObject

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        return self._s.request({"op": "getattr", "target": {"h": self._id}, "name": name})

    def __setattr__(self, name, value):
        raise AttributeError(f"cannot set {name!r} on the student's {self._meta.get('type')}: "
                             "objects in the kernel are read through copies (use load_state_dict)")

    def __call__(self, *args, **kwargs):
        return self._s.request({"op": "call", "target": {"h": self._id}}, args, kwargs)

    def __len__(self):
        return self._s.request({"op": "len", "target": {"h": self._id}})

    def __getitem__(self, key):
        return self._s.request({"op": "getitem", "target": {"h": self._id}}, key=key)

    def __iter__(self):
        return iter(self._s.request({"op": "iter", "target": {"h": self._id}}))

    def __repr__(self):
        return f"<student's {self._meta.get('type', 'object')}>"

    def __bool__(self):
        return True

    def __hash__(self):
        return hash((id(self._s), self._id))

    def __eq__(self, other):
        return isinstance(other, RemoteObject) and other._s is self._s and other._id == self._id


def type_name(obj) -> str:
    """The name of an object's type, also for an object in the student's kernel."""
    if type(obj) is RemoteObject:
        return obj._meta.get("type", "object")
    return type(obj).__qualname__


class Session:
    """One student's kernel, seen from the judge."""

    def __init__(self, transport, references: Callable[[list[str]], dict] | None = None):
        self.transport = transport
        self._references = references
        self._callbacks: dict[int, Callable] = {}
        self._sent: dict[int, Any] = {}
        self._subst: dict | None = None
        self._used: Counter | None = None
        self.deadline: float | None = None

    # ---- encoding what the judge sends
    def _remember(self, obj) -> int:
        oid = len(self._sent) + 1
        self._sent[oid] = obj
        return oid

    def encoder(self) -> Encoder:
        return Encoder(handle=self._out, remember=self._remember, grads=True)

    def _out(self, obj, enc: Encoder, depth: int) -> dict:
        if type(obj) is RemoteObject:
            if obj._s is not self:
                raise WireError("an object of another student's kernel cannot be sent")
            return {"$": "kref", "id": obj._id}
        if "torch" in sys.modules:
            out = self._out_torch(obj, enc, depth)
            if out is not None:
                return out
        if callable(obj) and not isinstance(obj, type):
            cid = len(self._callbacks) + 1
            self._callbacks[cid] = obj
            return {"$": "callback", "id": cid, "name": getattr(obj, "__name__", "f")}
        raise WireError(f"a {type(obj).__qualname__} cannot be sent to the student's code")

    def _out_torch(self, obj, enc: Encoder, depth: int) -> dict | None:
        import torch
        from torch.utils.data import DataLoader, RandomSampler, TensorDataset
        if isinstance(obj, torch.nn.Module):
            cls = torch_path(type(obj))
            if cls is None:
                raise WireError(f"only modules built from torch.nn's own classes can be sent, "
                                f"not {type(obj).__qualname__}")
            internal = _module_internals()
            for k in internal:
                if k.endswith("hooks") and getattr(obj, k, None):
                    raise WireError("modules with hooks cannot be sent")
            attrs = {k: v for k, v in vars(obj).items() if k not in internal}
            return {"$": "module", "cls": cls, "training": bool(obj.training), "attrs": enc(attrs, depth + 1),
                    "nonpersistent": sorted(obj._non_persistent_buffers_set),
                    "params": enc(dict(obj._parameters), depth + 1),
                    "buffers": enc(dict(obj._buffers), depth + 1),
                    "modules": enc(dict(obj._modules), depth + 1), "oid": self._remember(obj)}
        if isinstance(obj, torch.optim.Optimizer):
            cls = torch_path(type(obj))
            if cls is None:
                raise WireError("only torch.optim's own optimizers can be sent")
            groups = [{**{k: v for k, v in g.items() if k != "params"}, "params": list(g["params"])}
                      for g in obj.param_groups]
            return {"$": "optim", "cls": cls, "groups": enc(groups, depth + 1),
                    "state": enc(obj.state_dict()["state"], depth + 1), "oid": self._remember(obj)}
        if isinstance(obj, torch.Generator):
            state = obj.get_state()
            return {"$": "gen", "device": str(obj.device), "shape": list(state.shape),
                    "b": b64(tensor_bytes(state)), "oid": self._remember(obj)}
        if isinstance(obj, DataLoader):
            if not isinstance(obj.dataset, TensorDataset) or obj.num_workers:
                raise WireError("only a DataLoader over a TensorDataset without workers can be sent")
            return {"$": "loader", "tensors": enc(list(obj.dataset.tensors), depth + 1),
                    "batch_size": obj.batch_size, "drop_last": obj.drop_last,
                    "shuffle": isinstance(obj.sampler, RandomSampler),
                    "generator": enc(obj.generator, depth + 1)}
        return None

    # ---- decoding what the kernel sends (untrusted)
    def decoder(self) -> Decoder:
        return Decoder(trusted=False, handle=lambda meta: RemoteObject(self, _meta(meta)),
                       back=self._back)

    def _back(self, oid, state, dec: Decoder, depth: int):
        obj = self._sent.get(oid)
        if obj is None:
            raise WireError("an unknown object came back")
        if isinstance(obj, (dict, list)) or "torch" not in sys.modules:
            torch = None
        else:
            import torch
        if torch is not None and isinstance(obj, torch.Tensor):
            if not isinstance(state, dict) or state.get("$") != "tensor":
                raise WireError("a tensor came back as something else")
            new = dec(state, depth + 1)
            with torch.no_grad():
                if new.shape == obj.shape and new.dtype == obj.dtype:
                    obj.copy_(new.to(obj.device))
                else:
                    obj.data = new.detach().to(obj.device)
            obj.grad = None if new.grad is None else new.grad.to(obj.device)
        elif torch is not None and isinstance(obj, torch.nn.Module):
            if isinstance(state, dict):
                obj.training = bool(state.get("training", obj.training))
        elif torch is not None and isinstance(obj, torch.Generator):
            obj.set_state(dec({"$": "tensor", "dtype": "torch.uint8",
                               "shape": [len(obj.get_state())], "b": state.get("b"), "device": "cpu"}))
        elif isinstance(obj, (dict, list)):
            items = dec(state.get("items"), depth + 1) if isinstance(state, dict) else None
            if isinstance(obj, dict) and isinstance(items, dict):
                obj.clear()
                obj.update(items)
            elif isinstance(obj, list) and isinstance(items, list):
                obj[:] = items
        elif torch is not None and isinstance(obj, torch.optim.Optimizer):
            new_state = dec(state.get("state"), depth + 1) if isinstance(state, dict) else None
            if isinstance(new_state, dict):
                obj.load_state_dict({"state": new_state, "param_groups": obj.state_dict()["param_groups"]})
        return obj

    # ---- requests
    def request(self, req: dict, args=(), kwargs=None, key=None):
        enc = self.encoder()
        req = dict(req)
        if req["op"] in ("call", "method"):
            req["args"] = enc(tuple(args))
            req["kwargs"] = enc(dict(kwargs or {}))
        if key is not None or req["op"] == "getitem":
            req["key"] = enc(key)
        if self._subst is not None and req["op"] in ("call", "method"):
            req["subst"] = enc(self._subst)
        torch = sys.modules.get("torch")
        if req["op"] in ("call", "method") and torch is not None:
            req["grad"] = torch.is_grad_enabled()     # a test's torch.no_grad() holds in the kernel too
            req["rng"] = enc(torch.get_rng_state())   # one RNG stream, as in a plain notebook
        try:
            reply = self.transport.request(req, self._on_callback, self.deadline)
            return self._result(reply)
        finally:
            self._callbacks.clear()
            self._sent.clear()

    def _result(self, reply: dict):
        if not isinstance(reply, dict):
            raise WireError("the kernel sent a malformed reply")
        dec = self.decoder()
        for item in reply.get("sync") or []:
            if isinstance(item, dict) and "oid" in item:
                self._back(item["oid"], item.get("state"), dec, 0)
        if self._used is not None and isinstance(reply.get("reads"), dict):
            for k, v in reply["reads"].items():
                if isinstance(k, str) and isinstance(v, int):
                    self._used[k] += v
        if reply.get("rng") is not None:
            import torch
            rng = dec(reply["rng"])
            if isinstance(rng, torch.Tensor) and rng.dtype == torch.uint8 \
                    and rng.shape == torch.get_rng_state().shape:
                torch.set_rng_state(rng)
        if "error" in reply:
            raise _student_error(reply["error"] if isinstance(reply["error"], dict) else {})
        out = dec(reply.get("ok"))
        graph = reply.get("graph")
        if isinstance(graph, dict):
            out = self._attach_graph(out, graph)
        return out

    def _attach_graph(self, out, graph: dict):
        """Connect the tensors a call returned to the judge's tensors they were computed from,
        so that backward() in a test asks the kernel for the vector-Jacobian products."""
        import torch
        if not torch.is_grad_enabled():
            return out
        inputs = [self._sent.get(oid) for oid in graph.get("inputs", []) if isinstance(oid, int)]
        if not inputs or not all(isinstance(t, torch.Tensor) and t.requires_grad for t in inputs):
            return out
        gid, outputs = graph.get("id"), graph.get("outputs", [])

        def wrap(value, index):
            if not isinstance(value, torch.Tensor) or not value.is_floating_point():
                return value
            return _kernel_graph().apply(self, gid, index, value.detach(), *inputs)

        if graph.get("single"):
            return wrap(out, 0) if outputs == [0] else out
        if isinstance(out, (tuple, list)):
            return type(out)(wrap(v, i) if i in outputs else v for i, v in enumerate(out))
        return out

    def vjp_result(self, gid, index, grad_out):
        try:
            reply = self.transport.request({"op": "vjp_result", "id": gid, "index": index,
                                            "grad_out": self.encoder()(grad_out)}, self._on_callback,
                                           self.deadline)
            return self._result(reply)
        finally:
            self._sent.clear()

    def _on_callback(self, msg: dict) -> dict:
        torch = sys.modules.get("torch")
        saved_rng = torch.get_rng_state() if torch is not None else None
        try:
            dec = self.decoder()
            for item in msg.get("sync") or []:
                self._back(item["oid"], item.get("state"), dec, 0)
            fn = self._callbacks.get(msg.get("id"))
            if fn is None:
                raise WireError("the kernel called back an unknown function")
            args, kwargs = dec(msg.get("args")), dec(msg.get("kwargs"))
            if not isinstance(args, tuple) or not isinstance(kwargs, dict):
                raise WireError("a malformed call back")
            if msg.get("op") == "vjp":
                grad_out = dec(msg.get("grad_out"))
                xs = [a.detach().clone().requires_grad_(True)
                      if isinstance(a, torch.Tensor) and a.is_floating_point() else a for a in args]
                ts = [x for x in xs if isinstance(x, torch.Tensor)]
                with torch.enable_grad():
                    out = fn(*xs)
                    need = [t for t in ts if t.requires_grad]
                    grads = iter(torch.autograd.grad(out, need, grad_out, allow_unused=True)) if need else iter(())
                result = tuple((next(grads) if t.requires_grad else None) for t in ts)
                result = tuple(g if g is not None else torch.zeros_like(t) for g, t in zip(result, ts))
            else:
                rng = dec(msg.get("rng")) if msg.get("rng") is not None and torch is not None else None
                if rng is not None and isinstance(rng, torch.Tensor) and rng.dtype == torch.uint8 \
                        and rng.shape == saved_rng.shape:
                    torch.set_rng_state(rng)
                before = {i: a.detach().clone() for i, a in enumerate(args)
                          if torch is not None and isinstance(a, torch.Tensor)}
                result = fn(*args, **kwargs)
            enc = self.encoder()
            reply = {"ok": enc(result), "rng": enc(torch.get_rng_state()) if torch is not None else None}
            if msg.get("op") != "vjp":
                # what the function did in place to the tensors it was given goes back too
                changed = [[i, enc(args[i].detach())] for i, b in before.items()
                           if b.shape != args[i].shape or not torch.equal(b, args[i].detach())]
                if changed:
                    reply["args"] = changed
            return reply
        except Exception as exc:
            return {"error": {"type": type(exc).__name__, "message": str(exc)[:500]}}
        finally:
            if saved_rng is not None:
                torch.set_rng_state(saved_rng)

    def resolve(self, names: list[str]) -> dict[str, Any]:
        """The kernel's current value of each name it defines (data, or a handle)."""
        reply = self.transport.request({"op": "resolve", "names": list(names)}, self._on_callback,
                                       self.deadline)
        raw = self._result(reply) if "error" in reply else reply.get("ok")
        out = {}
        if isinstance(raw, dict):
            dec = self.decoder()
            for name in names:
                if name not in raw:
                    continue
                item = raw[name]
                if isinstance(item, dict) and item.get("$") == "unsendable":
                    out[name] = _Unsendable(name, str(item.get("why", ""))[:200])
                    continue
                try:
                    out[name] = dec(item)
                except WireError as exc:
                    out[name] = _Unsendable(name, str(exc))
        return out

    @contextlib.contextmanager
    def references(self, names: tuple[str, ...]):
        """Inside the block, the named exercises are the instructor's solutions
        (called back from the kernel); yields call/read counts per name."""
        if self._references is None:
            raise RuntimeError("no reference solutions are available to this judge")
        refs = self._references(list(names))
        used: Counter = Counter({n: 0 for n in names})
        subst = {}
        for name, value in refs.items():
            if callable(value) and not isinstance(value, type):
                subst[name] = _counting(name, value, used)
            else:
                subst[name] = value
        old = (self._subst, self._used)
        self._subst, self._used = subst, used
        try:
            yield used
        finally:
            self._subst, self._used = old


class _Unsendable:
    """What a test sees for a name whose value cannot cross the boundary."""

    def __init__(self, name, why):
        self._name, self._why = name, why

    def __call__(self, *a, **k):
        raise TypeError(f"{self._name} cannot be graded: {self._why}")

    def __getattr__(self, attr):
        raise TypeError(f"{self._name} cannot be graded: {self._why}")


def _counting(name, fn, used):
    def counted(*args, **kwargs):
        used[name] += 1
        return fn(*args, **kwargs)
    counted.__name__ = name
    return counted


def _meta(meta: dict) -> dict:
    if not isinstance(meta.get("id"), int):
        raise WireError("a malformed handle was sent")
    out = {"id": meta["id"], "type": str(meta.get("type", "object"))[:100],
           "callable": bool(meta.get("callable"))}
    if isinstance(meta.get("torch_cls"), str):
        out["torch_cls"] = meta["torch_cls"][:200]
    return out


_INTERNALS = None


def _module_internals() -> set:
    global _INTERNALS
    if _INTERNALS is None:
        import torch
        _INTERNALS = set(vars(torch.nn.Module()))
    return _INTERNALS


_KERNEL_GRAPH = None


def _kernel_graph():
    """An autograd Function whose backward runs in the kernel, through the graph the student's
    code built there (the mirror image of kernel_side's CallbackFunction)."""
    global _KERNEL_GRAPH
    if _KERNEL_GRAPH is None:
        import torch

        class KernelGraph(torch.autograd.Function):
            @staticmethod
            def forward(ctx, session, gid, index, value, *inputs):
                ctx.session, ctx.gid, ctx.index = session, gid, index
                ctx.specs = [(t.shape, t.dtype, t.device) for t in inputs]
                return value.clone()

            @staticmethod
            def backward(ctx, grad_out):
                grads = ctx.session.vjp_result(ctx.gid, ctx.index, grad_out.detach())
                if not isinstance(grads, (list, tuple)) or len(grads) != len(ctx.specs):
                    raise WireError("the kernel sent malformed gradients")
                out = []
                for g, (shape, dtype, dev) in zip(grads, ctx.specs):
                    if g is not None and not (isinstance(g, torch.Tensor) and g.shape == shape):
                        raise WireError("the kernel sent a gradient of the wrong shape")
                    out.append(None if g is None else g.to(device=dev, dtype=dtype))
                return (None, None, None, None, *out)

        _KERNEL_GRAPH = KernelGraph
    return _KERNEL_GRAPH
