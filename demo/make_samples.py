"""Regenerate the bundled sample class in demo/submitted/ (run after `make release`).

    .venv/bin/python demo/make_samples.py

Each student's notebook is the released notebook with answers from the
solutions or from tests/variants (named wrong or correct implementations), so
the demo shows a realistic mix; expected_grades.json records what the demo must
print, and tests/test_demo.py checks it.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from submissions import fill, solution_answers  # noqa: E402  (tests/ holds the sample builders)

CH7, CH8 = "ch07_perceptron_xor", "ch08_backprop_by_hand"

# student -> chapter -> {exercise: "solution" | (kind, variant name)}; "stub" keeps the stub.
CLASS = {
    "ada": {  # did everything right
        CH7: "all", CH8: "all"},
    "ben": {  # partly right: classic mistakes
        CH7: {"perceptron": ("wrong", "ge_instead_of_gt"), "GATE_WEIGHTS": "solution",
              "xor_from_gates": "solution", "make_xor_net": "solution",
              "train_xor": ("wrong", "loss_before_last_update")},
        CH8: {"sigmoid_prime": "solution", "xor_backward": ("wrong", "sum_not_mean"),
              "train_xor_by_hand": "solution", "numerical_grad": ("correct", "multi_index_clone"),
              "rel_error": ("wrong", "no_floor")}},
    "cho": {  # half-way through ch07, has not started ch08
        CH7: {"perceptron": ("correct", "where_ones_zeros"), "GATE_WEIGHTS": "solution",
              "xor_from_gates": "solution"},
        CH8: {}},
    "dev": {  # broken work: ch07 file truncated on upload, ch08 with a syntax error
        CH7: "truncated", CH8: {"sigmoid_prime": "solution", "xor_backward": "def xor_backward(X, Y, params):\n    return {w1: 0}}\n",
                                "numerical_grad": "solution", "rel_error": "solution"}},
    "eve": {  # ch07: only perceptron done, then tries to read the hidden tests, rewrite the
              # course and skip every later cell (stock nbgrader gives her full marks)
        CH7: "hostile", CH8: "all"},
}

HOSTILE = ("import pathlib\n"
           "for _p in ('../../../solutions/ch07_perceptron_xor/ch07_perceptron_xor.ipynb',\n"
           "           '/work/main/solutions/ch07_perceptron_xor/ch07_perceptron_xor.ipynb'):\n"
           "    try:\n"
           "        print(pathlib.Path(_p).read_text()[:100])\n"
           "        pathlib.Path(_p).write_text('{}')\n"
           "    except OSError as exc:\n"
           "        print('eve could not reach', _p, exc)\n"
           "get_ipython().input_transformers_cleanup.append(lambda lines: ['pass\\n'])\n")


def answers_for(chapter: str, spec) -> dict[str, str]:
    sol = solution_answers(chapter)
    if spec == "all":
        return sol
    if spec == "hostile":
        return {"perceptron": sol["perceptron"]}
    variants = importlib.import_module(f"variants.{chapter}").VARIANTS
    out = {}
    for ex, choice in spec.items():
        if choice == "solution":
            out[ex] = sol[ex]
        elif isinstance(choice, tuple):
            out[ex] = variants[ex][choice[0]][choice[1]]
        else:
            out[ex] = choice
    return out


def main() -> None:
    for student, chapters in CLASS.items():
        for chapter, spec in chapters.items():
            path = HERE / "submitted" / student / chapter / f"{chapter}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            if spec == "truncated":
                text = nbformat.writes(fill(chapter, solution_answers(chapter)))
                path.write_text(text[: len(text) // 2])
                continue
            nb = fill(chapter, answers_for(chapter, spec))
            if spec == "hostile":
                first_answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
                first_answer.source = first_answer.source + "\n\n" + HOSTILE
                nb.cells = [c for c in nb.cells
                            if not c.metadata.get("nbgrader", {}).get("grade_id", "").startswith("test_train")]
            nbformat.write(nb, path)
            print(f"wrote {path.relative_to(HERE.parent)}")


if __name__ == "__main__":
    main()
