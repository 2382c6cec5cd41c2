"""Notebook 06 itself in JupyterLab, driven in headless Chromium: the notebook from the repository, with a
small parameter set injected as `make run PARAMS=..` injects one, runs top to bottom; its controls render;
moving the worker range's upper handle one step and clicking Run sweep runs the sweep again over the new
range, a progress bar in the controls' output counts its runs to the total, and both chart images show
new PNG data.
"""

from __future__ import annotations

import re

import nbformat
import pytest

import nbexec
from test_jupyterlab import _require_browser, chromium_page, jupyterlab

pytestmark = pytest.mark.browser

NB = "06-Timings-vs-Worker-Count"
# The notebook's later claims compare threads and processes at 2 workers, so both stay in.
SMALL = 'workers=[1,2] models=["threads","processes"] repeats=1 pythonNumbers=1 pythonRepeats=1 pythons=1'
KERNEL_JS = "window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
RUN_ALL_MS = 600_000
WAIT_MS = 180_000
# The PNG bytes behind each image the controls cell shows (the widget's view puts them in a blob URL).
IMAGES_JS = """async cell => Promise.all([...cell.querySelectorAll('.jupyter-widgets img')].map(async img => {
    const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
    return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}))"""


def small_notebook(path):
    nb = nbformat.read(nbexec.find_notebook(NB), as_version=4)
    nb = nbexec.inject(nb, nbexec.injected_parameters_source(nb, nbexec.parse_params(SMALL)))
    nbformat.write(nb, path)
    return next(i for i, c in enumerate(nb.cells) if "controls" in c.get("metadata", {}).get("tags", []))


def pngs(cell) -> list[str]:
    """The two chart images' PNG bytes, in hex."""
    shown = cell.evaluate(IMAGES_JS)
    assert len(shown) == 2 and all(h.startswith("89504e47") for h in shown), [h[:8] for h in shown]
    return shown


def test_06_run_sweep_reruns_with_the_new_range_and_redraws_both_charts(kernel_prefix, tmp_path):
    _require_browser()
    root = tmp_path / "lab-root"
    root.mkdir()
    controls = small_notebook(root / f"{NB}.ipynb")
    controls_js = f"document.querySelectorAll('.jp-Notebook .jp-Cell')[{controls}]"
    with jupyterlab(root, tmp_path) as (base, token), chromium_page(tmp_path) as page:
        page.goto(f"{base}/lab/workspaces/nb06/tree/{NB}.ipynb?reset&token={token}")
        page.wait_for_function(f"name => {{ try {{ return {KERNEL_JS}.name === name; }} catch (e) {{ return false; }} }}",
                               arg="java-concurrency", timeout=WAIT_MS)
        page.get_by_role("menuitem", name="Run", exact=True).click()
        page.get_by_role("menuitem", name="Run All Cells", exact=True).click()
        # Done when every code cell has its execution count, or at once when one shows an error.
        page.wait_for_function(
            """() => { const app = window.jupyterapp.shell.currentWidget.content;
                if (app.widgets.some(c => c.model.type === 'code'
                        && c.model.outputs.toJSON().some(o => o.output_type === 'error'))) return true;
                return app.widgets.every(c => c.model.type !== 'code' || c.model.executionCount); }""",
            timeout=RUN_ALL_MS)
        errors = page.evaluate("() => window.jupyterapp.shell.currentWidget.content.widgets.filter(c =>"
                               " c.model.type === 'code').map(c => c.model.outputs.toJSON()"
                               ".filter(o => o.output_type === 'error').map(o => o.ename + ': ' + o.evalue))"
                               ".flat()")
        assert errors == [], errors
        cell = page.locator(".jp-Notebook .jp-Cell").nth(controls)
        upper = cell.locator(".noUi-handle-upper")
        upper.wait_for(timeout=WAIT_MS)
        before = pngs(cell)

        upper.focus()
        upper.press("ArrowRight")
        cell.locator(".widget-readout", has_text=re.compile(r"^\s*1\s*[-–]\s*3\s*$")).wait_for(timeout=WAIT_MS)
        cell.locator(".jupyter-widgets button", has_text="Run sweep").click()
        cell.locator(".widget-output", has_text="charts redrawn and saved").wait_for(timeout=WAIT_MS)

        shown = cell.locator(".widget-output").first.inner_text()
        assert "workers [1, 2, 3]" in shown, shown
        # The sequential baseline, threads and processes at 1, 2 and 3 workers, one repeat each.
        assert re.search(r"^7/7 · \d+\.\d s$", shown, re.M), shown
        assert cell.locator(".widget-output .progress-bar-success").count() == 1
        # The images were set before the line was printed; the page may draw them a moment later.
        page.wait_for_function(f"async before => {{ const now = await ({IMAGES_JS})({controls_js}); return now.length === 2"
                               " && now.every((png, i) => png !== before[i]); }", arg=before, timeout=WAIT_MS)
        after = pngs(cell)
        assert all(a.startswith("89504e47") and a != b for a, b in zip(after, before, strict=True))
