"""The judge's agent inside the student's kernel.

It holds no test, no expected value and no verdict: it only runs what the
judge asks (call an exercise, read an attribute of an object the student made)
with arguments decoded from plain data, and sends plain data back. Objects that
are not data stay here and are named by a number (a *handle*). A student who
changes this module in their kernel changes only what their own code returns.

Requests (JSON): ``resolve`` names; ``call`` an exercise or handle; ``getattr``;
``method``; ``len``; ``getitem``; ``iter``; ``exec`` (test-power runner only).
A reply is ``{"ok": value, "sync": [...], "reads": {...}}`` or ``{"error": ...}``;
``sync`` carries the new state of every object the judge sent with the request
(in-place changes), ``reads`` how often substituted data was read.
"""

from __future__ import annotations

import json
import os
import struct
import sys

from .wire import Decoder, Encoder, WireError, torch_path

MIME = "application/x-dlcourse-judge+json"


class _CountingDict(dict):
    """Substituted data (e.g. a reference ``GATE_WEIGHTS``) that counts its reads."""

    def __init__(self, data, counter, name):
        super().__init__(data)
        self._counter, self._name = counter, name

    def _hit(self):
        self._counter[self._name] = self._counter.get(self._name, 0) + 1

    def __getitem__(self, key):
        self._hit()
        return super().__getitem__(key)

    def get(self, key, default=None):
        self._hit()
        return super().get(key, default)

    def items(self):
        self._hit()
        return super().items()

    def values(self):
        self._hit()
        return super().values()


def _flat_tensors(args):
    torch = sys.modules.get("torch")
    return [a for a in args if isinstance(a, torch.Tensor)] if torch is not None else []


class Runtime:
    def __init__(self, ns: dict):
        self.ns = ns
        self.objects: dict[int, object] = {}
        self._ids: dict[int, int] = {}
        self._origin: dict[int, int] = {}
        self._origin_objs: list = []
        self._ask = None
        self.graphs: dict[int, tuple] = {}      # results the judge may backpropagate through

    # ---- objects that stay here
    def register(self, obj) -> int:
        hid = self._ids.get(id(obj))
        if hid is None or self.objects.get(hid) is not obj:
            hid = len(self.objects) + 1
            self.objects[hid] = obj
            self._ids[id(obj)] = hid
        return hid

    def _handle_out(self, obj, enc, depth):
        t = type(obj)
        torch_cls = None
        for c in getattr(t, "__mro__", (t,)):
            torch_cls = torch_path(c)
            if torch_cls:
                break
        return {"$": "handle", "id": self.register(obj), "type": str(getattr(t, "__qualname__", "?"))[:100],
                "torch_cls": torch_cls, "callable": callable(obj)}

    def _handle_in(self, data):
        obj = self.objects.get(data.get("id"))
        if obj is None and data.get("id") not in self.objects:
            raise WireError("an unknown handle was sent")
        return obj

    # ---- objects the judge sent with this request
    def _remembered(self, obj, oid):
        self._origin[id(obj)] = oid
        self._origin_objs.append(obj)

    def _callback(self, cid, name):
        runtime = self

        def call_back(*args, **kwargs):
            ts = _flat_tensors(args)
            if ts and sys.modules["torch"].is_grad_enabled() and any(t.requires_grad for t in ts) \
                    and not kwargs:
                return _CallbackFunction.apply(runtime, cid, args, *ts)
            return runtime.ask_callback(cid, args, kwargs)

        call_back.__name__ = call_back.__qualname__ = str(name)[:60]
        return call_back

    def ask_callback(self, cid, args, kwargs, op="callback", extra=None):
        torch = sys.modules.get("torch")
        enc = self.encoder()
        # The call back runs as if here: it draws from (and advances) this kernel's RNG.
        sync = self._sync(enc)          # first: the judge decodes it first (shared references)
        msg = {"op": op, "id": cid, "sync": sync, "args": enc(tuple(args)), "kwargs": enc(dict(kwargs)),
               "rng": enc(torch.get_rng_state()) if torch else None}
        if extra:
            msg.update({k: enc(v) for k, v in extra.items()})
        reply = self._ask(msg)
        if "error" in reply:
            err = reply["error"]
            raise RuntimeError(f"{err.get('type', 'Error')}: {err.get('message', '')}")
        dec = self.decoder()
        if reply.get("rng") is not None and torch is not None:
            torch.set_rng_state(dec(reply["rng"]))
        for i, state in reply.get("args") or []:       # in-place changes the call back made
            new = dec(state)
            if 0 <= i < len(args) and isinstance(args[i], torch.Tensor) and new.shape == args[i].shape:
                with torch.no_grad():
                    args[i].copy_(new.to(args[i].device, args[i].dtype))
        return dec(reply.get("ok"))

    def encoder(self) -> Encoder:
        return Encoder(handle=self._handle_out, origin=lambda o: self._origin.get(id(o)))

    def decoder(self) -> Decoder:
        return Decoder(trusted=True, handle=self._handle_in, callback=self._callback,
                       remembered=self._remembered)

    def _sync(self, enc):
        out = []
        for obj in self._origin_objs:
            out.append({"oid": self._origin[id(obj)], "state": enc.state(obj)})
        return out

    # ---- requests
    def handle(self, req: dict, ask) -> dict:
        self._ask = ask
        self._origin, self._origin_objs = {}, []
        reads: dict[str, int] = {}
        saved = {}
        try:
            dec = self.decoder()
            op = req.get("op")
            if op == "resolve":
                enc = self.encoder()
                out = {}
                for name in req["names"]:
                    if name in self.ns:
                        try:
                            out[name] = enc(self.ns[name])
                        except WireError as exc:
                            out[name] = {"$": "unsendable", "why": str(exc)}
                return {"ok": out}
            if op == "exec":                     # trusted variants only (test-power runner)
                exec(compile(req["code"], "<cell>", "exec"), self.ns)
                return {"ok": None}
            if op == "vjp_result":
                return {"ok": self.encoder()(self._vjp(req, dec))}
            subst = dec(req.get("subst")) or {}
            for name, value in subst.items():
                saved[name] = self.ns.get(name, _MISSING)
                self.ns[name] = _CountingDict(value, reads, name) if isinstance(value, dict) else value
            torch = sys.modules.get("torch")
            grad_mode = (torch.set_grad_enabled(bool(req.get("grad", True))) if torch is not None
                         else _NoContext())
            if torch is not None and req.get("rng") is not None:
                torch.set_rng_state(dec(req["rng"]))
            if op == "call":
                fn = self._target(req)
                with grad_mode:
                    result = fn(*dec(req["args"]), **dec(req["kwargs"]))
            elif op == "getattr":
                result = getattr(self._target(req), req["name"])
            elif op == "method":
                with grad_mode:
                    result = getattr(self._target(req), req["name"])(*dec(req["args"]), **dec(req["kwargs"]))
            elif op == "len":
                result = len(self._target(req))
            elif op == "getitem":
                result = self._target(req)[dec(req["key"])]
            elif op == "iter":
                result = list(iter(self._target(req)))
            else:
                raise WireError(f"unknown request {op!r}")
            enc = self.encoder()
            sync = self._sync(enc)      # first: the judge decodes it first (shared references)
            rng = enc(torch.get_rng_state()) if torch is not None and "rng" in req else None
            reply = {"sync": sync, "ok": enc(result), "reads": reads, "rng": rng}
            if op in ("call", "method") and req.get("grad", True):
                graph = self._keep_graph(result)
                if graph:
                    reply["graph"] = graph
            return reply
        except BaseException as exc:  # the student's exception (or an interrupt), reported as data
            try:
                sync = self._sync(self.encoder())
            except BaseException:
                sync = []
            return {"error": {"type": type(exc).__name__[:80], "message": str(exc)[:2000],
                              "wire": isinstance(exc, WireError)}, "sync": sync, "reads": reads}
        finally:
            for name, old in saved.items():
                if old is _MISSING:
                    self.ns.pop(name, None)
                else:
                    self.ns[name] = old

    def _keep_graph(self, result):
        """When a result was computed with autograd from tensors the judge sent that require
        grad, keep the graph, so that the judge can ask for gradients through it."""
        torch = sys.modules.get("torch")
        if torch is None:
            return None
        inputs = list({id(o): o for o in self._origin_objs
                       if isinstance(o, torch.Tensor) and o.requires_grad}.values())
        if not inputs:
            return None
        single = isinstance(result, torch.Tensor)
        items = [result] if single else list(result) if isinstance(result, (tuple, list)) else []
        outputs = {i: t for i, t in enumerate(items) if isinstance(t, torch.Tensor) and t.grad_fn is not None}
        if not outputs:
            return None
        gid = max(self.graphs, default=0) + 1
        self.graphs[gid] = (inputs, outputs)
        for old in sorted(self.graphs)[:-32]:
            del self.graphs[old]
        return {"id": gid, "inputs": [self._origin[id(t)] for t in inputs], "outputs": sorted(outputs),
                "single": single}

    def _vjp(self, req, dec):
        import torch
        inputs, outputs = self.graphs[req["id"]]
        out = outputs[req["index"]]
        grad_out = dec(req["grad_out"]).to(device=out.device, dtype=out.dtype)
        return list(torch.autograd.grad(out, inputs, grad_out, retain_graph=True, allow_unused=True))

    def _target(self, req):
        if "name" in req.get("target", {}):
            name = req["target"]["name"]
            if name not in self.ns:
                raise NameError(f"name {name!r} is not defined")
            return self.ns[name]
        return self._handle_in({"id": req.get("target", {}).get("h")})


_MISSING = object()


class _NoContext:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def _make_callback_function():
    import torch

    class CallbackFunction(torch.autograd.Function):
        """A judge-side function inside the kernel's autograd graph: forward and
        vector-Jacobian product are both computed by the judge."""

        @staticmethod
        def forward(ctx, runtime, cid, args, *tensors):
            ctx.runtime, ctx.cid, ctx.args = runtime, cid, tuple(
                a.detach() if isinstance(a, torch.Tensor) else a for a in args)
            with torch.no_grad():
                out = runtime.ask_callback(cid, ctx.args, {})
            if not isinstance(out, torch.Tensor):
                raise TypeError("a function passed by the test must return a tensor for autograd")
            return out

        @staticmethod
        def backward(ctx, grad_out):
            grads = ctx.runtime.ask_callback(ctx.cid, ctx.args, {}, op="vjp",
                                             extra={"grad_out": grad_out.detach()})
            grads = list(grads)
            return (None, None, None, *grads)

    return CallbackFunction


class _LazyCallbackFunction:
    _cls = None

    def apply(self, *a):
        if self._cls is None:
            type(self)._cls = _make_callback_function()
        return self._cls.apply(*a)


_CallbackFunction = _LazyCallbackFunction()

# --------------------------------------------------------------------------- transports

_RUNTIME: Runtime | None = None


def serve_jupyter() -> None:
    """Serve one request inside a Jupyter kernel. The request arrives as the
    answer to an input request (stdin channel), callbacks go the same way, and
    the reply is published as display data of type MIME."""
    global _RUNTIME
    from IPython import get_ipython
    from IPython.display import publish_display_data
    ip = get_ipython()
    if _RUNTIME is None:
        _RUNTIME = Runtime(ip.user_ns)
    raw_input = ip.kernel.raw_input
    req = json.loads(raw_input("\x1b[judge]"))

    def ask(msg):
        return json.loads(raw_input(json.dumps(msg)))

    reply = _RUNTIME.handle(req, ask)
    publish_display_data({MIME: json.dumps(reply)})


def _read_frame(fd) -> dict:
    head = _read_exact(fd, 8)
    (n,) = struct.unpack("!Q", head)
    return json.loads(_read_exact(fd, n))


def _read_exact(fd, n) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = os.read(fd, min(n - len(buf), 1 << 20))
        if not chunk:
            raise EOFError("the other side closed the pipe")
        buf += chunk
    return bytes(buf)


def write_frame(fd, msg: dict) -> None:
    data = json.dumps(msg).encode()
    view = memoryview(struct.pack("!Q", len(data)) + data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


read_frame = _read_frame


def serve_pipe(rfd: int, wfd: int, ns: dict) -> None:
    """Serve requests over two pipes until the judge closes them (test-power runner)."""
    runtime = Runtime(ns)

    def ask(msg):
        write_frame(wfd, msg)
        return _read_frame(rfd)

    while True:
        try:
            req = _read_frame(rfd)
        except EOFError:
            return
        write_frame(wfd, runtime.handle(req, ask))
        sys.stdout.flush()
