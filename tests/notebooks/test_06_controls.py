"""Notebook 06's controls (the cell tagged `controls`). Headless, the executed notebook shows them as text only.
Through the kernel, with the messages JupyterLab sends: the cell's own code, after a small sweep standing in for
section 1, shows a worker range, a model list and a Run button; choosing 1..2 workers and "threads", then
clicking Run sweep runs the sweep again, a progress bar counts its runs to the total, both chart images are
redrawn in place with new PNG bytes, and both charts are saved again under their names.
"""

from __future__ import annotations

import os
import uuid

import pytest
from jupyter_client.manager import KernelManager

import iopub
from nbcheck import cell_by_tag, error_outputs, text_output

NB = "06-Timings-vs-Worker-Count"
KERNEL = "java-concurrency"
TIMEOUT = 120
PNG_MAGIC = b"\x89PNG"

STAND_IN = """int cores = Runtime.getRuntime().availableProcessors();
List<Integer> workers = List.of(1, 2);
List<String> models = List.of("threads");
int repeats = 1;
SweepResult result = Sweep.of(models).workers(workers).repeats(repeats).run();
var timeChart = Charts.timeVsWorkers(result);
var speedupChart = Charts.speedupVsWorkers(result);"""


def test_headless_the_controls_show_as_text(executed_notebook):
    cell = cell_by_tag(executed_notebook(NB), "controls")
    assert not error_outputs(cell)
    assert text_output(cell).strip() == "VBox(3 children)"


def until_idle(kc, msg_id):
    return iopub.until_idle(kc, msg_id, TIMEOUT)


def send(kc, msg_type, content):
    return until_idle(kc, kc.session.send(kc.shell_channel.socket, msg_type, content)["header"]["msg_id"])


def execute(kc, code):
    seen = until_idle(kc, kc.execute(code))
    errors = [m["content"] for m in seen if m["msg_type"] == "error"]
    assert not errors, errors
    return seen


@pytest.fixture
def kc(kernel_prefix, tmp_path):
    km = KernelManager(kernel_name=KERNEL)
    km.start_kernel(env={**os.environ, "JCN_FIGURES": str(tmp_path / "figures")})
    client = km.client()
    client.start_channels()
    client.wait_for_ready(timeout=TIMEOUT)
    yield client
    client.stop_channels()
    km.shutdown_kernel(now=False)


def test_run_sweep_counts_its_runs_redraws_both_charts_in_place_and_saves_them(kc, tmp_path):
    from nbformat import read

    controls = "".join(cell_by_tag(read(str(_notebook()), as_version=4), "controls").source)
    send(kc, "comm_open", {"comm_id": uuid.uuid4().hex, "target_name": "jupyter.widget.control", "data": {}})
    execute(kc, STAND_IN)
    shown = execute(kc, controls)
    models = {}
    for m in shown:
        if m["msg_type"] == "comm_open":
            models.setdefault(m["content"]["data"]["state"]["_model_name"], []).append(m)
    assert len(models["ImageModel"]) == 2
    images = {m["content"]["comm_id"]: bytes(m["buffers"][0]) for m in models["ImageModel"]}
    assert all(b.startswith(PNG_MAGIC) for b in images.values())
    pick = models["SelectMultipleModel"][0]["content"]
    labels = pick["data"]["state"]["_options_labels"]

    def update(model, state):
        send(kc, "comm_msg", {"comm_id": models[model][0]["content"]["comm_id"],
                              "data": {"method": "update", "state": state, "buffer_paths": []}})

    update("IntRangeSliderModel", {"value": [1, 2]})
    update("SelectMultipleModel", {"index": [labels.index("threads")]})
    clicked = send(kc, "comm_msg", {"comm_id": models["ButtonModel"][0]["content"]["comm_id"],
                                    "data": {"method": "custom", "content": {"event": "click"}}})

    bar = next(m for m in clicked if m["msg_type"] == "comm_open"
               and m["content"]["data"]["state"]["_model_name"] == "IntProgressModel")
    total = bar["content"]["data"]["state"]["max"]
    assert total == 3, "the sequential baseline, then threads at 1 and at 2 workers"
    bar_states = [m["content"]["data"]["state"] for m in clicked
                  if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] == bar["content"]["comm_id"]]
    assert [s["value"] for s in bar_states if "value" in s][-1] == total
    assert bar_states[-1] == {"bar_style": "success"}
    redrawn = {m["content"]["comm_id"]: bytes(m["buffers"][0]) for m in clicked
               if m["msg_type"] == "comm_msg" and m["content"]["comm_id"] in images}
    assert set(redrawn) == set(images)
    assert all(b.startswith(PNG_MAGIC) and b != images[c] for c, b in redrawn.items())
    for name in ("06-timings", "06-speedup"):
        for ext in ("png", "svg"):
            assert (tmp_path / "figures" / f"{name}.{ext}").stat().st_size > 0
    logged = [m["content"]["data"]["state"].get("outputs") for m in clicked if m["msg_type"] == "comm_msg"
              and m["content"]["comm_id"] == models["OutputModel"][0]["content"]["comm_id"]]
    assert "charts redrawn and saved" in str(logged[-1])


def _notebook():
    from pathlib import Path

    return Path(__file__).resolve().parents[2] / "notebooks" / f"{NB}.ipynb"
