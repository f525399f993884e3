"""One chapter through a class, all in the UI: the instructor releases it in
formgrader (`make formgrader`), a student fetches it in the Assignment List, fills
one answer and submits; the instructor collects, autogrades, reviews the
submission, generates and releases feedback; the student fetches the feedback and
reads it. Each test is one step and depends on the ones before it."""

from __future__ import annotations

import json
import re

import pytest
from nbgrader.utils import get_username
from labui import (CHAPTER, code_cell, open_assignment_list, replace_source, shot,
                   solution_source, step, wait_kernel_idle)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def teacher(servers, new_page):
    page = new_page(width=1700)
    with step("instructor: open formgrader"):
        page.goto(servers["instructor"].lab(query="formgrader=true"))
        fg = page.frame_locator("iframe[src*='formgrader']")
        fg.locator("tr", has_text=CHAPTER).wait_for(timeout=60_000)
    return page


@pytest.fixture(scope="module")
def student(servers, new_page):
    page = new_page()
    with step("student 2: open lab"):
        page.goto(servers["fetcher"].lab())
        page.locator(".jp-Launcher").wait_for(timeout=60_000)  # the layout is restored
    return page


def formgrader(page):
    return page.frame_locator("iframe[src*='formgrader']")


def close_modal(fg, expect: str, timeout: float = 60_000) -> str:
    """Wait for formgrader's result dialog; fail with its text unless ``expect``."""
    body = fg.locator(".modal.in .modal-body")
    body.wait_for(timeout=timeout)
    text = body.inner_text()
    assert expect in text, text
    fg.locator(".modal.in .modal-footer button").click()
    fg.locator(".modal").wait_for(state="detached")
    fg.locator(".modal-backdrop").wait_for(state="detached")
    return text


def assignment_row(fg):
    return fg.locator("#main-table tr", has_text=CHAPTER)


def test_instructor_releases_chapter(teacher):
    fg = formgrader(teacher)
    row = assignment_row(fg)
    with step("instructor: release ch08 to the exchange"):
        row.locator(".release a").click()
        close_modal(fg, "Successfully released")
        row.locator(".status", has_text="released").wait_for()
    shot(teacher, "10_instructor_released")


def test_student_fetches_fills_and_submits(student, servers, course):
    with step("student 2: fetch from the Assignment List"):
        panel = open_assignment_list(student)
        released = panel.locator("#released_assignments_list .list_item", has_text=CHAPTER)
        released.locator("button", has_text="Fetch").click()
        fetched = panel.locator("#fetched_assignments_list .list_item", has_text=CHAPTER).first
        fetched.wait_for()
    shot(student, "11_student_fetched")

    answer = solution_source(course / "solutions" / CHAPTER / f"{CHAPTER}.ipynb", "sigmoid_prime")
    with step("student 2: open the fetched notebook, answer one exercise, save"):
        fetched.locator(".assignment-notebooks-link").click()
        panel.locator(".assignment-notebooks a", has_text=CHAPTER).first.click()
        wait_kernel_idle(student)
        replace_source(student, code_cell(student, "def sigmoid_prime"), answer)
        student.keyboard.press("Control+s")
        student.wait_for_function(
            "() => !document.querySelector('#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current')"
            ".classList.contains('jp-mod-dirty')")
    # the notebook on disk, not the editor, is what gets submitted
    on_disk = json.loads((servers["fetcher"].folder / CHAPTER / f"{CHAPTER}.ipynb").read_text())
    assert [c for c in on_disk["cells"] if "".join(c["source"]).strip() == answer.strip()
            and c["metadata"].get("nbgrader", {}).get("grade_id") == "sigmoid_prime"]

    with step("student 2: submit"):
        student.locator("#jp-main-dock-panel .lm-TabBar-tab", has_text="Assignments").click()
        panel.locator("#fetched_assignments_list .list_item", has_text=CHAPTER).first \
            .locator("button", has_text="Submit").click()
        panel.locator("#submitted_assignments_list .list_item", has_text=CHAPTER).first.wait_for()
    shot(student, "12_student_submitted")


def test_instructor_collects_autogrades_and_reviews(teacher):
    fg = formgrader(teacher)
    with step("instructor: collect submissions"):
        fg.locator("a", has_text="Manage Assignments").first.click()
        row = assignment_row(fg)
        row.locator(".collect a").click()
        close_modal(fg, "Successfully collected")
        row.locator(".num-submissions a", has_text="1").click()
        sub = fg.locator("tr", has_text=get_username())  # nbgrader's student id: the login
        sub.wait_for()
    shot(teacher, "13_instructor_collected")

    with step("instructor: autograde (nbgrader autograde with the course config)"):
        sub.locator(".autograde a").click()
        close_modal(fg, "Successfully autograded", timeout=240_000)
        score = sub.locator(".score")
        score.filter(has_text=re.compile(r"\d")).wait_for()
    shot(teacher, "14_instructor_autograded")
    got, total = (float(x) for x in re.findall(r"[\d.]+", score.inner_text())[:2])
    assert total == 10 and got >= 1, score.inner_text()

    with step("instructor: review the submission (manual grading view)"):
        sub.locator(".student-name a").click()
        fg.locator("td.name a", has_text=CHAPTER).click()
        answer = fg.locator(".cell", has_text="def sigmoid_prime").first
        answer.wait_for()
        answer.scroll_into_view_if_needed()
    shot(teacher, "15_instructor_review")


def test_instructor_releases_feedback(teacher):
    fg = formgrader(teacher)
    with step("instructor: generate and release feedback"):
        fg.locator("a", has_text="Manual Grading").first.click()
        fg.locator("a", has_text="Manage Assignments").first.click()
        row = assignment_row(fg)
        row.locator(".generate-feedback a").click()
        close_modal(fg, "Successfully generated feedback", timeout=120_000)
        row.locator(".release-feedback a").click()
        close_modal(fg, "Successfully released feedback")
    shot(teacher, "16_instructor_feedback_released")


def test_student_reads_feedback(student):
    with step("student 2: fetch and open the feedback"):
        student.locator("#jp-main-dock-panel .lm-TabBar-tab", has_text="Assignments").click()
        panel = student.locator("#assignments")
        panel.locator("#refresh_assignments_list").click()
        item = panel.locator("#submitted_assignments_list .list_item", has_text=CHAPTER).first
        item.locator("button", has_text="Fetch Feedback").click()
        panel.locator("#submitted_assignments_list a", has_text="view feedback").first.click()
        html = student.locator(".jp-DirListing-item", has_text=f"{CHAPTER}.html")
        html.dblclick()
        frame = student.frame_locator("#jp-main-dock-panel iframe").last
        frame.locator("body", has_text="sigmoid_prime").wait_for()
    text = frame.locator("body").inner_text()
    assert CHAPTER in text and re.search(r"Score:\s*[\d.]+\s*/\s*10", text), text[:500]
    shot(student, "17_student_reads_feedback")
