"""What a person does in JupyterLab, as Playwright calls (selectors measured on
JupyterLab 4.6 with nbgrader 0.9.6's lab extension)."""

from __future__ import annotations

import re
import time
from contextlib import contextmanager
from pathlib import Path

import nbformat

CHAPTER = "ch08_backprop_by_hand"   # the chapter the scenarios use
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
TIMES: list[tuple[str, float]] = []


@contextmanager
def step(name: str):
    """Time one step of a browser scenario (printed at the end of the run)."""
    t0 = time.perf_counter()
    try:
        yield
    finally:
        TIMES.append((name, time.perf_counter() - t0))


def shot(page, name: str, **kw) -> Path:
    """Screenshot of the page (or of ``clip``) to build/screenshots/<name>.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), **kw)
    return path

IDLE_JS = "() => document.querySelector('#jp-main-statusbar')?.textContent.includes('Idle')"


def wait_kernel_idle(page, timeout: float = 90_000) -> None:
    page.wait_for_function(IDLE_JS, timeout=timeout)


def menu(page, top: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(top)}$")).click()
    page.locator(".lm-Menu .lm-Menu-itemLabel",
                 has_text=re.compile(f"^{re.escape(item)}$")).first.click()


def menu_items(page, top: str) -> list[str]:
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(f"^{re.escape(top)}$")).click()
    items = [t for t in page.locator(".lm-Menu .lm-Menu-itemLabel").all_inner_texts() if t]
    page.keyboard.press("Escape")
    return items


def code_cell(page, text: str):
    """The code cell whose source contains ``text``, scrolled into view."""
    cell = page.locator(".jp-NotebookPanel:visible .jp-CodeCell",
                        has=page.locator(".cm-content", has_text=text)).first
    cell.scroll_into_view_if_needed()
    return cell


def replace_source(page, cell, source: str) -> None:
    """Type ``source`` over the cell's code (no auto-indent), then run it."""
    cell.locator(".cm-content").click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(source)
    page.keyboard.press("Escape")


def solution_source(solution_nb, grade_id: str) -> str:
    """The instructor's answer for one exercise, without nbgrader's markers."""
    nb = nbformat.read(solution_nb, as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            lines = [ln for ln in cell.source.splitlines()
                     if not re.match(r"\s*### (BEGIN|END) SOLUTION", ln)]
            return "\n".join(lines) + "\n"
    raise KeyError(grade_id)


def dialog_text(page, timeout: float = 120_000) -> str:
    page.locator(".jp-Dialog-body").wait_for(timeout=timeout)
    return page.locator(".jp-Dialog-content").inner_text()


def close_dialog(page) -> None:
    page.locator(".jp-Dialog-footer button").last.click()
    page.locator(".jp-Dialog").wait_for(state="detached")


def platform_fonts(page, selector: str) -> list[dict]:
    """Fonts Chromium really used to draw the text of the first ``selector`` match
    (DevTools CSS.getPlatformFontsForNode): family names and glyph counts."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return fonts


def open_assignment_list(page):
    menu(page, "Nbgrader", "Assignment List")
    panel = page.locator("#assignments")
    panel.wait_for()
    return panel
