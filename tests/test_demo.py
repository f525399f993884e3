"""`make demo`'s sample class is graded as expected (demo/expected_grades.json)."""

import csv
import json
from pathlib import Path

from autograder import classroom

REPO = Path(__file__).resolve().parent.parent


def test_demo_class_grades(tmp_path, capsys):
    root = tmp_path / "demo"
    classroom.demo(root)
    printed = capsys.readouterr().out
    expected = json.loads((REPO / "demo" / "expected_grades.json").read_text())
    report = {(r["student"], r["chapter"]): r
              for r in csv.DictReader(open(root / "reports" / "autograde_report.csv"))}
    got = {f"{s}/{c}": {"status": r["status"], "score": float(r["score"]) if r["score"] else None}
           for (s, c), r in sorted(report.items())}
    assert got == expected
    assert "Grades (points per chapter" in printed
    assert (root / "reports" / "class_results.png").stat().st_size > 5000
    by_ex = list(csv.DictReader(open(root / "reports" / "grades_by_exercise.csv")))
    assert {r["exercise"] for r in by_ex} >= {"perceptron", "xor_backward"}
