"""The student's JupyterLab (`make lab`): a released chapter, run, a plot, Korean
text, one answer filled in, and Validate naming the exercises still to do, while
the server keeps answering; the Assignment List works; no instructor tools."""

from __future__ import annotations

import re
import threading
import time
import urllib.request

import pytest
from labui import (CHAPTER, close_dialog, code_cell, dialog_text, menu, menu_items, platform_fonts,
                   open_assignment_list, replace_source, shot, solution_source, step,
                   wait_kernel_idle)

NB = f"{CHAPTER}/{CHAPTER}.ipynb"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def page(servers, new_page):
    page = new_page()
    with step("student: open ch08, kernel ready"):
        page.goto(servers["student"].lab(f"/tree/{NB}"))
        wait_kernel_idle(page)
    shot(page, "01_student_opens_chapter")
    return page


def test_run_all_shows_stub_error_and_plot(page):
    with step("student: run all, stub error and plot shown"):
        menu(page, "Run", "Run All Cells")
        err = page.locator('[data-mime-type="application/vnd.jupyter.stderr"]',
                           has_text="NotImplementedError").first
        err.wait_for(timeout=120_000)
        err.scroll_into_view_if_needed()
        wait_kernel_idle(page)
    shot(page, "02_student_run_all_stub_error")
    img = page.locator(".jp-RenderedImage img").first
    img.scroll_into_view_if_needed()
    size = img.evaluate("i => [i.naturalWidth, i.naturalHeight]")
    assert size[0] > 200 and size[1] > 100, f"plot not rendered: {size}"
    shot(page, "03_student_plot")


def test_korean_text_uses_a_cjk_font(page):
    md = page.locator(".jp-MarkdownOutput strong", has_text=re.compile("[가-힣]")).first
    md.scroll_into_view_if_needed()
    md.evaluate("e => e.setAttribute('data-test-korean', '1')")
    fonts = platform_fonts(page, "[data-test-korean]")
    hangul = md.inner_text()
    cjk = [f for f in fonts if "CJK" in f["familyName"]]
    assert cjk and sum(f["glyphCount"] for f in cjk) >= sum(
        1 for ch in hangul if "가" <= ch <= "힣"), f"{hangul!r} drawn with {fonts}"
    box = md.bounding_box()
    shot(page, "04_student_korean_text", clip={"x": max(box["x"] - 300, 0), "y": box["y"] - 20,
                                              "width": 800, "height": box["height"] + 40})


def test_validate_names_remaining_exercises(page, servers, course):
    answer = solution_source(course / "solutions" / CHAPTER / f"{CHAPTER}.ipynb", "sigmoid_prime")
    with step("student: fill sigmoid_prime, run it and its check"):
        cell = code_cell(page, "def sigmoid_prime")
        replace_source(page, cell, answer)
        cell.locator(".cm-content").click()
        page.keyboard.press("Shift+Enter")   # the answer
        page.keyboard.press("Shift+Enter")   # its visible check
        wait_kernel_idle(page)
        check = code_cell(page, "sigmoid_prime(_z)")
        assert check.locator('[data-mime-type="application/vnd.jupyter.stderr"]').count() == 0
    shot(page, "05_student_answer_filled")

    slowest = []
    stop = threading.Event()

    def poll():
        while not stop.is_set():
            t0 = time.perf_counter()
            urllib.request.urlopen(servers["student"].api("status"), timeout=30).read()
            slowest.append(time.perf_counter() - t0)
            time.sleep(0.2)

    with step("student: Validate (executes the notebook)"):
        page.locator(".validate-button").click()
        poller = threading.Thread(target=poll, daemon=True)
        poller.start()
        text = dialog_text(page)
        stop.set()
        poller.join()
    shot(page, "06_student_validate")
    close_dialog(page)
    verdicts = dict(re.findall(r"^(\w+) +(passed|not done yet)$", text, flags=re.M))
    assert verdicts == {"sigmoid_prime": "passed", "xor_backward": "not done yet",
                        "train_xor_by_hand": "not done yet", "numerical_grad": "not done yet",
                        "rel_error": "not done yet"}, text
    assert "1 of 5 visible checks pass" in text and "Success" not in text
    assert slowest and max(slowest) < 1.0, f"server stalled during Validate: {max(slowest):.2f} s"


def test_assignment_list_works_and_no_instructor_tools(page):
    items = menu_items(page, "Nbgrader")
    assert "Assignment List" in items and "Formgrader" not in items, items
    tabs = page.locator(".jp-SideBar .lm-TabBar-tab").evaluate_all(
        "els => els.map(e => e.getAttribute('data-id') + ' ' + e.title)")
    assert not any("assignment" in t.lower() for t in tabs), tabs   # Create Assignment
    with step("student: Assignment List (course exchange)"):
        panel = open_assignment_list(page)
        panel.locator("#course_list_default", has_text="dl-pytorch-course").wait_for()
        for part in ("released", "fetched", "submitted"):
            panel.locator(f"#{part}_assignments_list_loading").wait_for(state="hidden")
    text = panel.inner_text()
    assert "Error" not in text and "does not exist" not in text, text
    shot(page, "07_student_assignment_list")
