"""JupyterLab's debugger on the Java kernel, in headless Chromium: the bug button is enabled (kernelspec
`metadata.debugger` and a real `debugInfo` reply), switching it on before any cell runs attaches (the user
JVM restarts in debug mode), a breakpoint set by clicking a cell's gutter stops the cell that calls the
method, the Call Stack panel names the method, the Variables panel shows its locals with their values, and
Continue lets the cell finish once the breakpoint is removed.
Every name that notebook 01's paragraph on the debugger sets in bold is a label JupyterLab really shows (a
button's tooltip, a panel's or tab's title), word for word.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from test_jupyterlab import ROOT, _require_browser, chromium_page, jupyterlab

pytestmark = pytest.mark.browser

KERNEL_NAME = "java-concurrency"
WAIT_MS = 120_000
CELLS = [
    "int total(int n) {\n    int acc = 0;\n    for (int i = 0; i < n; i++) {\n        acc += i * 10;\n    }\n"
    "    return acc;\n}",
    "int r = total(3);\nr",
]
BREAKPOINT_LINE = 4
APP = "window.jupyterapp"
KERNEL_JS = f"{APP}.shell.currentWidget.sessionContext.session.kernel"
SERVICE = f"{APP}.pluginRegistry._plugins.get('@jupyterlab/debugger-extension:service')._service"
BUG_BUTTON_ENABLED = ("() => { const b = document.querySelector('.jp-DebuggerBugButton');"
                      " return b && !b.hasAttribute('disabled') && !b.querySelector('[disabled]'); }")
# An accepted click starts the debugger within seconds (the user JVM restarts in debug mode).
CLICK_TAKES_MS = 30_000


HOWTO_NOTEBOOK = ROOT / "notebooks" / "01-Concurrency-and-Parallelism.ipynb"
# Tooltips, accessible names and panel and tab titles on the page; a tooltip's shortcut in brackets is left off.
LABELS_JS = """() => {
  const out = new Set();
  for (const e of document.querySelectorAll('[title], [aria-label]')) {
    for (const a of ['title', 'aria-label']) {
      const v = (e.getAttribute(a) || '').trim();
      if (v) { out.add(v); out.add(v.replace(/\\s*\\([^)]*\\)$/, '')); }
    }
  }
  for (const e of document.querySelectorAll('.lm-AccordionPanel-title, .lm-TabBar-tabLabel, .jp-Toolbar-item')) {
    const t = e.innerText.trim();
    if (t) out.add(t);
  }
  return [...out];
}"""


def _howto_labels():
    cells = [c for c in nbformat.read(HOWTO_NOTEBOOK, as_version=4).cells
             if "debugger-howto" in c.metadata.get("tags", [])]
    assert len(cells) == 1, "notebook 01 has one cell tagged debugger-howto"
    return re.findall(r"\*\*([^*]+)\*\*", cells[0].source)


def _cell(page, index):
    return page.locator(".jp-Notebook .jp-Cell").nth(index)


def _run(page, index):
    _cell(page, index).locator(".cm-content").click()
    page.keyboard.press("Shift+Enter")


def _prompt_is(page, index, prompt):
    page.wait_for_function("([i, p]) => document.querySelectorAll('.jp-Notebook .jp-Cell')[i]"
                           ".querySelector('.jp-InputArea-prompt').innerText.trim() === p",
                           arg=[index, prompt], timeout=WAIT_MS)


def _click_gutter(page, index, line):
    cell = _cell(page, index)
    row = cell.locator(".cm-content .cm-line").nth(line - 1).bounding_box()
    gutter = cell.locator(".cm-gutter.cm-breakpoint-gutter").first.bounding_box()
    page.mouse.click(gutter["x"] + gutter["width"] / 2, row["y"] + row["height"] / 2)


def _switch_debugger_on(page):
    """Clicks the bug button until the debugger says it started. Each time the notebook's kernel connection
    changes, JupyterLab disables the button again while it asks the kernel whether it can debug; a click in
    that moment does nothing, and a user clicks again once the button is enabled."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    for _ in range(3):
        page.wait_for_function(BUG_BUTTON_ENABLED, timeout=WAIT_MS)
        page.locator(".jp-DebuggerBugButton").first.click()
        try:
            page.wait_for_function(f"() => {SERVICE}.isStarted", timeout=CLICK_TAKES_MS)
            return
        except PlaywrightTimeoutError:
            continue
    raise AssertionError("the debugger did not start after three clicks on its enabled bug button")


def _panel_has(page, selector, text):
    page.wait_for_function("([s, t]) => [...document.querySelectorAll(s)].some(e => e.innerText.includes(t))",
                           arg=[selector, text], timeout=WAIT_MS)
    return page.evaluate("s => [...document.querySelectorAll(s)].map(e => e.innerText).join('\\n')", selector)


def test_breakpoint_in_a_cell_shows_its_locals_and_continue_finishes_the_cell(kernel_prefix, tmp_path):
    _require_browser()
    root = tmp_path / "lab-root"
    root.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Java", "language": "java"}
    nbformat.write(nb, root / "debugger.ipynb")
    with jupyterlab(root, tmp_path) as (base, token), chromium_page(tmp_path) as page:
        page.goto(f"{base}/lab/workspaces/debugger/tree/debugger.ipynb?reset&token={token}")
        page.wait_for_function(f"name => {{ try {{ return {KERNEL_JS}.name === name"
                               f" && {KERNEL_JS}.status === 'idle'; }} catch (e) {{ return false; }} }}",
                               arg=KERNEL_NAME, timeout=WAIT_MS)
        page.wait_for_function(BUG_BUTTON_ENABLED, timeout=WAIT_MS)
        labels = set(page.evaluate(LABELS_JS))

        # switched on before any cell runs, as notebook 01 says: the user JVM restarts in debug mode, losing nothing
        _switch_debugger_on(page)
        _run(page, 0)
        _prompt_is(page, 0, "[1]:")
        page.evaluate(f"() => {APP}.commands.execute('debugger:show-panel')")
        _click_gutter(page, 0, BREAKPOINT_LINE)
        page.wait_for_function(f"() => {SERVICE}.model.breakpoints.breakpoints.size > 0"
                               f" && [...{SERVICE}.model.breakpoints.breakpoints.values()].some(b => b.length > 0)",
                               timeout=WAIT_MS)

        _run(page, 1)
        stack = _panel_has(page, ".jp-DebuggerCallstack", "total")
        assert "total" in stack
        variables = _panel_has(page, ".jp-DebuggerVariables", "acc")
        for name in ("n", "acc", "i"):
            assert name in variables, variables
        assert "3" in variables, variables
        breakpoints = _panel_has(page, ".jp-DebuggerBreakpoints", str(BREAKPOINT_LINE))
        assert str(BREAKPOINT_LINE) in breakpoints, breakpoints
        labels |= set(page.evaluate(LABELS_JS))
        named = _howto_labels()
        assert len(named) >= 6, named
        missing = [n for n in named if n not in labels]
        assert not missing, f"notebook 01 names {missing}, which JupyterLab does not show; it shows {sorted(labels)}"

        _click_gutter(page, 0, BREAKPOINT_LINE)
        page.wait_for_function(f"() => [...{SERVICE}.model.breakpoints.breakpoints.values()].every(b => b.length === 0)",
                               timeout=WAIT_MS)
        page.evaluate(f"() => {APP}.commands.execute('debugger:continue')")
        _prompt_is(page, 1, "[2]:")
        page.wait_for_function("() => document.querySelectorAll('.jp-Notebook .jp-Cell')[1]"
                               ".querySelector('.jp-OutputArea-output')?.innerText.includes('30')", timeout=WAIT_MS)
