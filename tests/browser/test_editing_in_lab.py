"""Completion and inspection as JupyterLab shows them, in headless Chromium: Tab lists the overloads of a
method as distinct entries with their parameters and their kind; Shift+Tab shows the javadoc rendered from
Markdown (code spans, code blocks, no raw `{@code` or `@apiNote`); the Contextual Help panel shows the same
rendered javadoc for whatever the cursor is on, and follows the cursor to another call.
"""

from __future__ import annotations

import json

import nbformat
import pytest

from test_jupyterlab import _require_browser, chromium_page, jupyterlab

pytestmark = pytest.mark.browser

KERNEL_NAME = "java-concurrency"
WAIT_MS = 120_000
CELLS = [
    "ExecutorService ex = Executors.newSingleThreadExecutor();",
    "ex.sub",
    "Thread.ofVirtual()",
    "Thread.sleep(10);",
]
KERNEL_JS = "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
RAW_JAVADOC = ("{@code", "{@link", "{@snippet", "@apiNote", "@return", "```")


def _editor(page, index):
    return page.locator(".jp-Notebook .jp-Cell").nth(index).locator(".cm-content")


def _edit_at_end(page, index):
    """Puts the cell in edit mode with the cursor after its last character."""
    _editor(page, index).click()
    page.keyboard.press("Control+End")


def _completer_items(page):
    return page.evaluate("""() => [...document.querySelectorAll('.jp-Completer .jp-Completer-item')].map(i => ({
        label: i.querySelector('.jp-Completer-match')?.innerText || '',
        kind: i.querySelector('.jp-Completer-typeExtended')?.innerText || '',
    }))""")


def _rendered(page, selector):
    """innerHTML and innerText of the first element matching selector."""
    return page.evaluate("s => { const e = document.querySelector(s); return [e.innerHTML, e.innerText]; }", selector)


def test_completer_lists_typed_overloads_and_the_javadoc_renders_in_tooltip_and_help_panel(kernel_prefix, tmp_path):
    _require_browser()
    root = tmp_path / "lab-root"
    root.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(c) for c in CELLS])
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Java", "language": "java"}
    nbformat.write(nb, root / "editing.ipynb")
    # JupyterLab drops a completion that takes longer than its provider timeout (1 s by default); the
    # kernel's first completion parses sources and warms JShell's compiler, which takes longer on a busy
    # machine. This test is about what the page shows; make bench-kernel measures the speed.
    manager = tmp_path / "settings" / "@jupyterlab" / "completer-extension" / "manager.jupyterlab-settings"
    manager.parent.mkdir(parents=True)
    manager.write_text(json.dumps({"providerTimeout": WAIT_MS}))
    with jupyterlab(root, tmp_path) as (base, token), chromium_page(tmp_path) as page:
        page.goto(f"{base}/lab/workspaces/editing/tree/editing.ipynb?reset&token={token}")
        page.wait_for_function(f"name => {{ try {{ return {KERNEL_JS}.name === name"
                               f" && {KERNEL_JS}.status === 'idle'; }} catch (e) {{ return false; }} }}",
                               arg=KERNEL_NAME, timeout=WAIT_MS)
        _edit_at_end(page, 0)
        page.keyboard.press("Shift+Enter")
        page.wait_for_function("() => document.querySelectorAll('.jp-Notebook .jp-Cell')[0]"
                               ".querySelector('.jp-InputArea-prompt').innerText.trim() === '[1]:'", timeout=WAIT_MS)

        # Tab after `ex.sub`: one entry per overload, labelled with its parameters, of kind method
        _edit_at_end(page, 1)
        page.keyboard.press("Tab")
        page.wait_for_selector(".jp-Completer .jp-Completer-item", timeout=WAIT_MS)
        items = _completer_items(page)
        assert [i["label"] for i in items] == [
            "submit(Runnable task)", "submit(Callable<T> task)", "submit(Runnable task, T result)"], items
        assert {i["kind"] for i in items} == {"method"}, items
        page.keyboard.press("Enter")
        page.wait_for_selector(".jp-Completer", state="hidden", timeout=WAIT_MS)
        assert _editor(page, 1).inner_text().strip() == "ex.submit"

        # Shift+Tab after `Thread.ofVirtual()`: the tooltip renders the javadoc's Markdown
        _edit_at_end(page, 2)
        page.keyboard.press("Shift+Tab")
        page.wait_for_function("() => document.querySelector('.jp-Tooltip')?.innerText.includes('virtual thread')",
                               timeout=WAIT_MS)
        html, text = _rendered(page, ".jp-Tooltip")
        assert "Thread.ofVirtual()" in text
        assert "<code>Thread</code>" in html and "<pre" in html, html[:3000]
        for raw in RAW_JAVADOC:
            assert raw not in text, (raw, text[:3000])
        page.keyboard.press("Escape")

        # The Contextual Help panel asks as the cursor moves and shows the same rendered javadoc
        page.keyboard.press("Control+i")
        page.wait_for_selector(".jp-Inspector", timeout=WAIT_MS)
        _edit_at_end(page, 2)
        page.keyboard.press("ArrowLeft")
        page.wait_for_function("() => document.querySelector('.jp-Inspector-content')?.innerText"
                               ".includes('virtual thread')", timeout=WAIT_MS)
        html, text = _rendered(page, ".jp-Inspector-content")
        assert "Thread.ofVirtual()" in text
        assert "<code>Thread</code>" in html and "<pre" in html, html[:3000]
        for raw in RAW_JAVADOC:
            assert raw not in text, (raw, text[:3000])
        _edit_at_end(page, 3)
        for _ in ("(", "1", "0", ")", ";"):
            page.keyboard.press("ArrowLeft")  # onto `sleep(`: the panel follows the cursor to the next call
        page.wait_for_function("() => document.querySelector('.jp-Inspector-content')?.innerText"
                               ".includes('Thread.sleep(long millis)')", timeout=WAIT_MS)
        html, text = _rendered(page, ".jp-Inspector-content")
        assert "<code>" in html
        for raw in RAW_JAVADOC:
            assert raw not in text, (raw, text[:3000])
