"""Widgets, the input box and comms in JupyterLab driven in headless Chromium: the controls a cell displays
render through jupyterlab_widgets; moving the slider twice from the keyboard reaches the listener in the
notebook's JVM each time (the second move is sent only after the kernel went idle for the first); clicking
the button runs its listener, whose line appears in the Output widget; a cell that reads a line shows the
input box and gets what was typed; a comm the page opens to an unknown target is closed by the kernel.
"""

from __future__ import annotations

import nbformat
import pytest

from test_jupyterlab import _require_browser, chromium_page, jupyterlab

pytestmark = pytest.mark.browser

KERNEL_NAME = "java-concurrency"
WAIT_MS = 120_000

CONTROLS = """\
var workers = new IntSlider("workers", 1, 8, 3);
var seen = new CopyOnWriteArrayList<Integer>();
var heard = new Label("heard []");
workers.onChange(v -> { seen.add(v); heard.value("heard " + seen); });
var out = new Output();
var run = new Button("Run sweep");
run.onClick(() -> out.capture(() -> System.out.println("ran with " + workers.value() + " after " + seen)));
display(new VBox(workers, heard, run, out));"""

ASK = 'String name = Input.line("your name? "); "hello " + name'

KERNEL_JS = "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"


def test_controls_render_listeners_run_and_the_input_box_answers(kernel_prefix, tmp_path):
    _require_browser()
    root = tmp_path / "lab-root"
    root.mkdir()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Java", "language": "java"}
    nb.cells = [nbformat.v4.new_code_cell(CONTROLS), nbformat.v4.new_code_cell(ASK)]
    nbformat.write(nb, root / "widgets.ipynb")
    with jupyterlab(root, tmp_path) as (base, token), chromium_page(tmp_path) as page:
        page.goto(f"{base}/lab/workspaces/widgets/tree/widgets.ipynb?reset&token={token}")
        page.wait_for_function(f"name => {{ try {{ return {KERNEL_JS}.name === name; }} catch (e) {{ return false; }} }}",
                               arg=KERNEL_NAME, timeout=WAIT_MS)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()

        handle = page.locator(".jupyter-widgets .noUi-handle").first
        handle.wait_for(timeout=WAIT_MS)
        box = page.locator("input.jp-Stdin-input")
        box.wait_for(timeout=WAIT_MS)
        assert "your name?" in page.locator(".jp-Cell").nth(1).inner_text()
        box.fill("Ada")
        box.press("Enter")
        page.wait_for_function("() => document.querySelectorAll('.jp-Cell')[1].innerText.includes('hello Ada')",
                               timeout=WAIT_MS)

        handle.focus()
        handle.press("ArrowRight")
        handle.press("ArrowRight")
        page.wait_for_function("() => [...document.querySelectorAll('.jupyter-widgets .widget-readout')]"
                               ".some(r => r.innerText.trim() === '5')", timeout=WAIT_MS)
        # The page sends a click at once but holds a slider update until the kernel is idle after the one
        # before: the listener's label says when both moves have reached the notebook's JVM.
        page.wait_for_function("() => document.querySelectorAll('.jp-Cell')[0].innerText.includes('heard [4, 5]')",
                               timeout=WAIT_MS)
        page.locator(".jupyter-widgets button", has_text="Run sweep").click()
        page.wait_for_function("() => document.querySelector('.jupyter-widgets.widget-output, .widget-output')"
                               "?.innerText.includes('ran with')", timeout=WAIT_MS)
        shown = page.evaluate("() => document.querySelector('.jupyter-widgets.widget-output, .widget-output').innerText")
        assert "ran with 5 after [4, 5]" in shown, shown

        closed = page.evaluate(f"""async () => {{
            const comm = {KERNEL_JS}.createComm('jcn.unknown.target');
            const gone = new Promise(resolve => {{ comm.onClose = msg => resolve(msg.content); }});
            comm.open({{}});
            return await Promise.race([gone, new Promise(r => setTimeout(() => r('no close within 30 s'), 30000))]);
        }}""")
        assert isinstance(closed, dict) and closed["data"] == {}, closed
        errors = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.widgets.map(c =>"
                               " c.model.outputs.toJSON().filter(o => o.output_type === 'error').length)")
        assert errors == [0, 0], errors
