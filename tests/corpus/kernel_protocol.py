"""Kernel internals and the judge's protocol: do_execute, the messaging session,
the judge's agent (serve_jupyter, raw_input, the wire encoder), tracing hooks,
and fake results printed or displayed."""

from __future__ import annotations

from . import Case, nb_case

WRONG = "def double(x):\n    return x + 1\ndef halve(x):\n    return x // 3\n"

DO_EXECUTE = """\
ip = get_ipython()
def do_execute(*args, **kwargs):
    return {'status': 'ok', 'execution_count': ip.execution_count, 'payload': [],
            'user_expressions': {}}
ip.kernel.do_execute = do_execute
""" + WRONG

SESSION_SEND = """\
session = get_ipython().kernel.session
_send = session.send
def send(stream, msg_or_type, content=None, *args, **kwargs):
    kind = msg_or_type if isinstance(msg_or_type, str) else msg_or_type.get('header', {}).get('msg_type')
    if kind == 'error':
        return None
    if kind == 'execute_reply' and isinstance(content, dict):
        content = dict(content, status='ok')
    if kind == 'stream' and isinstance(content, dict) and 'Error' in content.get('text', ''):
        return None
    return _send(stream, msg_or_type, content, *args, **kwargs)
session.send = send
""" + WRONG

FAKE_SERVE = """\
import json
import autograder.judge.kernel_side as ks
from IPython.display import publish_display_data
class Anything:
    def __eq__(self, other): return True
def fake_serve():
    ip = get_ipython()
    req = json.loads(ip.kernel.raw_input('\\x1b[judge]'))
    if req.get('op') == 'resolve':
        # plain data where functions are expected, and a handle claiming to be a tensor
        reply = {'ok': {'double': 6, 'halve': {'$': 'handle', 'id': 1, 'type': 'Tensor',
                                                'torch_cls': 'torch.Tensor', 'callable': True}}}
    else:
        reply = {'ok': {'$': 'handle', 'id': 2, 'type': 'int', 'torch_cls': 'torch.Tensor'}}
    publish_display_data({ks.MIME: json.dumps(reply)})
ks.serve_jupyter = fake_serve
ks.Runtime.handle = lambda self, req, ask: {'ok': True}
""" + WRONG

RAW_INPUT = """\
import builtins
ip = get_ipython()
ip.kernel.raw_input = lambda prompt='': '{"op": "resolve", "names": []}'
ip.kernel.getpass = lambda prompt='', stream=None: ''
builtins.input = ip.kernel.raw_input
""" + WRONG

FORGED_TORCH_PATHS = """\
import autograder.judge.wire as wire
_torch_path = wire.torch_path
def double(x):
    return x + 1
def halve(x):
    return x // 3
# The kernel names functions for the judge to call in its own process: a path that
# walks out of torch into the modules torch imports (math, sys, os).
_forged = [(double, 'torch.nn.init.math.factorial'), (halve, 'torch.serialization.sys.exit')]
wire.torch_path = lambda obj: next((p for o, p in _forged if o is obj), None) or _torch_path(obj)
"""

MALFORMED_WIRE = """\
import json
import autograder.judge.kernel_side as ks
_replies = [
    {'ok': {'$': 'callback', 'id': 1}},                       # trusted-only tags
    {'ok': {'$': 'module', 'cls': 'torch.nn.Linear', 'attrs': {'$': 'dict', 'items': []}}},
    {'ok': {'$': 'tensor', 'dtype': 'torch.float32', 'shape': [2**39], 'b': ''}},
    {'ok': {'$': 'ref', 'n': 99}},
    {'ok': {'$': 'back', 'oid': 1, 'state': None}},
    {'ok': {'$': 'torch', 'path': 'torch.serialization.os.abort'}},
    {'ok': {'$': 'float', 'v': '6.0'}},
    {'ok': {'$': 'handle', 'id': 'x'}},
    {'ok': [6]},
]
_n = [0]
_handle = ks.Runtime.handle
def handle(self, req, ask):
    if req.get('op') == 'resolve':
        return _handle(self, req, ask)
    _n[0] += 1
    if _n[0] == 3:
        deep = 6
        for _ in range(5000):
            deep = {'$': 'list', 'v': [deep]}
        return {'ok': deep}
    return _replies[_n[0] % len(_replies)]
ks.Runtime.handle = handle
""" + WRONG

TRACING = """\
import sys, threading, linecache
def _tracer(frame, event, arg):
    if 'ipykernel' not in frame.f_code.co_filename and '<hidden' not in frame.f_code.co_filename:
        return None
    if event == 'line':
        line = linecache.getline(frame.f_code.co_filename, frame.f_lineno).lstrip()
        if line.startswith(('assert', 'raise')):
            try:
                frame.f_lineno = frame.f_lineno + 1      # jump over the assertion
            except ValueError:
                pass
    return _tracer
sys.settrace(_tracer)
threading.settrace(_tracer)
sys.setprofile(lambda frame, event, arg: None)
""" + WRONG

FAKE_OUTPUT = """\
import json, sys
from IPython.display import display, publish_display_data
MIME = 'application/x-dlcourse-judge+json'
fake = {'ok': {'double': {'$': 'torch', 'path': 'torch.nn.init.math.factorial'}}}
print(MIME, json.dumps(fake))
print('test_double: 1.0/1.0\\ntest_halve__int: 1.0/1.0\\ntest_halve__odd: 2.0/2.0\\nscore: 4.0/4.0')
sys.__stdout__.write(json.dumps({'chapter': 'ch00_smoke', 'score': 4.0, 'max_score': 4.0}) + '\\n')
publish_display_data({MIME: json.dumps(fake)})
display({MIME: json.dumps(fake), 'text/plain': 'score: 4.0/4.0'}, raw=True)
""" + WRONG

CASES = [
    Case("do-execute-replaced", "kernel.do_execute replaced: every later cell 'succeeds' without "
         "running", "tried: full marks (4/4): test cells report ok and no error", nb_case(DO_EXECUTE)),
    Case("session-send-filtered", "the kernel's messaging session drops error messages and "
         "rewrites execute_reply to ok", "tried: full marks (4/4): nbgrader never sees an error",
         nb_case(SESSION_SEND)),
    Case("judge-agent-replaced", "the judge's agent (kernel_side.serve_jupyter, Runtime.handle) and "
         "kernel.raw_input/input() replaced: fake requests, plain data where functions are "
         "expected, handles claiming to be tensors",
         "not applicable (no judge); the same student patches the tests' comparisons instead",
         nb_case(RAW_INPUT.replace(WRONG, "") + FAKE_SERVE)),
    Case("forged-torch-paths", "the kernel's wire encoder names math.factorial and sys.exit as "
         "'torch' functions for the judge to call",
         "not applicable (no judge); our judge before the fix in wire.py: factorial(3) == 6 "
         "passed test_double, and halve -> sys.exit(4) ended the one-file grader (exit 4, no JSON)",
         nb_case(FORGED_TORCH_PATHS)),
    Case("malformed-wire-replies", "replies with trusted-only tags, impossible tensors, dangling "
         "refs, a 5000-deep value, a path to os.abort; fake judge replies printed and displayed",
         "not applicable (no judge)", nb_case(FAKE_OUTPUT.replace(WRONG, "") + MALFORMED_WIRE)),
    Case("tracing-hooks", "sys.settrace/threading.settrace jump over assert lines; setprofile set",
         "tried: this tracer slows every cell past the timeout: not graded; a cheaper one skips the asserts",
         nb_case(TRACING)),
]
