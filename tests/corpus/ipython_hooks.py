"""IPython's own hooks: transformers, events, traceback and display hooks."""

from __future__ import annotations

from . import Case, nb_case

WRONG = "def double(x):\n    return x + 1\ndef halve(x):\n    return x // 3\n"

INPUT_TRANSFORMER = """\
ip = get_ipython()
def _drop_asserts(lines):
    return [l for l in lines if not l.lstrip().startswith(('assert', 'raise'))] or ['pass\\n']
ip.input_transformers_cleanup.append(_drop_asserts)
ip.input_transformers_post.append(_drop_asserts)
""" + WRONG

AST_TRANSFORMER = """\
import ast
class NoAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()
    def visit_Raise(self, node):
        return ast.Pass()
get_ipython().ast_transformers.append(NoAsserts())
""" + WRONG

RUN_CELL = """\
ip = get_ipython()
_run = ip.run_cell
def run_cell(raw_cell, *a, **k):
    if 'assert' in raw_cell or 'serve_jupyter' in raw_cell:
        raw_cell = 'pass'
    return _run(raw_cell, *a, **k)
ip.run_cell = run_cell
_run_async = ip.run_cell_async
async def run_cell_async(raw_cell, *a, **k):
    if 'assert' in raw_cell:
        raw_cell = 'pass'
    return await _run_async(raw_cell, *a, **k)
ip.run_cell_async = run_cell_async
""" + WRONG

EVENTS = """\
ip = get_ipython()
class Anything:
    def __eq__(self, other): return True
    def __bool__(self): return True
def _pre(info):
    # right before a test cell (or the judge's request) runs, answers become liars
    if 'assert' in info.raw_cell or 'serve_jupyter' in info.raw_cell:
        ip.user_ns['double'] = ip.user_ns['halve'] = lambda x: Anything()
def _post(result):
    result.error_in_exec = None
    result.error_before_exec = None
ip.events.register('pre_run_cell', _pre)
ip.events.register('post_run_cell', _post)
""" + WRONG

TRACEBACK_HOOKS = """\
import sys
ip = get_ipython()
ip.set_custom_exc((BaseException,), lambda shell, etype, evalue, tb, tb_offset=None: None)
ip.showtraceback = lambda *a, **k: None
ip.showsyntaxerror = lambda *a, **k: None
ip._showtraceback = lambda *a, **k: None
sys.excepthook = lambda *a: None
""" + WRONG

DISPLAY_HOOK = """\
import sys
ip = get_ipython()
class _Hook:
    def __call__(self, value):
        print('All tests passed: 4/4')
sys.displayhook = _Hook()
ip.displayhook.write_output_prompt = lambda: None
print('\\x1b[32mtest_double passed\\ntest_halve__int passed\\ntest_halve__odd passed\\x1b[0m')
""" + WRONG

CASES = [
    Case("input-transformer", "an input transformer drops every assert/raise line of later cells",
         "tried: full marks (4/4): the test cells run without their assertions",
         nb_case(INPUT_TRANSFORMER)),
    Case("ast-transformer-and-run-cell", "an AST transformer turns assert/raise into pass, and "
         "run_cell/run_cell_async run `pass` for any cell with an assert",
         "tried: full marks (4/4)", nb_case(AST_TRANSFORMER.replace(WRONG, "") + RUN_CELL)),
    Case("ipython-events", "a pre_run_cell event swaps the answers for always-equal liars before "
         "any cell with an assert (or the judge's request); post_run_cell clears errors",
         "tried: full marks (4/4): the test cells compare liars", nb_case(EVENTS)),
    Case("traceback-and-display-hooks", "set_custom_exc, showtraceback and sys.excepthook swallow "
         "every error; displayhook replaced; fake 'tests passed' lines printed",
         "tried: 0 (the error still reaches nbgrader); fake lines printed do not count",
         nb_case(TRACEBACK_HOOKS.replace(WRONG, "") + DISPLAY_HOOK)),
]
